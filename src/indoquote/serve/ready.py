"""Waiting for a server to be ready: deploy scripts, the bench and the tests poll ``/readyz`` the same way."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.error
import urllib.request
from typing import Optional


def free_port(host: str = "127.0.0.1") -> int:
    """A port nobody listens on now (for a test or bench server)."""
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def is_ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(url.rstrip("/") + "/readyz", timeout=2) as r:
            return r.status == 200
    except (urllib.error.URLError, OSError):
        return False


def wait_ready(url: str, seconds: float = 600, proc: Optional[subprocess.Popen] = None) -> None:
    """Return once ``url/readyz`` answers 200; ``RuntimeError`` when ``proc`` exits first or time runs out."""
    deadline = time.monotonic() + seconds
    while not is_ready(url):
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"the server exited with status {proc.returncode} before it was ready")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} not ready after {seconds:g} s")
        time.sleep(0.2)
