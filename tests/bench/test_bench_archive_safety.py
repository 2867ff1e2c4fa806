"""bench/archive_safety.py times the id pass and atomic part writes on synthesized articles."""

from __future__ import annotations

import pytest
from conftest import load_bench


@pytest.mark.parametrize("fmt", ["jsonl", "parquet"])
def test_times_the_id_pass_and_the_part_writes(capsys, fmt):
    load_bench("archive_safety").main(["--n", "60", "--shard-rows", "20", "--format", fmt])
    out = capsys.readouterr().out
    assert "60 articles" in out and "3 shards of 20 rows" in out
    assert "5 renamed" in out  # one id in ten repeated: rows 10, 20, ... 50 take synthetic-0 again (row 0 has it)
    assert "parts, atomic" in out and "parts, plain write" in out
