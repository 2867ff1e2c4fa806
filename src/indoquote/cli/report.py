"""``indoquote report OUT -o REPORT_DIR``: who is quoted in an archive's output (Markdown, HTML, charts, CSV)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Sequence

from ..errors import ArchiveError


def _report_parser() -> argparse.ArgumentParser:
    from ..archive.render import TOP

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
    from ..archive.report import ReportOptions, write_report

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
