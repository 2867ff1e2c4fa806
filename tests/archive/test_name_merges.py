"""Merges on the names and the articles' links (``indoquote.archive.name_merges``): a short form linked to a person
by one article only needs more evidence than that link."""

from __future__ import annotations

import pandas as pd

from indoquote.archive.identity import resolve_speakers
from indoquote.archive.name_merges import SHORT_FORM_LINKS, is_short_form

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
