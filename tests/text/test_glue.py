"""Glued-word repair (``indoquote.text.glue``): scraped words split again, brands kept, offsets into the original."""

from __future__ import annotations

import pytest

from indoquote.text.articles import article_from_text, tokenize
from indoquote.text.glue import glue_splits, normalize_and_repair, repair_glue
from indoquote.text.normalize import normalize
from indoquote.quotes.attribute import quote_records
from indoquote.quotes.rule_tags import label_article


def test_the_issue_example_splits_and_maps_back():
    text = "MenteriKeuanganSri Mulyanimenegaskan"
    n = normalize_and_repair(text)
    assert n.text == "Menteri Keuangan Sri Mulyani menegaskan" and n.glued == 2 and n.changed
    spans = [(t.text, n.span(t.start, t.end)) for t in tokenize(n.text)]
    assert [(w, text[a:b]) for w, (a, b) in spans] == [(w, w) for w, _ in spans]  # each word is itself in the original
    assert [s for _, s in spans] == [(0, 7), (7, 15), (15, 18), (19, 26), (26, 36)]


@pytest.mark.parametrize(
    "glued, split",
    [  # seen in real scraped news (data/dev-articles, data/unlabelled) or of the issue's kind
        ("anggotaDPRDdikaji", "anggota DPRD dikaji"),
        ("wargaTimor", "warga Timor"),
        ("dariAFP", "dari AFP"),
        ("KetuaKPUMochammad", "Ketua KPU Mochammad"),
        ("mengutipReader", "mengutip Reader"),
        ("TVmalam", "TV malam"),
        ("KPKMenetapkan", "KPK Menetapkan"),
        ("Titomengatakan", "Tito mengatakan"),
        ("PresidenJokowimengatakan", "Presiden Jokowi mengatakan"),
        ("diamengatakan", "dia mengatakan"),
    ],
)
def test_glued_words_are_split(glued: str, split: str):
    assert normalize_and_repair(glued).text == split


@pytest.mark.parametrize(
    "word",
    [  # brands, outlets and parties written in camel case in the same real articles, and plain long words
        "YouTube", "NasDem", "MotoGP", "KontraS", "detikJateng", "detikNews", "McLaren", "TikTok", "WhatsApp",
        "iPhone", "KompasTV", "CommuterLine", "JakTirta", "BidHumas", "tvOneNews", "EoDB", "LinkedIn",
        "mengatakannya", "pemerintahan", "Suryadharma", "SriMulyani",
    ],
)
def test_words_as_they_should_be_stay_whole(word: str):
    assert glue_splits(word) == [] and normalize_and_repair(word).text == word


def test_clean_text_is_left_alone():
    text = "Menteri Keuangan Sri Mulyani menegaskan, kata dia."
    n = normalize_and_repair(text)
    assert n.text is text and n.glued == 0 and not n.changed


def test_repair_composes_with_invisible_characters():
    text = "Menteri\u200dKeuangan\u00adSri Mulyani\u200bmenegaskan"  # glue hidden behind invisible characters
    n = repair_glue(normalize(text))
    assert n.text == "Menteri Keuangan Sri Mulyani menegaskan"
    words = {t.text: text[slice(*n.span(t.start, t.end))] for t in tokenize(n.text)}
    assert words == {"Menteri": "Menteri", "Keuangan": "Keuangan", "Sri": "Sri", "Mulyani": "Mulyani",
                     "menegaskan": "menegaskan"}
    assert len(n.to_original) == len(n.text) + 1 and list(n.to_original) == sorted(n.to_original)


def test_a_glued_speaker_is_still_named():
    """The rules (the same records layer the tagger uses) find Sri Mulyani once the glue is repaired."""
    text = "“Harga naik,” kata MenteriKeuanganSri Mulyani di Jakarta."
    n = normalize_and_repair(text)
    art = article_from_text(n.text, "t")
    [rec] = quote_records(n.text, art.tokens, label_article(art), art.sentence_starts)
    assert rec.speaker == "Sri Mulyani"
    a, b = n.span(rec.speaker_mention.start, rec.speaker_mention.end)
    assert text[a:b] == "Sri Mulyani"


def test_the_tagger_counts_and_reports_offsets_into_the_original(tiny_checkpoint):
    from indoquote import QuoteTagger

    tagger = QuoteTagger.from_pretrained(tiny_checkpoint, precision="fp32")
    text = "Kata MenteriKeuanganSri Mulyanimenegaskan hal itu."
    art = tagger.tag(text)
    assert tagger.glued_words == 2
    assert [t.text for t in art.tokens][:6] == ["Kata", "Menteri", "Keuangan", "Sri", "Mulyani", "menegaskan"]
    assert all(text[t.start : t.end] == t.text for t in art.tokens)
    tagger.repair_glue = False
    assert "MenteriKeuanganSri" in [t.text for t in tagger.tag(text).tokens] and tagger.glued_words == 2
