import pytest

from indoquote.errors import TagError
from indoquote.text.labels import (
    PFSA_LABELS,
    Span,
    allowed_transition,
    bilou_to_iob2,
    get_schema,
    iob2_spans,
    iob2_to_bilou,
    map_tags,
    spans_to_iob2,
)

BILOU = ["O", "B-STATEMENT", "I-STATEMENT", "L-STATEMENT", "U-CUE", "B-PERSON", "L-PERSON", "O", "U-CUECOREF"]
IOB2 = ["O", "B-STATEMENT", "I-STATEMENT", "I-STATEMENT", "B-CUE", "B-PERSON", "I-PERSON", "O", "B-CUECOREF"]


def test_bilou_iob2_round_trip():
    iob2, repairs = bilou_to_iob2(BILOU)
    assert iob2 == IOB2
    assert repairs == []
    assert iob2_to_bilou(iob2) == BILOU


def test_adjacent_spans_of_same_label_stay_apart():
    bilou = ["U-PERSON", "B-PERSON", "L-PERSON"]
    iob2, _ = bilou_to_iob2(bilou)
    assert iob2 == ["B-PERSON", "B-PERSON", "I-PERSON"]
    assert iob2_to_bilou(iob2) == bilou


@pytest.mark.parametrize(
    "tags, expected, n_repairs",
    [
        (["O", "I-CUE", "L-CUE"], ["O", "B-CUE", "I-CUE"], 1),  # I- without B-
        (["L-ROLE", "O"], ["B-ROLE", "O"], 1),  # L- without B-
        (["B-PERSON", "I-PERSON", "O"], ["B-PERSON", "I-PERSON", "O"], 1),  # never closed
        (["B-PERSON", "U-CUE"], ["B-PERSON", "B-CUE"], 1),  # U- inside a span closes it
        (["B-ROLE", "I-PERSON", "L-PERSON"], ["B-ROLE", "B-PERSON", "I-PERSON"], 2),  # label switch
    ],
)
def test_broken_sequences_are_repaired_and_counted(tags, expected, n_repairs):
    iob2, repairs = bilou_to_iob2(tags)
    assert iob2 == expected
    assert len(repairs) == n_repairs
    assert all(r.problem for r in repairs)


def test_unknown_label_is_an_error():
    with pytest.raises(TagError, match="unknown label 'SPEAKER'"):
        bilou_to_iob2(["B-SPEAKER"])
    with pytest.raises(TagError, match="malformed tag"):
        bilou_to_iob2(["X-CUE"])


def test_quote_schema_mapping_keeps_adjacent_spans():
    quote = get_schema("quote")
    tags = ["B-STATEMENT", "I-STATEMENT", "B-CUE", "B-PERSON", "B-PERSONCOREF", "B-ISSUE", "B-CUECOREF"]
    assert quote.convert(tags) == ["B-QUOTE", "I-QUOTE", "B-CUE", "B-SPEAKER", "B-SPEAKER", "O", "B-CUE"]
    assert get_schema("pfsa").convert(tags) == tags
    assert len(get_schema("pfsa").tags) == 1 + 2 * len(PFSA_LABELS)
    with pytest.raises(KeyError, match="unknown label schema"):
        get_schema("nope")


def test_spans_and_transitions():
    assert iob2_spans(IOB2) == [Span("STATEMENT", 1, 4), Span("CUE", 4, 5), Span("PERSON", 5, 7), Span("CUECOREF", 8, 9)]
    assert spans_to_iob2(iob2_spans(IOB2), len(IOB2)) == IOB2
    with pytest.raises(TagError, match="overlaps"):
        spans_to_iob2([Span("CUE", 0, 2), Span("PERSON", 1, 3)], 3)
    assert map_tags(["I-CUE"], {"CUE": "CUE"}) == ["B-CUE"]  # stray I- read as a span start
    assert allowed_transition("B-CUE", "I-CUE") and allowed_transition("I-CUE", "I-CUE")
    assert not allowed_transition("O", "I-CUE") and not allowed_transition("B-PERSON", "I-CUE")
