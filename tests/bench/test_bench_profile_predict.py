"""Smoke test: bench/profile_predict.py times every phase of one predict run on the tiny checkpoint."""

from __future__ import annotations

import json

from conftest import load_bench


def test_profile_reports_every_phase(tiny_checkpoint, tmp_path, capsys):
    bench = load_bench("profile_predict")
    raw = tmp_path / "profile.json"
    args = ["--model", str(tiny_checkpoint), "--n", "3", "--threads", "1", "--precision", "fp32",
            "--kinds", "direct,indirect", "--json", str(raw)]
    assert bench.main(args) == 0
    out = capsys.readouterr().out
    assert "| phase | seconds | share |" in out and "sub-words/s" in out
    res = json.loads(raw.read_text())
    from indoquote.model.phases import PHASES

    assert set(PHASES) <= set(res["seconds"]) and "other" in res["seconds"]
    for name in ("cleaning", "tokenization", "windowing", "forward", "decoding", "records"):
        assert res["calls"][name] >= 1, name  # the pipeline marks them
    assert abs(sum(res["seconds"].values()) - res["wall"]) < 1e-6 + 0.01 * res["wall"]
    assert res["subwords"] > 0 and res["precision"] == "fp32"


def test_torch_ops_table(tiny_checkpoint, capsys):
    bench = load_bench("profile_predict")
    assert bench.main(["--model", str(tiny_checkpoint), "--n", "1", "--threads", "1", "--precision", "fp32",
                       "--torch-ops", "5"]) == 0
    assert "Self CPU" in capsys.readouterr().out
