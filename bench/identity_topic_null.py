"""How often do the quotations of two different people look alike? The rate behind ``TOPIC_MIN``.

    python bench/identity_topic_null.py quotes/ report/

Reads the quotation rows and a report's ``quote_identity.parquet``, and compares, with
:class:`indoquote.archive.name_context.QuoteContext` (TF-IDF cosine of the quotations'
words), pairs of speaker ids that are very likely two people:

- one surname, both with roles, and the roles conflict (``Profile.conflicts``);
- one surname and different first words (``Agus Widodo``, ``Joko Widodo``): mostly two people.

It prints, for each kind, the number of pairs and the share whose cosine reaches ``TOPIC_MIN``:
the rate at which the ``similar quotations`` evidence would join two people whose names fit.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

import pandas as pd

from indoquote.archive.name_context import TOPIC_MIN, QuoteContext
from indoquote.archive.output import read_output
from indoquote.archive.speaker_names import Profile, canon


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("out", type=Path, help="the indoquote predict output directory")
    p.add_argument("report", type=Path, help="the indoquote report directory")
    args = p.parse_args(argv)
    rows = read_output(args.out, ["article_id", "quote_index", "speaker", "role", "affiliation", "quote"]).to_pandas()
    rows = rows[rows["quote_index"].notna()].astype({"quote_index": "int64"})
    ids = pd.read_parquet(args.report / "quote_identity.parquet")
    q = rows.merge(ids, on=["article_id", "quote_index"]).dropna(subset=["speaker_id"])
    ctx = QuoteContext.build(q.index, q["speaker_id"], q["article_id"], q["quote"], [None] * len(q))
    name = q.groupby("speaker_id")["speaker"].agg(lambda s: canon(s.mode().iloc[0]))
    profile: dict[str, Profile] = defaultdict(Profile)
    for sid, role, aff in zip(q["speaker_id"], q["role"], q["affiliation"]):
        profile[sid].add(role, aff)
    by_last: dict[str, list[str]] = defaultdict(list)
    for sid, n in name.items():
        if len(n.split()) >= 2 and "~" not in sid:
            by_last[n.split()[-1]].append(sid)
    sims: dict[str, list[float]] = {"conflicting roles": [], "other first word": []}
    for sids in by_last.values():
        for i, a in enumerate(sids):
            for b in sids[i + 1 :]:
                if name[a].split()[0] == name[b].split()[0]:
                    continue
                kind = "conflicting roles" if profile[a].conflicts(profile[b]) else "other first word"
                sims[kind].append(ctx.similarity(ctx.bags[a], ctx.bags[b]))
    print(f"pairs of speaker ids with one surname; share whose quotations' cosine reaches {TOPIC_MIN}")
    for kind, values in sims.items():
        hits = sum(v >= TOPIC_MIN for v in values)
        share = 100 * hits / len(values) if values else 0.0
        print(f"  {kind:18s} {len(values):5d} pairs, {hits:4d} reach it ({share:.1f}%)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
