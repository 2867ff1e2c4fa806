"""Smoke test: bench/bench_train_step.py runs every variant on the tiny checkpoint (numbers not checked)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "bench" / "bench_train_step.py"


def test_bench_train_step_runs_every_variant(tiny_checkpoint, capsys):
    spec = importlib.util.spec_from_file_location("bench_train_step", BENCH)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    rows = bench.main(["--model", str(tiny_checkpoint), "--windows", "6", "--batch-size", "2", "--length", "24"])
    assert [name for name, _ in rows] == list(bench.VARIANTS)
    assert all(s > 0 for _, s in rows)
    out = capsys.readouterr().out
    assert "| variant | windows/s | speed vs naive |" in out and "recipe vs naive: " in out
