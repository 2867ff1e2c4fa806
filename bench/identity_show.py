"""Everything a hand check of speaker ids reads about some ids: every quotation, the merges, the ids nearby.

``bench/identity_sample.py`` draws the ids and gives one line each; a judge then needs, per id, all its
quotations (outlet, date, title, the name form written, role, affiliation, the quotation), the forms merged into
it with their evidence, the other ids that share a name word and the ids quoted in the same articles (where a
split person shows):

    python bench/identity_show.py quotes/ report/ joko-widodo pangandaran > ids.md
    python bench/identity_show.py quotes/ report/ --sample sample.md --rows 1-50 > top50.md

``--sample`` reads the ids from a sample's table (the second cell of rows that start with a number);
``--rows A-B`` keeps its rows A to B. ``--quote-chars`` cuts each quotation (default 160).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from identity_sample import row_id  # noqa: E402 - the sample's table, read as identity_sample reads it

from indoquote.archive.output import read_output  # noqa: E402
from indoquote.archive.speaker_names import canon  # noqa: E402

COLUMNS = ["article_id", "quote_index", "speaker", "role", "affiliation", "quote", "outlet", "date", "title"]


def _cell(value, chars: int | None = None) -> str:
    text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else " ".join(str(value).split())
    return (text[:chars] + "…" if chars and len(text) > chars else text).replace("|", "/")


def sample_ids(path: Path, rows: str | None) -> list[str]:
    """The ids of a sample's table in its order, rows ``A-B`` only when given."""
    ordered = [i for line in path.read_text(encoding="utf-8").splitlines() if (i := row_id(line))]
    if rows:
        a, b = (int(x) for x in rows.split("-"))
        ordered = ordered[a - 1 : b]
    return ordered


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("out", type=Path, help="the indoquote predict output directory")
    p.add_argument("report", type=Path, help="the indoquote report directory")
    p.add_argument("ids", nargs="*", help="speaker ids")
    p.add_argument("--sample", type=Path, help="a sample of bench/identity_sample.py: its ids")
    p.add_argument("--rows", help="with --sample: rows A-B only")
    p.add_argument("--quote-chars", type=int, default=160)
    args = p.parse_args(argv)
    ids = list(args.ids) + (sample_ids(args.sample, args.rows) if args.sample else [])
    if not ids:
        p.error("name speaker ids or --sample")
    rows = read_output(args.out, COLUMNS).to_pandas()
    rows = rows[rows["quote_index"].notna()].astype({"quote_index": "int64"})
    rows = rows.assign(**{c: None for c in COLUMNS if c not in rows})  # an archive without dates or titles
    q = rows.merge(pd.read_parquet(args.report / "quote_identity.parquet"), on=["article_id", "quote_index"])
    people = pd.read_parquet(args.report / "identities.parquet").set_index("speaker_id")
    merges = pd.read_csv(args.report / "name_merges.csv")
    holders: dict[str, set[str]] = {}
    for sid, names in q.dropna(subset=["speaker_id"]).groupby("speaker_id")["speaker"]:
        for w in {w for n in set(names) for w in canon(n).split() if len(w) >= 4}:
            holders.setdefault(w, set()).add(sid)
    for sid in ids:
        if sid not in people.index:
            print(f"## `{sid}`: no such speaker id\n")
            continue
        g = q[q["speaker_id"] == sid].sort_values(["date", "article_id", "quote_index"], na_position="last")
        print(f"## `{sid}`: {people.loc[sid, 'name']} ({len(g)} quotations)\n")
        ev = merges[merges["speaker_id"] == sid]
        for form, evidence, n in zip(ev["form"], ev["evidence"], ev["quotations"]):
            print(f"- merged: {form} ({evidence}, {n})")
        near = sorted({o for n in set(g["speaker"]) for w in canon(n).split() if len(w) >= 4
                       for o in holders.get(w, ())} - {sid})
        for o in near[:12]:
            forms = ", ".join(sorted(set(q.loc[q["speaker_id"] == o, "speaker"])))[:80]
            roles = ", ".join(sorted(set(q.loc[q["speaker_id"] == o, "role"].dropna())))[:80]
            print(f"- shares a name word: `{o}` ({people.loc[o, 'quotations']}): {forms}; roles: {roles or '-'}")
        beside = q[q["article_id"].isin(set(g["article_id"])) & (q["speaker_id"] != sid)]
        others = beside.groupby("speaker_id")["speaker"].agg(lambda s: ", ".join(sorted(set(s)))[:60])
        if len(others):
            print("- also quoted in its articles: " + "; ".join(f"`{o}` ({n})" for o, n in others.items())[:600])
        print("\n| article | outlet | date | title | written | role | affiliation | quotation |")
        print("|---|---|---|---|---|---|---|---|")
        for r in g.itertuples():
            print(f"| {_cell(r.article_id)[:12]} | {_cell(r.outlet)} | {_cell(r.date)[:10]} | {_cell(r.title, 70)} "
                  f"| {_cell(r.speaker)} | {_cell(r.role)} | {_cell(r.affiliation)} | {_cell(r.quote, args.quote_chars)} |")
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
