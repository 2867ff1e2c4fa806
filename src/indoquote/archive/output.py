"""The output directory of an archive run: the sharded writer, the manifest, resume, the table read back.

- **Parts.** Each finished shard becomes ``part-<shard>.parquet`` (or ``.jsonl``),
  written to a temporary name, then renamed: a part is complete or absent.
- **Resume.** ``_manifest.json`` records the settings and the shard plan;
  ``_shards.jsonl`` gets one line per shard once its part file is in place.
  Rerunning into the same output skips the shards listed there, so a run killed
  at 90% finishes in 10% of the time; another model, column or input is refused
  instead of being mixed in.
- **Reading back.** :func:`read_output` is the quotation table of the complete
  shards, in plan order; :func:`read_done_entries` their accounting.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Sequence

from ..atomic import append_line, atomic_path, make_dirs
from ..errors import ArchiveError
from .article_ids import unique_ids
from .plan import Columns, Shard, plan_shards
from .rows import ID_FIELD, ShardResult
from .run_lock import LOCK_NAME, RunLock, acquire

if TYPE_CHECKING:  # pyarrow comes with `datasets`; imported where used so `import indoquote` stays light
    import pyarrow as pa

OUTPUT_FORMATS = ("parquet", "jsonl")
MANIFEST = "_manifest.json"
DONE = "_shards.jsonl"
MANIFEST_VERSION = 1


def _json_default(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def _write_atomic(path: Path, write: Callable[[Path], None]) -> None:
    with atomic_path(path) as tmp:  # hidden .NAME.<random>.tmp: readers of the directory (pyarrow, DuckDB) pass it over
        write(tmp)


def write_part(out: Path, shard: Shard, table: pa.Table, fmt: str) -> Path:
    """``part-<shard>.parquet`` or ``.jsonl`` in ``out``, complete or absent (written under ``.tmp``, then renamed)."""
    path = out / f"{shard.part}.{fmt}"
    if fmt == "parquet":
        import pyarrow.parquet as pq

        _write_atomic(path, lambda p: pq.write_table(table, p))
    else:

        def write(p: Path) -> None:
            with open(p, "w", encoding="utf-8") as f:
                for row in table.to_pylist():
                    f.write(json.dumps(row, ensure_ascii=False, default=_json_default) + "\n")

        _write_atomic(path, write)
    return path


def _fingerprint(path: Path) -> dict:
    st = path.stat()
    return {"path": str(path.resolve()), "size": st.st_size, "mtime_ns": st.st_mtime_ns}


def run_settings(files: Sequence[Path], columns: Columns, shard_rows: int, fmt: str, model: str, backend: str) -> dict:
    """What must not change between a run and its resumption (the engine and worker count may)."""
    model_path = Path(model)
    return {
        "inputs": [_fingerprint(f) for f in files],
        "text_column": columns.text,
        "id_column": columns.id,
        "shard_rows": shard_rows,
        "output_format": fmt,
        "model": str(model_path.resolve()) if model_path.exists() else model,
        "backend": backend,
    }


class Output:
    """An output directory: the shard plan, which shards are done, and where their parts go."""

    def __init__(self, path: Path, settings: dict, shards: list[Shard], done: dict[str, dict]):
        self.path, self.settings, self.shards, self.done = path, settings, shards, done
        self.lock: RunLock | None = None

    @property
    def format(self) -> str:
        return self.settings["output_format"]

    @classmethod
    def open(cls, path: str | os.PathLike, files: Sequence[Path], columns: Columns, settings: dict,
             warn: Callable[[str], None] | None = None) -> Output:
        """Open ``path`` for a run with ``settings``: a new plan, or the plan of the run it resumes.

        A directory holding another run (other settings), a file, or a non-empty
        directory that is no indoquote output raises :class:`ArchiveError`; a
        directory another run is writing, :class:`~indoquote.archive.run_lock.LockError`
        (:mod:`indoquote.archive.run_lock`: the lock is held until :meth:`close`).
        """
        out = Path(path)
        for f in files:  # a rerun would read its own part files as input
            if out.resolve() == f.resolve() or f.resolve().is_relative_to(out.resolve()):
                raise ArchiveError(f"{out}: the output directory holds the input {f}; write somewhere else")
        if out.exists() and not out.is_dir():
            raise ArchiveError(f"{out}: exists and is not a directory; sharded output needs a directory")
        created = not out.exists()
        make_dirs(out)
        lock = acquire(out, warn=warn, what="indoquote predict run")  # before reading or cleaning anything there
        try:
            output = cls._open_locked(out, files, columns, settings, warn)
        except BaseException:
            lock.release()
            if created:
                with contextlib.suppress(OSError):
                    out.rmdir()  # a refused run leaves no folder behind
            raise
        output.lock = lock
        return output

    @classmethod
    def _open_locked(cls, out: Path, files: Sequence[Path], columns: Columns, settings: dict,
                     warn: Callable[[str], None] | None) -> Output:
        manifest = out / MANIFEST
        if manifest.is_file():
            try:
                saved = json.loads(manifest.read_text(encoding="utf-8"))
            except (OSError, ValueError) as e:
                why = " ".join(str(e).split())
                raise ArchiveError(f"{manifest}: unreadable ({why}); delete {out} to start again") from None
            if saved.get("settings") != settings:
                raise ArchiveError(f"{out} holds another run ({_differences(saved.get('settings', {}), settings)}); "
                                   "write to a new directory, or delete this one to start again")
            for tmp in out.glob(".*.tmp"):  # a part or manifest cut short by a kill (the lock says no run writes them)
                tmp.unlink()
            shards = [Shard.from_dict(s) for s in saved["shards"]]
            return cls(out, settings, shards, _read_done(out, settings["output_format"]))
        if any(p.name != LOCK_NAME for p in out.iterdir()):
            raise ArchiveError(f"{out}: not empty and no {MANIFEST} in it (not an indoquote output); name a new directory")
        shards = unique_ids(plan_shards(files, columns, settings["shard_rows"]), columns, warn)
        doc = {"version": MANIFEST_VERSION, "settings": settings, "shards": [asdict(s) for s in shards]}
        _write_atomic(manifest, lambda p: p.write_text(json.dumps(doc, indent=1, ensure_ascii=False), encoding="utf-8"))
        return cls(out, settings, shards, {})

    def close(self) -> None:
        """Release the folder's lock (the run is over)."""
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    def pending(self) -> list[Shard]:
        return [s for s in self.shards if s.id not in self.done]

    def complete(self, result: ShardResult) -> None:
        """Write the shard's part file, then its ``_shards.jsonl`` line (so a listed shard always has its part)."""
        write_part(self.path, result.shard, result.table, self.format)
        entry = result.entry()
        append_line(self.path / DONE, json.dumps(entry, ensure_ascii=False))  # whole line or none, fsynced
        self.done[result.shard.id] = entry


def _differences(old: dict, new: dict) -> str:
    keys = [k for k in sorted(set(old) | set(new)) if old.get(k) != new.get(k)]
    shown = []
    for k in keys:
        if k == "inputs":
            shown.append("the input files or their sizes/dates differ")
        else:
            shown.append(f"{k}: {old.get(k)!r} then, {new.get(k)!r} now")
        if k == "output_format":
            shown[-1] += " (--output-format)"
    return "; ".join(shown) or "another manifest version"


def _read_done(out: Path, fmt: str) -> dict[str, dict]:
    """Shards listed in ``_shards.jsonl`` whose part file exists (a torn last line is ignored)."""
    done: dict[str, dict] = {}
    path = out / DONE
    if not path.exists():
        return done
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if (out / f"part-{entry['shard']}.{fmt}").is_file():
            done[entry["shard"]] = entry
    return done


def read_output(path: str | os.PathLike, columns: Sequence[str] | None = None) -> pa.Table:
    """The quotation table of an output directory (complete shards, in plan order); ``columns`` that exist only.

    Shards whose carried columns differ in type (a column all null in one JSONL
    shard) are unified; a column missing from a shard is null there.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    out = Path(path)
    manifest = out / MANIFEST
    if not manifest.is_file():
        raise ArchiveError(f"{out}: no {MANIFEST}; not an output of `indoquote predict -o DIR`")
    saved = json.loads(manifest.read_text(encoding="utf-8"))
    fmt = saved["settings"]["output_format"]
    done = _read_done(out, fmt)
    tables = []
    for s in saved["shards"]:
        if s["id"] not in done:
            continue
        part = out / f"part-{s['id']}.{fmt}"
        if fmt == "parquet":
            names = pq.read_schema(part).names
            t = pq.read_table(part, columns=[c for c in columns if c in names] if columns is not None else None)
        else:
            rows = [json.loads(line) for line in part.read_text(encoding="utf-8").splitlines() if line.strip()]
            t = pa.Table.from_pylist(rows) if rows else pa.table({ID_FIELD: pa.array([], pa.string())})
            if columns is not None:
                t = t.select([c for c in columns if c in t.column_names])
        tables.append(t)
    if not tables:
        return pa.table({c: pa.array([], pa.string()) for c in (columns or [ID_FIELD])})
    return pa.concat_tables(tables, promote_options="permissive")


def read_done_entries(path: str | os.PathLike) -> list[dict]:
    """The ``_shards.jsonl`` entries of complete shards (accounting: articles, bad rows)."""
    out = Path(path)
    saved = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    return list(_read_done(out, saved["settings"]["output_format"]).values())


__all__ = [
    "OUTPUT_FORMATS",
    "Output",
    "read_done_entries",
    "read_output",
    "run_settings",
    "write_part",
]
