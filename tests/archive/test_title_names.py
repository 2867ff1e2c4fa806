"""A lone name word whose article's title gives it beside another person's name word is kept off the best-known
person; a common word glued before a name joins the name its titles give (``indoquote.archive.title_names``)."""

from __future__ import annotations

import pandas as pd

from indoquote.archive.identity import resolve_speakers
from indoquote.archive.identity_pass import EVIDENCE
from indoquote.archive.title_names import lower_case_words, other_name

COLUMNS = ("article_id", "speaker", "speaker_forms", "role", "affiliation", "quote", "title")
COACH = "Kami akan merotasi pemain saat melawan Brunei, semua pemain harus siap bermain"
SAD = "Yang pasti kita semua sangat sedih dan terpukul dengan kejadian ini"
RACE = "Jadi sangat menarik untuk memahami apakah performa kami lebih kompetitif di sirkuit ini"


def rows(*items: tuple) -> pd.DataFrame:
    return pd.DataFrame([dict(zip(COLUMNS, it)) for it in items], columns=list(COLUMNS))


def coach_rows(title: str) -> list[tuple]:
    """Bima Sakti, linked to ``Bima`` by two articles, and Aryo Wahab, quoted elsewhere; then a lone ``Bima``."""
    return [
        ("c1", "Bima Sakti", "Bima Sakti | Bima", "Pelatih", None, COACH, "Bima Sakti Rotasi Pemain"),
        ("c2", "Bima Sakti", "Bima Sakti | Bima", "Pelatih", None, COACH, "Timnas U-16 Siap"),
        ("w1", "Aryo Wahab", None, None, None, "Film ini sangat seru untuk ditonton", "Aryo Wahab Main Film"),
        ("x1", "Bima", None, None, None, SAD, title),
    ]


def test_the_title_gives_the_word_beside_another_persons_name_word():
    lower = {"pecah", "saat"}
    title = "Tangis Bima Aryo Pecah Saat ART Tewas"
    assert other_name("bima", title, {"bima", "sakti"}, {"aryo"}, lower) == "bima aryo"
    assert other_name("bima", "Tangis Bima Sakti Pecah", {"bima", "sakti"}, {"aryo"}, lower) is None  # his own name
    assert other_name("bima", "Bima Pecah, Aryo Sedih", {"bima", "sakti"}, {"aryo"}, lower) is None  # not beside it
    assert other_name("bima", "Tangis Bima aryo", {"bima", "sakti"}, {"aryo"}, lower) is None  # no capital
    assert other_name("bima", "Tangis Bima Aryo", {"bima", "sakti"}, {"aryo"}, {"aryo"}) is None  # a common word
    assert other_name("klopp", "Jurgen Klopp Senang", {"juergen", "klopp"}, {"jurgen"}, lower) is None  # a spelling
    assert lower_case_words(["Kata Bima, aku sedih", None]) == {"aku", "sedih"}


def test_a_lone_word_the_title_gives_with_another_name_is_kept_off_the_best_known_person():
    ids = resolve_speakers(rows(*coach_rows("Tangis Bima Aryo Pecah Saat ART Tewas"))).row_ids.tolist()
    assert ids[0] == ids[1] == "bima-sakti"
    assert ids[3] != "bima-sakti" and ids[3].startswith("bima~")  # an id of its own story


def test_a_lone_word_whose_title_names_nobody_else_stays_with_the_person():
    ids = resolve_speakers(rows(*coach_rows("Tangis Bima Pecah Saat Laga"))).row_ids.tolist()
    assert ids[3] == "bima-sakti"


def test_an_alias_is_the_persons_wherever_it_stands():
    df = rows(
        ("a1", "Joko Widodo", "Joko Widodo | Jokowi", "Presiden", None, COACH, "Presiden Joko Widodo"),
        ("a2", "Joko Widodo", "Joko Widodo | Jokowi", "Presiden", None, COACH, "Presiden ke Riau"),
        ("w1", "Curigai Santoso", None, None, None, SAD, "Curigai Santoso Menang"),
        ("x1", "Jokowi", None, None, None, SAD, "Jokowi Curigai Pembakaran Terorganisasi"),
    )
    assert resolve_speakers(df).row_ids.tolist()[3] == "joko-widodo"


def test_a_common_word_glued_before_a_name_joins_the_name_the_titles_give():
    df = rows(
        ("a1", "Valentino Rossi", None, "Pembalap", None, RACE, "Valentino Rossi Juara"),
        ("a2", "Performa Rossi", None, None, None, RACE, "Sirkuit Aragon Tak Bersahabat untuk Valentino Rossi"),
        ("a3", "Valentino Rossi", None, "Pembalap", None, "Performa motor kami belum maksimal", "Rossi Kecewa"),
    )
    result = resolve_speakers(df)
    assert result.row_ids.tolist() == ["valentino-rossi"] * 3
    assert {m.evidence for m in result.merges if m.form == "Performa Rossi"} == {"glued word"}
    assert "glued word" in EVIDENCE


def test_a_glued_word_needs_a_common_word_and_the_title():
    df = rows(
        ("a1", "Valentino Rossi", None, "Pembalap", None, RACE, "Valentino Rossi Juara"),
        ("a2", "Performa Rossi", None, None, None, RACE, "Sirkuit Aragon Tak Bersahabat"),  # no full name in it
        ("a3", "Valentino Rossi", None, "Pembalap", None, "Performa motor kami belum maksimal", "Rossi Kecewa"),
        ("b1", "Paolo Rossi", None, None, None, "Sepak bola Italia sedang bangkit", "Legenda Italia"),
        ("b2", "Lorenzo Paolo", None, None, None, SAD, "Lorenzo Paolo Rossi di Sirkuit"),  # paolo: a name word
    )
    ids = resolve_speakers(df).row_ids.tolist()
    assert ids[1] == "performa-rossi" and ids[3] == "paolo-rossi"
