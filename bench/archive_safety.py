"""What the archive's safety costs: the id pass when the plan is made, and atomic part writes (fsync, rename).

    python bench/archive_safety.py [--n 20000] [--shard-rows 1000] [--format jsonl|parquet]

Writes ``--n`` articles synthesized from the ``data/seeds`` texts (the tagger
benchmark's, with every tenth id repeated) to one input file, then times, on
this machine: planning the shards (:func:`indoquote.archive.plan_shards`), the
pass that makes the ids unique (:func:`indoquote.archive.article_ids.unique_ids`, which
reads every shard once), and writing each shard's rows as a part file, atomically
(:func:`indoquote.archive.output.write_part`: a temporary file, fsync, rename) against a
plain write of the same table. No model runs: these are the costs added around
tagging, which takes about 10 ms an article or more.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from bench_tagger import synthesize  # noqa: E402 - the same synthesized articles as the tagger benchmark


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--n", type=int, default=20_000)
    p.add_argument("--shard-rows", type=int, default=1_000)
    p.add_argument("--format", choices=("jsonl", "parquet"), default="jsonl")
    args = p.parse_args(argv)

    import pyarrow as pa
    import pyarrow.parquet as pq

    from indoquote.archive import Columns, plan_shards
    from indoquote.archive.article_ids import unique_ids
    from indoquote.archive.output import write_part
    from indoquote.archive.rows import quotation_table, read_shard

    rows = synthesize(args.n)
    for i in range(0, len(rows), 10):
        rows[i]["id"] = "synthetic-0"  # one id in ten repeated: the pass renames them
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / f"in.{args.format}"
        if args.format == "parquet":
            pq.write_table(pa.Table.from_pylist(rows), src, row_group_size=args.shard_rows)
        else:
            import json

            src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        size = src.stat().st_size
        t0 = time.perf_counter()
        shards = plan_shards([src], Columns(), args.shard_rows)
        t_plan = time.perf_counter() - t0
        renamed: list[str] = []
        t0 = time.perf_counter()
        shards = unique_ids(shards, Columns(), renamed.append)
        t_ids = time.perf_counter() - t0

        tables = [quotation_table((r := read_shard(s, Columns())).ids, [[] for _ in r.ids], r.carried) for s in shards]
        out_atomic, out_plain = Path(tmp) / "atomic", Path(tmp) / "plain"
        out_atomic.mkdir()
        out_plain.mkdir()
        t0 = time.perf_counter()
        for s, t in zip(shards, tables):
            write_part(out_atomic, s, t, "parquet")
        t_atomic = time.perf_counter() - t0
        t0 = time.perf_counter()
        for s, t in zip(shards, tables):
            pq.write_table(t, out_plain / f"{s.part}.parquet")
        t_plain = time.perf_counter() - t0

    cpu = platform.processor() or platform.machine()
    print(f"{args.n:,} articles, {size / 1e6:.1f} MB {args.format}, {len(shards)} shards of {args.shard_rows:,} rows; "
          f"{os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}")
    print(f"plan_shards            {t_plan:7.2f} s")
    print(f"unique_ids (id pass)   {t_ids:7.2f} s  ({1e6 * t_ids / args.n:.0f} us an article; "
          f"{len(renamed):,} renamed)")
    print(f"parts, atomic          {t_atomic:7.2f} s  ({1e3 * t_atomic / len(shards):.1f} ms a shard)")
    print(f"parts, plain write     {t_plain:7.2f} s  ({1e3 * t_plain / len(shards):.1f} ms a shard)")


if __name__ == "__main__":
    main()
