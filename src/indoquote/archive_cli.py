"""The archive side of the command line: ``indoquote predict`` over tables into shards, and ``indoquote report``.

Kept out of :mod:`indoquote.cli` so that module only routes: ``predict`` hands
its arguments here when the input is a table (``.parquet``, ``.csv``, a folder
of them) or an archive option is given (``--engine ray``, ``--text-column``,
``--output-format``...); plain text and JSONL to standard output or a file
stay with the original ``predict``.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from pathlib import Path
from typing import Sequence

from .archive import DEFAULT_SHARD_ROWS
from .shards import OUTPUT_FORMATS

TABLE_SUFFIXES = (".parquet", ".pq", ".csv")
ARCHIVE_OPTIONS = ("engine", "text_column", "id_column", "output_format", "shard_rows", "num_workers",
                   "num_gpus_per_worker", "ray_address")
"""Giving any of these makes ``predict`` an archive run, whatever the inputs."""
MAX_BAD_LINES = 20
"""Bad rows printed one by one on standard error; the rest are counted (all are in ``_shards.jsonl``)."""
EXIT_SKIPPED, EXIT_INTERRUPTED = 1, 130


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
    g.add_argument("--output-format", choices=OUTPUT_FORMATS, help="shard files (default: jsonl when -o ends in .jsonl, else parquet)")
    g.add_argument("--shard-rows", type=int, metavar="N", help=f"rows per shard (default: {DEFAULT_SHARD_ROWS:,}; Parquet: whole row groups)")
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


class _BadRows:
    """``on_bad``: the first :data:`MAX_BAD_LINES` bad rows on standard error, then a count."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, bad, shard) -> None:
        self.count += 1
        if self.count <= MAX_BAD_LINES:
            where = f"{Path(shard.path).name} row {bad.row} (shard {bad.shard})"
            print(f"indoquote predict: skipped {where}: {bad.reason}", file=sys.stderr)
        elif self.count == MAX_BAD_LINES + 1:
            print("indoquote predict: more bad rows skipped; all are listed in _shards.jsonl", file=sys.stderr)


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def predict_archive(args: argparse.Namespace) -> int:
    """``indoquote predict`` over an archive: 0 done, 1 done with bad rows skipped, 2 bad arguments, 130 stopped."""
    from .archive import ArchiveError, Columns
    from .checkpoint import ModelLoadError
    from .engines import EngineOptions, RunSummary, TaggerSpec, tag_archive

    def error(message: str) -> int:
        print(f"indoquote predict: error: {message}", file=sys.stderr)
        return 2

    if not args.output:
        return error("an archive run writes a directory of shards: pass -o DIR")
    if args.format == "html":
        return error("--format html is for a few articles (plain predict); archive runs write --output-format parquet|jsonl")
    if args.shard_rows is not None and args.shard_rows < 1:
        return error("--shard-rows must be at least 1")
    if args.num_workers is not None and args.num_workers < 1:
        return error("--num-workers must be at least 1")
    engine = args.engine or "local"
    fmt = args.output_format or ("jsonl" if args.output.lower().rstrip("/").endswith(".jsonl") else "parquet")
    spec = TaggerSpec(args.model, args.backend, args.device, args.batch_size, precision=args.precision, kinds=args.kinds)
    options = EngineOptions(engine, args.num_workers, args.num_gpus_per_worker, args.ray_address)
    columns = Columns(args.text_column or "text", args.id_column or "id")
    bad = _BadRows()
    state: dict[str, RunSummary] = {}

    def started(summary: RunSummary) -> None:
        state["summary"] = summary
        resumed = f", {summary.resumed:,} complete from an earlier run (skipped)" if summary.resumed else ""
        shards = f"{summary.shards:,} shard{'s' if summary.shards != 1 else ''}"
        print(f"indoquote predict: {shards}{resumed}; engine {engine} -> {args.output}", file=sys.stderr)

    previous = None
    if threading.current_thread() is threading.main_thread():  # SIGTERM stops like Ctrl-C: finished shards stay
        previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        summary = tag_archive(
            args.inputs, args.output, spec, columns=columns, shard_rows=args.shard_rows or DEFAULT_SHARD_ROWS,
            output_format=fmt, options=options, progress=args.progress or sys.stderr.isatty(), on_bad=bad, on_start=started,
        )
    except KeyboardInterrupt:
        if "summary" in state:
            print(f"indoquote predict: {state['summary'].text()}", file=sys.stderr)
        print("indoquote predict: interrupted; the finished shards are kept: run the same command again to finish",
              file=sys.stderr)
        return EXIT_INTERRUPTED
    except (ArchiveError, ModelLoadError, RuntimeError, ValueError, OSError) as e:
        if os.environ.get("INDOQUOTE_DEBUG"):
            raise
        return error(str(e))
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    if summary.shards == summary.resumed:
        print(f"indoquote predict: nothing to do, all {summary.shards:,} shards in {args.output} are complete", file=sys.stderr)
    else:
        print(f"indoquote predict: {summary.text()}", file=sys.stderr)
    return EXIT_SKIPPED if summary.skipped else 0


# ------------------------------------------------------------------ report


def _report_parser() -> argparse.ArgumentParser:
    from .report_render import TOP

    p = argparse.ArgumentParser(
        prog="indoquote report",
        description="Who is quoted in an archive: Markdown and HTML report, charts and CSV tables "
        "from the output directory of `indoquote predict ... -o OUT`.",
    )
    p.add_argument("out", metavar="OUT", help="the output directory of indoquote predict (Parquet or JSONL shards)")
    p.add_argument("-o", "--output", required=True, metavar="REPORT_DIR", help="write report.md, report.html, *.csv, charts/ here")
    p.add_argument("--top", type=int, default=TOP, help=f"rows shown per table (default {TOP}; the CSV files hold all)")
    p.add_argument("--outlet-column", metavar="COL", help="the outlet column (default: outlet, source, publisher... if present)")
    p.add_argument("--date-column", metavar="COL", help="the date column (default: date, published, published_at... if present)")
    p.add_argument("--title", help="the report's title")
    p.add_argument("--aliases", metavar="FILE", help="alias table, CSV id,name,aliases (e.g. from Wikidata): wins over "
                   "inferred merges; its ids become speaker_qid")
    p.add_argument("--no-identity", action="store_true", help="count speakers per article only: no speaker_id, "
                   "quote_cluster_id or identity tables")
    return p


def report_cli(argv: Sequence[str]) -> int:
    """``indoquote report OUT -o REPORT_DIR``: 0 on success, 2 on a bad output directory or column."""
    try:
        args = _report_parser().parse_args(list(argv))
    except SystemExit as e:
        return int(e.code or 0)
    from .archive import ArchiveError
    from .who_quoted import ReportOptions, write_report

    options = ReportOptions(max(1, args.top), args.outlet_column, args.date_column, args.title, args.aliases,
                            not args.no_identity)
    try:
        report = write_report(args.out, args.output, options)
    except (ArchiveError, ValueError, OSError) as e:
        if os.environ.get("INDOQUOTE_DEBUG"):
            raise
        print(f"indoquote report: error: {e}", file=sys.stderr)
        return 2
    dest = Path(args.output)
    print(
        f"indoquote report: {dest / 'report.md'}, {dest / 'report.html'}, {len(report.tables)} CSV tables"
        + (f", {len(report.charts)} charts" if report.charts else "")
        + "".join(f"\n  note: {n}" for n in report.notes),
        file=sys.stderr,
    )
    return 0


__all__ = ["add_archive_arguments", "is_archive_run", "predict_archive", "report_cli"]
