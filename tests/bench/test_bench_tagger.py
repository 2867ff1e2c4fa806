"""Smoke test: bench/bench_tagger.py runs end to end on the tiny checkpoint (numbers not checked)."""

from __future__ import annotations

import json

import pytest

from conftest import load_bench as _load


def load_bench():
    return _load("bench_tagger")


def test_synthesized_articles_differ_and_keep_their_length():
    arts = load_bench().synthesize(3)
    assert [a["id"] for a in arts] == ["synthetic-0", "synthetic-1", "synthetic-2"]
    assert len({a["text"] for a in arts}) == 3 and len({len(a["text"]) for a in arts}) == 1


def test_bench_runs_on_the_tiny_checkpoint(tiny_checkpoint, tmp_path, capsys):
    bench = load_bench()
    raw = tmp_path / "bench.json"
    # in-process keeps the smoke test fast; the real run starts one subprocess per variant
    assert (
        bench.main(["--model", str(tiny_checkpoint), "--n", "3", "--threads", "1", "--in-process", "--json", str(raw)])
        == 0
    )
    out = capsys.readouterr().out
    assert "batch vs one-at-a-time" in out and "ONNX int8 vs PyTorch fp32" in out and "bf16 weights vs fp32" in out
    assert "### Tagger throughput on CPU" in out and "- machine:" in out and "- date:" in out
    res = json.loads(raw.read_text())
    assert set(res) == set(bench.VARIANTS)
    assert all(r["articles"] == 3 and r["articles_per_s"] > 0 and 0 <= r["agreement"] <= 1 for r in res.values())
    assert res["torch-batch"]["agreement"] == 1.0  # batching changes no tag
    last = out.strip().splitlines()[-1]
    assert last.startswith("best speedup vs torch-loop: ") and "word-tag agreement" in last
    assert res["torch-loop"]["quotes"] == res["torch-batch"]["quotes"]
    assert all(r["subwords"] > 0 and r["subwords_per_s"] > 0 and 0 < r["roofline"] < 1 for r in res.values())
    from indoquote.model.precision import cpu_flags

    per_cycle = bench.flop_per_cycle("bf16", cpu_flags()) / bench.flop_per_cycle("fp32")
    # both rounded to 3 decimals
    assert res["torch-bf16-batch"]["peak_tflops"] == pytest.approx(per_cycle * res["torch-batch"]["peak_tflops"], rel=0.01)
    assert "sub-words/s | roofline |" in out and "MFLOP per sub-word" in out


def test_flops_per_subword_and_the_peak():
    """2 x the encoder layers' weights + attention over the window + the classifier; --peak-tflops overrides."""
    from types import SimpleNamespace

    bench = load_bench()
    config = SimpleNamespace(hidden_size=4, intermediate_size=8, num_hidden_layers=2, id2label={0: "O", 1: "B-X"})
    layer = 2 * (4 * 4 * 4 + 2 * 4 * 8) + 4 * 10 * 4  # projections and feed-forward, then QK^T and AV
    assert bench.flops_per_subword(config, 10) == 2 * layer + 2 * 4 * 2
    assert bench.peak_tflops("bf16", 2, override=1.5) == 1.5
    avx512 = {"avx512f", "avx512_bf16", "avx512_vnni"}
    assert bench.peak_tflops("int8", 2, flags=avx512) == 4 * bench.peak_tflops("fp32", 2, flags=avx512) > 0
    assert bench.peak_tflops("bf16", 2, flags=avx512) == 2 * bench.peak_tflops("fp32", 2, flags=avx512)
    # AMX tiles: 1,024 bf16 / 2,048 int8 operations per cycle and core, not the AVX-512 rate
    amx = avx512 | {"amx_tile", "amx_bf16", "amx_int8"}
    assert bench.peak_tflops("bf16", 2, flags=amx) == 8 * bench.peak_tflops("bf16", 2, flags=avx512)
    assert bench.peak_tflops("int8", 2, flags=amx) == 2 * bench.peak_tflops("bf16", 2, flags=amx)
    assert bench.peak_tflops("fp32", 2, flags=amx) == bench.peak_tflops("fp32", 2, flags=avx512)
    assert bench.path_precision("onnx-int8") == "int8" and bench.path_precision("bf16") == "bf16"


def test_worker_subprocess_protocol(tiny_checkpoint, tmp_path):
    """One real subprocess variant: the JSON line the parent reads."""
    bench = load_bench()
    data = tmp_path / "a.jsonl"
    data.write_text("".join(json.dumps(a) + "\n" for a in bench.synthesize(2)))
    r = bench.run_variant("torch-batch", str(tiny_checkpoint), data, batch_size=8, threads=1)
    assert r["variant"] == "torch-batch" and r["articles"] == 2 and r["peak_rss_mb"] >= r["tagging_peak_mb"] * 0.5


def test_the_cost_of_indirect_speech_in_one_run(tiny_checkpoint, tmp_path, capsys):
    """--variants picks the two runs whose ratio is what --kinds direct,indirect costs; the direct tags agree."""
    bench = load_bench()
    raw = tmp_path / "bench.json"
    args = ["--model", str(tiny_checkpoint), "--n", "2", "--threads", "1", "--in-process", "--json", str(raw),
            "--variants", "torch-batch", "torch-batch-indirect"]
    assert bench.main(args) == 0
    out = capsys.readouterr().out
    assert "the cost of --kinds direct,indirect" in out and "ONNX" not in out
    res = json.loads(raw.read_text())
    assert set(res) == {"torch-batch", "torch-batch-indirect"}
    assert res["torch-batch-indirect"]["agreement"] == 1.0 and res["torch-batch-indirect"]["quotes"] >= 0


def test_the_code_before_runs_beside_in_one_run(tiny_checkpoint, tmp_path, capsys):
    """--baseline-src adds torch-loop@base and auto-batch@base; the best line against the old loop comes first."""
    from conftest import ROOT

    bench = load_bench()
    raw = tmp_path / "bench.json"
    args = ["--model", str(tiny_checkpoint), "--n", "2", "--threads", "1", "--in-process", "--json", str(raw),
            "--variants", "torch-loop", "auto-batch", "--repeat", "2", "--rounds", "2",
            "--baseline-src", str(ROOT / "src")]
    assert bench.main(args) == 0
    out = capsys.readouterr().out.strip().splitlines()
    res = json.loads(raw.read_text())
    assert set(res) == {"torch-loop@base", "auto-batch@base", "torch-loop", "auto-batch"}
    assert res["auto-batch@base"]["variant"] == "auto-batch@base" and res["torch-loop@base"]["agreement"] == 1.0
    assert out[-2].startswith("best speedup vs torch-loop@base: ")
    assert out[-1].startswith("best speedup vs torch-loop: ")
    assert any(line.startswith("auto vs one-at-a-time fp32 of --baseline-src") for line in out)


def test_a_variant_imports_the_source_it_is_given(tiny_checkpoint, tmp_path):
    """The subprocess of a --baseline-src variant puts that folder first on its path."""
    from conftest import ROOT

    bench = load_bench()
    data = tmp_path / "a.jsonl"
    data.write_text("".join(json.dumps(a) + "\n" for a in bench.synthesize(1)))
    r = bench.run_variant("torch-loop", str(tiny_checkpoint), data, batch_size=8, threads=1, src=str(ROOT / "src"))
    assert r["articles"] == 1 and r["seconds"] > 0
    broken = tmp_path / "src" / "indoquote"
    broken.mkdir(parents=True)
    (broken / "__init__.py").write_text("raise ImportError('the baseline source was imported')\n")
    try:
        bench.run_variant("torch-loop", str(tiny_checkpoint), data, batch_size=8, threads=1, src=str(broken.parent))
    except SystemExit as e:
        assert "the baseline source was imported" in str(e)
    else:
        raise AssertionError("the variant did not import the given source")


def test_a_student_is_measured_against_its_teacher_in_one_run(tiny_checkpoint, make_checkpoint, tmp_path, capsys):
    """--teacher adds torch-loop@teacher and auto-batch@teacher; agreement with the teacher's tags is reported, and
    the best line against the teacher's fp32 loop comes before the one against the model's own."""
    bench = load_bench()
    teacher = make_checkpoint("bench-teacher", seed=7)  # another model: its tags differ from the student's
    raw = tmp_path / "bench.json"
    args = ["--model", str(tiny_checkpoint), "--teacher", str(teacher), "--n", "2", "--threads", "1", "--in-process",
            "--json", str(raw), "--variants", "torch-loop", "auto-batch"]
    assert bench.main(args) == 0
    out = capsys.readouterr().out.strip().splitlines()
    res = json.loads(raw.read_text())
    assert set(res) == {"torch-loop@teacher", "auto-batch@teacher", "torch-loop", "auto-batch"}
    assert res["torch-loop@teacher"]["teacher_agreement"] == res["torch-loop@teacher"]["agreement"] == 1.0
    assert res["torch-loop"]["agreement"] == 1.0 and res["torch-loop"]["teacher_agreement"] < 1.0
    assert out[-2].startswith("best speedup vs torch-loop@teacher: ") and "with the teacher's" in out[-2]
    assert out[-1].startswith("best speedup vs torch-loop: ")
    assert any(line.startswith("student auto vs teacher fp32 loop (--teacher)") for line in out)
