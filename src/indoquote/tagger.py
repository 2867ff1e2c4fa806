"""Raw text in, quote records out: the library and ``indoquote predict`` entry point.

:class:`QuoteTagger` wraps a checkpoint (a local directory or a hub id) with the
window settings it was trained with, tokenizes articles the PFSA-ID way
(:func:`indoquote.articles.tokenize`), tags them with
:func:`indoquote.predict.predict_words` and reads the tags into
:class:`~indoquote.records.QuoteRecord` s. Many articles go through one
``predict_words`` call per chunk (windows sorted by length and batched across
articles); chunks are capped in characters, so memory stays bounded however
much text comes in. ``backend="onnx"`` / ``"onnx-int8"`` runs the ONNX export
written by ``indoquote publish onnx=true`` on onnxruntime for CPU serving.

    >>> tagger = QuoteTagger.from_pretrained("models/indoquote")   # doctest: +SKIP
    >>> for r in tagger(text):                                      # doctest: +SKIP
    ...     print(r.speaker, "-", r.quote)
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import IO, Iterable, Iterator, Sequence

from .articles import MAX_ARTICLE_CHARS, Token, article_from_text
from .labels import TagError, split_tag
from .modeling import ModelLoadError, load_checkpoint
from .predict import predict_words
from .records import QuoteRecord, quote_records
from .train import RUN_INFO, read_run_info
from .windows import WindowConfig

CHUNK_CHARS = 2_000_000
"""Characters of text tagged by one ``predict_words`` call (its windows and logits are held at once)."""

BACKENDS = ("torch", "onnx", "onnx-int8")
ONNX_FILES = {"onnx": "model.onnx", "onnx-int8": "model.int8.onnx"}


@dataclass
class TaggedArticle:
    """One article with its tokens, IOB2 tags and quote records."""

    id: str
    text: str
    tokens: list[Token]
    tags: list[str]
    records: list[QuoteRecord]
    sentence_starts: list[int] | None = None

    def to_dict(self) -> dict:
        """The ``indoquote predict`` JSONL line: ``{"id", "quotes": [...]}``."""
        return {"id": self.id, "quotes": [r.to_dict() for r in self.records]}


class OnnxTokenClassifier:
    """An onnxruntime session that answers like a torch token classifier, so ``predict_words`` runs it unchanged."""

    def __init__(self, path: str | Path, config, threads: int | None = None) -> None:
        import onnxruntime as ort

        opts = ort.SessionOptions()
        if threads:
            opts.intra_op_num_threads = threads
        self.session = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
        self.input_names = {i.name for i in self.session.get_inputs()}
        self.config = config

    def to(self, device) -> OnnxTokenClassifier:
        return self

    def eval(self) -> OnnxTokenClassifier:
        return self

    def __call__(self, input_ids, attention_mask):
        import numpy as np
        import torch

        feed = {"input_ids": input_ids.cpu().numpy(), "attention_mask": attention_mask.cpu().numpy()}
        if "token_type_ids" in self.input_names:
            feed["token_type_ids"] = np.zeros_like(feed["input_ids"])
        (logits,) = self.session.run(["logits"], feed)
        return SimpleNamespace(logits=torch.from_numpy(logits))


def _looks_like_path(name: str) -> bool:
    """A hub id is ``name`` or ``owner/name``; anything else is meant as a local path."""
    return Path(name).expanduser().exists() or name.startswith((".", "/", "~")) or name.count("/") > 1 or "\\" in name


def _load_hub(hub_id: str):
    """Tokenizer, model and window settings from the Hugging Face Hub (safetensors only, no remote code)."""
    from transformers import AutoModelForTokenClassification, AutoTokenizer

    try:
        tok = AutoTokenizer.from_pretrained(hub_id, trust_remote_code=False)
        model = AutoModelForTokenClassification.from_pretrained(hub_id, use_safetensors=True, trust_remote_code=False)
    except (OSError, ValueError) as e:
        raise ModelLoadError(
            f"{hub_id!r} is not a local directory and cannot be loaded from the Hugging Face Hub ({e}). "
            "Pass a checkpoint directory (with config.json and *.safetensors), or a hub id while online."
        ) from None
    info: dict = {}
    try:
        from huggingface_hub import hf_hub_download

        info = json.loads(Path(hf_hub_download(hub_id, RUN_INFO)).read_text())
    except Exception:  # no indoquote.json: a plain token classifier, default windows
        pass
    return tok, model, info


def _load_onnx(name: str, backend: str, threads: int | None):
    """An ONNX export beside its tokenizer and config; the torch weights are not loaded."""
    from transformers import AutoConfig, AutoTokenizer

    path = Path(name).expanduser()
    if not _looks_like_path(name) or not path.is_dir():
        raise ModelLoadError(f"backend={backend} needs a local directory with {ONNX_FILES[backend]}, got {name!r}")
    onnx_path = path / ONNX_FILES[backend]
    if not onnx_path.exists():
        raise ModelLoadError(
            f"{onnx_path}: missing; export it with `indoquote publish checkpoint=... out={path} onnx=true`"
        )
    try:
        config = AutoConfig.from_pretrained(str(path), trust_remote_code=False)
        tok = AutoTokenizer.from_pretrained(str(path), trust_remote_code=False)
    except (OSError, ValueError) as e:
        raise ModelLoadError(f"{path}: cannot load the tokenizer or config.json ({e})") from None
    return OnnxTokenClassifier(onnx_path, config, threads), tok, read_run_info(path)


def check_labels(model, where: str) -> None:
    """Refuse a model whose labels are not IOB2 quotation tags (records would be empty or wrong)."""
    try:
        tags = [model.config.id2label[i] for i in range(len(model.config.id2label))]
        for t in tags:
            split_tag(t)
    except (KeyError, TagError) as e:
        raise ModelLoadError(
            f"{where}: labels are not IOB2 tags ({e}); is this an indoquote token classifier?"
        ) from None
    if "B-STATEMENT" not in tags and "B-QUOTE" not in tags:
        raise ModelLoadError(f"{where}: no STATEMENT/QUOTE label among {tags[:6]}...; not a quotation tagger")


class QuoteTagger:
    """Who said what in Indonesian news text."""

    def __init__(self, model, tokenizer, window: WindowConfig, device: str | None = None, batch_size: int = 16):
        self.model, self.tokenizer, self.window = model, tokenizer, window
        self.device, self.batch_size = device, batch_size
        # whole articles are encoded at once and windowed afterwards: the "longer than the maximum" warning is moot
        getattr(tokenizer, "deprecation_warnings", {})["sequence-length-is-longer-than-the-specified-maximum"] = True

    @classmethod
    def from_pretrained(
        cls,
        name_or_path: str | os.PathLike,
        device: str | None = None,
        batch_size: int = 16,
        backend: str = "torch",
        threads: int | None = None,
    ) -> QuoteTagger:
        """A tagger from a checkpoint/published directory or a hub id; bad input raises ``ModelLoadError``.

        ``backend`` ``"onnx"`` / ``"onnx-int8"`` (local directories only) serves
        ``model.onnx`` / ``model.int8.onnx`` with onnxruntime on the CPU, with
        ``threads`` intra-op threads (default: onnxruntime's choice; for torch
        use ``torch.set_num_threads``). ``device=None`` picks CUDA when available.
        """
        if backend not in BACKENDS:
            raise ValueError(f"backend must be one of {BACKENDS}, got {backend!r}")
        name = str(name_or_path)
        if backend != "torch":
            model, tok, info = _load_onnx(name, backend, threads)
            device = "cpu"
        elif _looks_like_path(name):
            path = Path(name).expanduser()
            tok, model = load_checkpoint(path)
            info = read_run_info(path)
        else:
            tok, model, info = _load_hub(name)
        check_labels(model, name)
        w = info.get("windows", {})
        window = WindowConfig(int(w.get("max_length", 256)), int(w.get("stride", 64)))
        return cls(model, tok, window, device=device, batch_size=batch_size)

    def __call__(self, text: str) -> list[QuoteRecord]:
        return self.tag(text).records

    def tag(self, text: str, id: str = "text") -> TaggedArticle:
        """Tokens, tags and quote records of one article."""
        (out,) = self.tag_batch([text], [id])
        return out

    def batch(self, texts: Sequence[str], progress: bool = True) -> list[list[QuoteRecord]]:
        """Quote records of many articles, batched across articles."""
        return [a.records for a in self.iter_tag(((str(i), t) for i, t in enumerate(texts)), progress=progress)]

    def tag_batch(
        self, texts: Sequence[str], ids: Sequence[str] | None = None, progress: bool = False
    ) -> list[TaggedArticle]:
        ids = list(ids) if ids is not None else [str(i) for i in range(len(texts))]
        return list(self.iter_tag(zip(ids, texts), progress=progress))

    def iter_tag(self, items: Iterable[tuple[str, str]], progress: bool = False) -> Iterator[TaggedArticle]:
        """Tag ``(id, text)`` pairs lazily, one ``predict_words`` call per :data:`CHUNK_CHARS` of text."""
        chunk: list[tuple[str, str]] = []
        size = 0
        for id, text in items:
            if chunk and size + len(text) > CHUNK_CHARS:
                yield from self._tag_chunk(chunk, progress)
                chunk, size = [], 0
            chunk.append((id, text))
            size += len(text)
        if chunk:
            yield from self._tag_chunk(chunk, progress)

    def _tag_chunk(self, chunk: list[tuple[str, str]], progress: bool) -> list[TaggedArticle]:
        arts = [article_from_text(text, id) if text.strip() else None for id, text in chunk]
        words = [a.words if a else [] for a in arts]
        tags = predict_words(self.model, self.tokenizer, words, self.window, self.batch_size, self.device, progress)
        out = []
        for (id, text), a, t in zip(chunk, arts, tags):
            if a is None:
                out.append(TaggedArticle(id, text, [], [], []))
            else:
                out.append(
                    TaggedArticle(
                        id, text, a.tokens, t, quote_records(text, a.tokens, t, a.sentence_starts), a.sentence_starts
                    )
                )
        return out


# ---------------------------------------------------------------- inputs


def _decode(data: bytes, where: str) -> str:
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as e:
        raise ValueError(
            f"{where}: not UTF-8 (byte {e.start}: {data[e.start : e.start + 1]!r}); convert it to UTF-8"
        ) from None


def _jsonl_article(line: str, where: str, default_id: str) -> tuple[str, str]:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as e:
        raise ValueError(f"{where}: bad JSON: {e.msg} (column {e.colno})") from None
    if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
        raise ValueError(f'{where}: expected an object with a string "text" (and "id")')
    return str(obj.get("id", default_id)), obj["text"]


def _iter_jsonl_lines(lines: Iterable[bytes], name: str, stem: str) -> Iterator[tuple[str, str]]:
    for n, raw in enumerate(lines, 1):
        where = f"{name}:{n}"
        line = _decode(raw, where)
        if line.strip():
            yield _jsonl_article(line, where, f"{stem}-{n}")


def _iter_stdin(stream: IO[bytes]) -> Iterator[tuple[str, str]]:
    """Standard input: JSONL when its first line is a JSON object with ``"text"``, else one article."""
    data = stream.read()
    text = _decode(data, "<stdin>")
    first = next((line for line in text.splitlines() if line.strip()), "")
    try:
        is_jsonl = first.lstrip().startswith("{") and "text" in json.loads(first)
    except json.JSONDecodeError:
        is_jsonl = False
    if is_jsonl:
        yield from _iter_jsonl_lines(data.split(b"\n"), "<stdin>", "stdin")
    else:
        yield "stdin", text


def iter_inputs(names: Sequence[str], stdin: IO[bytes] | None = None) -> Iterator[tuple[str, str]]:
    """``(id, text)`` of every article named: text files, directories (``*.txt``), JSONL files, ``-`` (stdin)."""
    for name in names or ["-"]:
        if name == "-":
            yield from _iter_stdin(stdin if stdin is not None else sys.stdin.buffer)
            continue
        path = Path(name)
        if path.is_dir():
            files = sorted(path.glob("*.txt"))
            if not files:
                raise ValueError(f"{path}: no *.txt files in this directory")
        else:
            files = [path]
        for f in files:
            if f.suffix == ".jsonl":
                with open(f, "rb") as fh:
                    yield from _iter_jsonl_lines(fh, str(f), f.stem)
            else:
                yield f.stem, _decode(f.read_bytes(), str(f))


# ------------------------------------------------------------------- CLI


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="indoquote predict",
        description="Tag direct quotations, speakers and cues in Indonesian news; write quote records.",
    )
    p.add_argument(
        "inputs",
        nargs="*",
        metavar="INPUT",
        help='text files, directories (their *.txt), JSONL files ({"id", "text"} a line), or - for '
        "standard input (the default)",
    )
    p.add_argument(
        "--model",
        default=os.environ.get("INDOQUOTE_MODEL"),
        help="checkpoint or published directory, or a hub id (default: $INDOQUOTE_MODEL)",
    )
    p.add_argument(
        "--format",
        choices=("jsonl", "html"),
        default="jsonl",
        help='jsonl: one {"id", "quotes"} line per article; html: one self-contained page',
    )
    p.add_argument("--output", "-o", help="write here instead of standard output")
    p.add_argument("--batch-size", type=int, default=16, help="windows per forward pass")
    p.add_argument("--backend", choices=BACKENDS, default="torch", help="onnx backends need `publish onnx=true`")
    p.add_argument("--device", help="cpu, cuda, cuda:1... (default: cuda when available)")
    p.add_argument("--progress", action="store_true", help="show a progress bar on standard error")
    return p


def _write(tagger: QuoteTagger, args, out: IO[str]) -> int:
    tagged = tagger.iter_tag(iter_inputs(args.inputs), progress=args.progress)
    if args.format == "html":
        from .html import render_page

        arts = list(tagged)
        out.write(render_page(arts))
        return len(arts)
    n = 0
    for art in tagged:
        out.write(json.dumps(art.to_dict(), ensure_ascii=False) + "\n")
        n += 1
    return n


def predict_cli(argv: Sequence[str]) -> int:
    """``indoquote predict``: 0 on success, 2 on bad arguments or unreadable input (a message, no traceback)."""
    parser = _parser()
    try:
        args = parser.parse_args(list(argv))
    except SystemExit as e:
        return int(e.code or 0)
    if not args.model:
        print(
            "indoquote predict: error: no model; pass --model DIR (a checkpoint or published directory) "
            "or set INDOQUOTE_MODEL",
            file=sys.stderr,
        )
        return 2
    if args.batch_size < 1:
        print("indoquote predict: error: --batch-size must be at least 1", file=sys.stderr)
        return 2
    if not args.progress:  # keep standard error for messages: no "Loading weights" bars
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
    tmp = Path(args.output + ".part") if args.output else None
    try:
        tagger = QuoteTagger.from_pretrained(
            args.model, device=args.device, batch_size=args.batch_size, backend=args.backend
        )
        if tmp is None:
            n = _write(tagger, args, sys.stdout)
            sys.stdout.flush()
        else:
            with open(tmp, "w", encoding="utf-8") as f:
                n = _write(tagger, args, f)
            tmp.replace(args.output)
    except (ValueError, ModelLoadError, OSError) as e:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        print(f"indoquote predict: error: {e}", file=sys.stderr)
        return 2
    if args.output:
        print(f"{n} article(s) -> {args.output}", file=sys.stderr)
    return 0


__all__ = ["MAX_ARTICLE_CHARS", "OnnxTokenClassifier", "QuoteTagger", "TaggedArticle", "iter_inputs", "predict_cli"]
