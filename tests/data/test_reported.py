"""PFSA-ID's direct quotations rewritten as reported speech (never written to disk)."""

from __future__ import annotations

import random

from indoquote.data.reported import FORMS, candidates, rewrite_reported
from indoquote.quotes.indirect_rules import find_indirect
from indoquote.text.articles import article_from_words
from indoquote.text.document import Document

WORDS = ("Harga naik . ” Ini bukan hanya soal harga , tetapi juga soal pasokan , ” kata Menteri Budi Santoso . "
         "” Kami siap , ” ujarnya . ” Stok aman . Gudang penuh , ” katanya .").split()
TAGS = (["O"] * 3 + ["B-STATEMENT"] + ["I-STATEMENT"] * 12 + ["B-CUE", "B-ROLE", "B-PERSON", "I-PERSON", "O"]
        + ["B-STATEMENT"] + ["I-STATEMENT"] * 4 + ["B-CUECOREF", "O"]
        + ["B-STATEMENT"] + ["I-STATEMENT"] * 7 + ["B-CUECOREF", "O"])
DOC = Document("d", WORDS, TAGS, [0, 3, 21, 28])


def rewritten(form: str, seed: int = 0) -> tuple[list[str], list[tuple[int, int, tuple[int, int]]], Document]:
    doc, spans = rewrite_reported(DOC, 1.0, random.Random(seed), forms=[form])
    return doc.tokens, spans, doc


def text(tokens, a, b) -> str:
    return " ".join(tokens[a:b])


def test_only_one_sentence_quotations_with_a_cue_and_a_speaker_after_them():
    found = candidates(DOC)
    assert [(s.start, c.start) for s, c, _ in found] == [(3, 16)]  # "Kami siap" is short; "Stok aman. ..." two sentences


def test_x_mengatakan_and_menurut_x_put_the_speaker_first():
    tokens, [(a, b, cue)], doc = rewritten("verb")
    assert text(tokens, 0, 6) == "Harga naik . Menteri Budi Santoso"
    assert tokens[cue[0]] in {"mengatakan", "menyatakan", "menjelaskan", "menegaskan", "menyebutkan", "mengungkapkan",
                              "bilang", "menuturkan", "menambahkan"}
    assert text(tokens, a, b) == "ini bukan hanya soal harga , tetapi juga soal pasokan"  # no longer opens a sentence
    assert doc.tags[cue[0]] == "B-CUE" and doc.tags[3] == "B-ROLE" and "STATEMENT" not in doc.tags[a][2:]
    tokens, [(a, b, cue)], _ = rewritten("menurut")
    assert text(tokens, 3, a) == "Menurut Menteri Budi Santoso ," and cue == (3, 4)


def test_trailing_and_split_cues_keep_the_content_around_the_cue():
    tokens, [(a, b, cue)], doc = rewritten("trailing")
    assert text(tokens, a, b + 6) == "Ini bukan hanya soal harga , tetapi juga soal pasokan , kata Menteri Budi Santoso ."
    assert "”" not in tokens[a:b] and tokens[cue[0]] == "kata"
    tokens, [(a, b, cue)], doc = rewritten("split")
    assert text(tokens, a, b) == "Ini bukan hanya soal harga , kata Menteri Budi Santoso , tetapi juga soal pasokan"
    art = article_from_words("d", doc.tokens, None, doc.sentence_starts)
    rules = find_indirect(art.tokens, doc.sentence_starts)
    assert (rules[0].a, rules[0].b, rules[0].cue) == (a, b, cue)  # the rules read the split cue the same way


def test_the_rest_of_the_document_is_untouched_and_sentences_move_with_it():
    for form in FORMS:
        tokens, _, doc = rewritten(form)
        assert tokens[-17:] == WORDS[-17:] and doc.tags[-17:] == TAGS[-17:]
        assert len(doc.tokens) == len(doc.tags) and doc.sentence_starts[:2] == [0, 3]
        assert doc.sentence_starts[2:] == [len(tokens) - 17, len(tokens) - 10]
    assert rewrite_reported(DOC, 0.0, random.Random(0)) == (DOC, [])
