"""Disk faults for tests: a full disk and a read-only folder.

Where the test may mount (root, a ``mount`` command, a kernel that allows it) the
folder is a real tmpfs: a small one that fills up, or one remounted read-only,
so every writer meets the fault the way it would in production (pyarrow and the
Rust writers of safetensors and tokenizers included). Elsewhere (CI without
mount rights) the fault is an :class:`OSError` (``ENOSPC`` / ``EROFS``) injected
where Python opens and writes files under the folder.
"""

from __future__ import annotations

import builtins
import contextlib
import errno
import io
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import pytest


def _run(*cmd: str) -> bool:
    try:
        return subprocess.run(cmd, capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def _mount_tmpfs(path: Path, options: str) -> bool:
    if os.environ.get("INDOQUOTE_TEST_NO_MOUNT") or os.geteuid() != 0 or not shutil.which("mount"):
        return False
    return _run("mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path))


def _umount(path: Path) -> None:
    if not _run("umount", str(path)):
        _run("umount", "-l", str(path))


@dataclass
class _Budget:
    root: Path
    err: int
    left: int | None = None  # bytes that may still be written under root (None: no limit)
    written: dict[str, int] = field(default_factory=dict)

    def covers(self, path) -> bool:
        try:
            return Path(os.path.abspath(os.fspath(path))).is_relative_to(self.root)
        except TypeError:
            return False


class _LimitedFile:
    """A file object under the faulty folder: writes fail once the budget is spent (the part that fits is written)."""

    def __init__(self, f, budget: _Budget, path: str):
        self._f, self._budget, self._path = f, budget, path

    def write(self, data):
        size = len(data.encode("utf-8", "surrogatepass")) if isinstance(data, str) else len(data)
        left = self._budget.left
        if left is not None and size > left:
            if left > 0:
                self._f.write(data[:left])
            self._budget.left = 0
            raise OSError(self._budget.err, os.strerror(self._budget.err), self._path)
        if left is not None:
            self._budget.left = left - size
        return self._f.write(data)

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def fileno(self):  # no raw descriptor: shutil and friends fall back to write()
        raise io.UnsupportedOperation("fileno")

    def __getattr__(self, name):
        return getattr(self._f, name)

    def __iter__(self):
        return iter(self._f)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self._f.close()


@contextlib.contextmanager
def _inject(budget: _Budget) -> Iterator[None]:
    real_open, real_os_open = builtins.open, os.open

    def fake_open(file, mode="r", *args, **kwargs):
        if isinstance(file, int) or not budget.covers(file) or not any(c in mode for c in "wax+"):
            return real_open(file, mode, *args, **kwargs)
        if budget.err == errno.EROFS:
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(file))
        return _LimitedFile(real_open(file, mode, *args, **kwargs), budget, str(file))

    def fake_os_open(path, flags, *args, **kwargs):
        writes = flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT)
        if writes and budget.covers(path) and (budget.err == errno.EROFS or budget.left == 0):
            raise OSError(budget.err, os.strerror(budget.err), str(path))
        return real_os_open(path, flags, *args, **kwargs)

    real_mkdir = Path.mkdir

    def fake_mkdir(self, *args, **kwargs):
        if budget.err == errno.EROFS and budget.covers(self) and not self.exists():
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(self))
        return real_mkdir(self, *args, **kwargs)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(builtins, "open", fake_open)
        mp.setattr(io, "open", fake_open)
        mp.setattr(os, "open", fake_os_open)
        mp.setattr(Path, "mkdir", fake_mkdir)
        yield


@dataclass
class Disk:
    """A folder on a small disk: ``kind`` is ``tmpfs`` (real) or ``injected``."""

    path: Path
    kind: str
    _budget: _Budget | None = None

    def fill(self, leave: int) -> None:
        """Leave only about ``leave`` bytes free."""
        if self._budget is not None:
            self._budget.left = leave
            return
        st = os.statvfs(self.path)
        free = st.f_bavail * st.f_frsize
        if free > leave:
            with open(self.path / "filler", "wb") as f:
                with contextlib.suppress(OSError):
                    f.write(b"\0" * (free - leave))

    def free(self) -> None:
        """Room again (the filler removed, the budget lifted)."""
        if self._budget is not None:
            self._budget.left = None
        (self.path / "filler").unlink(missing_ok=True)


@contextlib.contextmanager
def small_disk(path: Path, kib: int = 4096) -> Iterator[Disk]:
    """``path`` on a tmpfs of ``kib`` KiB (or, where mounting is not allowed, a folder whose writes are budgeted)."""
    path.mkdir(parents=True, exist_ok=True)
    if _mount_tmpfs(path, f"size={kib}k"):
        try:
            yield Disk(path, "tmpfs")
        finally:
            _umount(path)
        return
    budget = _Budget(Path(os.path.abspath(path)), errno.ENOSPC)
    with _inject(budget):
        yield Disk(path, "injected", budget)


@contextlib.contextmanager
def read_only(path: Path) -> Iterator[str]:
    """``path`` an empty read-only folder: a tmpfs remounted ``ro``, or ``EROFS`` injected."""
    path.mkdir(parents=True, exist_ok=True)
    if _mount_tmpfs(path, "size=1024k"):
        try:
            if _run("mount", "-o", "remount,ro", str(path)):
                yield "tmpfs"
                return
        finally:
            _umount(path)
    with _inject(_Budget(Path(os.path.abspath(path)), errno.EROFS)):
        yield "injected"


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (relative path -> bytes)."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def stray_temps(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob(".*.tmp"))
