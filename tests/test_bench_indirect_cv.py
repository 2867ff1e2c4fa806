"""Smoke test: bench/indirect_cv.py fits and scores heads 2-fold on the tune part (numbers not checked)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "bench" / "indirect_cv.py"


def test_indirect_cv_scores_head_rules_and_union(tiny_checkpoint, capsys):
    spec = importlib.util.spec_from_file_location("indirect_cv", BENCH)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    rows = bench.main(["--model", str(tiny_checkpoint), "--data", "tiny", "--epochs", "1", "--inner", "8"])
    assert list(rows) == ["head", "rules", "head + rules (union)"]
    assert rows["rules"][2] > 50  # the rules find most of the tune part's indirect speech
    assert all(0 <= v <= 100 for row in rows.values() for v in row)
    assert "head vs rules (tune, 2-fold): F1 " in capsys.readouterr().out
