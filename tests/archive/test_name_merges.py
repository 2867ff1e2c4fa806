"""Merges on the names and the articles' links (``indoquote.archive.name_merges``): a short form linked to a person
by one article only, or a word of several people's names, needs more evidence than links from other articles; a
generic role is no evidence for a lone name."""

from __future__ import annotations

import pandas as pd

from indoquote.archive.identity import resolve_speakers
from indoquote.archive.name_merges import SHARED_WORD_PEOPLE, SHORT_FORM_LINKS, is_short_form

COLUMNS = ("article_id", "speaker", "speaker_forms", "role", "affiliation", "quote", "title")
RIVER = "Sampah di Sungai Kalibaru menumpuk sampai sungai berubah menjadi daratan dan warga membuangnya tiap hari"
BULLYING = "Saya kaget, saya juga dikasih tahu tetangga kalau anak saya dituduh merundung temannya di sekolah"
RIVER_TITLE = "Sungai Kalibaru Nyaris Jadi Daratan"
RIVER_2 = "Kami relawan membersihkan sampah sungai setiap pekan bersama warga bantaran Kalibaru"


def rows(*items: tuple) -> pd.DataFrame:
    return pd.DataFrame([dict(zip(COLUMNS, it)) for it in items], columns=list(COLUMNS))


def merges(df: pd.DataFrame) -> dict[str, str]:
    return {m.form: m.evidence for m in resolve_speakers(df).merges}


def test_a_short_form_is_a_word_of_the_name_not_a_nickname_after_a_word_of_address():
    assert is_short_form("suparno", "suparno jumar") and is_short_form("jumar", "suparno jumar")
    assert not is_short_form("emil", "kang emil") and not is_short_form("emil", "ridwan kamil")


def test_a_short_form_linked_by_one_article_does_not_join_on_that_link_alone():
    """``Suparno``, a father in a bullying story, is not ``Suparno Jumar``, the activist one article calls
    ``Suparno``."""
    df = rows(
        ("a1", "Suparno Jumar", "Suparno Jumar | Suparno", "Aktivis", None, RIVER, RIVER_TITLE),
        ("a2", "Suparno", None, None, None, BULLYING, "Anaknya Dituding Merundung Teman, Ini Reaksi Suparno"),
    )
    ids = resolve_speakers(df).row_ids.tolist()
    assert ids[1] != ids[0] and ids[1].startswith("suparno~")


def test_a_short_form_linked_by_two_articles_joins_on_the_links():
    df = rows(
        ("a1", "Suparno Jumar", "Suparno Jumar | Suparno", "Aktivis", None, RIVER, RIVER_TITLE),
        ("a3", "Suparno Jumar", "Suparno Jumar | Suparno", "Aktivis", None, RIVER_2, "Relawan Bersihkan Kali"),
        ("a2", "Suparno", None, None, None, BULLYING, "Anaknya Dituding Merundung Teman, Ini Reaksi Suparno"),
    )
    assert SHORT_FORM_LINKS == 2
    ids = resolve_speakers(df).row_ids.tolist()
    assert ids[0] == ids[1] == ids[2] == "suparno-jumar"
    assert merges(df)["Suparno"] == "article short form"


def test_a_short_form_linked_by_one_article_joins_in_an_article_on_the_same_story():
    df = rows(
        ("a1", "Suparno Jumar", "Suparno Jumar | Suparno", "Aktivis", None, RIVER, RIVER_TITLE),
        ("a2", "Suparno", None, None, None, RIVER_2, "Sungai Kalibaru Tertutup Sampah, Warga Gotong Royong"),
        ("a3", "Suparno", None, None, None, BULLYING, "Anaknya Dituding Merundung Teman, Ini Reaksi Suparno"),
    )
    ids = resolve_speakers(df).row_ids.tolist()
    assert ids[0] == ids[1] == "suparno-jumar" and ids[2] != ids[0]
    assert merges(df)["Suparno"] == "short form, same story"


def test_a_nickname_linked_by_one_article_joins_on_that_link():
    """A nickname that is no word of the name (``Emil`` of Ridwan Kamil) is shared by few."""
    df = rows(
        ("a1", "Ridwan Kamil", "Ridwan Kamil | Emil", "Gubernur Jawa Barat", None, RIVER, "Gubernur Jabar"),
        ("a2", "Emil", None, None, None, BULLYING, "Lain Cerita"),
        ("a3", "Kang Emil", None, None, None, RIVER_2, "Kang Emil"),
    )
    ids = resolve_speakers(df).row_ids.tolist()
    assert ids[0] == ids[1] == ids[2] == "ridwan-kamil"
    assert merges(df)["Emil"] == "article alias"


FISH = "Kapal pencuri ikan asing kami tenggelamkan supaya nelayan kita bisa melaut dengan tenang di Natuna"
FISH_2 = "Cantrang merusak dasar laut, nelayan kecil kehilangan ikan dan kepiting di pantai utara Jawa"
HAZE = "Saya mulai sesak dan anak di dalam kandungan berhenti bergerak, akhirnya saya dilarikan ke pengungsian"
BADMINTON = "Atlet bulu tangkis muda harus berlatih keras supaya Indonesia kembali juara dunia"


def susi(*extra: tuple) -> pd.DataFrame:
    """Susi Pudjiastuti, linked to ``Susi`` by two articles, and lone ``Susi`` quotations elsewhere."""
    return rows(
        ("a1", "Susi Pudjiastuti", "Susi Pudjiastuti | Susi", "Menteri Kelautan", None, FISH,
         "Menteri Susi Tenggelamkan Kapal Pencuri Ikan di Natuna"),
        ("a2", "Susi Pudjiastuti", "Susi Pudjiastuti | Susi", "Menteri Kelautan", None, FISH_2,
         "Cantrang Dilarang, Nelayan Pantura Protes"),
        *extra,
    )


HAZE_SUSI = ("a4", "Susi", None, None, None, HAZE, "Hirup Asap, Ibu Hamil di Pekanbaru Dilarikan ke Pengungsian")
FISH_SUSI = ("a5", "Susi", None, None, None, "Jangan pikir laut kita kaya kalau terus dikuras",
             "Kapal Cantrang di Pantura Ditangkap, Nelayan Diminta Lapor")


def test_a_word_of_one_persons_name_joins_on_two_links_anywhere():
    ids = resolve_speakers(susi(HAZE_SUSI)).row_ids.tolist()
    assert ids == ["susi-pudjiastuti"] * 3  # no other Susi in the archive: the links decide


def test_a_word_of_several_peoples_names_needs_more_than_links_from_other_articles():
    """With a second Susi quoted (``Susi Susanti``), a lone ``Susi`` in a haze story is not the minister; one in
    a story of hers (the titles' cosine) and one in a linking article are."""
    df = susi(
        ("a3", "Susi Susanti", None, "Atlet", None, BADMINTON, "Susi Susanti Latih Atlet Muda"),
        HAZE_SUSI,
        FISH_SUSI,
        ("a1", "Susi", None, None, None, FISH_2, "Menteri Susi Tenggelamkan Kapal Pencuri Ikan di Natuna"),
    )
    assert SHARED_WORD_PEOPLE == 2
    ids = resolve_speakers(df).row_ids.tolist()
    assert ids[0] == ids[1] == ids[4] == ids[5] == "susi-pudjiastuti"
    assert ids[2] == "susi-susanti" and ids[3].startswith("susi~")


def test_a_lone_name_with_only_a_generic_role_does_not_join_on_that_role():
    """A DPRD ``Wakil Ketua`` named ``Syarif`` is not the KPK's ``Laode M Syarif`` (``Wakil Ketua`` too); a lone
    ``Syarif`` called ``Wakil Ketua KPK`` is."""
    kpk = "Komisi Pemberantasan Korupsi menolak revisi undang-undang yang melemahkan penyidikan"
    dprd = "Tatib selesai dulu, setelah itu baru dibentuk pansus pemilihan wakil gubernur"
    df = rows(
        ("a1", "Laode M Syarif", None, "Wakil Ketua", None, kpk, "KPK Tolak Revisi"),
        ("a5", "Laode M Syarif", None, "Wakil Ketua KPK", None, kpk, "KPK Tolak Revisi Lagi"),
        ("a2", "Ahmad Syarif", None, "Kepala Desa", None, RIVER, RIVER_TITLE),
        ("a3", "Syarif", None, "Wakil Ketua", "DPRD", dprd, "Pimpinan DPRD Sebut Pembahasan Wagub Dimulai"),
        ("a4", "Syarif", None, "Wakil Ketua KPK", None, kpk, "Pimpinan Bicara Revisi"),
    )
    ids = resolve_speakers(df).row_ids.tolist()
    assert ids[4] == ids[0] == "laode-m-syarif" and ids[3] not in (ids[0], ids[2])
    assert merges(df)["Syarif"] == "short form, by role"
