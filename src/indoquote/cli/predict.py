"""``indoquote predict``: quote records from raw text (files, folders, JSONL, stdin) as JSONL or HTML.

The arguments of archive runs (tables in, shards out) are parsed here too, and such a run is
handed to :mod:`indoquote.cli.predict_archive`; a plain run imports no archive module.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import IO, Sequence

from ..errors import InputError, ModelLoadError


def _predict_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="indoquote predict",
        description="Tag direct quotations, speakers and cues in Indonesian news; write quote records.",
    )
    p.add_argument(
        "inputs",
        nargs="*",
        metavar="INPUT",
        help='text files, directories (their *.txt and *.jsonl files), JSONL files ({"id", "text"} a line), '
        "or - for standard input (the default); suffixes in any case",
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
    p.add_argument("--backend", choices=("torch", "onnx", "onnx-int8"), default="torch", help="onnx backends need `publish onnx=true`")
    p.add_argument("--device", help="cpu, cuda, cuda:1... (default: cuda when available)")
    p.add_argument(
        "--precision",
        choices=("auto", "fp32", "bf16", "int8"),
        default="auto",
        help="torch numeric path; auto: the fastest that agrees with fp32 on this machine (measured once, cached)",
    )
    p.add_argument(
        "--kinds",
        default="direct",
        help="direct (between quotation marks, the default), indirect (reported speech, by rules), or direct,indirect",
    )
    p.add_argument(
        "--min-confidence", type=float, default=None, metavar="P",
        help="withhold a speaker the linker chose with a probability below P (0-1): speaker null, "
        "speaker_reason says why",
    )
    p.add_argument("--progress", action="store_true", help="show a progress bar (and the precision chosen) on standard error")
    p.add_argument(
        "--strict",
        action="store_true",
        help="stop at the first bad input (exit 2, no output file) instead of reporting and skipping it "
        "(exit 1 once the good ones are written)",
    )
    add_archive_arguments(p)  # tables in, shards out: --engine, --text-column, --output-format...
    return p


EXIT_SKIPPED = 1
"""``indoquote predict`` finished and wrote every good article, but skipped bad inputs (listed on standard error)."""
EXIT_TERMINATED = 143
"""SIGTERM while writing ``--output``: the partial ``.part`` file was removed (128 + 15)."""
EXIT_INTERRUPTED = 130
"""Ctrl-C while writing ``--output``: the partial ``.part`` file was removed (128 + 2)."""


class _Terminated(BaseException):
    """Raised by the SIGTERM handler of ``indoquote predict --output`` so the ``.part`` file is cleaned up."""


def _raise_terminated(signum, frame) -> None:
    raise _Terminated()


class _SkipReport:
    """``on_skip`` of the predict command: one line on standard error per skipped input, and a count."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, skipped) -> None:
        self.count += 1
        print(f"indoquote predict: skipped {skipped}", file=sys.stderr)


def _predict_warning(message: str) -> None:
    print(f"indoquote predict: warning: {message}", file=sys.stderr)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and os.path.samefile(a, b))
    except OSError:
        return False


def _argument_problem(args) -> str | None:
    """What is wrong with the inputs or ``--output`` (checked before the model is loaded), or None.

    Inputs that do not exist, directories without articles; an output that is
    one of the inputs (files named or found in directories), a directory, or in
    a folder that does not exist.
    """
    from ..pipeline.inputs import input_files
    from ..pipeline.tagger import check_kinds

    try:
        check_kinds(getattr(args, "kinds", "direct"))
    except ValueError as e:
        return f"--kinds: {e}"
    try:
        files = [f for f in input_files(args.inputs) if f is not None]
    except InputError as e:
        return str(e)
    if not args.output:
        return None
    out, part = Path(args.output), Path(args.output + ".part")
    for f in files:
        if _same_file(out, f):
            return f"--output {args.output} is the input {f}: writing would destroy it; write somewhere else"
        if _same_file(part, f):
            return f"--output {args.output} writes through {part}, which is the input {f}; write somewhere else"
    if out.is_dir():
        return f"--output {args.output} is a directory; name a file"
    if not out.parent.is_dir():
        return f"--output {args.output}: no such directory {out.parent}"
    from ..atomic import check_writable

    unwritable = check_writable(out)  # a read-only or full target, found before the model loads
    return f"--output {args.output}: {unwritable}" if unwritable else None


def _write(tagger, args, out: IO[str], on_skip=None) -> int:
    from ..pipeline.inputs import iter_inputs

    inputs = iter_inputs(args.inputs, on_skip=on_skip, on_warning=_predict_warning)
    tagged = tagger.iter_tag(inputs, progress=args.progress)
    if getattr(args, "min_confidence", None) is not None:
        from ..quotes.records import apply_min_confidence

        tagged = (replace(a, records=apply_min_confidence(a.records, args.min_confidence)) for a in tagged)
    if args.format == "html":
        from ..pipeline.html import render_page

        arts = list(tagged)
        out.write(render_page(arts))
        return len(arts)
    n = 0
    for art in tagged:
        out.write(json.dumps(art.to_dict(), ensure_ascii=False) + "\n")
        n += 1
    return n


def predict_cli(argv: Sequence[str]) -> int:
    """``indoquote predict``: 0 on success, 1 when bad inputs were skipped, 2 on bad arguments or model.

    Bad inputs (not UTF-8, bad JSONL lines, empty or over-long articles) are
    reported on standard error, one line each, and skipped; the good ones are
    written and a summary line counts both. ``--strict`` stops at the first bad
    input with 2 instead. ``--output`` is written to ``OUTPUT.part`` and renamed
    when complete; on an error, SIGTERM (143) or Ctrl-C (130) the ``.part`` file is
    removed, so a file at the output path is always complete.
    """
    parser = _predict_parser()
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
    if args.min_confidence is not None and not 0.0 <= args.min_confidence <= 1.0:
        print("indoquote predict: error: --min-confidence must be between 0 and 1", file=sys.stderr)
        return 2
    if not args.progress:  # keep standard error for messages: no "Loading weights" bars
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
    if is_archive_run(args):  # Parquet/CSV inputs or an archive option: sharded output (predict_archive.py)
        from .predict_archive import predict_archive

        if args.min_confidence is not None:
            print("indoquote predict: error: --min-confidence applies to jsonl/html output, not archives",
                  file=sys.stderr)
            return 2
        return predict_archive(args)
    import signal
    import threading

    from ..pipeline.tagger import QuoteTagger

    problem = _argument_problem(args)  # bad arguments are found before the model is loaded
    if problem:
        print(f"indoquote predict: error: {problem}", file=sys.stderr)
        return 2
    skips = None if args.strict else _SkipReport()
    tmp = Path(args.output + ".part") if args.output else None
    previous, installed = None, False
    try:
        tagger = QuoteTagger.from_pretrained(
            args.model, device=args.device, batch_size=args.batch_size, backend=args.backend, precision=args.precision,
            kinds=args.kinds,
        )
        if args.progress:
            print(f"indoquote predict: {_engine_line(tagger, args.backend)}", file=sys.stderr)
        if tmp is None:
            n = _write(tagger, args, sys.stdout, skips)
            sys.stdout.flush()
        else:
            if threading.current_thread() is threading.main_thread():  # signals only reach the main thread
                previous, installed = signal.signal(signal.SIGTERM, _raise_terminated), True
            from ..atomic import atomic_open

            with atomic_open(args.output, "w", tmp=tmp) as f:  # OUTPUT.part, fsynced, renamed when complete
                n = _write(tagger, args, f, skips)
    except (ValueError, ModelLoadError, OSError) as e:
        _remove(tmp)
        stop = " (--strict: stopped at the first bad input)" if isinstance(e, InputError) else ""
        print(f"indoquote predict: error: {e}{stop}", file=sys.stderr)
        return 2
    except _Terminated:
        _remove(tmp)
        print(f"indoquote predict: terminated; removed the partial {tmp}, nothing written", file=sys.stderr)
        return EXIT_TERMINATED
    except KeyboardInterrupt:
        _remove(tmp)
        cleaned = f"; removed the partial {tmp}, nothing written" if tmp is not None else ""
        print(f"indoquote predict: interrupted{cleaned}", file=sys.stderr)
        return EXIT_INTERRUPTED
    finally:
        if installed:
            signal.signal(signal.SIGTERM, previous if previous is not None else signal.SIG_DFL)
    skipped = skips.count if skips is not None else 0
    if tagger.glued_words:
        print(f"indoquote predict: split {tagger.glued_words} glued word(s) before tagging (indoquote.text.glue)",
              file=sys.stderr)
    if args.output or skipped:
        summary = f"tagged {n} article(s)" + (f", skipped {skipped} (see above)" if skipped else "")
        print(summary + (f" -> {args.output}" if args.output else ""), file=sys.stderr)
    return EXIT_SKIPPED if skipped else 0


def _remove(tmp: Path | None) -> None:
    if tmp is not None:
        tmp.unlink(missing_ok=True)


def _engine_line(tagger, backend: str) -> str:
    """What runs the model: backend, numeric path (and why), linker or rules."""
    path = tagger.precision.describe() if backend == "torch" else f"backend {backend}"
    attribution = "the trained linker" if tagger.linker is not None else "the rules (no linker in the checkpoint)"
    return f"{path}; speakers by {attribution}"


# ------------------------------------------------ archive runs: parsed here, run by predict_archive.py

TABLE_SUFFIXES = (".parquet", ".pq", ".csv")
ARCHIVE_OPTIONS = ("engine", "text_column", "id_column", "output_format", "shard_rows", "num_workers",
                   "num_gpus_per_worker", "ray_address")
"""Giving any of these makes ``predict`` an archive run, whatever the inputs."""
SHARD_FORMATS, SHARD_ROWS = ("parquet", "jsonl"), 5_000
"""The archive's ``OUTPUT_FORMATS`` and ``DEFAULT_SHARD_ROWS``, written out so that parsing the arguments of a plain
``predict`` imports no archive module (tests/cli/test_predict_cli.py checks they agree)."""


def add_archive_arguments(p: argparse.ArgumentParser) -> None:
    """The archive options of ``indoquote predict`` (all default to None, so a given one is seen)."""
    g = p.add_argument_group(
        "archives",
        "Parquet, CSV or JSONL tables in, a directory of shards out (-o DIR): one row per quotation plus one per "
        "article without any, every other input column carried through; rerunning into DIR resumes.",
    )
    g.add_argument("--engine", choices=("local", "ray"), help="local: this process (default); ray: a Ray actor pool")
    g.add_argument("--text-column", metavar="COL", help="the article text (default: text)")
    g.add_argument("--id-column", metavar="COL", help="the article id (default: id; without one, a hash of the text)")
    g.add_argument("--output-format", choices=SHARD_FORMATS, help="shard files (default: jsonl when -o ends in .jsonl, else parquet)")
    g.add_argument("--shard-rows", type=int, metavar="N", help=f"rows per shard (default: {SHARD_ROWS:,}; Parquet: whole row groups)")
    g.add_argument("--num-workers", type=int, metavar="N", help="Ray workers (default: one per GPU, else one per CPU)")
    g.add_argument("--num-gpus-per-worker", type=float, metavar="G", help="GPUs per Ray worker (default: 1 when there are GPUs)")
    g.add_argument("--ray-address", metavar="ADDR", help="join this Ray cluster (auto, ray://HEAD:10001); default: a local Ray")


def is_archive_run(args: argparse.Namespace) -> bool:
    """Is this ``predict`` an archive run (a table input, or an archive option given)?"""
    if any(getattr(args, name, None) is not None for name in ARCHIVE_OPTIONS):
        return True
    for name in args.inputs or []:
        path = Path(name)
        if path.suffix.lower() in TABLE_SUFFIXES:
            return True
        if path.is_dir() and any(p.suffix.lower() in TABLE_SUFFIXES for p in path.rglob("*") if p.is_file()):
            return True
    return False
