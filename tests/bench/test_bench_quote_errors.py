"""bench/quote_errors.py lists a checkpoint's missed quotations and wrong speakers, on the tune part only."""

from __future__ import annotations

import pytest
from conftest import ROOT, load_bench

from indoquote.data.gold import Quote


def test_lists_a_missed_quotation_and_a_wrong_speaker_not_a_right_one():
    bench = load_bench("quote_errors")
    text = '"Kami siap bekerja," kata Budi. "Ini baru awal sekali," ujar Ani. "Terima kasih semua orang," kata Tono.'
    gold = [Quote("direct", 0, 20, "Budi Santoso", (21, 25), (26, 30)),
            Quote("direct", 32, 55, "Ani Lestari", (56, 60), (61, 64)),
            Quote("direct", 66, 93, "Tono", (94, 98), (99, 103))]
    pred = [Quote("direct", 0, 20, "Budi"), Quote("direct", 32, 55, "Tono")]
    lines = bench.errors(gold, pred, text)
    assert len(lines) == 2
    assert lines[0].startswith("  speaker direct: gold 'Ani Lestari' (mention 'Ani', cue 'ujar'), model 'Tono'")
    assert lines[1].startswith("  missed direct: '\"Terima kasih semua orang,\"'")
    more = text + " Harga beras akan turun bulan depan, kata Budi. Naik, kata Ani."
    at = more.index("Harga")
    extra = [*pred, Quote("indirect", at, at + 34, "Budi"), Quote("indirect", more.index("Naik"), more.index("Naik") + 4,
                                                                   "Ani")]  # the last: too short for the gold to judge
    assert bench.errors(gold, extra, more)[2:] == ["  spurious indirect: 'Harga beras akan turun bulan depan' "
                                                   "(model speaker 'Budi')"]


def test_the_held_out_part_is_refused_and_the_tune_part_is_listed(tiny_checkpoint, capsys):
    bench = load_bench("quote_errors")
    with pytest.raises(SystemExit, match="only the tune part"):
        bench.main(["--model", str(tiny_checkpoint), "--part", "heldout"])
    n = bench.main(["--model", str(tiny_checkpoint), "--articles", str(ROOT / "data" / "genre-articles")])
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == f"{n} errors in 25 tune articles (direct)" and n > 0  # a random model misses most
    assert not any(line.startswith(("sindonews-2020-curhat-priyadi", "tribun-2022-retno")) for line in out)  # held out
