"""Faults injected into whole runs: SIGKILL mid-training, a corrupt checkpoint, a dirty publish directory, bad settings.

Disk faults (full, read-only), two runs at once and SIGKILL of the other commands: ``tests/e2e/test_faults_io.py``.

Each test is a user's bad day replayed on the tiny model; the run that follows must
end where an undisturbed one ends (same weights), or stop with one clear line.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

import pytest

from indoquote.training.train import DONE, run

from conftest import SMOKE_FAST, compose, crash_callback

pytestmark = pytest.mark.slow

OVER = SMOKE_FAST + ["trainer.eval_strategy=steps", "trainer.eval_steps=4", "trainer.max_steps=12"]
"""Checkpoints at steps 4, 8 and 12 (save_total_limit=2 keeps the last two and the best)."""


def weights(best: Path) -> dict:
    from safetensors.torch import load_file

    return load_file(str(best / "model.safetensors"))


def assert_same_weights(a: Path, b: Path) -> None:
    import torch

    wa, wb = weights(a), weights(b)
    assert wa.keys() == wb.keys()
    for k in wa:
        assert torch.allclose(wa[k], wb[k], rtol=1e-5, atol=1e-6), k


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> tuple[Path, dict]:
    """The uninterrupted run: its best/ and metrics."""
    run_dir = tmp_path_factory.mktemp("reference") / "run"
    return run_dir / "best", run(compose(OVER), run_dir)


def launch(root: Path, log: Path, *extra: str) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "indoquote", "train", *OVER, f"output_root={root}", *extra]
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    with open(log, "w") as out:
        return subprocess.Popen(cmd, cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT)


def kill_when(proc: subprocess.Popen, ready: Callable[[], bool], timeout: float = 300) -> None:
    """SIGKILL ``proc`` as soon as ``ready()``; fails if it ends (or times out) first."""
    deadline = time.monotonic() + timeout
    while proc.poll() is None and time.monotonic() < deadline:
        if ready():
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            return
        time.sleep(0.01)
    proc.kill()
    pytest.fail(f"the run ended (rc={proc.returncode}) before the kill point")


def test_sigkill_at_two_points_then_the_same_command_ends_with_the_uninterrupted_weights(tmp_path, reference):
    ref_best, ref_metrics = reference
    root = tmp_path
    # 1. killed right after the first checkpoint is complete
    kill_when(launch(root, root / "1.log"), lambda: any(root.glob("smoke/*/checkpoints/checkpoint-4/trainer_state.json")))
    [first] = [d for d in root.glob("smoke/*") if (d / "checkpoints").is_dir()]
    assert not (first / DONE).exists()
    # 2. the same command continues that run; killed as soon as the next checkpoint starts to be written
    kill_when(launch(root, root / "2.log"), lambda: (first / "checkpoints" / "checkpoint-8").exists())
    assert not (first / DONE).exists()
    # 3. and again, to the end
    proc = launch(root, root / "3.log")
    assert proc.wait(timeout=600) == 0, (root / "3.log").read_text()[-3000:]
    assert (first / DONE).exists()
    assert_same_weights(first / "best", ref_best)
    assert_same_weights(first / "checkpoints" / "checkpoint-12", ref_best.parent / "checkpoints" / "checkpoint-12")
    metrics = json.loads((first / "metrics.json").read_text())
    assert metrics["train"]["steps"] == 12
    assert metrics["test"]["micro_f1"] == ref_metrics["test"]["micro_f1"]
    assert metrics["train"]["loss"] == pytest.approx(ref_metrics["train"]["loss"], rel=1e-5)
    log = (root / "3.log").read_text()
    if (first / "checkpoints" / "incomplete-checkpoint-8").exists():  # killed mid-save: said so, fell back
        assert "checkpoint-8 is incomplete" in log




def test_a_truncated_latest_checkpoint_falls_back_to_the_previous_one(tmp_path, reference, caplog):
    ref_best, ref_metrics = reference
    with pytest.raises(KeyboardInterrupt):
        run(compose(OVER), tmp_path / "r1", callbacks=[crash_callback(8)])
    latest = tmp_path / "r1" / "checkpoints" / "checkpoint-8" / "model.safetensors"
    data = latest.read_bytes()
    latest.write_bytes(data[: len(data) // 2])  # a disk that filled up, a copy cut short

    resumed = run(compose(OVER), tmp_path / "r2")
    assert "checkpoint-8 is incomplete (model.safetensors is truncated" in caplog.text
    assert f"resuming from {tmp_path / 'r1' / 'checkpoints' / 'checkpoint-4'}" in caplog.text
    assert (tmp_path / "r1" / "checkpoints" / "incomplete-checkpoint-8").is_dir()
    assert resumed["train"]["steps"] == 12 and resumed["train"]["resumed_from_step"] == 4
    assert_same_weights(tmp_path / "r1" / "best", ref_best)
    assert_same_weights(tmp_path / "r1" / "checkpoints" / "checkpoint-12", ref_best.parent / "checkpoints" / "checkpoint-12")
    assert resumed["test"]["loss"] == pytest.approx(ref_metrics["test"]["loss"], rel=1e-5)


@pytest.mark.parametrize("piece", ["optimizer.pt", "scheduler.pt"])
def test_a_corrupt_optimizer_or_scheduler_state_falls_back_to_the_previous_checkpoint(tmp_path, reference, caplog,
                                                                                       piece):
    ref_best, _ = reference
    with pytest.raises(KeyboardInterrupt):
        run(compose(OVER), tmp_path / "r1", callbacks=[crash_callback(8)])
    f = tmp_path / "r1" / "checkpoints" / "checkpoint-8" / piece
    data = f.read_bytes()
    f.write_bytes(data[: len(data) // 2])  # torch.load would crash the resumed run on it

    resumed = run(compose(OVER), tmp_path / "r2")
    assert f"checkpoint-8 is incomplete ({piece} is truncated or not a torch file" in caplog.text
    assert resumed["train"]["steps"] == 12 and resumed["train"]["resumed_from_step"] == 4
    assert_same_weights(tmp_path / "r1" / "best", ref_best)


def test_publish_over_a_dirty_directory(tmp_path, tiny_checkpoint, indoquote_cli):
    out = tmp_path / "pub"
    out.mkdir()
    (out / "model.onnx").write_bytes(b"an older model")
    (out / ".env").write_text("HF_TOKEN=secret\n")
    r = indoquote_cli("publish", f"checkpoint={tiny_checkpoint}", f"out={out}", cwd=tmp_path)
    assert r.returncode != 0 and "is not empty" in r.stderr and "overwrite=true" in r.stderr
    assert "Traceback" not in r.stderr
    assert sorted(p.name for p in out.iterdir()) == [".env", "model.onnx"]

    r = indoquote_cli("publish", f"checkpoint={tiny_checkpoint}", f"out={out}", "overwrite=true", cwd=tmp_path)
    assert r.returncode == 0, r.stderr[-2000:]
    names = {p.name for p in out.iterdir()}
    assert not names & {".env", "model.onnx"} and "model.safetensors" in names
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pub"]  # no staging or old directory left


@pytest.mark.parametrize("override,message", [
    ("trainer.epochs=-1", "trainer.epochs=-1: must be > 0"),
    ("+trainer.lrr=1", "trainer.lrr: unknown key; did you mean trainer.lr?"),
])
def test_bad_settings_exit_non_zero_naming_the_key(tmp_path, indoquote_cli, override, message):
    r = indoquote_cli("train", "experiment=smoke", override, f"output_root={tmp_path}", cwd=tmp_path)
    assert r.returncode != 0 and message in r.stderr and "Traceback" not in r.stderr
    assert not list(tmp_path.glob("smoke/*/best"))  # no untrained "best" model exported
