"""Recall per verb class and scores without the borderline class (hopes, requests, questions, promises, documents)."""

from __future__ import annotations

from indoquote.data.gold import GoldArticle, Quote
from indoquote.scoring.cue_classes import (
    BORDERLINE,
    CLASSES,
    class_recall,
    span_and_class_scores,
    verb_class,
    without_borderline,
)
from indoquote.scoring.quotes import score_quotes

TEXT = ("Budi mengatakan harga beras akan turun bulan depan. Rina berharap pasokan gula cukup sampai akhir tahun. "
        "Menurutnya, stok aman di semua gudang kota. Laporan itu menyebutkan banyak pedagang merugi tahun ini.")


def span(word_a: str, word_b: str, text: str = TEXT) -> tuple[int, int]:
    a = text.index(word_a)
    return a, text.index(word_b, a) + len(word_b)


def q(content: tuple[str, str], cue: str, speaker: str, kind: str = "indirect") -> Quote:
    c = TEXT.index(cue)
    return Quote(kind, *span(*content), speaker, (c, c + len(cue)))


GOLD = [q(("harga", "depan"), "mengatakan", "Budi"), q(("pasokan", "tahun"), "berharap", "Rina"),
        q(("stok", "kota"), "Menurutnya", "Rina"), q(("banyak", "ini"), "menyebutkan", "Laporan itu")]
ART = GoldArticle("a", TEXT, "X", GOLD)


def test_verb_classes_of_cues_as_written():
    assert verb_class("mengatakan") == verb_class("katanya") == verb_class("Ujarnya") == "say"
    assert verb_class("Menurutnya") == verb_class("menurut") == "menurut"
    assert verb_class("berharap") == "hope/wish" and verb_class("berjanji") == "promise"
    assert {verb_class(v) for v in ("menuduh", "mendesak", "meminta")} == {"accuse/urge/request"}
    assert verb_class("menanyakan") == verb_class("bertanya") == "question"
    assert verb_class("tak menampik") == verb_class("memprediksi") == verb_class(None) == "other"
    assert verb_class("menyebutkan", "Laporan Bank Dunia") == "document" == verb_class("laporan")
    assert BORDERLINE < set(CLASSES) and "say" not in BORDERLINE and "menurut" not in BORDERLINE


def test_recall_per_class_counts_found_gold_only():
    pred = {"a": [Quote("indirect", *span("harga", "depan")), Quote("indirect", *span("stok", "gudang")),
                  Quote("direct", *span("pasokan", "tahun"))]}  # the wrong kind finds nothing
    r = class_recall([ART], pred)
    assert r["say"] == {"gold": 1, "found": 1, "recall": 100.0}
    assert r["menurut"]["found"] == 1 and r["hope/wish"] == {"gold": 1, "found": 0, "recall": 0.0}
    assert r["document"]["gold"] == 1 and r["promise"]["recall"] is None


def test_without_borderline_drops_the_gold_and_what_overlaps_it_or_has_such_a_cue():
    hope = TEXT.index("berharap")
    pred = {"a": [Quote("indirect", *span("harga", "depan"), "Budi"),
                  Quote("indirect", *span("pasokan", "akhir"), "Rina"),  # overlaps the hope: neither right nor wrong
                  Quote("indirect", *span("Rina", "berharap"), "Rina", (hope, hope + 8)),  # its own cue is a hope
                  Quote("indirect", *span("stok", "kota"), "Budi")]}
    with_all = score_quotes([ART], pred, ["indirect"])["indirect"]["all"]
    arts, kept = without_borderline([ART], pred)
    assert len(arts[0].quotes) == 2 and len(kept["a"]) == 2
    without = score_quotes(arts, kept, ["indirect"])["indirect"]["all"]
    assert (with_all["gold"], with_all["predicted"], with_all["matched"]) == (4, 3, 3)  # 2 words: unjudged
    assert (without["gold"], without["predicted"], without["matched"]) == (2, 2, 2) and without["quote_f1"] == 100.0
    assert without["attribution_accuracy"] == 50.0  # Menurutnya is Rina's, not Budi's


def test_span_and_class_scores_per_system():
    systems = {"model": {"a": [Quote("indirect", *span("harga", "depan"), "Budi")]}, "rules": {}}
    out = span_and_class_scores([ART], systems, ["direct", "indirect"])
    assert out["spans"]["model"]["indirect"]["strict"]["recall"] == 25.0
    assert out["verb_classes"]["rules"]["indirect"]["say"]["found"] == 0
    assert out["without_borderline"]["model"]["indirect"]["all"]["gold"] == 2
    assert "without_borderline" not in span_and_class_scores([ART], systems, ["direct"])
