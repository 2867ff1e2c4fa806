"""``indoquote predict`` over an archive: tables (Parquet, CSV, JSONL) in, a directory of shards out.

:mod:`indoquote.cli.predict` parses the arguments and hands them here when the input is a table
(``.parquet``, ``.csv``, a folder of them) or an archive option is given (``--engine ray``,
``--text-column``, ``--output-format``...); plain text and JSONL stay there.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from pathlib import Path

from ..archive.plan import DEFAULT_SHARD_ROWS
from ..errors import ArchiveError, ModelLoadError

MAX_BAD_LINES = 20
"""Bad rows printed one by one on standard error; the rest are counted (all are in ``_shards.jsonl``)."""
EXIT_SKIPPED, EXIT_INTERRUPTED = 1, 130


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
    from ..archive.engines import EngineOptions, RunSummary, TaggerSpec, tag_archive
    from ..archive.plan import Columns

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
            on_warning=lambda m: print(f"indoquote predict: warning: {m}", file=sys.stderr),
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


__all__ = ["predict_archive"]
