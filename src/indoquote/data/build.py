"""Build the data for a config: documents per split, windowed ``DatasetDict``, stats.

One function per step so training, evaluation and ``indoquote data`` read the
same documents the same way. The windowed dataset is cached on disk under a key
made of the data files' hashes, the label schema, the window config and the
tokenizer's vocabulary, so a changed file or setting never reuses stale data.
"""

from __future__ import annotations

import glob
import hashlib
import json
import logging
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Mapping, Sequence

from ..errors import CorpusError
from ..model.windows import IGNORE, WindowConfig, document_windows, encode_words, long_words, special_frame
from ..tables import render_table
from ..text.document import Document
from ..text.labels import LabelSchema, iob2_spans
from .augment import AugmentConfig, augment_document
from .corpus import ReadStats, download, read_documents, split_documents
from .partial import untagged_mask, untagged_quotes

log = logging.getLogger(__name__)

SOURCES = ("pfsa_id", "conll", "articles", "quotes")  # quotes: quote-level gold, scored by `evaluate` only
FORMAT_VERSION = 2  # bump when windowing or encoding changes, so cached windows are rebuilt


@dataclass
class DataStats:
    """What ``indoquote data`` reports, per split."""

    documents: dict[str, int] = field(default_factory=dict)
    sentences: dict[str, int] = field(default_factory=dict)
    tokens: dict[str, int] = field(default_factory=dict)
    spans: dict[str, dict[str, int]] = field(default_factory=dict)
    windows: dict[str, int] = field(default_factory=dict)
    subwords: dict[str, int] = field(default_factory=dict)
    long_words: int = 0
    untagged_quotes: int = 0  # training quotations the gold left untagged, kept out of training (data.mask_untagged)
    masked_words: int = 0
    repairs: int = 0
    repair_examples: list[str] = field(default_factory=list)
    duplicates_dropped: int = 0
    near_duplicates: int = 0
    files: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def resolve_files(data_cfg: Mapping[str, Any]) -> list[Path]:
    """The input files of a data config; downloads PFSA-ID when asked and not present."""
    source = data_cfg["source"]
    if source not in SOURCES:
        raise ValueError(f"data.source must be one of {SOURCES}, got {source!r}")
    directory = data_cfg.get("dir")
    if source == "pfsa_id" and data_cfg.get("download"):
        return download(data_cfg["upstream_files"], data_cfg.get("cache_dir") or "~/.cache/indoquote/pfsa-id")
    paths: list[Path] = []
    for pattern in data_cfg["files"]:
        full = str(Path(directory).expanduser() / pattern) if directory else str(Path(pattern).expanduser())
        matches = sorted(glob.glob(full))
        if not matches:
            where = f"data.dir={directory!r}" if directory else "the working directory"
            hint = " (set data.dir to the PFSA-ID folder or data.download=true)" if source == "pfsa_id" else ""
            raise FileNotFoundError(f"no data file matches {pattern!r} in {where}{hint}")
        paths.extend(Path(m) for m in matches)
    return paths


def load_documents(data_cfg: Mapping[str, Any], stats: DataStats | None = None) -> list[Document]:
    """All documents of a data config, deduplicated, in file order."""
    stats = stats if stats is not None else DataStats()
    paths = resolve_files(data_cfg)
    stats.files = [str(p) for p in paths]
    if data_cfg["source"] == "articles":
        from ..text.articles import article_to_document, read_jsonl

        docs: list[Document] = []
        for p in paths:
            for art in read_jsonl(p):
                if art.tags is None:
                    raise CorpusError(f"{p}: article {art.id!r} has no span annotation")
                docs.append(article_to_document(art))
        return docs
    read = ReadStats()
    docs = read_documents(paths, read)
    stats.repairs = len(read.repairs)
    stats.repair_examples = [f"{f}:{line}: {problem}" for f, line, problem in read.repairs[:20]]
    stats.duplicates_dropped = read.duplicates
    stats.near_duplicates = read.conflicting_duplicates
    return docs


def split(data_cfg: Mapping[str, Any], docs: Sequence[Document], seed: int) -> dict[str, list[Document]]:
    ratios = dict(data_cfg.get("split") or {"test": 1.0})
    splits = split_documents(docs, ratios, seed)
    if data_cfg.get("fold") is not None:
        splits = hold_out_fold(splits, int(data_cfg["folds"]), int(data_cfg["fold"]))
    return splits


FOLD = "fold"
"""The split of the training documents a ``data.fold=K`` run leaves out."""


def hold_out_fold(splits: Mapping[str, list[Document]], folds: int, fold: int) -> dict[str, list[Document]]:
    """Train on all but fold ``fold`` of ``folds`` of the training documents; that fold becomes the split ``fold``.

    Why: a checkpoint tags its own training documents almost perfectly, so the quote-speaker
    linker, fitted on those tags, learns from cleaner input than it meets on new articles.
    Tags of the left-out fold, from a checkpoint that never saw it, are test-like
    (``indoquote link ... oof=[...]``). Validation and test stay as they are.
    """
    train = splits.get("train", [])
    out = {name: docs for name, docs in splits.items() if name != "train"}
    out["train"] = [d for i, d in enumerate(train) if i % folds != fold]
    out[FOLD] = [d for i, d in enumerate(train) if i % folds == fold]
    return out


def load_splits(data_cfg: Mapping[str, Any], seed: int, stats: DataStats | None = None) -> dict[str, list[Document]]:
    stats = stats if stats is not None else DataStats()
    splits = split(data_cfg, load_documents(data_cfg, stats), seed)
    for name, docs in splits.items():
        stats.documents[name] = len(docs)
        stats.sentences[name] = sum(len(d.sentence_starts) for d in docs)
        stats.tokens[name] = sum(len(d.tokens) for d in docs)
        stats.spans[name] = dict(sorted(Counter(s.label for d in docs for s in iob2_spans(d.tags)).items()))
    return splits


def windows_for_split(
    docs: Sequence[Document],
    tokenizer,
    schema: LabelSchema,
    window: WindowConfig,
    stats: DataStats | None = None,
    mask_untagged: bool = False,
) -> dict[str, list]:
    """Column dict of all windows of ``docs`` (one row per window).

    ``mask_untagged``: the sentences of quotations the gold left untagged get no
    label (:mod:`indoquote.data.partial`); for training only.
    """
    label2id = schema.label2id
    cols: dict[str, list] = {k: [] for k in ("doc_id", "input_ids", "attention_mask", "labels", "word_ids", "offset")}
    n_special = sum(map(len, special_frame(tokenizer)))
    for doc in docs:
        tags = schema.convert(doc.tags)
        ids = [label2id[t] for t in tags]
        if mask_untagged:
            quotes = untagged_quotes(doc)
            mask = untagged_mask(doc, quotes)
            ids = [IGNORE if m else i for i, m in zip(ids, mask)]
            if stats is not None:
                stats.untagged_quotes += len(quotes)
                stats.masked_words += sum(mask)
        enc = encode_words(tokenizer, doc.tokens)
        if stats is not None:
            stats.long_words += long_words(enc, window.max_length, n_special)
        for w in document_windows(tokenizer, doc.tokens, ids, window, encoded=enc):
            cols["doc_id"].append(doc.doc_id)
            for k, v in w.items():
                cols[k].append(v)
    return cols


def training_windows(
    docs: Sequence[Document],
    tokenizer,
    schema: LabelSchema,
    window: WindowConfig,
    stats: DataStats | None,
    augment: AugmentConfig | None,
    seed: int,
    mask_untagged: bool = False,
) -> dict[str, list]:
    """The train split's windows, each document rewritten and windowed at its own length when ``augment`` says so."""
    if augment is None or not augment.active:
        return windows_for_split(docs, tokenizer, schema, window, stats, mask_untagged)
    cols: dict[str, list] = {}
    for doc in docs:
        new = augment_document(doc, augment, seed)
        w = WindowConfig(augment.window_length(doc, seed, window.max_length), window.stride)
        for k, v in windows_for_split([new], tokenizer, schema, w, stats, mask_untagged).items():
            cols.setdefault(k, []).extend(v)
    return cols


def cache_key(paths: Sequence[Path], parts: Mapping[str, Any], tokenizer) -> str:
    h = hashlib.sha1(f"format={FORMAT_VERSION}".encode())
    for p in paths:
        h.update(str(p.name).encode())
        h.update(hashlib.sha1(p.read_bytes()).digest())
    h.update(json.dumps(parts, sort_keys=True, default=str).encode())
    vocab = tokenizer.get_vocab()
    h.update(hashlib.sha1(json.dumps(sorted(vocab.items())).encode()).digest())
    h.update(type(tokenizer).__name__.encode())
    return h.hexdigest()[:16]


def build_datasets(
    data_cfg: Mapping[str, Any],
    tokenizer,
    schema: LabelSchema,
    window: WindowConfig,
    seed: int,
    cache_dir: str | Path | None = None,
    train_window: WindowConfig | None = None,
    augment: AugmentConfig | None = None,
):
    """``(DatasetDict of windows, {split: documents}, DataStats)`` for a config, cached on disk.

    ``train_window`` (default ``window``) cuts the train split only: without overlap a
    training epoch is shorter, while evaluation keeps the overlap that gives every
    word context on both sides. ``augment`` rewrites the train split's documents
    (:mod:`indoquote.data.augment`), and ``data.mask_untagged`` leaves its untagged
    quotations unlabelled (:mod:`indoquote.data.partial`); the returned splits keep the
    documents as annotated.
    """
    from datasets import Dataset, DatasetDict, load_from_disk

    stats = DataStats()
    splits = load_splits(data_cfg, seed, stats)
    train_window = train_window or window
    params = {"data": dict(data_cfg), "schema": schema.name, "window": asdict(window), "seed": seed}
    if train_window != window:
        params["train_window"] = asdict(train_window)
    if augment is not None and augment.active:
        params["augment"] = asdict(augment)
    key = cache_key([Path(f) for f in stats.files], params, tokenizer)
    target = Path(cache_dir).expanduser() / key if cache_dir else None
    if target is not None and (target / "dataset_dict.json").exists():
        log.info("using cached windows %s", target)
        dsd = load_from_disk(str(target))
        meta = json.loads((target / "stats.json").read_text())
        stats.long_words = meta["long_words"]
        stats.untagged_quotes = meta.get("untagged_quotes", 0)
        stats.masked_words = meta.get("masked_words", 0)
    else:
        dsd = DatasetDict(
            {
                name: Dataset.from_dict(
                    windows_for_split(docs, tokenizer, schema, window, stats)
                    if name != "train"
                    else training_windows(docs, tokenizer, schema, train_window, stats, augment, seed,
                                          bool(data_cfg.get("mask_untagged")))
                )
                for name, docs in splits.items()
            }
        )
        if target is not None:
            tmp = target.with_name(target.name + ".tmp")
            dsd.save_to_disk(str(tmp))
            kept = {k: getattr(stats, k) for k in ("long_words", "untagged_quotes", "masked_words")}
            (tmp / "stats.json").write_text(json.dumps(kept))
            tmp.rename(target)
    for name, ds in dsd.items():
        stats.windows[name] = len(ds)
        stats.subwords[name] = sum(len(x) for x in ds["input_ids"])
    return dsd, splits, stats


def stats_table(stats: DataStats) -> str:
    """A plain-text table for the terminal and the README."""
    names = list(stats.documents)
    labels = sorted({lab for s in stats.spans.values() for lab in s})
    rows = [("documents", stats.documents), ("sentences", stats.sentences), ("tokens", stats.tokens)]
    if stats.windows:
        rows += [("windows", stats.windows), ("sub-words", stats.subwords)]
    rows += [(f"{lab} spans", {n: stats.spans[n].get(lab, 0) for n in names}) for lab in labels]
    body = [[title, *(vals.get(n, 0) for n in names), sum(vals.values())] for title, vals in rows]
    return (
        render_table(["", *names, "total"], body, thousands=True)
        + f"\nrepairs: {stats.repairs}   duplicates dropped: {stats.duplicates_dropped} "
        f"(near duplicates: {stats.near_duplicates})   words longer than a window: {stats.long_words}"
        + (f"\nuntagged quotations kept out of training: {stats.untagged_quotes} ({stats.masked_words:,} words)"
           if stats.untagged_quotes else "")
    )
