"""Span scores shared by training's validation and ``indoquote evaluate``.

- :func:`span_scores`: strict IOB2 span F1 from seqeval (a span counts only with
  exact boundaries and label), per label, micro and macro;
- :func:`quote_scores`: the same after mapping to the compact ``quote`` schema,
  so models trained on either schema compare on one footing;
- :func:`partial_scores`: quotations found with loose boundaries (a quotation
  whose closing mark or a trailing word is missed is still found);
- :func:`attribution_accuracy`: whether the quotations found are given to the
  right speaker, the question the project answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Sequence

from ..text.labels import get_schema, iob2_spans
from ..text.lexicon import PRONOUNS

QUOTE_LABELS: tuple[str, ...] = ("STATEMENT", "QUOTE")
"""Quotation labels of the ``pfsa`` and the ``quote`` schema."""

MIN_OVERLAP = 0.5
"""A predicted quotation must cover at least this share of the gold one's tokens (or characters)."""


def span_scores(gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]]) -> dict:
    """``{"micro_f1", "micro_precision", "micro_recall", "macro_f1", "per_label": {...}}`` in percent."""
    from seqeval.metrics import classification_report
    from seqeval.scheme import IOB2

    if len(gold) != len(pred) or any(len(g) != len(p) for g, p in zip(gold, pred)):
        raise ValueError("gold and predicted sequences differ in number or length")
    report = classification_report(
        [list(g) for g in gold], [list(p) for p in pred], mode="strict", scheme=IOB2, output_dict=True, zero_division=0
    )
    per_label = {
        k: {m: round(100 * float(v[m]), 2) for m in ("precision", "recall", "f1-score")} | {"support": int(v["support"])}
        for k, v in report.items()
        if not k.endswith(" avg")
    }
    for v in per_label.values():
        v["f1"] = v.pop("f1-score")
    micro = report.get("micro avg", {"precision": 0.0, "recall": 0.0, "f1-score": 0.0})
    macro = report.get("macro avg", {"f1-score": 0.0})
    return {
        "micro_f1": round(100 * float(micro["f1-score"]), 2),
        "micro_precision": round(100 * float(micro["precision"]), 2),
        "micro_recall": round(100 * float(micro["recall"]), 2),
        "macro_f1": round(100 * float(macro["f1-score"]), 2),
        "per_label": per_label,
    }


def to_quote_schema(tags: Sequence[str]) -> list[str]:
    """PFSA-ID IOB2 tags in the ``quote`` schema; tags already in that schema pass unchanged."""
    schema = get_schema("quote")
    if all(t == "O" or t[2:] in schema.labels for t in tags):
        return list(tags)
    return schema.convert(tags)


def quote_scores(gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]]) -> dict:
    """:func:`span_scores` after mapping gold and predictions to the ``quote`` schema."""
    return span_scores([to_quote_schema(g) for g in gold], [to_quote_schema(p) for p in pred])


def overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    """Shared length of two ``[start, end)`` ranges."""
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def covers(
    gold: tuple[int, int], pred: tuple[int, int], min_overlap: float = MIN_OVERLAP, longer: bool = False
) -> bool:
    """Does ``pred`` share at least ``min_overlap`` of ``gold``'s length (and at least one unit)?

    With the default 0.5: a 4-token gold span needs 2 shared tokens, a 5-token one 3.
    ``longer`` measures against the longer of the two spans instead (quote-level scoring
    of articles: a prediction twice as long as the quotation does not count).
    """
    shared = overlap(gold, pred)
    base = max(gold[1] - gold[0], pred[1] - pred[0]) if longer else gold[1] - gold[0]
    return shared > 0 and shared >= min_overlap * base


def match_ranges(
    gold: Sequence[tuple[int, int]],
    pred: Sequence[tuple[int, int]],
    min_overlap: float = MIN_OVERLAP,
    longer: bool = False,
) -> dict[int, int]:
    """One-to-one ``{gold index: pred index}`` with the most pairs where ``pred`` covers ``gold``.

    A predicted span covering two gold quotations counts for one of them only;
    the matching is a maximum bipartite matching (augmenting paths), so the
    count does not depend on the order of the spans.
    """
    cands = [[j for j, p in enumerate(pred) if covers(g, p, min_overlap, longer)] for g in gold]
    owner: dict[int, int] = {}  # pred index -> gold index

    def augment(i: int, seen: set[int]) -> bool:
        for j in cands[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(len(gold)):
        augment(i, set())
    return {i: j for j, i in owner.items()}


def prf(matched: int, n_pred: int, n_gold: int) -> dict[str, float]:
    """Precision, recall, F1 in percent (0 where undefined)."""
    p = matched / n_pred if n_pred else 0.0
    r = matched / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(100 * p, 2), "recall": round(100 * r, 2), "f1": round(100 * f, 2)}


def partial_scores(
    gold: Sequence[Sequence[str]],
    pred: Sequence[Sequence[str]],
    labels: Iterable[str] = QUOTE_LABELS,
    min_overlap: float = MIN_OVERLAP,
) -> dict:
    """Partial-overlap P/R/F1 for quotation spans (``STATEMENT`` / ``QUOTE``), in percent.

    Rule: a predicted span matches a gold span of the same label in the same
    sequence when the tokens they share are at least ``min_overlap`` (half) of
    the gold span's tokens; each gold and each predicted span is matched at
    most once (:func:`match_ranges`). Precision = matched / predicted spans,
    recall = matched / gold spans. Returns ``{"precision", "recall", "f1",
    "support", "predicted", "matched", "per_label": {label: same keys}}``;
    ``per_label`` holds only labels that occur.
    """
    if len(gold) != len(pred) or any(len(g) != len(p) for g, p in zip(gold, pred)):
        raise ValueError("gold and predicted sequences differ in number or length")
    wanted = set(labels)
    counts: dict[str, list[int]] = {}  # label -> [matched, predicted, gold]
    for g_tags, p_tags in zip(gold, pred):
        g_spans = [s for s in iob2_spans(g_tags) if s.label in wanted]
        p_spans = [s for s in iob2_spans(p_tags) if s.label in wanted]
        for label in {s.label for s in g_spans + p_spans}:
            g = [(s.start, s.end) for s in g_spans if s.label == label]
            p = [(s.start, s.end) for s in p_spans if s.label == label]
            c = counts.setdefault(label, [0, 0, 0])
            c[0] += len(match_ranges(g, p, min_overlap))
            c[1] += len(p)
            c[2] += len(g)

    def entry(m: int, n_pred: int, n_gold: int) -> dict[str, Any]:
        return prf(m, n_pred, n_gold) | {"support": n_gold, "predicted": n_pred, "matched": m}

    total = [sum(c[k] for c in counts.values()) for k in range(3)]
    return entry(*total) | {"per_label": {lab: entry(*c) for lab, c in sorted(counts.items())}}


# ------------------------------------------------------------------ attribution


def same_speaker(gold: str | None, pred: str | None) -> bool:
    """Do two resolved speaker names name one person?

    Compared case-insensitively with whitespace collapsed; a shorter name also
    matches a longer one that contains it as a run of whole words: the surname
    (``Stoltenberg`` ~ ``Jens Stoltenberg``) and, as Indonesian news refers to
    people, the given or middle name (``Irsan`` ~ ``Irsan Efendi Nasution``,
    ``Ridwan Wittiri`` ~ ``Andi Ridwan Wittiri``). ``None`` never matches.
    """
    if not gold or not pred:
        return False
    a, b = gold.casefold().split(), pred.casefold().split()
    if not a or not b:
        return False
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    return any(long[i : i + len(short)] == short for i in range(len(long) - len(short) + 1))


@dataclass(frozen=True)
class Attribution:
    """Counts behind :func:`attribution_accuracy`."""

    correct: int  # gold quotations found and given to the right speaker
    found: int  # gold quotations with a matching predicted quotation
    total: int  # gold quotations with a resolved speaker (the denominator)
    unattributed: int  # gold quotations without a resolved speaker (left out)

    @property
    def accuracy(self) -> float:
        return round(100 * self.correct / self.total, 2) if self.total else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "accuracy": self.accuracy,
            "correct": self.correct,
            "found": self.found,
            "total": self.total,
            "unattributed": self.unattributed,
        }


def attribution_accuracy(gold_records: Sequence, pred_records: Sequence, min_overlap: float = MIN_OVERLAP) -> dict:
    """Share (percent) of gold quotations whose predicted quotation has the same speaker.

    Records are :class:`indoquote.quotes.records.QuoteRecord`-like objects (``.start``,
    ``.end`` character offsets of the quotation, ``.speaker`` resolved name or
    None), given per document: ``[[records of doc 1], [records of doc 2], ...]``
    (a flat list of records is read as one document). A gold quotation is
    matched to a predicted one covering at least ``min_overlap`` of its
    characters, one-to-one (:func:`match_ranges`), and counts as correct when
    :func:`same_person` holds. Gold quotations with no resolved speaker cannot
    be judged and are left out of the denominator (reported as ``unattributed``).
    Returns :meth:`Attribution.to_json`.
    """
    flat = any(hasattr(r, "start") for r in [*gold_records, *pred_records])
    gold_docs, pred_docs = ([gold_records], [pred_records]) if flat else (list(gold_records), list(pred_records))
    if len(gold_docs) != len(pred_docs):
        raise ValueError(f"{len(gold_docs)} gold documents but {len(pred_docs)} predicted")
    correct = found = total = unattributed = 0
    for g, p in zip(gold_docs, pred_docs):
        pairs = match_ranges([(r.start, r.end) for r in g], [(r.start, r.end) for r in p], min_overlap)
        for i, rec in enumerate(g):
            if not rec.speaker:
                unattributed += 1
                continue
            total += 1
            if i in pairs:
                found += 1
                correct += same_person(rec, p[pairs[i]])
    return Attribution(correct, found, total, unattributed).to_json()


def same_person(gold: Any, pred: Any) -> bool:
    """Is ``pred`` (a record) given to the speaker of ``gold``? By name, or by the gold's own unresolved mention.

    PFSA-ID's gold speaker is read from its tags; where the tags tie the quotation
    only to a title or a short name that no tagged name resolves (``Presiden``,
    ``Mensos Risma``), that text is the gold "name", which the fullest name of
    the person (``Tri Rismaharini``) never matches. Such a gold is met by a
    named speaker whose chosen mention is that same mention: both point at one
    person. Pronouns are not judged so (``dia`` says nothing of whom).
    """
    if same_speaker(gold.speaker, pred.speaker):
        return True
    g, p = getattr(gold, "speaker_mention", None), getattr(pred, "speaker_mention", None)
    unresolved = (
        g is not None and getattr(g, "label", None) == "PERSONCOREF" and gold.speaker == " ".join(g.text.split())
        and g.text.casefold() not in PRONOUNS
    )
    return bool(unresolved and pred.speaker and p is not None and p.start < g.end and g.start < p.end)


def token_label(tag: str) -> str:
    """``B-PERSON``/``I-PERSON`` -> ``PERSON``; ``O`` -> ``O``."""
    return tag[2:] if tag != "O" else "O"


def token_confusion(gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]]) -> dict[str, dict[str, int]]:
    """Token-level ``{gold label: {predicted label: count}}`` (B-/I- ignored, ``O`` included).

    Shows which labels a model mixes up (PERSON read as PERSONCOREF, a quotation
    left as O), which span F1 hides behind one number.
    """
    out: dict[str, dict[str, int]] = {}
    for g_tags, p_tags in zip(gold, pred, strict=True):
        if len(g_tags) != len(p_tags):
            raise ValueError("gold and predicted sequences differ in length")
        for g, p in zip(g_tags, p_tags):
            row = out.setdefault(token_label(g), {})
            row[token_label(p)] = row.get(token_label(p), 0) + 1
    return out
