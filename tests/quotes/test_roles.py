"""A person's role and affiliation from all their mentions (issue #33), on hand-tagged articles."""

from __future__ import annotations

import pytest

from indoquote.quotes.records import article_index
from indoquote.quotes.roles import OPENERS, is_role, person_titles
from indoquote.quotes.speakers import find_people
from indoquote.text.articles import article_from_text, spans_to_tags

QUOTE = ' "Kami siap berdialog dengan semua pihak," kata {short}.'


def titles(text: str, spans: list[tuple[str, str]], name: str):
    """The titles of the person called ``name``; ``spans`` are (text, label), each found at its first occurrence."""
    art = article_from_text(text, "t")
    chars = []
    for needle, label in spans:
        at = text.index(needle)
        chars.append({"start": at, "end": at + len(needle), "label": label})
    tags = spans_to_tags(art.tokens, chars, text)
    index = article_index(text, art.tokens, tags, art.sentence_starts)
    people = find_people(text, art.tokens, tags, art.sentence_starts).persons
    [person] = [p for p in people if p.name == name] or [p for p in people if p.name.endswith(name)]
    return person_titles(index, text, person)


@pytest.mark.parametrize(("text", "spans", "name", "role", "affiliation"), [
    # the organisation split off the title
    ("Sekjen NATO Jens Stoltenberg hadir." + QUOTE.format(short="Stoltenberg"),
     [("Sekjen", "ROLE"), ("NATO", "AFFILIATION"), ("Jens Stoltenberg", "PERSON")], "Jens Stoltenberg", "Sekjen", "NATO"),
    ("Ketua DPR RI Puan Maharani hadir." + QUOTE.format(short="Puan"),
     [("Ketua DPR RI", "ROLE"), ("Puan Maharani", "PERSON")], "Puan Maharani", "Ketua", "DPR RI"),
    ("Kapolres Polres Sragen AKBP Petrus Silalahi hadir." + QUOTE.format(short="Petrus"),
     [("Kapolres", "ROLE"), ("Polres Sragen", "AFFILIATION"), ("Petrus Silalahi", "PERSON")], "Petrus Silalahi",
     "Kapolres", "Polres Sragen"),
    ("Kabid Humas Polda Metro Jaya Kombes Pol Yusri Yunus hadir." + QUOTE.format(short="Yusri"),
     [("Kabid Humas Polda Metro Jaya", "ROLE"), ("Yusri Yunus", "PERSON")], "Yusri Yunus", "Kabid Humas",
     "Polda Metro Jaya"),
    # a sub-unit stays in the role, the body it belongs to is the affiliation (untagged: the written title)
    ("Wakil Ketua Komisi VI DPR RI Nurdin Halid hadir." + QUOTE.format(short="Nurdin"),
     [("Nurdin Halid", "PERSON")], "Nurdin Halid", "Wakil Ketua Komisi VI", "DPR RI"),
    # an inline abbreviation is an alias, not part of the role
    ("General Manager (GM) PT Maju Budi Santoso hadir." + QUOTE.format(short="Budi"),
     [("General Manager (GM)", "ROLE"), ("PT Maju", "AFFILIATION"), ("Budi Santoso", "PERSON")], "Budi Santoso",
     "General Manager", "PT Maju"),
    ("Wakil Menteri Pertanian Wamentan Sudaryono hadir." + QUOTE.format(short="Sudaryono"),
     [("Wakil Menteri Pertanian Wamentan", "ROLE"), ("Sudaryono", "PERSON")], "Sudaryono", "Wakil Menteri Pertanian",
     None),
    # a long title is kept whole, even when the tagger marked only its last word
    ("Menteri Koordinator Bidang Perekonomian Airlangga Hartarto hadir." + QUOTE.format(short="Airlangga"),
     [("Perekonomian", "ROLE"), ("Airlangga Hartarto", "PERSON")], "Airlangga Hartarto",
     "Menteri Koordinator Bidang Perekonomian", None),
    ("Menteri Badan Usaha Milik Negara (BUMN) Erick Thohir hadir." + QUOTE.format(short="Erick"),
     [("Erick Thohir", "PERSON")], "Erick Thohir", "Menteri Badan Usaha Milik Negara", None),
    # regional heads keep their region
    ("Gubernur Jawa Barat Ahmad Heryawan hadir." + QUOTE.format(short="Aher"),
     [("Gubernur Jawa Barat", "ROLE"), ("Ahmad Heryawan", "PERSON")], "Ahmad Heryawan", "Gubernur Jawa Barat", None),
    # `(DEN)` alone is no affiliation: expanded from the article
    ("Ketua Dewan Energi Nasional (DEN) Luhut Pandjaitan hadir." + QUOTE.format(short="Luhut"),
     [("Ketua Dewan Energi Nasional", "ROLE"), ("(DEN)", "AFFILIATION"), ("Luhut Pandjaitan", "PERSON")],
     "Luhut Pandjaitan", "Ketua", "Dewan Energi Nasional"),
    # descriptions that are the only role are kept; `mantan` stays in the role
    ("Penyanyi sekaligus aktris Krisdayanti hadir." + QUOTE.format(short="Krisdayanti"),
     [("Penyanyi sekaligus aktris", "ROLE"), ("Krisdayanti", "PERSON")], "Krisdayanti", "Penyanyi sekaligus aktris",
     None),
    ("Mantan terpidana kasus korupsi Angelina Sondakh hadir." + QUOTE.format(short="Angelina"),
     [("Mantan terpidana kasus korupsi", "ROLE"), ("Angelina Sondakh", "PERSON")], "Angelina Sondakh",
     "Mantan terpidana kasus korupsi", None),
    ('"Kami siap berdialog dengan semua pihak," kata Ani, warga Desa Maju.',
     [('"Kami siap berdialog dengan semua pihak,"', "STATEMENT"), ("kata", "CUE"), ("Ani", "PERSON"),
      ("warga", "ROLE")], "Ani", "warga", None),
    ("Mantan Menteri Perdagangan (Mendag) Thomas Lembong hadir." + QUOTE.format(short="Thomas"),
     [("Thomas Lembong", "PERSON")], "Thomas Lembong", "Mantan Menteri Perdagangan", None),
])
def test_convention_cases(text, spans, name, role, affiliation):
    got = titles(text, spans, name)
    assert (got.role, got.affiliation) == (role, affiliation)


def test_a_role_in_the_lead_carries_to_later_quotations_and_short_forms_are_aliases():
    text = ("Menteri Keuangan (Menkeu) Sri Mulyani Indrawati menilai ekonomi kuat.\n\n"
            "Bahkan Sri Mulyani menyebut angka itu. " + QUOTE.format(short="Menkeu"))
    got = titles(text, [("Sri Mulyani Indrawati", "PERSON")], "Sri Mulyani Indrawati")
    assert got.role == "Menteri Keuangan" and got.affiliation is None
    assert got.forms == ("Menteri Keuangan", "Menkeu")  # the forms merged: the report shows them


KNOWN_OPENERS = ["Bahkan", "Selain", "Menurut", "Namun", "Sementara", "Langkah", "Keuangan", "Investasi", "Sedangkan",
                 "Adapun", "Kemudian", "Meski", "Saat", "Ketika", "Sebelumnya", "Terkait", "Dalam", "Untuk", "Kata",
                 "Hal", "Padahal", "Karena", "Sehingga", "Di", "Dari", "Kepada"]
"""Words the issue found as roles (and their kin): sentence openers, prepositions and fragments of a title."""


@pytest.mark.parametrize("word", KNOWN_OPENERS)
def test_no_sentence_opener_or_fragment_can_be_a_role(word):
    assert not is_role(word) and not is_role(word.lower())
    text = f"{word} Sri Mulyani hadir di Jakarta." + QUOTE.format(short="Sri Mulyani")
    for spans in ([(word, "ROLE"), ("Sri Mulyani", "PERSON")], [("Sri Mulyani", "PERSON")], []):
        got = titles(text, spans, "Sri Mulyani")
        assert got.role is None, (word, spans)


def test_openers_are_function_words_not_titles():
    assert {"bahkan", "selain", "menurut", "namun", "sementara", "langkah"} <= OPENERS
    assert is_role("Menteri Keuangan") and is_role("warga") and is_role("Pelatih") and is_role("pengamat ekonomi")
    assert not is_role(None) and not is_role("") and not is_role("Menurut ,")
