"""Training documents rewritten to look like other outlets: marks, datelines, leads."""

from __future__ import annotations

import random

from indoquote.augment import STYLES, AugmentConfig, augment_document, drop_sentences, restyle_marks, swap_dateline
from indoquote.corpus import Document

WORDS = "JAKARTA , KOMPAS — Harga naik . ” Kami siap , ” kata Ani . Ia pergi ke ” pasar ” .".split()
TAGS = (["O"] * 4 + ["B-ISSUE", "I-ISSUE", "O"] + ["B-STATEMENT"] + ["I-STATEMENT"] * 4
        + ["B-CUE", "B-PERSON", "O"] + ["O"] * 7)
DOC = Document("d1", WORDS, TAGS, [0, 7, 15])


def test_restyle_keeps_statements_and_faces_marks_the_right_way():
    for style, (o, c) in STYLES.items():
        new = restyle_marks(DOC, o, c)
        assert new.tags == DOC.tags and len(new.tokens) == len(DOC.tokens)
        assert new.tokens[7] == o and new.tokens[11] == c  # the quotation's opening and closing marks
        assert new.tokens[18] == o and new.tokens[20] == c  # a scare quote outside: paired in turn
    mixed = restyle_marks(DOC, "“", "”", mixed_rng=random.Random(0))
    assert mixed.tokens[7] in {'"', "“"} and mixed.tokens[11] in {'"', "”"}


def test_dateline_swapped_or_dropped_with_tags_and_sentences_moved():
    new = swap_dateline(DOC, ["Jakarta", "(", "ANTARA", ")", "-"])
    assert new.tokens[:6] == ["Jakarta", "(", "ANTARA", ")", "-", "Harga"] and new.tags[5] == "B-ISSUE"
    assert new.sentence_starts == [0, 8, 16] and len(new.tags) == len(new.tokens)
    gone = swap_dateline(DOC, None)
    assert gone.tokens[0] == "Harga" and gone.sentence_starts == [0, 3, 11]


def test_dropping_the_lead_never_cuts_a_quotation():
    assert drop_sentences(DOC, 1).tokens[0] == "”" and drop_sentences(DOC, 1).sentence_starts == [0, 8]
    inside = Document("d2", ["”", "A", ".", "B", "”"], ["B-STATEMENT", "I-STATEMENT", "I-STATEMENT", "I-STATEMENT", "I-STATEMENT"], [0, 3])
    assert drop_sentences(inside, 1) is inside


def test_seeded_per_document_and_off_by_default():
    cfg = AugmentConfig(restyle=1.0, dateline=1.0, drop_lead=0.0, window_lengths=(64, 128))
    assert augment_document(DOC, cfg, 1) == augment_document(DOC, cfg, 1)
    assert augment_document(DOC, AugmentConfig(), 1) == DOC and not AugmentConfig().active
    assert {cfg.window_length(Document(f"d{i}", [], []), 1, 256) for i in range(20)} == {64, 128}


def test_training_windows_use_the_rewritten_documents(tiny_tokenizer):
    from indoquote.data import training_windows, windows_for_split
    from indoquote.labels import get_schema
    from indoquote.windows import WindowConfig

    schema, window = get_schema("pfsa"), WindowConfig(32, 0)
    plain = windows_for_split([DOC], tiny_tokenizer, schema, window)
    aug = training_windows([DOC], tiny_tokenizer, schema, window, None, AugmentConfig(restyle=1.0), 3)
    assert aug["input_ids"] != plain["input_ids"] and len(aug["labels"][0]) == len(aug["input_ids"][0])
