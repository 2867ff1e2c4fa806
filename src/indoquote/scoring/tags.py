"""Scores of one system on gold documents: strict spans, quote schema, partial overlap, attribution, errors.

The gold is PFSA-ID tags over tokens (:class:`indoquote.text.document.Document`). Quote
records are read from PFSA-ID tags by :mod:`indoquote.quotes.records` (a ``quote``-schema
prediction is read back with :func:`as_pfsa`); the rule baseline
(:func:`indoquote.quotes.rule_tags.label_tokens`) is scored the same way.
"""

from __future__ import annotations

import os
import platform
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Mapping, Sequence

from ..data.partial import leave_out, untagged_mask, untagged_quotes
from ..quotes.attribute import attached_tags, records_from_words
from ..text.document import Document
from ..text.labels import LabelSchema, Span, iob2_spans, spans_to_iob2
from ..text.lexicon import PRONOUNS, ROLE_WORDS, cue_label
from .metrics import attribution_accuracy, partial_scores, quote_scores, span_scores

CONTEXT_TOKENS = 10


LONG_SPAN = 30  # spans longer than this are shortened in error reports


def document_records(
    docs: Sequence[Document], tags: Sequence[Sequence[str]], linker=None, states: Sequence[Any] | None = None
) -> list[list]:
    """Quote records per document from PFSA-ID tags; PFSA-ID has no raw text, so tokens are joined by spaces.

    With a ``linker`` (:mod:`indoquote.quotes.linker`) it picks the speakers, else the rules do;
    ``states``: each document's word states for a linker trained with the encoder.
    """
    states = states if states is not None else [None] * len(docs)
    return [records_from_words(list(d.tokens), list(t), linker, s) for d, t, s in zip(docs, tags, states, strict=True)]


def as_pfsa(words: Sequence[str], tags: Sequence[str]) -> list[str]:
    """``quote``-schema tags read back as PFSA-ID, which :mod:`indoquote.quotes.records` resolves speakers from.

    QUOTE -> STATEMENT; SPEAKER -> PERSON when it reads as a name (capitalised,
    not a pronoun or title), else PERSONCOREF; CUE -> CUECOREF for ``katanya``
    forms, else CUE; ROLE and AFFILIATION stay.
    """
    def label(sp: Span) -> str:
        text = list(words[sp.start : sp.end])
        if sp.label == "QUOTE":
            return "STATEMENT"
        if sp.label == "SPEAKER":
            name = text[0][:1].isupper() and not any(w.lower() in PRONOUNS | ROLE_WORDS for w in text)
            return "PERSON" if name else "PERSONCOREF"
        if sp.label == "CUE":
            return "CUECOREF" if len(text) == 1 and cue_label(text[0]) == "CUECOREF" else "CUE"
        return sp.label

    return spans_to_iob2([Span(label(sp), sp.start, sp.end) for sp in iob2_spans(tags)], len(tags))


def score(
    gold: Sequence[Sequence[str]],
    pred: Sequence[Sequence[str]],
    gold_records: Sequence[Sequence],
    pred_records: Sequence[Sequence],
) -> dict:
    """All scores of one system: tags in the scoring schema, quote records per document."""
    return {
        "strict": span_scores(gold, pred),
        "quote": quote_scores(gold, pred),
        "partial": partial_scores(gold, pred),
        "attribution": attribution_accuracy(gold_records, pred_records),
    }


def rule_tags(docs: Sequence[Document]) -> list[list[str]]:
    """The rule baseline's PFSA-ID tags for each document."""
    from ..quotes.rule_tags import label_tokens

    return [label_tokens(list(d.tokens)) for d in docs]


@dataclass(frozen=True)
class SpanError:
    """A gold span the model missed or a span it made up (boundaries or label wrong count as both)."""

    doc_id: str
    kind: str  # "missed" (gold, not predicted exactly) or "spurious" (predicted, not in gold)
    label: str
    start: int  # token offsets in the document, end exclusive
    end: int
    text: str
    context: str  # ~10 tokens either side, the span in [[ ]]
    uncovered: int  # tokens of the span no same-label span on the other side covers: the severity
    nearest: dict | None  # the other side's most-overlapping span {"label", "start", "end"}, any label


def _covered(span: Span, others: Sequence[Span]) -> int:
    return sum(max(0, min(span.end, o.end) - max(span.start, o.start)) for o in others if o.label == span.label)


def _nearest(span: Span, others: Sequence[Span]) -> dict | None:
    best = max(others, key=lambda o: min(span.end, o.end) - max(span.start, o.start), default=None)
    if best is None or min(span.end, best.end) <= max(span.start, best.start):
        return None
    return {"label": best.label, "start": best.start, "end": best.end}


def show_span(tokens: Sequence[str], start: int, end: int) -> str:
    """The span's text, its middle elided when longer than :data:`LONG_SPAN` tokens."""
    words = list(tokens[start:end])
    if len(words) > LONG_SPAN:
        half = LONG_SPAN // 2 - 1
        words = words[:half] + [f"… ({len(words) - 2 * half} tokens) …"] + words[-half:]
    return " ".join(words)


def in_context(tokens: Sequence[str], start: int, end: int, width: int = CONTEXT_TOKENS) -> str:
    left = " ".join(tokens[max(0, start - width) : start])
    right = " ".join(tokens[end : end + width])
    """The span in ``[[ ]]`` with ``width`` tokens either side (``…`` where the document goes on)."""
    before = "… " if start > width else ""
    after = " …" if end + width < len(tokens) else ""
    return f"{before}{left} [[ {show_span(tokens, start, end)} ]] {right}{after}".strip()


def find_errors(
    docs: Sequence[Document], gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]], width: int = CONTEXT_TOKENS
) -> list[SpanError]:
    """Every missed and spurious span, worst first (most uncovered tokens, then longest)."""
    errors = []
    for doc, g_tags, p_tags in zip(docs, gold, pred, strict=True):
        g, p = iob2_spans(g_tags), iob2_spans(p_tags)
        for kind, mine, theirs in (("missed", g, p), ("spurious", p, g)):
            exact = set(theirs)
            for sp in mine:
                if sp in exact:
                    continue
                errors.append(
                    SpanError(
                        doc.doc_id,
                        kind,
                        sp.label,
                        sp.start,
                        sp.end,
                        show_span(doc.tokens, sp.start, sp.end),
                        in_context(doc.tokens, sp.start, sp.end, width),
                        sp.end - sp.start - _covered(sp, theirs),
                        _nearest(sp, theirs),
                    )
                )
    errors.sort(key=lambda e: (-e.uncovered, -(e.end - e.start)))
    return errors


def machine() -> str:
    """Host, OS and accelerator, for the report."""
    import torch

    acc = torch.cuda.get_device_name(0) if torch.cuda.is_available() else f"CPU, {os.cpu_count()} cores"
    software = f"Python {platform.python_version()}, torch {torch.__version__}"
    return f"{platform.node()} ({platform.platform(terse=True)}, {software}, {acc})"


@dataclass
class Evaluation:
    """Scores of one system and what the output files are made of (tags in the scoring schema)."""

    metrics: dict[str, Any]
    docs: Sequence[Document]
    gold: list[list[str]]
    pred: list[list[str]]
    errors: list[SpanError]


def evaluate_tags(
    docs: Sequence[Document],
    pred: Sequence[Sequence[str]],
    schema: LabelSchema,
    pred_schema: LabelSchema | None = None,
    baseline: bool = True,
    about: Mapping[str, Any] | None = None,
    linker=None,
    raw: Sequence[Sequence[str]] | None = None,
    states: Sequence[Any] | None = None,
) -> Evaluation:
    """Score predicted tags (in ``pred_schema``, default ``schema``) against ``docs``' PFSA-ID gold, in ``schema``.

    ``about`` (checkpoint, data, split, command, windows...) heads ``metrics``;
    date, machine and counts are added. Quote records are read from PFSA-ID
    tags: a ``quote``-schema prediction is mapped back with :func:`as_pfsa`.
    With a ``linker``, the model's attribution is the linker's, read from ``raw``
    (the tags before :func:`attached` dropped spans; default ``pred``), and
    ``attribution_rules`` is the rules' on the same tags.
    """
    native = pred_schema or schema
    words = [d.tokens for d in docs]
    gold = [schema.convert(d.tags) for d in docs]
    gold_records = document_records(docs, [d.tags for d in docs])
    if native.name == "pfsa":
        view_pred, pfsa_pred = [schema.convert(t) for t in pred], list(pred)
    else:
        view_pred, pfsa_pred = [list(t) for t in pred], [as_pfsa(w, t) for w, t in zip(words, pred)]
    metrics: dict[str, Any] = dict(about or {})
    metrics.update(
        schema=schema.name,
        checkpoint_schema=native.name,
        documents=len(docs),
        tokens=sum(len(w) for w in words),
        date=datetime.now().astimezone().isoformat(timespec="seconds"),
        machine=machine(),
        model=score(gold, view_pred, gold_records, document_records(docs, pfsa_pred)),
    )
    if linker is not None:
        raw_pfsa = [list(t) if native.name == "pfsa" else as_pfsa(w, t) for w, t in zip(words, raw or pred)]
        metrics["model"]["attribution_rules"] = metrics["model"]["attribution"]
        metrics["model"]["attribution"] = attribution_accuracy(gold_records,
                                                               document_records(docs, raw_pfsa, linker, states))
    systems = {"model": view_pred}
    if baseline:
        rules = rule_tags(docs)
        systems["rules"] = [schema.convert(t) for t in rules]
        metrics["rules"] = score(gold, systems["rules"], gold_records, document_records(docs, rules))
    untagged = [untagged_quotes(d) for d in docs]
    if any(untagged):  # the same scores where the gold is annotated (indoquote.data.partial)
        masks = [untagged_mask(d, q) for d, q in zip(docs, untagged)]
        metrics["untagged"] = {"quotations": sum(map(len, untagged)), "words": sum(sum(m) for m in masks)}
        annotated = leave_out(gold, masks)
        for name, tags in systems.items():
            metrics[name]["strict_annotated"] = span_scores(annotated, leave_out(tags, masks))
    errors = find_errors(docs, gold, view_pred)
    metrics["errors"] = {k: sum(e.kind == k for e in errors) for k in ("missed", "spurious")}
    return Evaluation(metrics, docs, gold, view_pred, errors)


def attached(words: Sequence[Sequence[str]], tags: Sequence[Sequence[str]]) -> list[list[str]]:
    """Each document's tags with attribution spans kept only where a quote record uses them."""
    return [attached_tags(w, t) for w, t in zip(words, tags, strict=True)]
