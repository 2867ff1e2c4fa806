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


def test_indirect_cv_of_the_layer_head_on_two_article_sets(tiny_checkpoint, capsys):
    from conftest import ROOT

    bench = load_bench("indirect_cv")
    rows = bench.main(["--model", str(tiny_checkpoint), "--data", "tiny", "--head", "layer", "--layer-epochs", "1",
                       "--inner", "8", "--reported", "0.5", "--layer-init", "gru", "--epochs", "1",
                       "--articles", str(ROOT / "data" / "dev-articles"), str(ROOT / "data" / "genre-articles")])
    assert {"head", "rules", "dev-articles: head", "genre-articles: rules", "warm start (BiGRU on the untuned layer)",
            "dev-articles: warm start"} <= set(rows)
    assert rows["genre-articles: rules"][2] > 50 and rows["dev-articles: rules"][2] > 50
    out = capsys.readouterr().out
    assert "head layer (layer epochs 1, layer lr 5e-05, reported 0.5, init gru; seconds per layer epoch [" in out
