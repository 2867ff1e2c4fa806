"""A real Label Studio server for the tests: started on loopback in its own data folder, stopped after.

Label Studio lives in its own virtual environment (its pins clash with ours): the server is
``$INDOQUOTE_LABEL_STUDIO`` (the ``label-studio`` executable) or ``.venv-ls/bin/label-studio`` of the
checkout, as ``.ci/run`` installs it; the SDK driver runs with the Python beside it.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parents[2]
STARTUP_S = 240


@dataclass
class Studio:
    url: str
    token: str
    python: Path
    log: Path
    username: str


def server_binary() -> Path | None:
    env = os.environ.get("INDOQUOTE_LABEL_STUDIO")
    path = Path(env) if env else ROOT / ".venv-ls" / "bin" / "label-studio"
    return path if path.is_file() and os.access(path, os.X_OK) else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


@contextmanager
def label_studio(binary: Path, data_dir: Path, password: str | None = None,
                 username: str = "lead@example.org") -> Iterator[Studio]:
    """Start ``label-studio`` with a user and a legacy API token; stop it (its whole process group) after."""
    port, token = free_port(), secrets.token_hex(20)
    data_dir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "LABEL_STUDIO_BASE_DATA_DIR": str(data_dir), "LABEL_STUDIO_USERNAME": username,
           "LABEL_STUDIO_PASSWORD": password or secrets.token_hex(8), "LABEL_STUDIO_USER_TOKEN": token,
           "LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN": "true", "HOME": str(data_dir)}
    log = data_dir / "server.log"
    cmd = [str(binary), "start", "--no-browser", "--internal-host", "127.0.0.1", "--port", str(port),
           "--data-dir", str(data_dir), "--enable-legacy-api-token", "--log-level", "WARNING"]
    with open(log, "w") as out:
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_S
        while not _healthy(url):
            if proc.poll() is not None or time.monotonic() > deadline:
                why = f"exited with {proc.returncode}" if proc.poll() is not None else f"not up after {STARTUP_S} s"
                raise RuntimeError(f"label-studio {why}; its log:\n{log.read_text()[-3000:]}")
            time.sleep(1)
        yield Studio(url, token, binary.parent / "python", log, username)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, 15)  # the group this Popen started (the server and its workers), nothing else
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, 9)
                proc.wait()
