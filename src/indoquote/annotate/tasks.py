"""Label Studio tasks from quote-level gold (annotations) or from a model's quote records (predictions).

A task is ``{"data": {"id", "text", "meta"}, "annotations"|"predictions": [{"result": [...]}]}``.
Every span is one region (``labels``) with character offsets into ``data.text`` (Python string
indices, as the gold's); a span two quotations share (one cue for ``"A," kata X. "B."``) is one
region with two relations. Region ids are fixed by position (``q3``, ``c0``...), so exporting the
same thing twice gives the same file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

from ..quotes.records import QuoteRecord
from .label_config import (AFFILIATION, CUE, FROM_LABELS, LABEL_OF_KIND, QUOTE_FIELDS, REL_CUE, REL_SPEAKER, ROLE,
                           SPEAKER, TO_TEXT)

GOLD_KEYS = ("kind", "start", "end", "text", "cue", "speaker_mention", "speaker", "role", "affiliation")
"""Keys of a gold quotation in the order of ``data/dev-articles`` (``note`` follows when there is one)."""


def span_dict(text: str, start: int, end: int) -> dict:
    return {"start": start, "end": end, "text": text[start:end]}


def record_quote(text: str, rec: QuoteRecord) -> dict:
    """A quote record in the gold format of ``docs/annotation-format.md`` (what accepting its prediction gives)."""
    return {
        "kind": rec.kind,
        "start": rec.start,
        "end": rec.end,
        "text": text[rec.start : rec.end],
        "cue": span_dict(text, rec.cue.start, rec.cue.end) if rec.cue else None,
        "speaker_mention": span_dict(text, rec.speaker_mention.start, rec.speaker_mention.end)
        if rec.speaker_mention else None,
        "speaker": rec.speaker,
        "role": rec.role,
        "affiliation": rec.affiliation,
    }


@dataclass
class _Regions:
    """The result list of one annotation or prediction, regions deduplicated by (label, start, end)."""

    text: str
    result: list[dict] = field(default_factory=list)
    ids: dict[tuple[str, int, int], str] = field(default_factory=dict)
    relations: list[dict] = field(default_factory=list)
    extras: list[dict] = field(default_factory=list)

    def region(self, label: str, start: int, end: int, prefix: str, score: float | None = None) -> str:
        key = (label, start, end)
        if key not in self.ids:
            rid = f"{prefix}{sum(i.startswith(prefix) for i in self.ids.values())}"
            self.ids[key] = rid
            item: dict[str, Any] = {"id": rid, "from_name": FROM_LABELS, "to_name": TO_TEXT, "type": "labels",
                                    "value": {**span_dict(self.text, start, end), "labels": [label]}}
            if score is not None:
                item["score"] = score
            self.result.append(item)
        return self.ids[key]

    def relate(self, a: str, b: str, label: str) -> None:
        self.relations.append({"from_id": a, "to_id": b, "type": "relation", "direction": "right", "labels": [label]})

    def text_box(self, rid: str, name: str, value: str) -> None:
        start, end = next((s, e) for (_, s, e), i in self.ids.items() if i == rid)
        self.extras.append({"id": rid, "from_name": name, "to_name": TO_TEXT, "type": "textarea",
                            "value": {**span_dict(self.text, start, end), "text": [value]}})

    def items(self) -> list[dict]:
        return self.result + self.extras + self.relations


def quote_result(text: str, quotes: Sequence[Mapping[str, Any]], extra_spans: Iterable[tuple[str, int, int]] = (),
                 scores: Sequence[float | None] | None = None) -> list[dict]:
    """The Label Studio ``result`` of gold-format quotations (and of other labelled spans, e.g. roles).

    ``scores`` (one per quotation) become the region scores of the quotations and their mentions.
    """
    r = _Regions(text)
    for k, q in enumerate(quotes):
        score = scores[k] if scores is not None else None
        qid = r.region(LABEL_OF_KIND[q["kind"]], q["start"], q["end"], "q", score)
        if q.get("cue"):
            r.relate(qid, r.region(CUE, q["cue"]["start"], q["cue"]["end"], "c", score), REL_CUE)
        if q.get("speaker_mention"):
            m = q["speaker_mention"]
            r.relate(qid, r.region(SPEAKER, m["start"], m["end"], "s", score), REL_SPEAKER)
        for name in QUOTE_FIELDS:
            if q.get(name) is not None:
                r.text_box(qid, name, q[name])
    for label, start, end in extra_spans:
        r.region(label, start, end, label[0].lower(), None)
    return r.items()


def gold_task(article: Mapping[str, Any]) -> dict:
    """A task whose annotation is a gold line of ``data/dev-articles`` (``{"id", "meta", "text", "quotes"}``)."""
    result = quote_result(article["text"], article["quotes"])
    data = {"id": article["id"], "text": article["text"], "meta": article.get("meta") or {}}
    return {"data": data, "annotations": [{"result": result, "ground_truth": True}]}


TITLE_LABELS = {"ROLE": ROLE, "AFFILIATION": AFFILIATION}


def prediction_task(id: str, text: str, records: Sequence[QuoteRecord], model_version: str,
                    meta: Mapping[str, Any] | None = None) -> dict:
    """A task pre-annotated with a model's quote records: ``predictions`` with ``model_version`` and scores.

    A region's ``score`` is its record's confidence (the linker's probability); records the rules
    attributed carry none. The prediction's score is the lowest of them (how sure the model is of the
    article): Label Studio sorts tasks by it.
    """
    quotes = [record_quote(text, r) for r in records]
    titles = sorted({(TITLE_LABELS[m.label], m.start, m.end)
                     for r in records for m in r.spans if m.label in TITLE_LABELS}, key=lambda t: (t[1], t[2]))
    conf = [r.confidence for r in records]
    result = quote_result(text, quotes, titles, conf)
    known = [c for c in conf if c is not None]
    prediction: dict[str, Any] = {"model_version": model_version, "result": result}
    if known:
        prediction["score"] = min(known)
    return {"data": {"id": id, "text": text, "meta": dict(meta or {})}, "predictions": [prediction]}
