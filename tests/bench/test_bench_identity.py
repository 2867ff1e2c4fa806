"""bench/bench_identity.py: the identity pass timed on copies of an output."""

from __future__ import annotations

from conftest import load_bench
from identity_data import tag


def test_times_copies_of_an_output(tmp_path, capsys):
    bench = load_bench("bench_identity")
    out = tag(tmp_path)
    assert bench.main([str(out), "--copies", "1", "3"]) == 0
    lines = capsys.readouterr().out.splitlines()
    rows = [line.split("|")[1:-1] for line in lines[2:]]
    assert [(r[0].strip(), r[1].strip(), r[2].strip()) for r in rows] == [("1", "8", "8"), ("3", "24", "24")]
