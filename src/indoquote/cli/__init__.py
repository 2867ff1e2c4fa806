"""``indoquote`` command line: one sub-command per job, one module per command.

indoquote data     [hydra overrides]   build the data, print its stats
indoquote train    [hydra overrides]   fine-tune to the best checkpoint (-m for sweeps)
indoquote evaluate checkpoint=DIR ...  span F1 of checkpoints, with an error report
indoquote link     checkpoint=DIR      fit the quote-speaker linker into a checkpoint
indoquote indirect checkpoint=DIR      fit the indirect-speech head into a checkpoint
indoquote calibrate checkpoint=DIR     map the linker's confidence to how often it is right (real articles)
indoquote predict  FILES... [--format jsonl|html]   quote records from raw text
indoquote predict  TABLES... -o DIR [--engine local|ray]   an archive (Parquet/CSV/JSONL) into sharded tables
indoquote serve    --model DIR [--host --port]      an HTTP service and a web page (docs/serve.md; extra: serve)
indoquote report   DIR -o REPORT_DIR                who is quoted: Markdown/HTML report, charts, CSV
indoquote publish  checkpoint=DIR out=DIR           a shareable model directory
indoquote annotate export|import|agreement ...      gold in Label Studio (docs/annotate.md)
"""

from __future__ import annotations

import sys
from typing import Callable

from . import calibrate, data, evaluate, indirect, link, publish, train
from .jobs import run_hydra
from .predict import predict_cli

JOBS: dict[str, Callable] = {
    "data": data.job,
    "train": train.job,
    "evaluate": evaluate.job,
    "link": link.job,
    "indirect": indirect.job,
    "calibrate": calibrate.job,
    "publish": publish.job,
}
"""The Hydra commands, each composed with ``configs/<command>.yaml``; the job modules import their layer lazily."""


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(__doc__)
        return
    command, rest = argv[0], argv[1:]
    if command == "predict":
        sys.exit(predict_cli(rest))
    if command == "annotate":
        from .annotate import annotate_cli

        sys.exit(annotate_cli(rest))
    if command == "serve":  # an HTTP service and a web page (indoquote.serve; the `serve` extra)
        from .serve import serve_cli

        sys.exit(serve_cli(rest))
    if command == "report":
        from .report import report_cli

        sys.exit(report_cli(rest))
    if command not in JOBS:
        print(f"indoquote: unknown command {command!r}\n{__doc__}", file=sys.stderr)
        sys.exit(2)
    run_hydra(command, JOBS[command], rest)


__all__ = ["JOBS", "main", "predict_cli"]
