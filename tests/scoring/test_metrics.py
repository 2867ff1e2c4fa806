"""Span scores: strict (checked against hand counts), quote schema, partial overlap, attribution."""

from __future__ import annotations

import random
from dataclasses import dataclass

import pytest

from indoquote.scoring.metrics import (
    attribution_accuracy,
    covers,
    match_ranges,
    partial_scores,
    quote_scores,
    same_person,
    same_speaker,
    span_scores,
    to_quote_schema,
    token_confusion,
)
from indoquote.text.labels import get_schema

# Two documents.
# gold spans: doc1 PERSON 0-2, CUE 3, STATEMENT 5-8; doc2 PERSON 0, CUECOREF 2      -> 5
# pred spans: doc1 PERSON 0-2, CUE 3, STATEMENT 5-7 (one token short);
#             doc2 PERSONCOREF 0 (wrong label), CUECOREF 2                          -> 5
# exact matches: PERSON (doc1), CUE, CUECOREF = 3  ->  P = R = F1 = 3/5 = 60.00
# per label: PERSON P 1/1 R 1/2 F1 66.67; CUE 100; CUECOREF 100; STATEMENT 0; PERSONCOREF 0 (support 0)
# macro over the 5 labels seen in gold or pred: (66.67 + 100 + 100 + 0 + 0) / 5 = 53.33
GOLD = [
    ["B-PERSON", "I-PERSON", "O", "B-CUE", "O", "B-STATEMENT", "I-STATEMENT", "I-STATEMENT"],
    ["B-PERSON", "O", "B-CUECOREF"],
]
PRED = [
    ["B-PERSON", "I-PERSON", "O", "B-CUE", "O", "B-STATEMENT", "I-STATEMENT", "O"],
    ["B-PERSONCOREF", "O", "B-CUECOREF"],
]


def test_strict_scores_match_hand_counts():
    s = span_scores(GOLD, PRED)
    assert (s["micro_precision"], s["micro_recall"], s["micro_f1"]) == (60.0, 60.0, 60.0)
    assert s["macro_f1"] == 53.33
    assert s["per_label"]["PERSON"] == {"precision": 100.0, "recall": 50.0, "f1": 66.67, "support": 2}
    assert s["per_label"]["STATEMENT"]["f1"] == 0.0
    assert s["per_label"]["PERSONCOREF"]["support"] == 0
    assert type(s["micro_f1"]) is float


def test_strict_scores_reject_misaligned_input():
    with pytest.raises(ValueError, match="differ"):
        span_scores(GOLD, [PRED[0], PRED[1][:-1]])


def test_quote_schema_merges_labels():
    # quote view: PERSON/PERSONCOREF -> SPEAKER, CUECOREF -> CUE, STATEMENT -> QUOTE.
    # gold: SPEAKER 0-2, CUE 3, QUOTE 5-8, SPEAKER 0, CUE 2 (5); pred the same but QUOTE 5-7.
    # exact: 4 of 5 -> 80.00; macro over CUE 100, QUOTE 0, SPEAKER 100 -> 66.67
    s = quote_scores(GOLD, PRED)
    assert s["micro_f1"] == 80.0
    assert s["macro_f1"] == 66.67
    assert set(s["per_label"]) == {"SPEAKER", "CUE", "QUOTE"}


def test_to_quote_schema_is_the_schema_conversion_and_idempotent():
    tags = ["B-PERSON", "B-PERSONCOREF", "O", "B-ISSUE", "I-ISSUE", "B-CUECOREF", "B-STATEMENT", "I-STATEMENT"]
    once = to_quote_schema(tags)
    assert once == get_schema("quote").convert(tags)
    # adjacent PERSON + PERSONCOREF stay two SPEAKER spans; ISSUE is dropped
    assert once == ["B-SPEAKER", "B-SPEAKER", "O", "O", "O", "B-CUE", "B-QUOTE", "I-QUOTE"]
    assert to_quote_schema(once) == once  # a quote-schema model's tags pass unchanged


@pytest.mark.parametrize(
    ("gold", "pred", "expected"),
    [
        ((0, 4), (2, 4), True),  # 2 of 4 tokens: exactly half
        ((0, 4), (3, 9), False),  # 1 of 4
        ((0, 3), (1, 2), False),  # 1 of 3 < 1.5
        ((0, 3), (1, 5), True),  # 2 of 3
        ((0, 5), (2, 5), True),  # 3 of 5
        ((0, 5), (3, 5), False),  # 2 of 5
        ((0, 1), (0, 1), True),
        ((0, 2), (2, 4), False),  # touching is not overlapping
        ((2, 4), (0, 10), True),  # a prediction covering more still counts (judged on the gold span)
    ],
)
def test_covers_rule(gold, pred, expected):
    assert covers(gold, pred) is expected


def test_matching_is_one_to_one_and_maximal_in_any_order():
    a, b = (0, 6), (6, 8)
    x, y = (0, 3), (3, 8)  # x covers a; y covers a (3 of 6) and b (2 of 2)
    for gold in ([a, b], [b, a]):
        for pred in ([x, y], [y, x]):
            pairs = match_ranges(gold, pred)
            assert len(pairs) == 2
            assert len(set(pairs.values())) == 2
    assert len(match_ranges([(0, 2), (2, 4)], [(0, 4)])) == 1  # one prediction over two quotations


def q(n_before: int, length: int, n_after: int, label: str = "STATEMENT") -> list[str]:
    return ["O"] * n_before + [f"B-{label}"] + [f"I-{label}"] * (length - 1) + ["O"] * n_after


def test_partial_scores():
    gold = [q(0, 4, 6), q(2, 3, 0) + q(0, 2, 0)]
    pred = [
        q(2, 2, 6),  # covers 2 of gold's 4 tokens: match (strict would miss it)
        # one prediction over both gold quotations of doc 2: one match, the other quotation is missed
        ["O", "O", "B-STATEMENT", "I-STATEMENT", "I-STATEMENT", "I-STATEMENT", "I-STATEMENT"],
    ]
    s = partial_scores(gold, pred)
    # 2 matched of 2 predicted and 3 gold: P 100, R 66.67, F1 80
    assert (s["precision"], s["recall"], s["f1"]) == (100.0, 66.67, 80.0)
    assert (s["matched"], s["predicted"], s["support"]) == (2, 2, 3)
    assert span_scores(gold, pred)["micro_f1"] == 0.0
    assert set(s["per_label"]) == {"STATEMENT"}


def test_partial_scores_need_the_same_label():
    gold = [q(0, 3, 0, "STATEMENT") + ["B-CUE"]]
    pred = [q(0, 3, 0, "QUOTE") + ["B-CUE"]]  # CUE is not a quotation label: ignored
    s = partial_scores(gold, pred)
    assert s["matched"] == 0 and s["support"] == 1 and s["predicted"] == 1
    assert partial_scores(pred, pred)["f1"] == 100.0  # QUOTE (quote schema) is scored too


def test_partial_scores_two_halves_count_once():
    gold = [q(0, 4, 0)]
    pred = [["B-STATEMENT", "I-STATEMENT", "B-STATEMENT", "I-STATEMENT"]]  # each half covers 2 of 4
    s = partial_scores(gold, pred)
    assert (s["precision"], s["recall"]) == (50.0, 100.0)


@dataclass
class R:
    """A stand-in for records.QuoteRecord: character offsets and the resolved speaker."""

    start: int
    end: int
    speaker: str | None


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Jens Stoltenberg", "jens  STOLTENBERG", True),
        ("Jens Stoltenberg", "Stoltenberg", True),  # surname = last token of the full name
        ("Stoltenberg", "Jens Stoltenberg", True),
        ("Irsan Efendi Nasution", "Irsan", True),  # Indonesian news names people by a given name too
        ("Andi Ridwan Wittiri", "Ridwan Wittiri", True),
        ("Irsan Efendi Nasution", "Efendi Irsan", False),  # a run of words, in order
        ("Jens Stoltenberg", "Jens Stoltenbergs", False),
        ("Jens Stoltenberg", "Erna Stoltenberg", False),
        ("Joko Widodo", None, False),
        (None, None, False),
    ],
)
def test_same_speaker(a, b, same):
    assert same_speaker(a, b) is same


def test_attribution_accuracy():
    gold = [
        [R(0, 40, "Jens Stoltenberg"), R(50, 90, "Joko Widodo"), R(100, 120, None), R(130, 150, "Retno Marsudi")],
        [R(0, 10, "Sri Mulyani")],
    ]
    pred = [
        [
            R(5, 40, "stoltenberg"),  # covers 35 of 40 chars, surname: correct
            R(50, 60, "Joko Widodo"),  # covers 10 of 40: not found
            R(100, 120, "Someone"),  # gold has no speaker: not judged
            R(130, 150, "Jens Stoltenberg"),  # found, wrong speaker
        ],
        [R(200, 210, "Sri Mulyani")],  # same offsets in another document would match; these do not overlap
    ]
    a = attribution_accuracy(gold, pred)
    # judged: 4 (Stoltenberg, Widodo, Marsudi, Mulyani); correct: 1 -> 25.00
    assert a == {"accuracy": 25.0, "correct": 1, "found": 2, "total": 4, "unattributed": 1}
    flat = attribution_accuracy(gold[0], pred[0])  # a flat list is one document
    assert (flat["correct"], flat["total"]) == (1, 3)
    with pytest.raises(ValueError, match="documents"):
        attribution_accuracy(gold, pred[:1])


def test_unresolved_gold_mention_is_met_by_the_person_it_names():
    from indoquote.quotes.records import Mention, QuoteRecord

    def rec(speaker, mention):
        return QuoteRecord("...", 0, 40, speaker=speaker, speaker_mention=mention)

    title = Mention("Presiden", 50, 58, "PERSONCOREF")  # the gold tags tie the quotation to a title alone
    gold = rec("Presiden", title)
    assert same_person(gold, rec("Joko Widodo", Mention("Presiden", 50, 58, "PERSONCOREF")))  # same mention
    assert same_person(gold, rec("Presiden", None))  # the title as written, as before
    assert not same_person(gold, rec("Joko Widodo", Mention("Jokowi", 90, 96, "PERSON")))  # another mention
    assert not same_person(gold, rec(None, Mention("Presiden", 50, 58, "PERSONCOREF")))  # nobody named
    named = rec("Retno Marsudi", Mention("Retno Marsudi", 50, 63, "PERSON"))  # a resolved gold: by name only
    assert not same_person(named, rec("Joko Widodo", Mention("Retno", 50, 55, "PERSONCOREF")))
    pronoun = rec("dia", Mention("dia", 50, 53, "PERSONCOREF"))  # a pronoun says nothing of whom
    assert not same_person(pronoun, rec("Joko Widodo", Mention("dia", 50, 53, "PERSONCOREF")))
    a = attribution_accuracy([gold], [rec("Joko Widodo", title)])
    assert (a["correct"], a["total"]) == (1, 1)


def test_attribution_documents_are_kept_apart():
    gold = [[R(0, 10, "A B")], []]
    pred = [[], [R(0, 10, "A B")]]
    assert attribution_accuracy(gold, pred)["correct"] == 0


def test_attribution_from_quote_records():
    from indoquote.quotes.attribute import records_from_words

    words = "” Kami siap , ” kata Sekjen NATO Jens Stoltenberg . ” Itu penting , ” ujar Stoltenberg .".split()
    gold = ["B-STATEMENT", "I-STATEMENT", "I-STATEMENT", "I-STATEMENT", "I-STATEMENT", "B-CUE", "B-ROLE",
            "B-AFFILIATION", "B-PERSON", "I-PERSON", "O", "B-STATEMENT", "I-STATEMENT", "I-STATEMENT",
            "I-STATEMENT", "I-STATEMENT", "B-CUE", "B-PERSONCOREF", "O"]  # fmt: skip
    # the model misses the first quotation's closing mark and tags only the surname there
    pred = list(gold)
    pred[4] = "O"
    pred[8], pred[9] = "O", "B-PERSON"
    a = attribution_accuracy([records_from_words(words, gold)], [records_from_words(words, pred)])
    assert a["total"] == 2 and a["found"] == 2 and a["correct"] == 2
    wrong = list(gold)
    wrong[7], wrong[8], wrong[9] = "B-PERSON", "O", "O"  # "NATO" as the speaker: not the person
    wrong[17] = "O"  # second quotation's speaker lost
    a = attribution_accuracy([records_from_words(words, gold)], [records_from_words(words, wrong)])
    assert a["correct"] == 0


def test_token_confusion():
    conf = token_confusion(GOLD, PRED)
    assert conf["STATEMENT"] == {"STATEMENT": 2, "O": 1}
    assert conf["PERSON"] == {"PERSON": 2, "PERSONCOREF": 1}
    assert sum(sum(row.values()) for row in conf.values()) == sum(map(len, GOLD))


def test_random_sequences_strict_never_beats_partial_recall():
    """A span matched exactly is matched partially too: partial recall >= strict recall."""
    rng = random.Random(0)
    tags = ["O", "B-STATEMENT", "I-STATEMENT"]
    for _ in range(50):
        gold = [[rng.choice(tags) for _ in range(12)] for _ in range(3)]
        pred = [[rng.choice(tags) for _ in range(12)] for _ in range(3)]
        gold = [to_quote_schema(g) for g in gold]  # repairs stray I- into valid IOB2
        pred = [to_quote_schema(p) for p in pred]
        strict = span_scores(gold, pred)["per_label"].get("QUOTE", {"recall": 0.0})["recall"]
        assert partial_scores(gold, pred)["recall"] >= strict
