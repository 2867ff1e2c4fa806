"""Smoke test: bench/bench_train_step.py runs every variant on the tiny checkpoint (numbers not checked)."""

from __future__ import annotations

from conftest import load_bench


def test_bench_train_step_runs_every_variant(tiny_checkpoint, capsys):
    bench = load_bench("bench_train_step")
    rows = bench.main(["--model", str(tiny_checkpoint), "--windows", "6", "--batch-size", "2", "--length", "24"])
    assert [name for name, _ in rows] == list(bench.VARIANTS)
    assert all(s > 0 for _, s in rows)
    out = capsys.readouterr().out
    assert "| variant | windows/s | speed vs naive |" in out and "recipe vs naive: " in out


def test_bench_train_step_times_frozen_layers(tiny_checkpoint, capsys):
    bench = load_bench("bench_train_step")
    rows = bench.main(["--model", str(tiny_checkpoint), "--windows", "4", "--batch-size", "2", "--length", "24",
                       "--freeze-layers", "1"])
    assert rows[-1][0] == "recipe + 1 lowest encoder layers frozen" and rows[-1][1] > 0


def test_bench_train_step_times_fewer_layers(tiny_checkpoint, capsys):
    bench = load_bench("bench_train_step")
    rows = bench.main(["--model", str(tiny_checkpoint), "--windows", "4", "--batch-size", "2", "--length", "24",
                       "--keep-layers", "1"])
    assert rows[-1][0] == "recipe + only the 1 lowest encoder layers, 0 of them frozen" and rows[-1][1] > 0


def test_bench_train_step_profiles_a_recipe_pass(tiny_checkpoint, capsys):
    """--profile prints torch.profiler's table of the recipe's operators, the heaviest first, and times nothing."""
    bench = load_bench("bench_train_step")
    rows = bench.main(["--model", str(tiny_checkpoint), "--windows", "4", "--batch-size", "2", "--length", "24",
                       "--profile", "5"])
    out = capsys.readouterr().out
    assert rows == [] and "Self CPU" in out and "aten::" in out and "speed vs naive" not in out


def test_bench_train_step_times_the_cpu_kernels(tiny_checkpoint, capsys):
    bench = load_bench("bench_train_step")
    rows = bench.main(["--model", str(tiny_checkpoint), "--windows", "4", "--batch-size", "2", "--length", "24",
                       "--kernels"])
    assert [n for n, _ in rows[-3:]] == [n for n, _, _ in bench.KERNELS] and all(s > 0 for _, s in rows[-3:])


def test_bench_train_step_uses_bf16_only_where_the_cpu_computes_in_it(tiny_checkpoint, capsys, monkeypatch):
    from indoquote.model import precision

    bench = load_bench("bench_train_step")
    monkeypatch.setattr(precision, "native_cpu_bf16", lambda: False)
    small = ["--model", str(tiny_checkpoint), "--windows", "2", "--batch-size", "2", "--length", "16"]
    bench.main(small)
    assert "bf16 autocast off (no bf16 instructions" in capsys.readouterr().out
    bench.main([*small, "--bf16", "on"])
    assert "bf16 autocast on" in capsys.readouterr().out
