"""The rule-based silver labeller (``indoquote.quotes.rule_tags``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from indoquote.quotes.rule_tags import cue_label, label_article, label_tokens, main
from indoquote.text.articles import article_from_text, read_jsonl, read_text
from indoquote.text.labels import iob2_spans

SEEDS = Path(__file__).resolve().parents[2] / "data" / "seeds"


def spans_of(words: list[str], tags: list[str]) -> list[tuple[str, str]]:
    return [(s.label, " ".join(words[s.start : s.end])) for s in iob2_spans(tags)]


def label_text(text: str) -> list[tuple[str, str]]:
    art = article_from_text(text, "t")
    return spans_of(art.words, label_article(art))


def only(spans: list[tuple[str, str]], label: str) -> list[str]:
    return [t for lab, t in spans if lab == label]


@pytest.mark.parametrize(
    "word, label",
    [("kata", "CUE"), ("Ujar", "CUE"), ("katanya", "CUECOREF"), ("ucapnya", "CUECOREF"), ("makan", None), ("nya", None)],
)
def test_cue_label(word: str, label: str | None) -> None:
    assert cue_label(word) == label


# ------------------------------------------------------------ the seed


@pytest.fixture(scope="module")
def seed() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    art = read_text(SEEDS / "antara-nato-russia-2021.txt")
    (gold,) = read_jsonl(SEEDS / "antara-nato-russia-2021.jsonl")
    return spans_of(art.words, label_article(art)), spans_of(gold.words, gold.tags)


def test_seed_quotations_cues_and_speaker(seed) -> None:
    found, gold = seed
    assert only(found, "STATEMENT") == only(gold, "STATEMENT")
    assert len(only(found, "STATEMENT")) == 3
    assert only(found, "CUECOREF") == ["katanya", "katanya", "ucapnya"]
    assert ("PERSON", "Jens Stoltenberg") in found
    assert ("ROLE", "Sekjen") in found and ("AFFILIATION", "NATO") in found


def test_seed_scare_quotes_and_indirect_speech_stay_untagged(seed) -> None:
    found, _ = seed
    assert not any('" jalur ganda "' in t or t.startswith('" pejabat') for _, t in found)
    assert only(found, "CUE") == []  # both "kata" in the seed attribute indirect speech
    assert only(found, "PERSONCOREF") == []  # later "Stoltenberg" mentions are indirect speech


def test_seed_span_f1(seed) -> None:
    """Regression guard: only the setting (EVENT ``saat konferensi pers``, DATETIME ``Kamis``) is missed."""
    found, gold = seed
    assert set(found) <= set(gold)
    assert set(gold) - set(found) == {("EVENT", "saat konferensi pers"), ("DATETIME", "Kamis")}


# ---------------------------------------------------------- fixtures


def test_cue_after_quote_and_speakers_person_then_coref() -> None:
    spans = label_text(
        '"Kami siap," kata Menteri Keuangan Sri Mulyani. '
        '"Ini penting," kata Sri Mulyani. "Jalan terus," kata Mulyani. "Benar," kata Presiden.'
    )
    assert only(spans, "CUE") == ["kata"] * 4
    assert only(spans, "ROLE") == ["Menteri Keuangan"]
    assert only(spans, "PERSON") == ["Sri Mulyani"]
    assert only(spans, "PERSONCOREF") == ["Sri Mulyani", "Mulyani", "Presiden"]


def test_speaker_introduced_earlier_is_coref() -> None:
    text = 'Pemilu berjalan.\n\nKetua KPU Hasyim Asy’ari mengatakan, tahapan aman.\n\n"Kami siap," ujar Hasyim.'
    spans = label_text(text)
    assert ("ROLE", "Ketua") in spans and ("AFFILIATION", "KPU") in spans
    assert ("PERSON", "Hasyim Asy’ari") in spans and ("PERSONCOREF", "Hasyim") in spans
    assert ("CUE", "ujar") in spans


def test_quotation_spanning_two_sentences() -> None:
    art = article_from_text('"Kami siap. Kami datang besok," ujarnya.', "t")
    tags = label_article(art)
    (statement,) = [s for s in iob2_spans(tags) if s.label == "STATEMENT"]
    assert art.words[statement.start : statement.end] == ['"', "Kami", "siap", ".", "Kami", "datang", "besok", ",", '"']
    assert any(statement.start < s < statement.end for s in art.sentence_starts)
    assert ("CUECOREF", "ujarnya") in spans_of(art.words, tags)


def test_pfsa_style_marks_same_glyph_both_ways() -> None:
    words = "Bantuan itu penting . ” Saya minta semua jalan . Ini mendesak , ” kata Presiden .".split()
    spans = spans_of(words, label_tokens(words, issue=False))
    assert spans == [
        ("STATEMENT", "” Saya minta semua jalan . Ini mendesak , ”"),
        ("CUE", "kata"),
        ("PERSONCOREF", "Presiden"),
    ]


def test_quotation_spanning_paragraphs() -> None:
    spans = label_text("“Paragraf pertama tanpa penutup.\n\n“Paragraf kedua,” tutur Bima Arya.")
    assert only(spans, "STATEMENT") == ["“ Paragraf pertama tanpa penutup . “ Paragraf kedua , ”"]
    assert ("PERSON", "Bima Arya") in spans


def test_closed_quote_in_previous_paragraph_is_not_joined() -> None:
    spans = label_text('Ia menyebut "jalur ganda" itu.\n\n"Kami siap," katanya.')
    assert only(spans, "STATEMENT") == ['" Kami siap , "']


def test_cue_before_the_quotation() -> None:
    spans = label_text("Dalam pidatonya, kata Presiden Joko Widodo: “Kita harus siap.” Lalu ia pergi.")
    assert only(spans, "STATEMENT") == ["“ Kita harus siap . ”"]
    assert ("CUE", "kata") in spans and ("PERSON", "Joko Widodo") in spans


def test_unattributed_quotes_are_not_statements() -> None:
    spans = label_text('Program itu bertema "Maskermu adalah Vaksinmu" tahun ini.')
    assert only(spans, "STATEMENT") == []


def test_lead_is_issue_after_the_dateline() -> None:
    spans = label_text("JAKARTA, KOMPAS — Pemerintah menambah bantuan sosial pekan ini.\n\nBerikutnya.")
    assert spans == [("ISSUE", "Pemerintah menambah bantuan sosial pekan ini")]


def test_cli_prints_spans(capsys: pytest.CaptureFixture[str]) -> None:
    main([str(SEEDS / "antara-nato-russia-2021.txt")])
    out = capsys.readouterr().out.splitlines()
    assert "PERSON\t136-152\tJens Stoltenberg" in out
    assert sum(line.startswith("STATEMENT\t") for line in out) == 3
