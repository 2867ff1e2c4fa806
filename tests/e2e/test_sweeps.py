"""Whole training commands in subprocesses: sweeps, two runs at once, two-process data parallel, Optuna."""

import json
import os
import subprocess
import sys

import pytest

from conftest import SMOKE_FAST

FAST = SMOKE_FAST + ["trainer.epochs=2"]


@pytest.fixture
def indoquote(indoquote_cli):
    return indoquote_cli


@pytest.mark.slow
def test_multirun_sweep_gives_one_directory_per_run_and_a_summary(tmp_path, indoquote):
    r = indoquote("train", "-m", *FAST, "seed=1,2", f"output_root={tmp_path}", cwd=tmp_path)
    assert r.returncode == 0, r.stderr[-2000:]
    [sweep] = tmp_path.glob("multirun/smoke/*")
    runs = sorted(p.name for p in sweep.iterdir() if (p / "metrics.json").exists())
    assert runs == ["0", "1"]
    summary = json.loads((sweep / "summary.json").read_text())
    assert len(summary) == 2 and {row["overrides"].count("seed=") for row in summary} == {1}
    assert (sweep / "summary.md").read_text().startswith("| run |")


@pytest.mark.slow
def test_two_runs_started_together_never_share_a_directory(tmp_path):
    procs = [
        subprocess.Popen([sys.executable, "-m", "indoquote", "train", *FAST, "trainer.max_steps=1", f"output_root={tmp_path}"],
                         cwd=tmp_path, env={**os.environ, "OMP_NUM_THREADS": "1"}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(2)
    ]
    assert [p.wait(timeout=600) for p in procs] == [0, 0]
    assert len(list(tmp_path.glob("smoke/*/metrics.json"))) == 2


@pytest.mark.skipif(sys.platform != "linux", reason="gloo on linux")
@pytest.mark.slow
def test_two_process_data_parallel_on_cpu(tmp_path, indoquote):
    torchrun = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2", "-m", "indoquote"]
    r = indoquote("train", *FAST, f"output_root={tmp_path}", cwd=tmp_path, launcher=torchrun)
    assert r.returncode == 0, r.stderr[-3000:]
    [run] = list(tmp_path.glob("smoke/ddp-*"))  # both processes wrote into one run directory
    metrics = json.loads((run / "metrics.json").read_text())
    assert (run / "best" / "model.safetensors").exists()
    state = json.loads(sorted(run.glob("checkpoints/checkpoint-*/trainer_state.json"))[-1].read_text())
    single_steps = 6  # 42 train windows, batch 8 -> 6 steps/epoch on one process, 2 epochs = 12; two processes halve it
    assert state["global_step"] == single_steps
    assert "micro_f1" in metrics["test"]


@pytest.mark.slow
def test_optuna_search_optimises_validation_f1(tmp_path, indoquote):
    r = indoquote("train", "-m", "hparams_search=optuna", "hydra.sweeper.n_trials=2", *FAST, f"output_root={tmp_path}", cwd=tmp_path)
    assert r.returncode == 0, r.stderr[-2000:]
    [sweep] = tmp_path.glob("multirun/smoke/*")
    best = (sweep / "optimization_results.yaml").read_text()
    assert "best_value" in best and "trainer.lr" in best
    assert len(json.loads((sweep / "summary.json").read_text())) == 2
