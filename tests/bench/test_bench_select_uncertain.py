"""bench/select_uncertain.py: the share of the model's errors in the uncertain pick against random picks."""

import json

from conftest import load_bench

from indoquote.annotate.select import Uncertainty


def test_compare_counts_shares_and_p():
    bench = load_bench("select_uncertain")
    errors = {"a": 6, "b": 0, "c": 3, "d": 1}
    scores = [Uncertainty("a", 2.0, 0, 0), Uncertainty("b", 0.0, 0, 0), Uncertainty("c", 1.0, 0, 0),
              Uncertainty("d", 0.0, 0, 0)]
    [row] = bench.compare(errors, scores, [2], seeds=200, quotations={"a": 1, "b": 9, "c": 0, "d": 8})
    assert row["uncertain_errors"] == 9 and row["uncertain_share"] == 90.0
    assert 40 < row["random_share"] < 60  # any 2 of 4 hold half on average
    assert 0 < row["p"] < 0.3  # only the pick {a, c} itself does as well
    assert row["most_quotations_share"] == 10.0  # b and d: 0 + 1 of 10


def test_runs_on_the_dev_set(tiny_checkpoint, tmp_path, capsys):
    bench = load_bench("select_uncertain")
    assert bench.main(["--model", str(tiny_checkpoint), "--n", "5", "--seeds", "20", "--json",
                       str(tmp_path / "s.json")]) == 0
    rows = json.loads((tmp_path / "s.json").read_text())["rows"]
    assert rows[0]["n"] == 5 and rows[0]["articles"] >= 60 and rows[0]["errors"] > 0
    assert "uncertain share" in capsys.readouterr().out
