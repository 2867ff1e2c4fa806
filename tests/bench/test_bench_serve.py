"""Smoke test: bench/bench_serve.py runs end to end on the tiny checkpoint with few requests (numbers not checked)."""

from __future__ import annotations

import json

import pytest
from conftest import load_bench

pytest.importorskip("fastapi")


@pytest.mark.slow
def test_bench_serve_runs_on_the_tiny_checkpoint(tiny_checkpoint, tmp_path, capsys):
    bench = load_bench("bench_serve")
    raw = tmp_path / "serve.json"
    args = ["--model", str(tiny_checkpoint), "--requests", "40", "--low-requests", "8", "--offline-rounds", "1",
            "--threads", "1", "--json", str(raw)]
    assert bench.main(args) == 0
    out = capsys.readouterr().out
    assert "| concurrency | requests | articles/s | p50 ms | p99 ms | errors |" in out
    assert "throughput at 32 / offline" in out and "answers equal to the offline records: yes, identical" in out
    r = json.loads(raw.read_text())
    assert [lv["concurrency"] for lv in r["levels"]] == [1, 8, 32]
    assert [lv["requests"] for lv in r["levels"]] == [8, 8, 40] and r["errors"] == 0
    assert r["articles"] == 62 and r["answers_checked"] > 0 and r["rss_start_mb"] > 0
    assert r["offline_articles_per_s"] == max(r["offline_before"], r["offline_after"]) > 0
    assert r["ratio_32_to_offline"] == r["levels"][-1]["articles_per_s"] / r["offline_articles_per_s"]


def test_confidence_drift_allows_only_confidences_to_differ():
    drift = load_bench("bench_serve").confidence_drift
    rec = {"quote": "Kami siap", "speaker": "Budi", "confidence": 0.91}
    assert drift({0: [rec]}, [[rec]]) == 0.0
    assert drift({0: [dict(rec, confidence=0.9)]}, [[rec]]) == pytest.approx(0.01)
    assert drift({0: [dict(rec, speaker="Ani")]}, [[rec]]) is None
    assert drift({0: []}, [[rec]]) is None
    assert drift({0: [dict(rec, confidence=None)]}, [[rec]]) is None
