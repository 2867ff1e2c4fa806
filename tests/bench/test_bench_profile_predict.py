"""Smoke test: bench/profile_predict.py times every phase of one predict run on the tiny checkpoint."""

from __future__ import annotations

import json

from conftest import load_bench


def test_profile_reports_every_phase(tiny_checkpoint, tmp_path, capsys):
    raw = tmp_path / "profile.json"
    assert load_bench("profile_predict").main(["--model", str(tiny_checkpoint), "--n", "3", "--threads", "1",
                                               "--precision", "fp32", "--kinds", "direct,indirect", "--repeat", "2",
                                               "--json", str(raw)]) == 0
    res, out = json.loads(raw.read_text()), capsys.readouterr().out
    assert "| phase | seconds | share |" in out and "sub-words/s" in out and "model input: " in out
    assert res["counts"]["padded sub-words"] >= res["counts"]["window sub-words"] >= res["subwords"]
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
