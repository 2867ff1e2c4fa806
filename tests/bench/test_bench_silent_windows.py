"""bench/silent_windows.py counts the windows where the gold tags many words and the prediction almost none."""

from __future__ import annotations

from transformers import AutoTokenizer

from indoquote.data.corpus import read_predictions, write_predictions
from indoquote.model.resolve import window_for
from indoquote.text.document import Document

from conftest import load_bench


def test_counts_a_window_the_tagger_left_silent(tiny_checkpoint, tmp_path, capsys):
    bench = load_bench("silent_windows")
    words = ("” Kami siap bekerja keras di sini sejak pagi , ” kata Budi . " * 3).split()
    gold = (["B-STATEMENT"] + ["I-STATEMENT"] * 10 + ["B-CUE", "B-PERSON", "O"]) * 3
    heard, silent = Document("heard", words, gold, [0]), Document("silent", words, gold, [0])
    write_predictions(tmp_path / "predictions.conll", [heard, silent], [gold, gold], [gold, ["O"] * len(words)])
    assert bench.main([str(tmp_path / "predictions.conll"), "--model", str(tiny_checkpoint)]) == 0
    out = capsys.readouterr().out
    assert "heard" not in out and "silent" in out.splitlines()[-1]
    docs = read_predictions(tmp_path / "predictions.conll")
    total, found = bench.silent_windows(docs, AutoTokenizer.from_pretrained(tiny_checkpoint), window_for(tiny_checkpoint))
    assert found and {s[0] for s in found} == {"silent"} and total == 2 * len(found)  # each of its windows, no other
    assert bench.silent_windows(docs, AutoTokenizer.from_pretrained(tiny_checkpoint), window_for(tiny_checkpoint),
                                min_gold=10_000)[1] == []
