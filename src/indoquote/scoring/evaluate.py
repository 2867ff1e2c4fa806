"""``indoquote evaluate``: score checkpoints on a data split, side by side with the rule baseline.

    indoquote evaluate checkpoint=DIR data=pfsa_id split=test
    indoquote evaluate checkpoint=[DIR1,DIR2]           # compare, ranked by micro F1
    indoquote evaluate checkpoint=outputs/multirun/X/Y  # compare every run of a sweep

The documents are those of the data config's seeded document split, exactly as
training cut them (the seed comes from the checkpoint's ``indoquote.json``), and
are predicted whole with the windows the checkpoint was trained with
(:mod:`indoquote.model.decode`), so the numbers match training's validation. Scores
come from :mod:`indoquote.scoring.tags`, tables from :mod:`indoquote.scoring.report`. An
output directory keeps ``metrics.json``, ``report.md``, ``predictions.conll``
and ``errors.jsonl`` (read by ``notebooks/error_analysis.ipynb``).
"""

from __future__ import annotations

import json
import logging
import os
import shlex
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any, Mapping, Sequence

from ..config import check_split_ratios
from ..data.corpus import read_predictions, write_predictions
from ..errors import ConfigError, EvaluationError, ModelLoadError
from ..model.checkpoint import check_device, checkpoint_tags, load_checkpoint, load_sidecar
from ..model.decode import predict_words_extra
from ..model.precision import PrecisionChoice, choose_precision, convert
from ..model.resolve import CHECKPOINT_HINT, resolve_checkpoints, split_seed, window_for
from ..model.windows import WindowConfig
from ..quotes.linker import LINKER_CONFIG, LINKER_WEIGHTS, load_linker
from ..tables import rule
from ..text.document import Document
from ..text.labels import LabelSchema, get_schema
from .report import compare_rows, compare_table, quote_report, report_markdown, results_text
from .tags import Evaluation, as_pfsa, attached, evaluate_tags, find_errors

log = logging.getLogger(__name__)

__all__ = [
    "EvaluationError", "as_pfsa", "checkpoint_names", "evaluate_checkpoint", "evaluate_tags", "find_errors",
    "main", "read_predictions", "write_outputs", "write_predictions",
]


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


ALL = "all"
"""``split=all``: every document of the data, no split."""


def load_eval_documents(data_cfg: Mapping[str, Any], split: str, seed: int) -> list[Document]:
    """The documents of one split of a data config (same seeded split as training); ``split="all"``: every one."""
    return eval_documents(data_cfg, split, seed)[0]


def eval_documents(data_cfg: Mapping[str, Any], split: str, seed: int) -> tuple[list[Document], int]:
    """``(documents to score, documents in the data)`` for ``split`` (a split name, or ``all``).

    Split ratios must sum to 1: Hydra merges ``'data.split={test: 1.0}'`` into the
    data config's own ratios, and the "test" split would then be about half the
    file. ``split=all`` is the way to score a whole file.
    """
    from ..data.build import load_documents
    from ..data.build import split as split_documents

    name = data_cfg.get("name")
    if split == ALL:
        docs = load_documents(data_cfg)
        if not docs:
            raise EvaluationError(f"data {name!r} has no documents")
        return docs, len(docs)
    try:
        check_split_ratios(data_cfg.get("split"))
    except ConfigError as e:
        raise EvaluationError(f"{e}; to score every document of the data use split=all") from None
    everything = load_documents(data_cfg)
    splits = split_documents(data_cfg, everything, seed)
    if split not in splits:
        raise EvaluationError(
            f"data {name!r} has no split {split!r} (splits: {', '.join(splits)}); "
            f"pick one with split=NAME, or split=all to score every document"
        )
    if not splits[split]:
        raise EvaluationError(f"split {split!r} of data {name!r} has no documents")
    return splits[split], len(everything)


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
    marks: bool = False,
    precision: str = "fp32",
) -> dict:
    """Predict ``docs`` with a checkpoint and score it (and the rule baseline); returns ``metrics.json``'s content.

    With ``out``, also writes ``metrics.json``, ``report.md``, ``predictions.conll``
    and ``errors.jsonl`` there. ``window`` overrides the checkpoint's saved window
    settings (``None`` keeps them). ``attached_only`` scores attribution spans only
    where a quotation uses them, as the quote records do (:func:`indoquote.quotes.attribute.attached_tags`).
    """
    view = schema if isinstance(schema, LabelSchema) else get_schema(schema)
    path = Path(checkpoint).expanduser()
    native = native_schema(path, checkpoint_tags(path, CHECKPOINT_HINT), view)
    device = check_device(device)
    try:
        ckpt = load_checkpoint(path, check=False)
        linker = load_sidecar(path, LINKER_CONFIG, LINKER_WEIGHTS, load_linker)
    except ModelLoadError as e:
        raise ModelLoadError(f"{e}; {CHECKPOINT_HINT}") from None
    win = window_for(path, window)
    chosen = PrecisionChoice(precision, reason="evaluate's precision setting")
    if precision == "auto":
        chosen = choose_precision(ckpt.model, ckpt.tokenizer, win, str(path), device, batch_size)
    ckpt.model = convert(ckpt.model, chosen.precision)
    start = time.perf_counter()
    words = [d.tokens for d in docs]
    project = linker.project if linker is not None and linker.width else None  # its span vectors, same pass
    pred, states = predict_words_extra(ckpt.model, ckpt.tokenizer, words, win, batch_size, device, progress, project)
    if marks:  # as QuoteTagger does on raw text: quotations snapped to their marks
        from ..model.decode import snap_to_marks
        from ..text.articles import article_from_words

        label = "QUOTE" if "B-QUOTE" in ckpt.tags else "STATEMENT"
        arts = [article_from_words(d.doc_id, d.tokens) for d in docs]
        pred = [snap_to_marks(a.text, a.tokens, p, label) for a, p in zip(arts, pred)]
    raw = pred
    if attached_only:
        pred = attached(words, pred)
    about = {
        "checkpoint": str(path),
        "data": data_name,
        "split": split,
        "windows": asdict(win),
        "attached_only": attached_only,
        "marks": marks,
        "linker": linker is not None,
        "precision": asdict(chosen),
        "seconds": round(time.perf_counter() - start, 2),
        "command": command or f"indoquote evaluate checkpoint={path} data={data_name} split={split} labels={view.name}",
    }
    result = evaluate_tags(docs, pred, view, native, baseline, about, linker, raw, states)
    if out is not None:
        write_outputs(Path(out), result, worst_errors)
    return result.metrics


def write_outputs(out: Path, result: Evaluation, worst_errors: int = 25) -> None:
    """The files of an evaluation directory (see the module docstring), all or none (:mod:`indoquote.atomic`)."""
    from ..atomic import file_set, make_dirs

    make_dirs(out)
    text = json.dumps(result.metrics, indent=2, ensure_ascii=False) + "\n"
    with file_set() as files:
        with files.path(out / "predictions.conll") as tmp:
            write_predictions(tmp, result.docs, result.gold, result.pred)
        with files.open(out / "errors.jsonl") as f:
            f.writelines(json.dumps(asdict(e), ensure_ascii=False) + "\n" for e in result.errors)
        files.write_text(out / "report.md", report_markdown(result.metrics, result.errors, worst_errors))
        files.write_text(out / "metrics.json", text)


def checkpoint_names(paths: Sequence[Path]) -> list[str]:
    """Short unique names: each path relative to the folder all of them share."""
    resolved = [p.resolve() for p in paths]
    root = Path(os.path.commonpath(resolved)) if len(resolved) > 1 else resolved[0].parent
    names = [str(p.relative_to(root)) if p != root else p.name for p in resolved]
    return [n.removesuffix("/best") if names.count(n) == 1 and n.endswith("/best") else n for n in names]


def command_line(cfg: Mapping[str, Any]) -> str:
    """The command as typed: Hydra's task overrides when run from the command line."""
    if cfg.get("command"):
        return str(cfg["command"])
    from hydra.core.hydra_config import HydraConfig

    if HydraConfig.initialized():
        return "indoquote evaluate " + " ".join(shlex.quote(a) for a in HydraConfig.get().overrides.task)
    return f"indoquote evaluate checkpoint={cfg['checkpoint']} data={cfg['data']['name']} split={cfg['split']}"


def default_out(checkpoint: Path, data_name: str, split: str) -> Path:
    return checkpoint / f"eval-{data_name}-{split}"


def rule_quotes(text: str, kinds: Sequence[str] = ("direct",)) -> list:
    """The rule baseline's quotations of a raw article (:func:`indoquote.quotes.rule_tags.label_article`; indirect speech:
    :func:`indoquote.quotes.indirect_rules.indirect_records`)."""
    from ..data.gold import from_records
    from ..quotes.rule_tags import label_article
    from ..text.articles import article_from_text

    art = article_from_text(text, "article")
    art.tags = label_article(art)
    return from_records(_rule_attributed(art, kinds))


def _rule_attributed(t: Any, kinds: Sequence[str]) -> list:
    """A tagged article's quote records with the speakers the rules pick (what the linker is compared with)."""
    from ..quotes.attribute import quote_records
    from ..quotes.indirect_rules import indirect_records

    records = quote_records(t.text, t.tokens, t.tags, t.sentence_starts)
    if "indirect" in kinds:
        records += indirect_records(t.text, t.tokens, t.tags, t.sentence_starts, records)
    return [r for r in records if r.kind in kinds]


def evaluate_quotes(cfg: Mapping[str, Any]) -> dict:
    """``data=dev_articles``: quote-level scores of real articles, model and rules side by side, per outlet."""
    from ..data.build import resolve_files
    from ..data.gold import from_records, read_gold_files, select_part
    from ..pipeline.tagger import QuoteTagger
    from .calibration import calibration_summary
    from .cue_classes import span_and_class_scores
    from .quotes import attribution_by_cause, attribution_errors, confidence_pairs, score_groups, score_quotes
    from .role_scores import score_titles, title_errors

    articles = select_part(read_gold_files(resolve_files(cfg["data"])), str(cfg["data"]["part"]))
    kinds = list(cfg["data"]["kinds"])
    [path] = resolve_checkpoints(cfg["checkpoint"])[:1]
    tagger = QuoteTagger.from_pretrained(path, device=cfg["device"], batch_size=int(cfg["batch_size"]),
                                         precision=str(cfg["precision"]), kinds=kinds)
    start = time.perf_counter()
    tagged = tagger.tag_batch([a.text for a in articles], [a.id for a in articles], progress=bool(cfg["progress"]))
    seconds = round(time.perf_counter() - start, 2)
    systems = {
        "model": {t.id: from_records(t.records) for t in tagged},
        "rules": {a.id: rule_quotes(a.text, kinds) for a in articles},
    }
    if tagger.linker is not None:  # the same tags, attributed by the rules: what the linker adds
        systems["model_rules"] = {t.id: from_records(_rule_attributed(t, kinds)) for t in tagged}
    metrics = {
        "checkpoint": str(path),
        "data": cfg["data"]["name"],
        "articles": len(articles),
        "part": cfg["data"]["part"],
        "command": command_line(cfg),
        "seconds": seconds,
        "linker": tagger.linker is not None,
        "indirect_head": tagger.indirect_head is not None and "indirect" in kinds,
        "precision": asdict(tagger.precision),
        **{name: score_quotes(articles, quotes, kinds) for name, quotes in systems.items()},
        "causes": {name: attribution_by_cause(articles, quotes) for name, quotes in systems.items()},
        **span_and_class_scores(articles, systems, kinds),
        "calibration": {kind: calibration_summary(confidence_pairs(articles, systems["model"], kind)) for kind in kinds},
        "kinds": kinds,
        "titles": {name: score_titles(articles, quotes) for name, quotes in systems.items()},
    }
    if any(a.meta.get("genre") for a in articles):  # data=genre_articles: rows per genre too
        metrics["genres"] = {name: score_groups(articles, quotes, kinds, "genre")
                             for name, quotes in systems.items()}
    out = Path(cfg["out"]).expanduser() if cfg["out"] else default_out(path, metrics["data"], str(metrics["part"] or "all"))
    from ..atomic import file_set, make_dirs

    make_dirs(out)
    text = quote_report(metrics, kinds)
    with file_set() as files:
        files.write_text(out / "report.md", text + "\n")
        files.write_text(out / "metrics.json", json.dumps(metrics, indent=2, ensure_ascii=False) + "\n")
        with files.open(out / "title_errors.jsonl") as f:  # role/affiliation misses of speaker-right quotations
            f.writelines(json.dumps(e, ensure_ascii=False) + "\n" for e in title_errors(articles, systems["model"]))
        with files.open(out / "attribution_errors.jsonl") as f:  # matched quotations given to the wrong person
            f.writelines(json.dumps(e, ensure_ascii=False) + "\n" for e in attribution_errors(articles, systems["model"],
                                                                                          kinds))
    print(text)
    print(f"\nreport: {out / 'report.md'}")
    return metrics


def main(cfg: Mapping[str, Any]) -> dict:
    """Run ``indoquote evaluate`` from a resolved config (``configs/evaluate.yaml``)."""
    if cfg["data"]["source"] == "quotes":
        return evaluate_quotes(cfg)
    schema = get_schema(str(cfg["labels"]["schema"]))
    checkpoints = resolve_checkpoints(cfg["checkpoint"])
    for path in checkpoints:  # fail before hours of prediction, not after
        native_schema(path, checkpoint_tags(path, CHECKPOINT_HINT), schema)
    data_name = str(cfg["data"]["name"])
    split = str(cfg["split"])
    seed = split_seed(checkpoints, cfg["seed"]) if split != ALL else 0
    docs, total = eval_documents(cfg["data"], split, seed)
    scored = f"scored {len(docs)} of {total} documents of data {data_name} (split={split})"
    common = dict(
        docs=docs,
        schema=schema,
        window=cfg["windows"],
        batch_size=int(cfg["batch_size"]),
        device=cfg["device"],
        progress=bool(cfg["progress"]),
        worst_errors=int(cfg["worst_errors"]),
        data_name=data_name,
        split=split,
        command=command_line(cfg),
        attached_only=bool(cfg["attached_only"]),
        marks=bool(cfg["marks"]),
        precision=str(cfg["precision"]),
    )
    out = Path(cfg["out"]).expanduser() if cfg["out"] else None
    if len(checkpoints) == 1:
        target = out or default_out(checkpoints[0], data_name, split)
        metrics = evaluate_checkpoint(checkpoints[0], out=target, **common)
        print(results_text(metrics))
        print(f"\n{scored}\nreport: {target / 'report.md'}")
        return metrics
    names = checkpoint_names(checkpoints)
    results = []
    for name, path in zip(names, checkpoints):
        print(f"evaluating {name} ({path})", flush=True)
        target = out / name.replace(os.sep, "_") if out else default_out(path, data_name, split)
        results.append((name, evaluate_checkpoint(path, out=target, **common)))
    rows = compare_rows(results)
    where = out or Path.cwd()
    from ..atomic import file_set, make_dirs
    from ..safe_text import md_code

    make_dirs(where)
    summary = {"command": common["command"], "data": data_name, "split": split, "schema": schema.name, "ranking": rows}
    with file_set() as files:
        files.write_text(where / "compare.json", json.dumps(summary, indent=2) + "\n")
        files.write_text(where / "compare.md", f"# Checkpoints on {data_name} / {split} ({schema.name} labels)\n\n"
                         f"{md_code(common['command'])}\n\n" + compare_table(rows, markdown=True) + "\n")
    print(f"\n{rule(f'{len(results)} checkpoints on {data_name} / {split}, by micro F1')}\n\n{compare_table(rows)}")
    print(f"\n{scored}\ncomparison: {where / 'compare.md'}")
    return summary
