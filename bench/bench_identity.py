"""Time and memory of the identity pass of ``indoquote report`` as an archive grows.

An output of ``indoquote predict`` is copied ``k`` times under new article ids.
In every copy but the first, each word of each quotation is replaced by a word
drawn from the archive's quotations (seeded), so that the copies are new
quotations of the same lengths that the clustering must compare, not repeats.
The people stay the same. For each ``k`` the script prints the rows, the
articles, the seconds of :func:`indoquote.archive.identity_pass.annotate` (speaker
ids and quotation clusters) and of the report's tables, and the peak memory of
the process.

    python bench/bench_identity.py quotes/ --copies 1 10
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from pathlib import Path

import pandas as pd

from indoquote.archive.identity_pass import annotate
from indoquote.archive.report import ReportOptions, build_report, load_table


def rewritten(quote: object, copy: int, vocabulary: list[str]) -> object:
    """A new quotation of the same length: each word replaced by a word drawn from the archive (seeded)."""
    if not isinstance(quote, str) or copy == 0:
        return quote
    rng = random.Random(f"{copy}:{quote}")
    return " ".join(rng.choice(vocabulary) for _ in quote.split())


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("out", type=Path, help="an indoquote predict output directory")
    p.add_argument("--copies", type=int, nargs="+", default=[1, 10])
    args = p.parse_args(argv)
    df = load_table(args.out)
    vocabulary = sorted({w for q in df["quote"].dropna() for w in str(q).split()})
    print("| copies | rows | articles | ids and clusters (s) | tables (s) | peak RSS (MB) |")
    print("|---:|---:|---:|---:|---:|---:|")
    for k in args.copies:
        big = pd.concat(
            [df.assign(article_id=df["article_id"] + f"~{i}", quote=[rewritten(q, i, vocabulary) for q in df["quote"]])
             for i in range(k)],
            ignore_index=True,
        )
        t0 = time.perf_counter()
        annotated, ids = annotate(big)
        t1 = time.perf_counter()
        build_report(annotated, ReportOptions(), identities=ids)
        t2 = time.perf_counter()
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        print(f"| {k} | {len(big):,} | {big['article_id'].nunique():,} | {t1 - t0:.1f} | {t2 - t1:.1f} | {rss:,} |")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
