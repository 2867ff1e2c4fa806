"""An office quoted in an article that names its one holder joins that holder (``indoquote.archive.office_merges``);
elsewhere the office keeps its id."""

from __future__ import annotations

import pandas as pd

from indoquote.archive.identity import resolve_speakers
from indoquote.archive.office_merges import names_office, office_words
from indoquote.archive.speaker_names import Profile

COLUMNS = ("article_id", "speaker", "speaker_forms", "role", "affiliation", "quote", "title")
KPK = "Saya menyerahkan surat pengunduran diri agar bisa berkonsentrasi menghadapi kasus saya"
AWARD = "Penghargaan ini untuk atlet berprestasi, mantan atlet, wasit dan pembina olahraga"


def rows(*items: tuple) -> pd.DataFrame:
    return pd.DataFrame([dict(zip(COLUMNS, it)) for it in items], columns=list(COLUMNS))


def profile(role: str) -> Profile:
    p = Profile()
    p.add(role, None)
    return p


def test_a_role_names_an_office_with_its_short_title_read_out_not_as_a_former_one():
    assert office_words("menpora") == {"menteri", "pemuda", "olahraga"}
    assert names_office(profile("Menteri Pemuda dan Olahraga"), "menpora")
    assert names_office(profile("Menpora"), "menpora") and names_office(profile("Kapolres Bogor"), "kapolres")
    assert not names_office(profile("Mantan Menpora"), "menpora")
    assert not names_office(profile("Menteri Keuangan"), "menpora")
    assert not names_office(profile("Menteri"), "menperin") and names_office(profile("Menteri"), "menperin", True)


def test_an_office_joins_the_person_its_article_quotes_in_that_role():
    df = rows(
        ("a1", "Imam Nahrawi", None, "Menteri Pemuda dan Olahraga", None, KPK, "Menpora Mundur"),
        ("a1", "Menpora", None, None, None, "Saya tidak seperti yang dituduhkan", "Menpora Mundur"),
        ("a2", "Menpora", None, None, None, AWARD, "Kemenpora Beri Penghargaan"),
    )
    result = resolve_speakers(df)
    ids = result.row_ids.tolist()
    assert ids[0] == ids[1] == "imam-nahrawi" and ids[2] == "menpora"  # no person named: the office is counted
    assert {m.evidence for m in result.merges if m.form == "Menpora"} == {"office holder"}


def test_an_office_joins_the_one_person_quoted_beside_it_whom_the_archive_gives_that_role():
    df = rows(
        ("a1", "Imam Nahrawi", None, "Menpora", None, KPK, "Imam Nahrawi Tersangka"),
        ("a2", "Imam Nahrawi", None, None, None, KPK, "Menpora Mundur"),
        ("a2", "Menpora", None, None, None, "Saya tidak seperti yang dituduhkan", "Menpora Mundur"),
        ("a3", "Alexander Marwata", None, "Wakil Ketua KPK", None, KPK, "Imam Nahrawi Tersangka Korupsi"),
        ("a3", "Menpora", None, None, None, "Saya belum membaca tuduhan itu", "Imam Nahrawi Tersangka Korupsi"),
    )
    ids = resolve_speakers(df).row_ids.tolist()
    assert ids[2] == "imam-nahrawi"  # quoted beside the office, a Menpora elsewhere
    assert ids[4] == "imam-nahrawi"  # named in the title


def test_an_office_beside_two_holders_or_a_former_one_keeps_its_id():
    df = rows(
        ("a1", "Roy Suryo", None, "Mantan Menpora", None, AWARD, "Haornas"),
        ("a1", "Menpora", None, None, None, KPK, "Haornas"),
        ("a2", "Budi Karya", None, "Menteri Perhubungan", None, AWARD, "Dua Menteri"),
        ("a2", "Imam Nahrawi", None, "Menteri", None, AWARD, "Dua Menteri"),
        ("a2", "Menperin", None, None, None, KPK, "Dua Menteri"),
    )
    ids = resolve_speakers(df).row_ids.tolist()
    assert ids[1] == "menpora" and ids[4] == "menperin"
