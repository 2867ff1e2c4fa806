"""A sample of speaker ids from a report, laid out for a hand check of merge precision and recall.

For each sampled ``speaker_id`` it prints the name, the other forms merged into it
(with their evidence), the roles and outlets of its quotations, one quotation, and
the *other* ids that share a name word with it, which are where a split person
would show. A reader then marks each id:

- precision: ``merged two people`` when its forms or quotations name more than one person;
- recall: ``split`` when the same person also has another id.

    python bench/identity_sample.py quotes/ report/ --top 50 --random 50 --seed 0 > sample.md

``--exclude FILE`` (repeatable) leaves out of the random draw the ids of an earlier check: the ids in the second
column of a Markdown table whose rows start with a number (``| 7 | `joko-widodo` | ...``), such as this script's
output or the tables of ``docs/results.md``. The most quoted ids are always taken.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pandas as pd

from indoquote.archive.output import read_output
from indoquote.archive.speaker_names import canon


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("out", type=Path, help="the indoquote predict output directory")
    p.add_argument("report", type=Path, help="the indoquote report directory")
    p.add_argument("--top", type=int, default=50, help="the most quoted ids")
    p.add_argument("--random", type=int, default=50, help="ids drawn at random from the others")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--exclude", type=Path, action="append", default=[], help="a sample judged before (Markdown)")
    args = p.parse_args(argv)
    judged = set().union(*(judged_ids(f) for f in args.exclude))
    rows = read_output(
        args.out, ["article_id", "quote_index", "speaker", "role", "affiliation", "quote", "outlet"]
    ).to_pandas()
    rows = rows[rows["quote_index"].notna()].astype({"quote_index": "int64"})
    ids = pd.read_parquet(args.report / "quote_identity.parquet")
    q = rows.merge(ids, on=["article_id", "quote_index"])
    people = pd.read_parquet(args.report / "identities.parquet").set_index("speaker_id")
    merges = pd.read_csv(args.report / "name_merges.csv")
    order = list(people.sort_values(["quotations"], ascending=False).index)
    top, rest = order[: args.top], [sid for sid in order[args.top :] if sid not in judged]
    drawn = random.Random(args.seed).sample(rest, min(args.random, len(rest)))
    words: dict[str, set[str]] = defaultdict(set)
    for sid, g in q.dropna(subset=["speaker_id"]).groupby("speaker_id"):
        for name in set(g["speaker"]):
            for w in canon(name).split():
                if len(w) >= 4:
                    words[w].add(sid)
    print(
        "| # | speaker_id | name | quotations | forms (evidence) | roles | outlets | other ids sharing a name word | "
        "one quotation |"
    )
    print("|---|---|---|---:|---|---|---|---|---|")
    for n, sid in enumerate(top + drawn, 1):
        g = q[q["speaker_id"] == sid]
        ev = merges[merges["speaker_id"] == sid]
        forms = "; ".join(f"{f} ({e}, {k})" for f, e, k in zip(ev["form"], ev["evidence"], ev["quotations"])) or "-"
        roles = ", ".join(f"{r} ({c})" for r, c in Counter(g["role"].dropna()).most_common(3)) or "-"
        outlets = ", ".join(sorted(set(g["outlet"].dropna())))
        near = set().union(*(words.get(w, set()) for s in set(g["speaker"]) for w in canon(s).split() if len(w) >= 4))
        near.discard(sid)
        near_txt = ", ".join(f"{o} ({people.loc[o, 'quotations']})" for o in sorted(near)[:8]) or "-"
        quote = " ".join(str(g["quote"].iloc[0]).split())[:90].replace("|", "/")
        print(
            f"| {n} | {sid} | {people.loc[sid, 'name']} | {len(g)} | {forms.replace('|', '/')} "
            f"| {roles.replace('|', '/')} "
            f"| {outlets} | {near_txt} | {quote} |"
        )
    print(
        f"\n{len(top)} most quoted ids and {len(drawn)} drawn (seed {args.seed}) of the other {len(rest):,} "
        f"({len(order):,} ids, {len(judged):,} judged before and left out of the draw)",
        file=sys.stderr,
    )
    return 0


ROW = re.compile(r"\|\s*\d+\s*\|\s*`?((?=[a-z0-9~-]*[a-z])[a-z0-9][a-z0-9~-]*)`?\s*\|")


def row_id(line: str) -> str | None:
    """The id of a hand check's table row (``| 7 | `joko-widodo` | ...``): its second cell; None for other lines."""
    m = ROW.match(line)
    return m.group(1) if m else None


def judged_ids(path: Path) -> set[str]:
    """The ids of a hand check: the second cell of every table row that starts with a number."""
    return {i for line in path.read_text(encoding="utf-8").splitlines() if (i := row_id(line))}


if __name__ == "__main__":
    sys.exit(main())
