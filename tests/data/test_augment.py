"""Training documents rewritten to look like other outlets: marks, datelines, leads."""

from __future__ import annotations

import random

from indoquote.data.augment import (
    STYLES,
    AugmentConfig,
    augment_document,
    dequote,
    drop_sentences,
    restyle_marks,
    swap_dateline,
)
from indoquote.text.document import Document

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
    from indoquote.data.build import training_windows, windows_for_split
    from indoquote.model.windows import WindowConfig
    from indoquote.text.labels import get_schema

    schema, window = get_schema("pfsa"), WindowConfig(32, 0)
    plain = windows_for_split([DOC], tiny_tokenizer, schema, window)
    aug = training_windows([DOC], tiny_tokenizer, schema, window, None, AugmentConfig(restyle=1.0), 3)
    assert aug["input_ids"] != plain["input_ids"] and len(aug["labels"][0]) == len(aug["input_ids"][0])


QUOTED = ("Harga naik . ” Kami siap bekerja keras . Kami tidak takut , ” kata Ani . "
          "” Ini berat sekali , ” Ia pergi . Ia bilang ” kami ” cukup , ” tutur Budi .").split()
QUOTED_TAGS = (["O"] * 3 + ["B-STATEMENT"] + ["I-STATEMENT"] * 10 + ["B-CUE", "B-PERSON", "O"]
               + ["B-STATEMENT"] + ["I-STATEMENT"] * 5 + ["O"] * 5
               + ["B-STATEMENT"] + ["I-STATEMENT"] * 5 + ["B-CUE", "B-PERSON", "O"])


def test_dequote_turns_a_quotation_with_a_cue_into_indirect_speech_of_its_cue_sentence():
    doc = Document("q", QUOTED, QUOTED_TAGS, [0, 3, 9, 17, 23, 26])
    assert len(QUOTED) == len(QUOTED_TAGS)
    same, none = dequote(doc, 0.0, random.Random(0))
    assert same is doc and none == []
    new, spans = dequote(doc, 1.0, random.Random(0))
    assert new.tokens[:15] == "Harga naik . Kami siap bekerja keras . Kami tidak takut , kata Ani .".split()
    assert len(new.tags) == len(new.tokens) and new.sentence_starts == [0, 3, 8, 15, 21, 24]
    # the content is the cue's sentence without its comma; the cue is `kata`
    [(a, b, cue)] = spans
    assert new.tokens[a:b] == ["Kami", "tidak", "takut"] and new.tokens[cue[0] : cue[1]] == ["kata"]
    assert set(new.tags[3:12]) == {"O"}  # no longer a direct quotation
    # a quotation with no cue beside it, or with marks inside it, keeps its marks and its tags
    assert new.tokens[15] == "”" and new.tags[15] == "B-STATEMENT"
    assert new.tokens.count("”") == 5 and new.tags[26:32] == ["B-STATEMENT"] + ["I-STATEMENT"] * 5
