"""Shared by the serve tests: the seed and dev articles, a free port, a real `indoquote serve` process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from indoquote.serve.ready import free_port, wait_ready

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "seeds" / "antara-nato-russia-2021.jsonl"


def seed() -> dict:
    """The seed article as ``{"id", "text"}``."""
    obj = json.loads(SEED.read_text(encoding="utf-8").splitlines()[0])
    return {"id": obj["id"], "text": obj["text"]}


def dev_texts(n: int) -> list[str]:
    """The first ``n`` texts of data/dev-articles (part-a, then part-b)."""
    out: list[str] = []
    for f in sorted((ROOT / "data" / "dev-articles").glob("*.jsonl")):
        out += [json.loads(line)["text"] for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]
    return out[:n]


class Server:
    """``indoquote serve`` in a subprocess on 127.0.0.1 (one torch thread); ``url``, ``proc``, ``stop()``."""

    def __init__(self, model: Path, *args: str, env: dict | None = None, ready_s: float = 180):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        cmd = [sys.executable, "-m", "indoquote", "serve", "--model", str(model), "--port", str(self.port),
               "--threads", "1", *args]
        full_env = {**os.environ, "OMP_NUM_THREADS": "1", **(env or {})}
        self.proc = subprocess.Popen(cmd, env=full_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.wait_ready(ready_s)

    def wait_ready(self, seconds: float) -> None:
        try:
            wait_ready(self.url, seconds, self.proc)
        except RuntimeError as e:
            raise RuntimeError(f"indoquote serve: {e}\n{self.stop()}") from None

    def stop(self) -> str:
        """Terminate (SIGTERM), wait, and return what it printed."""
        if self.proc.poll() is None:
            self.proc.terminate()
        try:
            out, _ = self.proc.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            out, _ = self.proc.communicate()
        return out or ""
