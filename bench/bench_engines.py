"""Throughput of ``indoquote predict`` over an archive: ``--engine local`` vs ``--engine ray`` with 1 and 2 workers.

    python bench/bench_engines.py --model DIR [--articles FILE.jsonl|FILE.parquet] [--n 500] [--shard-rows N]

Every variant tags the same N articles (the first N of ``--articles``, or N
synthesized from the ``data/seeds`` texts) from one Parquet file into a fresh
output directory with :func:`indoquote.archive.engines.tag_archive`, and reports
articles per second over the whole run (model loading included: one tagger in
this process for ``local``, one per actor for ``ray``). A local Ray is started
once (its start-up time is shown apart) with as many CPUs as the largest
variant has workers, at least 2. The variants must give identical rows; the
table says whether they did. Torch threads: ``local`` uses this process's
setting (``--threads``, default torch's), each Ray worker one thread.
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


def load(path: str | None, n: int) -> list[dict]:
    if path is None:
        return synthesize(n)
    if path.lower().endswith((".parquet", ".pq")):
        import pyarrow.parquet as pq

        rows = pq.read_table(path).slice(0, n).to_pylist()
    else:
        import json

        rows = []
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    rows.append(json.loads(line))
                if len(rows) == n:
                    break
    return [{"id": str(r.get("id", i)), "text": r["text"]} for i, r in enumerate(rows) if isinstance(r.get("text"), str)]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", required=True, help="checkpoint or published directory")
    ap.add_argument("--articles", help="JSONL or Parquet with a text column (default: synthesized from data/seeds)")
    ap.add_argument("--n", type=int, default=500, help="articles (default 500)")
    ap.add_argument("--shard-rows", type=int, help="rows per shard (default: N/8, so each worker gets several shards)")
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--threads", type=int, help="torch threads of the local engine (default: torch's)")
    ap.add_argument("--workers", default="1,2", help="Ray worker counts to run (default 1,2)")
    args = ap.parse_args(argv)

    import pyarrow as pa
    import pyarrow.parquet as pq
    import ray

    from indoquote.archive.engines import EngineOptions, TaggerSpec, tag_archive
    from indoquote.archive.output import read_output
    from indoquote.tables import render_table

    if args.threads:
        import torch

        torch.set_num_threads(args.threads)
    rows = load(args.articles, args.n)
    shard_rows = args.shard_rows or max(1, len(rows) // 8)
    workers = [int(w) for w in args.workers.split(",") if w]
    spec = TaggerSpec(args.model, batch_size=args.batch_size)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "articles.parquet"
        pq.write_table(pa.Table.from_pylist(rows), src, row_group_size=shard_rows)
        results, tables = [], {}

        def bench(name: str, options: EngineOptions, note: str) -> None:
            out = Path(tmp) / name
            t0 = time.perf_counter()
            s = tag_archive([src], out, spec, shard_rows=shard_rows, options=options)
            sec = time.perf_counter() - t0
            tables[name] = read_output(out)
            results.append([name, s.workers, s.shards, s.tagged, round(sec, 2), round(s.tagged / sec, 1), note])
            print(f"{name}: {s.tagged / sec:.1f} articles/s", file=sys.stderr)

        import torch

        bench("local", EngineOptions("local"), f"{torch.get_num_threads()} torch threads")
        t0 = time.perf_counter()
        ray.init(num_cpus=max(2, *workers), include_dashboard=False, logging_level="warning")
        start = time.perf_counter() - t0
        try:
            for w in workers:
                bench(f"ray-{w}", EngineOptions("ray", num_workers=w), f"1 thread/worker; Ray start {start:.1f} s apart")
        finally:
            ray.shutdown()
        same = all(t.equals(tables["local"]) for t in tables.values())
    print()
    print(f"{len(rows)} articles, {sum(len(r['text']) for r in rows):,} characters, shards of {shard_rows} rows; "
          f"model {args.model}; {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs")
    print(render_table(("engine", "workers", "shards", "articles", "seconds", "articles/s", "note"), results, left=1))
    print(f"rows identical across engines: {'yes' if same else 'NO'}")
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()
