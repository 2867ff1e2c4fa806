"""``indoquote.archive.run_lock``: one run per output folder; a held lock refused naming its run, a stale one
taken over."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time

import pytest

from indoquote.archive.run_lock import LOCK_NAME, LockError, acquire

HOLD = ("import sys, time; from indoquote.archive.run_lock import acquire; acquire(sys.argv[1]); "
        "print('held', flush=True); time.sleep(60)")


def test_a_held_lock_is_refused_naming_the_run_that_holds_it(tmp_path):
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(tmp_path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(LockError, match=f"is in use by another run \\(pid {holder.pid} on host "
                                            f"{socket.gethostname()}, since "):
            acquire(tmp_path)
    finally:
        holder.kill()
        holder.wait()
    warnings: list[str] = []
    with acquire(tmp_path, warn=warnings.append):  # its holder died: stale, taken over
        info = json.loads((tmp_path / LOCK_NAME).read_text())
        assert info["pid"] == os.getpid() and info["host"] == socket.gethostname()
        with pytest.raises(LockError):  # one holder at a time, in one process too
            acquire(tmp_path)
    assert len(warnings) == 1 and f"took over a stale lock (pid {holder.pid} on host" in warnings[0]
    assert not (tmp_path / LOCK_NAME).exists()  # released: the file is gone


def test_a_stale_lock_of_a_dead_process_is_taken_over(tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (tmp_path / LOCK_NAME).write_text(json.dumps({"pid": dead.pid, "host": socket.gethostname(), "started": "then"}))
    warnings: list[str] = []
    lock = acquire(tmp_path, warn=warnings.append)
    lock.release()
    assert warnings == [f"{tmp_path / LOCK_NAME}: took over a stale lock (pid {dead.pid} on host "
                        f"{socket.gethostname()}, since then; that run is gone)"]


def test_a_live_process_that_has_the_lock_file_open_is_never_robbed(tmp_path):
    """A lock file that names a live process of this host that keeps it open (a file system without flock)."""
    (tmp_path / LOCK_NAME).write_text("")
    keep = "import sys, time; f = open(sys.argv[1]); print('open', flush=True); time.sleep(60)"
    keeper = subprocess.Popen([sys.executable, "-c", keep, str(tmp_path / LOCK_NAME)], stdout=subprocess.PIPE,
                              text=True)
    try:
        assert keeper.stdout.readline().strip() == "open"
        info = {"pid": keeper.pid, "host": socket.gethostname(), "started": "now"}
        (tmp_path / LOCK_NAME).write_text(json.dumps(info))
        time.sleep(0.1)
        with pytest.raises(LockError, match=f"delete {tmp_path / LOCK_NAME} if that process is not an indoquote run"):
            acquire(tmp_path)
    finally:
        keeper.kill()
        keeper.wait()
