"""One run at a time in an output folder: a lock file that says which process holds it.

Two archive runs into one folder (a retry started too early, a cron job that
overlaps the last one) would tag shards twice and write ``_shards.jsonl`` from two
processes. :func:`acquire` takes ``FOLDER/_indoquote.lock`` (a name pyarrow and
DuckDB pass over) before the run reads or writes anything there:

- The lock is an advisory ``flock`` on the file, which the kernel drops when the
  holder dies, however it dies (SIGKILL, power loss); the file holds the holder's
  pid, host, start time and command, for the message.
- **Held**: refused with :class:`LockError`: ``OUT is in use by another run (pid
  1234 on host h, since ...: indoquote predict ...)``.
- **Stale** (the file is there, nobody holds it: its run died): taken over with a
  warning naming the dead run. A file that names a *live* process of this host
  that is not its holder (a file system without ``flock``) is refused, to be safe.
- Released (the file removed) when the run ends, by an error or Ctrl-C too.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

try:
    import fcntl
except ImportError:  # not POSIX: the pid check alone
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

LOCK_NAME = "_indoquote.lock"


class LockError(RuntimeError):
    """The folder is being written by another run."""


@dataclass
class RunLock:
    """A held lock: release it (or use it as a context manager) when the run ends."""

    path: Path
    fd: int | None

    def release(self) -> None:
        if self.fd is None:
            return
        with contextlib.suppress(OSError):
            self.path.unlink()  # while still holding it: the next run finds no file, or a file nobody holds
        with contextlib.suppress(OSError):
            os.close(self.fd)
        self.fd = None

    def __enter__(self) -> RunLock:
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


def _holder(info: dict) -> str:
    if not info:
        return "an unknown run"
    command = f": {info['command']}" if info.get("command") else ""
    return f"pid {info.get('pid')} on host {info.get('host')}, since {info.get('started')}{command}"


def _read(fd: int) -> dict:
    os.lseek(fd, 0, os.SEEK_SET)
    data = b""
    while chunk := os.read(fd, 65536):
        data += chunk
    try:
        info = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return {}
    return info if isinstance(info, dict) else {}


def acquire(folder: str | os.PathLike, warn: Callable[[str], None] | None = None, what: str = "run") -> RunLock:
    """Take the lock of ``folder`` (which must exist) or raise :class:`LockError` naming the run that holds it.

    A stale lock (its run is gone) is taken over and ``warn`` (default: the log) told so.
    """
    warn = warn or log.warning
    path = Path(folder) / LOCK_NAME
    for _ in range(5):  # the holder may remove the file between our open and our flock: try again
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            if fcntl is not None:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    raise LockError(f"{folder} is in use by another {what} ({_holder(_read(fd))}); wait for it to end, "
                                    f"or stop it; two runs into one folder would write the same files") from None
                try:
                    same = os.fstat(fd).st_ino == os.stat(path).st_ino
                except FileNotFoundError:
                    same = False
                if not same:  # released and removed while we opened it: a new file, a new try
                    os.close(fd)
                    continue
            info = _read(fd)
            host, pid = info.get("host"), info.get("pid")
            if info and isinstance(pid, int) and pid != os.getpid():
                if host == socket.gethostname() and _alive(pid) and (fcntl is None or _proc_holds(pid, path)):
                    raise LockError(f"{folder} is in use by another {what} ({_holder(info)}); wait for it to end, "
                                    f"or delete {path} if that process is not an indoquote run")
                warn(f"{path}: took over a stale lock ({_holder(info)}; that run is gone)")
            mine = {"pid": os.getpid(), "host": socket.gethostname(), "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                    "command": " ".join(["indoquote", *sys.argv[1:]]) if sys.argv else ""}
            os.ftruncate(fd, 0)
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, (json.dumps(mine) + "\n").encode("utf-8"))
            os.fsync(fd)
            return RunLock(path, fd)
        except BaseException:
            with contextlib.suppress(OSError):
                os.close(fd)
            raise
    raise LockError(f"{folder}: could not take {path} (another run keeps taking and releasing it)")


def _proc_holds(pid: int, path: Path) -> bool:
    """Does live process ``pid`` have ``path`` open? (A pid reused by an unrelated process does not.)

    Where ``/proc`` cannot tell, assume it does: refusing is the safe side.
    """
    fds = Path(f"/proc/{pid}/fd")
    try:
        target = os.path.realpath(path)
        return any(os.path.realpath(f) == target for f in fds.iterdir())
    except OSError:
        return True


__all__ = ["LOCK_NAME", "LockError", "RunLock", "acquire"]
