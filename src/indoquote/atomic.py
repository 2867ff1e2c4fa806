"""Files written whole or not at all, and I/O errors that name their path in one line.

Every file a command writes goes through here: it is written to a hidden
temporary file beside its final name (``.NAME.<random>.tmp``, so readers of the
folder such as pyarrow and DuckDB pass it over), flushed to disk, and renamed
over the final name only once complete (``os.replace`` on one file system is
atomic). A full disk, a read-only target or an exception half-way leaves the
previous file (or nothing) under the final name and removes the temporary file;
only a SIGKILL can leave a ``.tmp`` behind, and never under the final name.

- :func:`write_text` / :func:`write_bytes`: a whole file from memory.
- :func:`atomic_open`: a file object for writers that stream (``csv.writer``, JSONL lines).
- :func:`atomic_path`: a temporary path for libraries that want a path (``pq.write_table``,
  ``savefig``, ``safetensors.save_file``).
- :func:`file_set`: several files that appear together or not at all (a report, an evaluation).
- :func:`append_line`: one durable line appended to a log (``_shards.jsonl``); a failed append is rolled back.
- :func:`check_writable`: is a file creatable at this path? Asked before a model loads.

Errors are :class:`OutputError` (an :class:`OSError`, so existing ``except OSError`` handlers
still catch them) whose text is one line: ``cannot write PATH: reason (ERRNO)``.
"""

from __future__ import annotations

import contextlib
import errno as errno_names
import os
import uuid
from pathlib import Path
from typing import IO, Iterator

TMP_SUFFIX = ".tmp"


class OutputError(OSError):
    """An output that could not be written: its path, what was being done, and the system's reason, in one line."""

    def __init__(self, path: str | os.PathLike, reason: OSError | str, action: str = "write"):
        code = reason.errno if isinstance(reason, OSError) else None
        super().__init__(code, _reason(reason))
        self.path, self.action = str(path), action

    def __str__(self) -> str:
        return f"cannot {self.action} {self.path}: {self.strerror}"


def _reason(e: OSError | str) -> str:
    if isinstance(e, str):
        return e
    text = e.strerror or str(e) or type(e).__name__
    name = errno_names.errorcode.get(e.errno or 0)
    text = " ".join(str(text).split())  # one line, whatever the library put in it
    return f"{text} ({name})" if name and name not in text else text


def as_output_error(e: BaseException, path: str | os.PathLike, action: str = "write") -> BaseException:
    """``e`` as an :class:`OutputError` naming ``path`` when it is an OS error (and not one already)."""
    if isinstance(e, OSError) and not isinstance(e, OutputError):
        return OutputError(path, e, action)
    return e


def temp_path(path: str | os.PathLike) -> Path:
    """A fresh hidden name beside ``path`` (unique, so two writers never share one)."""
    p = Path(path)
    return p.with_name(f".{p.name}.{uuid.uuid4().hex[:8]}{TMP_SUFFIX}")


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable (not possible everywhere: ignored where directories cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike, tmp: str | os.PathLike | None = None) -> Iterator[Path]:
    """A temporary path beside ``path`` to write to; renamed to ``path`` when the block ends without an error.

    On any error (or Ctrl-C) the temporary file is removed and ``path`` is left as
    it was; OS errors are raised as :class:`OutputError` naming ``path``. ``tmp``
    names the temporary file where a command documents one (``OUTPUT.part``).
    """
    files = FileSet()
    with files.path(path, tmp) as written:
        yield written
    files.commit()


@contextlib.contextmanager
def atomic_open(path: str | os.PathLike, mode: str = "w", encoding: str | None = "utf-8",
                newline: str | None = None, tmp: str | os.PathLike | None = None) -> Iterator[IO]:
    """``open(path, mode)`` that lands under ``path`` only once the block ends without an error (``atomic_path``)."""
    if mode not in ("w", "wb"):
        raise ValueError(f"atomic_open writes whole files: mode 'w' or 'wb', got {mode!r}")
    binary = "b" in mode
    with atomic_path(path, tmp) as tmp:
        with open(tmp, "wb" if binary else "w", encoding=None if binary else encoding,
                  newline=None if binary else newline) as f:
            yield f
            f.flush()


def write_text(path: str | os.PathLike, text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` whole or not at all."""
    with atomic_open(path, "w", encoding=encoding) as f:
        f.write(text)
    return Path(path)


def write_bytes(path: str | os.PathLike, data: bytes) -> Path:
    """Write ``data`` to ``path`` whole or not at all."""
    with atomic_open(path, "wb") as f:
        f.write(data)
    return Path(path)


class FileSet:
    """Several files that appear together or not at all (a report: its CSVs, charts, Markdown and HTML).

    Each is written to its temporary name; only when every one is complete are
    they renamed, in the order written (so write the file that says "finished",
    ``report.html``, last). Use through :func:`file_set`.
    """

    def __init__(self) -> None:
        self._pending: list[tuple[Path, Path]] = []

    @contextlib.contextmanager
    def path(self, path: str | os.PathLike, tmp: str | os.PathLike | None = None) -> Iterator[Path]:
        """A temporary path for ``path`` (``tmp``, or a fresh hidden name), renamed at commit."""
        final = Path(path)
        tmp = Path(tmp) if tmp is not None else temp_path(final)
        try:
            yield tmp
            _fsync_file(tmp)
        except BaseException as e:
            with contextlib.suppress(OSError):
                tmp.unlink()
            converted = as_output_error(e, final)
            if converted is e:
                raise
            raise converted from e
        self._pending.append((tmp, final))

    @contextlib.contextmanager
    def open(self, path: str | os.PathLike, mode: str = "w", encoding: str | None = "utf-8",
             newline: str | None = None) -> Iterator[IO]:
        binary = "b" in mode
        with self.path(path) as tmp:
            with open(tmp, "wb" if binary else "w", encoding=None if binary else encoding,
                      newline=None if binary else newline) as f:
                yield f

    def write_text(self, path: str | os.PathLike, text: str, encoding: str = "utf-8") -> Path:
        with self.open(path, "w", encoding=encoding) as f:
            f.write(text)
        return Path(path)

    def write_bytes(self, path: str | os.PathLike, data: bytes) -> Path:
        with self.open(path, "wb") as f:
            f.write(data)
        return Path(path)

    def commit(self) -> None:
        """Rename every file into place (renames need no space: a full disk has already failed the writes)."""
        pending, self._pending = self._pending, []
        for i, (tmp, final) in enumerate(pending):
            try:
                os.replace(tmp, final)
            except OSError as e:
                for left, _ in pending[i:]:
                    with contextlib.suppress(OSError):
                        left.unlink()
                raise OutputError(final, e) from e
        for folder in {final.parent for _, final in pending}:
            _fsync_dir(folder)

    def discard(self) -> None:
        pending, self._pending = self._pending, []
        for tmp, _ in pending:
            with contextlib.suppress(OSError):
                tmp.unlink()


@contextlib.contextmanager
def file_set() -> Iterator[FileSet]:
    """A :class:`FileSet`: committed when the block ends without an error, else every temporary file removed."""
    files = FileSet()
    try:
        yield files
    except BaseException:
        files.discard()
        raise
    files.commit()


def append_line(path: str | os.PathLike, line: str, encoding: str = "utf-8") -> None:
    """Append one line to ``path`` and make it durable; a failed append is cut back off (no torn line stays).

    For logs read line by line (``_shards.jsonl``): a line is in the file whole, or not at all.
    """
    p = Path(path)
    data = (line if line.endswith("\n") else line + "\n").encode(encoding)
    try:
        fd = os.open(p, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o666)
    except OSError as e:
        raise OutputError(p, e) from e
    try:
        size = os.fstat(fd).st_size
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        except BaseException as e:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, size)
            converted = as_output_error(e, p)
            if converted is e:
                raise
            raise converted from e
    finally:
        os.close(fd)


def make_dirs(path: str | os.PathLike) -> Path:
    """``mkdir -p`` with an :class:`OutputError` naming the folder."""
    p = Path(path)
    try:
        p.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputError(p, e, "create the folder") from e
    return p


def check_writable(path: str | os.PathLike) -> str | None:
    """Why a file cannot be written at ``path`` (``None``: it can), found by creating and removing a temporary file.

    Cheap, and run before expensive work (loading a model) so a read-only or
    missing target is refused at once.
    """
    p = Path(path)
    if p.is_dir():
        return f"{p} is a directory; name a file"
    if not p.parent.is_dir():
        return f"no such directory {p.parent}"
    probe = temp_path(p)
    try:
        fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as e:
        return str(OutputError(p, e))
    os.close(fd)
    with contextlib.suppress(OSError):
        probe.unlink()
    return None


__all__ = [
    "FileSet",
    "OutputError",
    "append_line",
    "as_output_error",
    "atomic_open",
    "atomic_path",
    "check_writable",
    "file_set",
    "make_dirs",
    "temp_path",
    "write_bytes",
    "write_text",
]
