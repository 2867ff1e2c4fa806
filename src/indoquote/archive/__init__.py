"""A news archive in, a table of quotations out, and who gets quoted: plan -> rows -> output, engines, report.

``indoquote.archive.read_output`` reads a run's table back (documented in ``docs/archives.md``).
"""

from .engines import tag_archive
from .output import OUTPUT_FORMATS, read_output
from .plan import DEFAULT_SHARD_ROWS, BadRow, Columns, Shard, archive_files, plan_shards
from .report import write_report

__all__ = [
    "BadRow",
    "Columns",
    "DEFAULT_SHARD_ROWS",
    "OUTPUT_FORMATS",
    "Shard",
    "archive_files",
    "plan_shards",
    "read_output",
    "tag_archive",
    "write_report",
]
