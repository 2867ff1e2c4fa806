"""Strict (same boundaries) and partial (any overlap) span scores of quotations."""

from __future__ import annotations

from indoquote.data.gold import GoldArticle, Quote
from indoquote.scoring.span_match import span_counts, span_scores, trimmed

TEXT = "Budi mengatakan harga beras akan turun bulan depan. Harga cabai juga stabil di pasar, kata Budi."


def at(a: str, b: str) -> tuple[int, int]:
    i = TEXT.index(a)
    return i, TEXT.index(b, i) + len(b)


def test_trimmed_sets_aside_whitespace_and_edge_punctuation():
    a, b = at("harga", "depan.")
    assert TEXT[slice(*trimmed(TEXT, a - 1, b))] == "harga beras akan turun bulan depan"
    assert trimmed(TEXT, 0, 0) == (0, 0)


def test_strict_needs_the_same_words_and_partial_any_shared_one():
    gold = [Quote("indirect", *at("harga", "depan")), Quote("indirect", *at("Harga", "pasar"))]
    pred = [Quote("indirect", *at("harga", "depan.")),  # the full stop is no boundary error
            Quote("indirect", *at("pasar", "Budi"))]  # one shared word: partial only
    assert span_counts(gold, pred, TEXT) == {"gold": 2, "predicted": 2, "strict": 1, "overlap": 2}
    shorter = [Quote("indirect", *at("beras", "depan"))]
    assert span_counts(gold, shorter, TEXT)["strict"] == 0


def test_span_scores_per_kind_leave_out_unjudged_short_predictions():
    art = GoldArticle("a", TEXT, "X", [Quote("indirect", *at("harga", "depan"))])
    pred = {"a": [Quote("indirect", *at("harga", "depan")), Quote("indirect", *at("cabai", "stabil"))]}
    s = span_scores([art], pred, ["indirect", "direct"])
    assert s["indirect"]["strict"] == {"precision": 100.0, "recall": 100.0, "f1": 100.0}  # 3 words: not judged
    assert s["direct"]["gold"] == 0 and s["direct"]["overlap"]["f1"] == 0.0
