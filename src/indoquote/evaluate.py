"""``indoquote evaluate``: score checkpoints on a data split, side by side with the rule baseline.

    indoquote evaluate checkpoint=DIR data=pfsa_id split=test
    indoquote evaluate checkpoint=[DIR1,DIR2]           # compare, ranked by micro F1
    indoquote evaluate checkpoint=outputs/multirun/X/Y  # compare every run of a sweep

The documents are those of the data config's seeded document split, exactly as
training cut them, and are predicted whole with the windows the checkpoint was
trained with (:mod:`indoquote.predict`), so the numbers match training's
validation. Scores: strict span P/R/F1 per label (seqeval), the same in the
compact ``quote`` schema, partial-overlap quotation F1 and speaker attribution
accuracy (:mod:`indoquote.metrics`), for the model and for
:func:`indoquote.rules.label_tokens`. An output directory keeps
``metrics.json``, ``report.md``, ``predictions.conll`` and ``errors.jsonl``
(read by ``notebooks/error_analysis.ipynb``).
"""

from __future__ import annotations

import json
import os
import platform
import shlex
import sys
import time
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from .corpus import Document
from .labels import LabelSchema, Span, get_schema, iob2_spans, spans_to_iob2
from .metrics import attribution_accuracy, partial_scores, quote_scores, span_scores
from .modeling import ModelLoadError
from .windows import WindowConfig

CONTEXT_TOKENS = 10
LONG_SPAN = 30  # spans longer than this are shortened in error reports
CHECKPOINT_HINT = (
    "pass checkpoint= a model directory (a training run's best/, e.g. outputs/NAME/RUN/best, or a published "
    "model), several separated by commas (checkpoint=[A,B]), or a sweep directory holding such runs"
)


class EvaluationError(ValueError):
    """An evaluation that cannot run (no such split, no documents), with what to do."""


# --------------------------------------------------------------- checkpoints


def resolve_checkpoints(spec: str | os.PathLike | Sequence[str | os.PathLike]) -> list[Path]:
    """The checkpoint directories named by ``checkpoint=``.

    Accepts one path, several (a list or a comma-separated string) and sweep
    directories: a run directory stands for its ``best/``, a directory that is
    neither a model nor a run stands for the models and runs directly inside it.
    A path that matches nothing is kept, so loading it reports what is wrong.
    """
    items = [s.strip() for s in spec.split(",")] if isinstance(spec, str) else [str(s) for s in spec]
    out: list[Path] = []
    for item in filter(None, items):
        path = Path(item).expanduser()
        found = _model_dir(path)
        if found is None and path.is_dir():
            children = sorted((c for c in path.iterdir() if c.is_dir()), key=_natural_key)
            found_children = [m for m in map(_model_dir, children) if m is not None]
            if found_children:
                out.extend(found_children)
                continue
        out.append(found or path)
    if not out:
        raise ModelLoadError(f"no checkpoint given; {CHECKPOINT_HINT}")
    return out


def _model_dir(path: Path) -> Path | None:
    if (path / "config.json").is_file():
        return path
    if (path / "best" / "config.json").is_file():
        return path / "best"
    return None


def _natural_key(path: Path) -> tuple:
    """Sweep job folders ``0, 1, ..., 10`` in numeric order."""
    return (0, int(path.name), "") if path.name.isdigit() else (1, 0, path.name)


def checkpoint_tags(path: str | os.PathLike) -> list[str]:
    """The tags a checkpoint predicts, from its ``config.json`` (cheap: no weights loaded)."""
    p = Path(path).expanduser()
    if not p.is_dir():
        raise ModelLoadError(f"checkpoint {p}: no such directory; {CHECKPOINT_HINT}")
    config = p / "config.json"
    if not config.is_file():
        raise ModelLoadError(f"checkpoint {p}: not a model directory (no config.json); {CHECKPOINT_HINT}")
    try:
        id2label = json.loads(config.read_text(encoding="utf-8"))["id2label"]
        return [id2label[str(i)] for i in range(len(id2label))]
    except (ValueError, KeyError, TypeError) as e:
        raise ModelLoadError(
            f"checkpoint {p}: config.json has no usable id2label ({type(e).__name__}: {e}); "
            "it is not a token-classification checkpoint of this project"
        ) from None


def native_schema(path: str | os.PathLike, tags: Sequence[str], schema: LabelSchema) -> LabelSchema:
    """The schema a checkpoint was trained with, checked to be scorable in ``schema``.

    A checkpoint fits when it predicts ``schema``'s tags, or PFSA-ID tags that
    ``schema.convert`` maps (a ``pfsa`` model scored with ``labels=quote``).
    """
    pfsa = get_schema("pfsa")
    if list(tags) == schema.tags:
        return schema
    if list(tags) == pfsa.tags:
        return pfsa
    own = next((s.name for s in map(get_schema, ("pfsa", "quote")) if s.tags == list(tags)), None)
    labels = sorted({t[2:] for t in tags if t != "O"})
    what = f"evaluate it with labels={own}" if own else "train a checkpoint with labels=pfsa or labels=quote"
    raise ModelLoadError(
        f"checkpoint {Path(path)}: its labels {labels} do not fit labels={schema.name} "
        f"({', '.join(schema.labels)}); {what}"
    )


def window_for(checkpoint: str | os.PathLike, override: Mapping[str, Any] | WindowConfig | None = None) -> WindowConfig:
    """The checkpoint's training windows (``indoquote.json``), each setting overridable."""
    from .train import read_run_info

    if isinstance(override, WindowConfig):
        return override
    saved = read_run_info(checkpoint)["windows"]
    override = override or {}
    pick = {k: int(override[k]) if override.get(k) is not None else int(saved[k]) for k in ("max_length", "stride")}
    return WindowConfig(**pick)


# ---------------------------------------------------------------- documents


def load_eval_documents(data_cfg: Mapping[str, Any], split: str, seed: int) -> list[Document]:
    """The documents of one split of a data config (same seeded split as training)."""
    from .data import load_splits

    splits = load_splits(data_cfg, seed)
    if split not in splits:
        raise EvaluationError(
            f"data {data_cfg.get('name')!r} has no split {split!r} (splits: {', '.join(splits)}); "
            f"pick one with split=NAME or set data.split={{{split}: 1.0}} to evaluate on every document"
        )
    if not splits[split]:
        raise EvaluationError(f"split {split!r} of data {data_cfg.get('name')!r} has no documents")
    return splits[split]


# ------------------------------------------------------------------ scoring


def quote_records(docs: Sequence[Document], tags: Sequence[Sequence[str]]) -> list[list]:
    """Quote records per document from PFSA-ID tags; PFSA-ID has no raw text, so tokens are joined by spaces."""
    from .records import records_from_words

    return [records_from_words(list(d.tokens), list(t)) for d, t in zip(docs, tags, strict=True)]


def as_pfsa(words: Sequence[str], tags: Sequence[str]) -> list[str]:
    """``quote``-schema tags read back as PFSA-ID, which :mod:`indoquote.records` resolves speakers from.

    QUOTE -> STATEMENT; SPEAKER -> PERSON when it reads as a name (capitalised,
    not a pronoun or title), else PERSONCOREF; CUE -> CUECOREF for ``katanya``
    forms, else CUE; ROLE and AFFILIATION stay.
    """
    from .rules import PRONOUNS, ROLE_WORDS, cue_label

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
    from .rules import label_tokens

    return [label_tokens(list(d.tokens)) for d in docs]


# ------------------------------------------------------------------- errors


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


# -------------------------------------------------------------- predictions


@dataclass
class PredictedDocument:
    """One document of ``predictions.conll``: tokens with gold and predicted IOB2 tags."""

    doc_id: str
    tokens: list[str]
    gold: list[str]
    pred: list[str]
    sentence_starts: list[int]


def write_predictions(
    path: Path, docs: Sequence[Document], gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]]
) -> None:
    """``# doc_id`` then ``TOKEN<TAB>GOLD<TAB>PRED`` lines, a blank line after each sentence."""
    with open(path, "w", encoding="utf-8") as f:
        for doc, g, p in zip(docs, gold, pred, strict=True):
            f.write(f"# {doc.doc_id}\n")
            bounds = list(doc.sentence_starts) + [len(doc.tokens)]
            for a, b in zip(bounds, bounds[1:]):
                if a < b:
                    f.writelines(f"{doc.tokens[i]}\t{g[i]}\t{p[i]}\n" for i in range(a, b))
                    f.write("\n")


def read_predictions(path: str | os.PathLike) -> list[PredictedDocument]:
    """Read :func:`write_predictions`' file back (for the error-analysis notebook)."""
    docs: list[PredictedDocument] = []
    new_sentence = True
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith("# "):
            docs.append(PredictedDocument(line[2:], [], [], [], []))
            new_sentence = True
        elif not line.strip():
            new_sentence = True
        else:
            parts = line.split("\t")
            if len(parts) != 3 or not docs:
                raise ValueError(f"{path}:{n}: expected 'TOKEN<TAB>GOLD<TAB>PRED' after a '# doc_id' line")
            d = docs[-1]
            if new_sentence:
                d.sentence_starts.append(len(d.tokens))
                new_sentence = False
            d.tokens.append(parts[0])
            d.gold.append(parts[1])
            d.pred.append(parts[2])
    return docs


# ------------------------------------------------------------------- tables


def render_table(header: Sequence[str], rows: Sequence[Sequence[Any]], markdown: bool = False, left: int = 1) -> str:
    """Columns aligned for the terminal, or a Markdown table; floats with two decimals.

    The first ``left`` columns (names) are left-aligned, the rest (numbers) right-aligned.
    """
    cells = [[f"{v:.2f}" if isinstance(v, float) else ("" if v is None else str(v)) for v in row] for row in rows]
    text = [i < left for i in range(len(header))]
    if markdown:
        md = ["| " + " | ".join(r) + " |" for r in [list(header), *cells]]
        return "\n".join([md[0], "|" + "|".join("---" if t else "---:" for t in text) + "|", *md[1:]])
    widths = [max(len(str(h)), *(len(r[i]) for r in cells)) for i, h in enumerate(header)]

    def line(r: Sequence[str]) -> str:
        return "  ".join(c.ljust(w) if t else c.rjust(w) for c, w, t in zip(r, widths, text)).rstrip()

    return "\n".join([line(header), "  ".join("-" * w for w in widths)] + [line(r) for r in cells])


def rule(title: str, width: int = 78) -> str:
    """A spaCy-style section title: ``===== title =====``."""
    return f" {title} ".center(width, "=")


PRF_HEADER = ("label", "P", "R", "F1", "rules P", "rules R", "rules F1", "support")


def _prf_rows(model: dict, rules: dict | None, order: Iterable[str]) -> list[list]:
    """Per-label rows then micro and macro, model next to rules (blank without rules)."""
    empty = {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0}
    seen = {**(rules or {}).get("per_label", {}), **model["per_label"]}  # support from gold: same in both
    rows = []
    for lab in (lab for lab in order if lab in seen):
        m, r = model["per_label"].get(lab, empty), (rules or {}).get("per_label", {}).get(lab, empty)
        rows.append([lab, *_prf(m), *(_prf(r) if rules else [None] * 3), seen[lab]["support"]])
    micro = {k: model[f"micro_{k}"] for k in ("precision", "recall", "f1")}
    rules_micro = {k: rules[f"micro_{k}"] for k in ("precision", "recall", "f1")} if rules else None
    support = sum(v["support"] for v in model["per_label"].values())
    rows.append(["micro", *_prf(micro), *(_prf(rules_micro) if rules_micro else [None] * 3), support])
    rows.append(["macro", None, None, model["macro_f1"], None, None, rules["macro_f1"] if rules else None, None])
    return rows


def _prf(d: Mapping[str, float]) -> list[float]:
    return [d["precision"], d["recall"], d["f1"]]


def result_sections(metrics: Mapping[str, Any]) -> list[tuple[str, tuple[str, ...], list[list]]]:
    """``(title, header, rows)`` for each table of a result, shared by the terminal and report.md."""
    model, rules = metrics["model"], metrics.get("rules")
    schema = get_schema(metrics["schema"])
    views = (("strict", schema), ("quote", get_schema("quote")))
    sections = [
        (f"Spans (strict, {view.name} labels)", PRF_HEADER, _prf_rows(model[key], rules and rules[key], view.labels))
        for key, view in views
    ]
    mp, ma = model["partial"], model["attribution"]
    rp, ra = (rules or {}).get("partial", {}), (rules or {}).get("attribution", {})
    sections.append(
        (
            "Quotations: partial overlap (>= half of the gold span) and attribution",
            ("measure", "model", "rules"),
            [
                ["gold quotations", mp["support"], rp.get("support")],
                ["predicted quotations", mp["predicted"], rp.get("predicted")],
                ["partial P", mp["precision"], rp.get("precision")],
                ["partial R", mp["recall"], rp.get("recall")],
                ["partial F1", mp["f1"], rp.get("f1")],
                ["attribution accuracy", ma["accuracy"], ra.get("accuracy")],
                ["  correct / judged", _ratio(ma), _ratio(ra) if ra else None],
            ],
        )
    )
    return sections


def _ratio(attribution: Mapping[str, Any]) -> str:
    return f"{attribution['correct']} / {attribution['total']}"


def _size(metrics: Mapping[str, Any]) -> str:
    return f"{metrics['documents']} documents, {metrics['tokens']:,} tokens"


def results_text(metrics: Mapping[str, Any]) -> str:
    """The terminal summary of one evaluation."""
    head = [
        rule("indoquote evaluate"),
        f"checkpoint   {metrics.get('checkpoint', 'predictions')}",
        f"data         {metrics.get('data')} / {metrics.get('split')}: {_size(metrics)}",
    ]
    if "windows" in metrics:
        head.append(f"windows      max_length={metrics['windows']['max_length']} stride={metrics['windows']['stride']}")
    if "attached_only" in metrics:
        head.append(f"decoding     {ATTACHED_NOTE[bool(metrics['attached_only'])]}")
    body = [f"\n{rule(title)}\n\n{render_table(header, rows)}" for title, header, rows in result_sections(metrics)]
    return "\n".join(head + body)


def report_markdown(metrics: Mapping[str, Any], errors: Sequence[SpanError], worst: int) -> str:
    """``report.md``: how it was run, the tables, the worst errors grouped by label."""
    lines = [
        f"# Evaluation of `{metrics.get('checkpoint', 'predictions')}`",
        "",
        f"- command: `{metrics.get('command', '')}`",
        f"- date: {metrics['date']}",
        f"- machine: {metrics['machine']}",
        f"- data: {metrics.get('data')} / {metrics.get('split')} ({_size(metrics)})",
        f"- labels: {metrics['schema']} (checkpoint trained with {metrics['checkpoint_schema']})",
    ]
    if "windows" in metrics:
        w = metrics["windows"]
        windows = f"max_length={w['max_length']}, stride={w['stride']}"
        lines.append(f"- windows: {windows}; predicted in {metrics['seconds']:.1f} s")
    if "attached_only" in metrics:
        lines.append(f"- decoding: {ATTACHED_NOTE[bool(metrics['attached_only'])]}")
    lines += [
        "",
        "Strict: a span counts only with exact boundaries and label (seqeval, IOB2). Partial: a predicted "
        "quotation counts when it shares at least half of a gold quotation's tokens (one-to-one). Attribution: "
        "share of gold quotations with a resolved speaker whose matched predicted quotation has the same speaker "
        "(a surname matches the full name it ends). Rules: `indoquote.rules.label_tokens`.",
    ]
    for title, header, rows in result_sections(metrics):
        lines += ["", f"## {title}", "", render_table(header, rows, markdown=True)]
    shown = list(errors[:worst])
    lines += ["", f"## Worst errors ({len(shown)} of {len(errors)}; all in errors.jsonl)", ""]
    lines.append("Worst: most tokens that no span of the same label on the other side covers. `[[ ]]` marks the span.")
    order = {lab: i for i, lab in enumerate(get_schema(metrics["schema"]).labels)}
    for label in sorted({e.label for e in shown}, key=lambda lab: (order.get(lab, len(order)), lab)):
        lines += ["", f"### {label}", ""]
        for e in (e for e in shown if e.label == label):
            near = f"; nearest: {e.nearest['label']} {e.nearest['start']}-{e.nearest['end']}" if e.nearest else ""
            where = f"{e.doc_id} tokens {e.start}-{e.end} ({e.uncovered} uncovered{near})"
            lines.append(f"- **{e.kind}** {where}: {e.context}")
    return "\n".join(lines) + "\n"


# ----------------------------------------------------------------- one model


ATTACHED_NOTE = {
    True: "attribution spans kept where a quotation uses them (attached_only=true)",
    False: "every decoded span (attached_only=false)",
}


def machine() -> str:
    """Host, OS and accelerator, for the report."""
    import torch

    acc = torch.cuda.get_device_name(0) if torch.cuda.is_available() else f"CPU, {os.cpu_count()} cores"
    software = f"Python {platform.python_version()}, torch {torch.__version__}"
    return f"{platform.node()} ({platform.platform(terse=True)}, {software}, {acc})"


def evaluate_checkpoint(
    checkpoint: str | os.PathLike,
    docs: Sequence[Document],
    schema: str | LabelSchema = "pfsa",
    window: Mapping[str, Any] | WindowConfig | None = None,
    batch_size: int = 32,
    device: str | None = None,
    progress: bool = False,
    out: str | os.PathLike | None = None,
    worst_errors: int = 25,
    data_name: str = "data",
    split: str = "test",
    command: str | None = None,
    baseline: bool = True,
    attached_only: bool = True,
) -> dict:
    """Predict ``docs`` with a checkpoint and score it (and the rule baseline); returns ``metrics.json``'s content.

    With ``out``, also writes ``metrics.json``, ``report.md``, ``predictions.conll``
    and ``errors.jsonl`` there. ``window`` overrides the checkpoint's saved window
    settings (``None`` keeps them). ``attached_only`` scores attribution spans only
    where a quotation uses them, as the quote records do (:func:`indoquote.records.attached_tags`).
    """
    from .modeling import load_checkpoint
    from .predict import predict_words

    view = schema if isinstance(schema, LabelSchema) else get_schema(schema)
    path = Path(checkpoint).expanduser()
    native = native_schema(path, checkpoint_tags(path), view)
    try:
        tokenizer, model = load_checkpoint(path)
    except ModelLoadError as e:
        raise ModelLoadError(f"{e}; {CHECKPOINT_HINT}") from None
    win = window_for(path, window)
    start = time.perf_counter()
    pred = predict_words(model, tokenizer, [d.tokens for d in docs], win, batch_size, device, progress, attached_only)
    about = {
        "checkpoint": str(path),
        "data": data_name,
        "split": split,
        "windows": asdict(win),
        "attached_only": attached_only,
        "seconds": round(time.perf_counter() - start, 2),
        "command": command or f"indoquote evaluate checkpoint={path} data={data_name} split={split} labels={view.name}",
    }
    result = evaluate_tags(docs, pred, view, native, baseline, about)
    if out is not None:
        write_outputs(Path(out), result, worst_errors)
    return result.metrics


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
) -> Evaluation:
    """Score predicted tags (in ``pred_schema``, default ``schema``) against ``docs``' PFSA-ID gold, in ``schema``.

    ``about`` (checkpoint, data, split, command, windows...) heads ``metrics``;
    date, machine and counts are added. Quote records are read from PFSA-ID
    tags: a ``quote``-schema prediction is mapped back with :func:`as_pfsa`.
    """
    native = pred_schema or schema
    words = [d.tokens for d in docs]
    gold = [schema.convert(d.tags) for d in docs]
    gold_records = quote_records(docs, [d.tags for d in docs])
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
        model=score(gold, view_pred, gold_records, quote_records(docs, pfsa_pred)),
    )
    if baseline:
        rules = rule_tags(docs)
        metrics["rules"] = score(gold, [schema.convert(t) for t in rules], gold_records, quote_records(docs, rules))
    errors = find_errors(docs, gold, view_pred)
    metrics["errors"] = {k: sum(e.kind == k for e in errors) for k in ("missed", "spurious")}
    return Evaluation(metrics, docs, gold, view_pred, errors)


def write_outputs(out: Path, result: Evaluation, worst_errors: int = 25) -> None:
    """The files of an evaluation directory (see the module docstring)."""
    out.mkdir(parents=True, exist_ok=True)
    text = json.dumps(result.metrics, indent=2, ensure_ascii=False) + "\n"
    (out / "metrics.json").write_text(text, encoding="utf-8")
    (out / "report.md").write_text(report_markdown(result.metrics, result.errors, worst_errors), encoding="utf-8")
    write_predictions(out / "predictions.conll", result.docs, result.gold, result.pred)
    with open(out / "errors.jsonl", "w", encoding="utf-8") as f:
        f.writelines(json.dumps(asdict(e), ensure_ascii=False) + "\n" for e in result.errors)


# ------------------------------------------------------------------ compare


def checkpoint_names(paths: Sequence[Path]) -> list[str]:
    """Short unique names: each path relative to the folder all of them share."""
    resolved = [p.resolve() for p in paths]
    root = Path(os.path.commonpath(resolved)) if len(resolved) > 1 else resolved[0].parent
    names = [str(p.relative_to(root)) if p != root else p.name for p in resolved]
    return [n.removesuffix("/best") if names.count(n) == 1 and n.endswith("/best") else n for n in names]


def compare_rows(results: Sequence[tuple[str, Mapping[str, Any]]]) -> list[dict[str, Any]]:
    """One row per checkpoint, best micro F1 first, plus the rule baseline last."""
    rows = [
        {
            "checkpoint": name,
            "path": m["checkpoint"],
            "micro_f1": m["model"]["strict"]["micro_f1"],
            "macro_f1": m["model"]["strict"]["macro_f1"],
            "quote_micro_f1": m["model"]["quote"]["micro_f1"],
            "partial_quote_f1": m["model"]["partial"]["f1"],
            "attribution": m["model"]["attribution"]["accuracy"],
        }
        for name, m in results
    ]
    rows.sort(key=lambda r: -r["micro_f1"])
    first = results[0][1] if results else {}
    if first.get("rules"):
        r = first["rules"]
        rows.append(
            {
                "checkpoint": "(rules)",
                "path": "indoquote.rules",
                "micro_f1": r["strict"]["micro_f1"],
                "macro_f1": r["strict"]["macro_f1"],
                "quote_micro_f1": r["quote"]["micro_f1"],
                "partial_quote_f1": r["partial"]["f1"],
                "attribution": r["attribution"]["accuracy"],
            }
        )
    return rows


COMPARE_HEADER = ("rank", "checkpoint", "micro F1", "macro F1", "quote micro F1", "partial quote F1", "attribution")


def compare_table(rows: Sequence[Mapping[str, Any]], markdown: bool = False) -> str:
    body = [
        [i + 1 if r["checkpoint"] != "(rules)" else "-", r["checkpoint"], r["micro_f1"], r["macro_f1"],
         r["quote_micro_f1"], r["partial_quote_f1"], r["attribution"]]
        for i, r in enumerate(rows)
    ]
    return render_table(COMPARE_HEADER, body, markdown, left=2)


# ---------------------------------------------------------------------- CLI


def command_line(cfg: Mapping[str, Any]) -> str:
    """The command as typed (``cli.run_hydra`` leaves the overrides in ``sys.argv``)."""
    if cfg.get("command"):
        return str(cfg["command"])
    if sys.argv and Path(sys.argv[0]).name == "indoquote-evaluate":
        return "indoquote evaluate " + " ".join(shlex.quote(a) for a in sys.argv[1:])
    return f"indoquote evaluate checkpoint={cfg['checkpoint']} data={cfg['data'].get('name')} split={cfg['split']}"


def default_out(checkpoint: Path, data_name: str, split: str) -> Path:
    return checkpoint / f"eval-{data_name}-{split}"


def main(cfg: Mapping[str, Any]) -> dict:
    """Run ``indoquote evaluate`` from a resolved config (``configs/evaluate.yaml``)."""
    schema = get_schema(str((cfg.get("labels") or {}).get("schema", "pfsa")))
    checkpoints = resolve_checkpoints(cfg["checkpoint"])
    for path in checkpoints:  # fail before hours of prediction, not after
        native_schema(path, checkpoint_tags(path), schema)
    data_name = str(cfg["data"].get("name") or cfg["data"]["source"])
    split = str(cfg.get("split", "test"))
    docs = load_eval_documents(cfg["data"], split, int(cfg.get("seed", 42)))
    common = dict(
        docs=docs,
        schema=schema,
        window=cfg.get("windows"),
        batch_size=int(cfg.get("batch_size", 32)),
        device=cfg.get("device"),
        progress=bool(cfg.get("progress", True)),
        worst_errors=int(cfg.get("worst_errors", 25)),
        data_name=data_name,
        split=split,
        command=command_line(cfg),
        attached_only=bool(cfg.get("attached_only", True)),
    )
    out = Path(cfg["out"]).expanduser() if cfg.get("out") else None
    if len(checkpoints) == 1:
        target = out or default_out(checkpoints[0], data_name, split)
        metrics = evaluate_checkpoint(checkpoints[0], out=target, **common)
        print(results_text(metrics))
        print(f"\nreport: {target / 'report.md'}")
        return metrics
    names = checkpoint_names(checkpoints)
    results = []
    for name, path in zip(names, checkpoints):
        print(f"evaluating {name} ({path})", flush=True)
        target = out / name.replace(os.sep, "_") if out else default_out(path, data_name, split)
        results.append((name, evaluate_checkpoint(path, out=target, **common)))
    rows = compare_rows(results)
    where = out or Path.cwd()
    where.mkdir(parents=True, exist_ok=True)
    summary = {"command": common["command"], "data": data_name, "split": split, "schema": schema.name, "ranking": rows}
    (where / "compare.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    (where / "compare.md").write_text(
        f"# Checkpoints on {data_name} / {split} ({schema.name} labels)\n\n`{common['command']}`\n\n"
        + compare_table(rows, markdown=True) + "\n",
        encoding="utf-8",
    )
    print(f"\n{rule(f'{len(results)} checkpoints on {data_name} / {split}, by micro F1')}\n\n{compare_table(rows)}")
    print(f"\ncomparison: {where / 'compare.md'}")
    return summary
