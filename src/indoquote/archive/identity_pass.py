"""The identity pass of ``indoquote report``: who is who and which quotation is which, over the whole archive.

It runs on the finished output of ``indoquote predict -o DIR`` (every shard), not
while tagging: a person's forms are only known once every article is read, and
the tagging stays resumable shard by shard. :func:`annotate` adds to the quotation
rows:

- ``speaker_id``, ``speaker_name``, ``speaker_qid`` (:mod:`indoquote.archive.identity`);
- ``quote_cluster_id`` (:mod:`indoquote.archive.quote_clusters`).

:func:`write_files` writes them beside the report, for joining back to the
quotation rows on ``(article_id, quote_index)``, in the report's file set (all
files or none, :mod:`indoquote.atomic`; CSV cells neutralised, :mod:`indoquote.safe_text`):

- ``quote_identity.parquet``: ``article_id, quote_index, speaker_id, speaker_qid, quote_cluster_id``;
- ``identities.parquet`` / ``.csv``: one row per person (name, qid, other forms, counts, role);
- ``name_merges.csv``: every name form merged into a person, with its evidence;
- ``quote_clusters.parquet``: one row per quotation cluster (text, speaker, appearances, outlets, first seen).

:func:`tables` gives the report's tables: repeated quotations, the outlets that
share quotations, whose quotations travel, and the merged name forms.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Sequence

from ..safe_text import csv_writer
from .alias_table import AliasEntry
from .identity import Identities, resolve_speakers
from .name_merges import EVIDENCE
from .quote_clusters import annotate as cluster_annotate
from .quote_clusters import text_clusters
from .render import Table

if TYPE_CHECKING:
    import pandas as pd

    from ..atomic import FileSet

IDENTITY_COLUMNS = ("speaker_id", "speaker_name", "speaker_qid", "quote_cluster_id")
KEY_COLUMNS = ("article_id", "quote_index")
QUOTE_CHARS = 140
"""Characters of a quotation shown in a table (the Parquet files hold it whole)."""


def annotate(df: pd.DataFrame, aliases: Sequence[AliasEntry] = ()) -> tuple[pd.DataFrame, Identities]:
    """``df`` (a quotation table) with :data:`IDENTITY_COLUMNS` added, and the identities behind them."""
    import pandas as pd

    is_quote = df["quote_index"].notna()
    long_ids = None
    if "quote" in df.columns:  # clustered once: the identity pass reads them as evidence, then the ids use them
        long_ids = pd.Series(text_clusters(df.loc[is_quote, "quote"].tolist()), index=df.index[is_quote], dtype=object)
    ids = resolve_speakers(df[is_quote], aliases, long_ids)
    out = df.copy()
    out["speaker_id"] = ids.row_ids.reindex(df.index)
    names = dict(zip(ids.people["speaker_id"], ids.people["name"]))
    qids = dict(zip(ids.people["speaker_id"], ids.people["speaker_qid"]))
    out["speaker_name"] = out["speaker_id"].map(names)
    out["speaker_qid"] = out["speaker_id"].map(qids)
    if "quote" in df.columns:
        out["quote_cluster_id"] = cluster_annotate(df[is_quote], out["speaker_id"], long_ids).reindex(df.index)
    else:
        out["quote_cluster_id"] = None
    for c in IDENTITY_COLUMNS:
        out[c] = out[c].astype(object).where(out[c].notna(), None)
    return out, ids


def summary_rows(quotes: pd.DataFrame, outlet: str | None) -> list[list]:
    """Unique quotations and repeats, for the summary table."""
    clusters = quotes["quote_cluster_id"].dropna()
    per = quotes.dropna(subset=["quote_cluster_id"]).groupby("quote_cluster_id")["article_id"].nunique()
    rows = [
        ["unique quotations (copies across articles counted once)", int(clusters.nunique())],
        ["quotations repeated in two or more articles", int((per > 1).sum())],
    ]
    if outlet:
        outlets = quotes.dropna(subset=["quote_cluster_id", outlet]).groupby("quote_cluster_id")[outlet].nunique()
        rows.append(["  of which in two or more outlets", int((outlets > 1).sum())])
    return rows


def cluster_table(quotes: pd.DataFrame, outlet: str | None, date: str | None) -> pd.DataFrame:
    """One row per quotation cluster: text, speaker, appearances, articles, outlets, first seen (whole columns at
    once: an archive has millions of clusters)."""
    import pandas as pd

    q = quotes.dropna(subset=["quote_cluster_id"])
    q = pd.DataFrame({
        "c": q["quote_cluster_id"],
        "quote": q["quote"],
        "len": q["quote"].astype(str).str.len(),
        "article_id": q["article_id"],
        "speaker_id": q["speaker_id"],
        "speaker": q["speaker_name"],
        "date": q[date].astype("string") if date else pd.Series(pd.NA, index=q.index, dtype="string"),
        "outlet": q[outlet].astype("string") if outlet else pd.Series(pd.NA, index=q.index, dtype="string"),
    })
    by = q.groupby("c", sort=False)
    out = pd.DataFrame({"appearances": by.size(), "articles": by["article_id"].nunique()})
    out["quote"] = q.sort_values("len", ascending=False, kind="stable").drop_duplicates("c").set_index("c")["quote"]
    who = q.dropna(subset=["speaker_id"]).groupby(["c", "speaker_id", "speaker"], sort=False).size()
    who = who.reset_index().sort_values(0, ascending=False, kind="stable").drop_duplicates("c").set_index("c")
    out["speaker_id"], out["speaker"] = who["speaker_id"], who["speaker"]
    out["outlets"] = by["outlet"].nunique() if outlet else None
    if outlet:
        pairs = q.dropna(subset=["outlet"]).drop_duplicates(["c", "outlet"]).sort_values("outlet")
        out["outlet_list"] = pairs.groupby("c", sort=False)["outlet"].agg(", ".join)
    else:
        out["outlet_list"] = None
    first = q.sort_values(["date", "outlet"], na_position="last", kind="stable").drop_duplicates("c").set_index("c")
    out["first_date"] = first["date"] if date else None
    out["first_outlet"] = first["outlet"] if outlet else None
    out = out.rename_axis("quote_cluster_id").reset_index()
    cols = ["quote_cluster_id", "quote", "speaker_id", "speaker", "appearances", "articles", "outlets", "outlet_list",
            "first_date", "first_outlet"]
    out = out[cols].astype(object).where(out[cols].notna(), None)
    order = ["articles", "appearances", "quote_cluster_id"]
    return out.sort_values(order, ascending=[False, False, True], kind="stable").reset_index(drop=True)


def tables(quotes: pd.DataFrame, ids: Identities, outlet: str | None, date: str | None) -> dict[str, Table]:
    """The report's identity tables (names are CSV file names)."""
    out: dict[str, Table] = {}
    clusters = cluster_table(quotes, outlet, date)
    repeated = clusters[clusters["articles"] > 1]
    out["repeated_quotations"] = Table(
        "repeated_quotations",
        "Quotations repeated across articles",
        (
            "quotation",
            "speaker",
            "appearances",
            "articles",
            *(("outlets", "first seen in", "outlets carrying it") if outlet else ()),
            *(("first date",) if date else ()),
        ),
        [
            [
                _short(r.quote),
                r.speaker,
                r.appearances,
                r.articles,
                *((r.outlets, r.first_outlet, r.outlet_list) if outlet else ()),
                *((r.first_date,) if date else ()),
            ]
            for r in repeated.itertuples()
        ],
        "one quotation seen in several articles (marks, trims and small edits aside): quote_cluster_id",
    )
    if outlet:
        out["syndication"] = Table(
            "syndication",
            "Outlets sharing quotations",
            (
                "outlet",
                "with outlet",
                "shared quotations",
                "seen first in outlet",
                "seen first in the other",
                "top speaker",
            ),
            _pair_rows(quotes, outlet, date),
            "pairs of outlets that carry the same quotations; 'first' by date (same day: not counted)",
        )
        out["syndicated_speakers"] = Table(
            "syndicated_speakers",
            "Whose quotations travel between outlets",
            ("speaker", "unique quotations", "in two or more outlets", "appearances", "outlets"),
            _speaker_travel(quotes, outlet),
        )
    names = dict(zip(ids.people["speaker_id"], ids.people["name"]))
    out["name_merges"] = Table(
        "name_merges",
        "Name forms merged into one person",
        ("speaker", "speaker_id", "form", "evidence", "quotations", "detail"),
        [[names.get(m.speaker_id, m.speaker_id), m.speaker_id, m.form, m.evidence, m.quotations, m.detail]
         for m in sorted(ids.merges, key=lambda m: (-m.quotations, m.speaker_id, m.form))],
        "evidence: " + "; ".join(f"{k}: {v}" for k, v in EVIDENCE.items()),
    )
    return out


def _short(text: object) -> str:
    s = " ".join(str(text).split())
    return s if len(s) <= QUOTE_CHARS else s[: QUOTE_CHARS - 1] + "…"


def _pair_rows(quotes: pd.DataFrame, outlet: str, date: str | None) -> list[list]:
    import pandas as pd

    q = quotes.dropna(subset=["quote_cluster_id", outlet])
    firsts: dict = {}
    for cid, g in q.groupby("quote_cluster_id", sort=False):
        if g[outlet].nunique() < 2:
            continue
        day = g.groupby(outlet)[date].min().astype("string") if date else None
        names = sorted(map(str, g[outlet].unique()))
        speaker = g["speaker_name"].dropna().mode()
        for i, a in enumerate(names):
            for b in names[i + 1 :]:
                entry = firsts.setdefault((a, b), [0, 0, 0, Counter()])
                entry[0] += 1
                if day is not None and pd.notna(day[a]) and pd.notna(day[b]) and day[a] != day[b]:
                    entry[1 if day[a] < day[b] else 2] += 1
                if not speaker.empty:
                    entry[3][speaker.iloc[0]] += 1
    rows = [[a, b, n, fa, fb, (c.most_common(1)[0][0] if c else None)] for (a, b), (n, fa, fb, c) in firsts.items()]
    return sorted(rows, key=lambda r: (-r[2], r[0], r[1]))


def _speaker_travel(quotes: pd.DataFrame, outlet: str) -> list[list]:
    q = quotes.dropna(subset=["quote_cluster_id", "speaker_id"])
    spread = q.groupby("quote_cluster_id")[outlet].nunique()
    travelled = q[q["quote_cluster_id"].map(spread) > 1]
    if travelled.empty:
        return []
    unique = q.groupby("speaker_id")["quote_cluster_id"].nunique()
    appearances = q.groupby("speaker_id").size()
    names = q.drop_duplicates("speaker_id").set_index("speaker_id")["speaker_name"]
    rows = []
    for sid, g in travelled.groupby("speaker_id", sort=False):
        outlets = Counter(map(str, g[outlet].dropna()))
        rows.append([names[sid], int(unique[sid]), int(g["quote_cluster_id"].nunique()), int(appearances[sid]),
                     ", ".join(f"{o} ({n})" for o, n in outlets.most_common())])
    return sorted(rows, key=lambda r: (-r[2], -r[1], r[0]))


def write_files(files: FileSet, dest: Path, df: pd.DataFrame, ids: Identities, outlet: str | None,
                date: str | None) -> list[Path]:
    """The identity tables beside the report (Parquet, and CSV where a person reads them), into ``files``."""
    quotes = df[df["quote_index"].notna()]
    keys = quotes[[*KEY_COLUMNS, "speaker_id", "speaker_qid", "quote_cluster_id"]].copy()
    keys["quote_index"] = keys["quote_index"].astype("int64")
    paths = [dest / "quote_identity.parquet", dest / "identities.parquet"]
    _parquet(files, paths[0], keys)
    _parquet(files, paths[1], ids.people)
    paths.append(_csv(files, dest / "identities.csv", list(ids.people.columns),
                      ids.people.astype(object).where(ids.people.notna(), None).itertuples(index=False)))
    merge_cols = ["speaker_id", "form", "evidence", "detail", "quotations"]
    paths.append(_csv(files, dest / "name_merges.csv", merge_cols,
                      ([getattr(m, c) for c in merge_cols] for m in ids.merges)))
    if "quote" in quotes.columns:
        paths.append(dest / "quote_clusters.parquet")
        _parquet(files, paths[-1], cluster_table(quotes, outlet, date))
    return paths


def _parquet(files: FileSet, path: Path, frame: pd.DataFrame) -> None:
    with files.path(path) as tmp:
        frame.to_parquet(tmp, index=False)


def _csv(files: FileSet, path: Path, header: Sequence[str], rows: Iterable[Sequence]) -> Path:
    """Cells a spreadsheet would run as formulas (a scraped name ``=HYPERLINK(...)``) are made text."""
    with files.open(path, "w", encoding="utf-8", newline="") as f:
        w = csv_writer(f)
        w.writerow(header)
        w.writerows(rows)
    return path


__all__ = ["IDENTITY_COLUMNS", "annotate", "cluster_table", "summary_rows", "tables", "write_files"]
