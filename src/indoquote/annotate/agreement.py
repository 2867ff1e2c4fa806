"""Inter-annotator agreement on a Label Studio export: span F1 and attribution agreement, per label.

Every pair of (non-skipped) annotations of the same task is compared. Span F1 per label counts a
span as agreed when both drew it with the same label and the same offsets (F1 = 2 * agreed /
(spans of one + spans of the other), summed over pairs). Attribution agreement, per kind of
quotation, is over the quotations both marked (matched as ``indoquote evaluate`` matches them:
sharing at least half of the longer span, one to one): the share given the same speaker
(:func:`indoquote.scoring.metrics.same_speaker`; both empty counts as agreeing). Annotations with tool
errors still count here: agreement is measured on what people drew.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations
from typing import Any, Mapping, Sequence

from ..scoring.metrics import match_ranges, same_speaker
from ..tables import render_table
from .ingest import annotation_quotes
from .label_config import KIND_OF, LABELS


@dataclass
class Agreement:
    tasks: int = 0  # tasks with at least two annotations
    pairs: int = 0
    spans: dict[str, dict[str, int]] = field(default_factory=dict)  # label -> {"a", "b", "agreed"}
    attribution: dict[str, dict[str, int]] = field(default_factory=dict)  # kind -> {"matched", "same_speaker"}
    annotators: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "tasks": self.tasks,
            "pairs": self.pairs,
            "annotators": self.annotators,
            "span_f1": {lab: {**c, "f1": f1(c)} for lab, c in self.spans.items()},
            "attribution": {k: {**c, "agreement": share(c)} for k, c in self.attribution.items()},
        }


def f1(c: Mapping[str, int]) -> float:
    total = c["a"] + c["b"]
    return round(100 * 2 * c["agreed"] / total, 2) if total else 0.0


def share(c: Mapping[str, int]) -> float:
    return round(100 * c["same_speaker"] / c["matched"], 2) if c["matched"] else 0.0


def annotator(annotation: Mapping[str, Any]) -> str:
    who = annotation.get("completed_by")
    if isinstance(who, dict):
        who = who.get("email") or who.get("id")
    return str(who if who is not None else f"annotation {annotation.get('id')}")


def agreement(tasks: Sequence[Mapping[str, Any]]) -> Agreement:
    out = Agreement(spans={lab: {"a": 0, "b": 0, "agreed": 0} for lab in LABELS},
                    attribution={k: {"matched": 0, "same_speaker": 0} for k in KIND_OF.values()})
    people: set[str] = set()
    for task in tasks:
        text = (task.get("data") or {}).get("text")
        done = [a for a in task.get("annotations") or [] if not a.get("was_cancelled")]
        if len(done) < 2 or not isinstance(text, str):
            continue
        out.tasks += 1
        read = []
        for a in done:
            quotes, regions = annotation_quotes(text, a.get("result") or [], [])
            read.append((quotes, {(r.label, r.start, r.end) for r in regions}))
            people.add(annotator(a))
        for (qa, sa), (qb, sb) in combinations(read, 2):
            out.pairs += 1
            for lab, c in out.spans.items():
                a = {s for s in sa if s[0] == lab}
                b = {s for s in sb if s[0] == lab}
                c["a"] += len(a)
                c["b"] += len(b)
                c["agreed"] += len(a & b)
            for kind, c in out.attribution.items():
                ka = [q for q in qa if q["kind"] == kind]
                kb = [q for q in qb if q["kind"] == kind]
                pairs = match_ranges([(q["start"], q["end"]) for q in ka], [(q["start"], q["end"]) for q in kb], 0.5,
                                     longer=True)
                c["matched"] += len(pairs)
                c["same_speaker"] += sum(
                    (not ka[i]["speaker"] and not kb[j]["speaker"]) or same_speaker(ka[i]["speaker"], kb[j]["speaker"])
                    for i, j in pairs.items()
                )
    out.annotators = sorted(people)
    return out


def agreement_table(result: Agreement) -> str:
    rows = [[lab, c["a"] + c["b"], c["agreed"], f"{f1(c):.2f}"] for lab, c in result.spans.items()]
    spans = render_table(["label", "spans (both sides)", "agreed", "span F1"], rows)
    rows = [[k, c["matched"], c["same_speaker"], f"{share(c):.2f}"] for k, c in result.attribution.items()]
    attr = render_table(["quotations", "marked by both", "same speaker", "attribution agreement %"], rows)
    head = (f"{result.tasks} tasks annotated more than once, {result.pairs} pairs of annotations, "
            f"{len(result.annotators)} annotators")
    return f"{head}\n\n{spans}\n\n{attr}"

