"""``indoquote predict`` in a subprocess under faults: a bad file among good ones, killed while writing."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SEED_DIR

SEED = SEED_DIR / "antara-nato-russia-2021.txt"
SHORT = "\"Kami siap berdialog,\" kata Sekjen NATO Jens Stoltenberg di Brussels."


def ids(text: str) -> list[str]:
    return [json.loads(line)["id"] for line in text.splitlines()]


@pytest.mark.slow
def test_fault_injection_bad_file_in_the_middle(tiny_checkpoint, tmp_path, indoquote_cli):
    docs = tmp_path / "docs"
    docs.mkdir()
    for name in ("a", "b", "d", "e"):
        (docs / f"{name}.txt").write_text(SHORT.replace("Kami", f"Kami ({name})"), encoding="utf-8")
    (docs / "c.txt").write_bytes(bytes(range(256)))  # the bad one, in the middle of the sorted list
    dest = tmp_path / "out.jsonl"
    proc = indoquote_cli("predict", str(docs), "--model", str(tiny_checkpoint), "-o", str(dest), cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert ids(dest.read_text(encoding="utf-8")) == ["a", "b", "d", "e"]
    assert f"skipped {docs / 'c.txt'}: not UTF-8" in proc.stderr
    assert "tagged 4 article(s), skipped 1 (see above)" in proc.stderr and "Traceback" not in proc.stderr
    assert not Path(str(dest) + ".part").exists()


@pytest.mark.slow
@pytest.mark.parametrize("sig", ["SIGKILL", "SIGTERM"])
def test_killed_while_writing_leaves_no_complete_looking_output(tiny_checkpoint, tmp_path, sig):
    """Killed after its first chunk is on disk: nothing at the ``-o`` path (SIGTERM: no ``.part`` either)."""
    import os
    import signal
    import time

    seed = SEED.read_text(encoding="utf-8")
    n = 3_000_000 // len(seed)  # 1.5 chunks of CHUNK_CHARS: written once, then still at work
    (tmp_path / "big.jsonl").write_text("".join(json.dumps({"id": f"a{i}", "text": seed}) + "\n" for i in range(n)), encoding="utf-8")
    dest, part = tmp_path / "out.jsonl", tmp_path / "out.jsonl.part"
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    cmd = [sys.executable, "-m", "indoquote", "predict", str(tmp_path / "big.jsonl"), "--model", str(tiny_checkpoint)]
    proc = subprocess.Popen([*cmd, "-o", str(dest)], env=env, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 300
        while not (part.exists() and part.stat().st_size > 0):
            assert proc.poll() is None, f"finished before it could be killed: {proc.stderr.read()}"
            assert time.monotonic() < deadline, "never started writing"
            time.sleep(0.05)
        proc.send_signal(getattr(signal, sig))
        _, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert not dest.exists(), f"{sig}: a file at the output path claims to be complete"
    if sig == "SIGTERM":
        assert proc.returncode == 143 and "terminated" in err and not part.exists()
    else:
        assert proc.returncode == -signal.SIGKILL
