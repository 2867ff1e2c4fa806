"""Archives in: the input files, their shard plan and the words an archive run is told in (``indoquote predict``).

People who study who speaks in the news bring 10^5 to 10^7 scraped articles as
Parquet, CSV or JSONL with metadata columns (outlet, date, url, section) and
want a table of quotations they can join back to those columns. A run goes in
three steps, a module each:

- **Plan** (this module). The input is cut into :class:`Shard` s once, when the output is
  first opened: runs of whole Parquet row groups, or runs of CSV records / JSONL
  lines found by byte offset, so a worker reads its shard without reading what
  comes before it. A shard is the unit of work (one process or one Ray actor),
  of output (``part-FFFFF-SSSSS.parquet``) and of resume.
- **Rows** (:mod:`indoquote.archive.rows`): a shard read, its articles checked
  (a bad one becomes a :class:`BadRow`), tagged, and turned into rows of the
  quotation table.
- **Output** (:mod:`indoquote.archive.output`): the part files, the manifest, resume,
  and the table read back (:func:`indoquote.archive.read_output`).

Rows are numbered from 0 within their input file: a JSONL row is a line, a CSV
row a record after the header.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from ..errors import ArchiveError

INPUT_FORMATS = {".parquet": "parquet", ".pq": "parquet", ".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}
"""Input suffixes (any case) and how they are read."""
DEFAULT_SHARD_ROWS = 5_000
"""Rows per shard (Parquet: at least one whole row group). Enough shards to keep every worker busy, few enough files."""


@dataclass(frozen=True)
class Columns:
    """Which input columns hold the article text and its id."""

    text: str = "text"
    id: str = "id"


@dataclass(frozen=True)
class Shard:
    """A slice of one input file: the unit of work, of output and of resume.

    ``start`` is its first row in the file and ``rows`` its row count (blank and
    bad rows included). CSV/JSONL shards start reading at byte ``offset``
    (``header`` holds the CSV column names); Parquet shards read row ``groups``.
    """

    id: str
    path: str
    format: str
    start: int
    rows: int
    offset: int = 0
    groups: tuple[int, ...] = ()
    header: tuple[str, ...] = ()
    renamed: tuple[tuple[int, str], ...] = ()  # (row, id) of rows whose id an earlier row has (article_ids)

    @classmethod
    def from_dict(cls, d: dict) -> Shard:
        return cls(**{**d, "groups": tuple(d.get("groups", ())), "header": tuple(d.get("header", ())),
                      "renamed": tuple((int(r), str(i)) for r, i in d.get("renamed", ()))})

    @property
    def part(self) -> str:
        """The stem of this shard's output file."""
        return f"part-{self.id}"


@dataclass(frozen=True)
class BadRow:
    """An input row left out of the table: where it is, and why (``kind`` groups reasons in summaries)."""

    shard: str
    row: int
    kind: str
    reason: str

    def __str__(self) -> str:
        return f"shard {self.shard} row {self.row}: {self.reason}"


# ------------------------------------------------------------------ inputs and the plan


def archive_files(names: Sequence[str | os.PathLike]) -> list[Path]:
    """The input files ``names`` stand for, in order; a directory gives its Parquet/CSV/JSONL files, sorted, recursively.

    Files and folders whose names start with ``_`` or ``.`` (``_SUCCESS``, ``.crc``) are passed over.
    """
    files: list[Path] = []
    if not names:
        raise ArchiveError("no input: name Parquet, CSV or JSONL files or directories (standard input is not read here)")
    for name in names:
        path = Path(name)
        if str(name) == "-":
            raise ArchiveError("standard input cannot be sharded: write the articles to a file first")
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in INPUT_FORMATS
                and not any(part.startswith(("_", ".")) for part in p.relative_to(path).parts)
            )
            if not found:
                raise ArchiveError(f"{path}: no *.parquet, *.csv or *.jsonl files in this directory")
            files += found
        elif path.is_file():
            if path.suffix.lower() not in INPUT_FORMATS:
                raise ArchiveError(f"{path}: not a Parquet, CSV or JSONL file (by its suffix)")
            files.append(path)
        else:
            raise ArchiveError(f"{path}: no such file or directory")
    return files


def plan_shards(files: Sequence[Path], columns: Columns, shard_rows: int = DEFAULT_SHARD_ROWS) -> list[Shard]:
    """Cut every input file into shards of about ``shard_rows`` rows (reads CSV/JSONL once; Parquet metadata only).

    Raises :class:`ArchiveError` for a file without the text column.
    """
    if shard_rows < 1:
        raise ArchiveError("--shard-rows must be at least 1")
    shards: list[Shard] = []
    for n, path in enumerate(files):
        path = Path(path).resolve()  # workers (Ray actors, a resumed run elsewhere) may start in another directory
        fmt = INPUT_FORMATS[path.suffix.lower()]
        plan = {"parquet": _plan_parquet, "csv": _plan_csv, "jsonl": _plan_jsonl}[fmt]
        shards += plan(path, n, columns, shard_rows)
    return shards


def _shard_id(file_index: int, k: int) -> str:
    return f"{file_index:05d}-{k:05d}"


def _plan_parquet(path: Path, n: int, columns: Columns, shard_rows: int) -> list[Shard]:
    import pyarrow.parquet as pq

    try:
        meta = pq.ParquetFile(path).metadata
    except Exception as e:  # noqa: BLE001 - pyarrow raises several kinds for a bad file
        raise ArchiveError(f"{path}: not a readable Parquet file ({e})") from None
    names = meta.schema.to_arrow_schema().names
    if columns.text not in names:
        raise ArchiveError(f"{path}: no column {columns.text!r} (columns: {', '.join(names)}); pass --text-column")
    shards: list[Shard] = []
    groups: list[int] = []
    start = rows = 0
    for g in range(meta.num_row_groups):
        groups.append(g)
        rows += meta.row_group(g).num_rows
        if rows >= shard_rows or g == meta.num_row_groups - 1:
            shards.append(Shard(_shard_id(n, len(shards)), str(path), "parquet", start, rows, groups=tuple(groups)))
            start, rows, groups = start + rows, 0, []
    return shards


class CsvLines:
    """Binary lines of a file decoded for :mod:`csv`, with the byte position after the last line handed out."""

    def __init__(self, fh, pos: int = 0):
        self.fh, self.pos = fh, pos

    def __iter__(self) -> CsvLines:
        return self

    def __next__(self) -> str:
        line = self.fh.readline()
        if not line:
            raise StopIteration
        self.pos += len(line)
        return line.decode("utf-8", "surrogateescape")


def csv_reader(lines: CsvLines):
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # articles are long fields; the article limit applies later
    return csv.reader(lines)


def _plan_csv(path: Path, n: int, columns: Columns, shard_rows: int) -> list[Shard]:
    with open(path, "rb") as fh:
        lines = CsvLines(fh)
        reader = csv_reader(lines)
        try:
            header = next(reader)
        except StopIteration:
            return []
        except csv.Error as e:
            raise ArchiveError(f"{path}: unreadable CSV header ({e})") from None
        header = [h.removeprefix("\ufeff") if i == 0 else h for i, h in enumerate(header)]
        if columns.text not in header:
            raise ArchiveError(f"{path}: no column {columns.text!r} (columns: {', '.join(header)}); pass --text-column")
        shards: list[Shard] = []
        start = rows = 0
        offset = lines.pos
        while True:
            try:
                next(reader)
            except StopIteration:
                break
            except csv.Error:
                pass  # counted as a row here and reported as a bad row when the shard is read
            rows += 1
            if rows == shard_rows:
                shards.append(Shard(_shard_id(n, len(shards)), str(path), "csv", start, rows, offset, header=tuple(header)))
                start, rows, offset = start + rows, 0, lines.pos
    if rows:
        shards.append(Shard(_shard_id(n, len(shards)), str(path), "csv", start, rows, offset, header=tuple(header)))
    return shards


def _plan_jsonl(path: Path, n: int, columns: Columns, shard_rows: int) -> list[Shard]:
    shards: list[Shard] = []
    start = rows = offset = pos = 0
    checked = False
    with open(path, "rb") as fh:
        for line in fh:
            if not checked and line.strip():
                checked = True
                _check_jsonl_columns(path, line, columns)
            rows += 1
            pos += len(line)
            if rows == shard_rows:
                shards.append(Shard(_shard_id(n, len(shards)), str(path), "jsonl", start, rows, offset))
                start, rows, offset = start + rows, 0, pos
    if rows:
        shards.append(Shard(_shard_id(n, len(shards)), str(path), "jsonl", start, rows, offset))
    return shards


def _check_jsonl_columns(path: Path, line: bytes, columns: Columns) -> None:
    """A first line that parses but has no text field means a wrong ``--text-column``: say so before any work."""
    try:
        obj = json.loads(line)
    except ValueError:
        return  # a bad line is a bad row, reported when read
    if isinstance(obj, dict) and columns.text not in obj:
        raise ArchiveError(f"{path}: first line has no {columns.text!r} (keys: {', '.join(obj)}); pass --text-column")


__all__ = [
    "ArchiveError",
    "BadRow",
    "Columns",
    "DEFAULT_SHARD_ROWS",
    "INPUT_FORMATS",
    "Shard",
    "archive_files",
    "plan_shards",
]
