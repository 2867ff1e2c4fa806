"""Smoke test: bench/indirect_cv.py fits and scores heads 2-fold on the tune part (numbers not checked)."""

from __future__ import annotations

from conftest import SEED_DIR, load_bench


def test_indirect_cv_scores_head_rules_and_union(tiny_checkpoint, capsys):
    bench = load_bench("indirect_cv")
    seed = SEED_DIR / "antara-nato-russia-2021.jsonl"
    rows = bench.main(["--model", str(tiny_checkpoint), "--data", "tiny", "--epochs", "1", "--inner", "8",
                       "--dequote", "0.3", "--augment", "--unlabelled", str(seed)])
    assert list(rows) == ["head", "rules", "head + rules (union)"]
    assert rows["rules"][2] > 50  # the rules find most of the tune part's indirect speech
    assert all(0 <= v <= 100 for row in rows.values() for v in row)
    out = capsys.readouterr().out
    assert "head vs rules (tune, 2-fold): F1 " in out and "dequote 0.3, augment True" in out
