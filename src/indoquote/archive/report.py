"""``indoquote report OUT -o REPORT_DIR``: who is quoted in an archive, read from the table ``indoquote predict`` wrote.

The question behind the tool is who speaks in the news: which officials and
institutions, how often, in which outlets, month by month. This module answers
it from the quotation table (:func:`indoquote.archive.output.read_output`) with
tables (:class:`~indoquote.archive.render.Report`), written by
:mod:`indoquote.archive.render` as CSV files, a Markdown report and a
self-contained HTML page with the charts embedded as PNG (matplotlib, Agg).

Speakers are counted per person, not per spelling: names are compared
case-insensitively with whitespace collapsed, and within one article a shorter
name (``Widodo``, ``Retno``) joins the one longer name of that article it is a
run of whole words of (:func:`indoquote.scoring.metrics.same_speaker`); a short name
that fits two longer names, or none, stays on its own. Links are made per
article only, never across the archive, so ``Widodo`` in an article about
Joko Widodo and in one about Sutrisno Widodo is never one person; aliases
that share no words (``Jokowi``) are not merged. That is the per-article count
(``--no-identity``); by default the identity pass (:mod:`indoquote.archive.identity_pass`)
merges one person's forms across the archive on evidence and counts ``speaker_id``.

Outlet and date columns are found by name (:data:`OUTLET_COLUMNS`,
:data:`DATE_COLUMNS`) or named with ``--outlet-column`` / ``--date-column``;
without them those tables are left out.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from ..atomic import file_set, make_dirs
from .alias_table import read_aliases
from .article_speakers import cluster_speakers, link_names, name_key
from .identity import Identities
from .identity_pass import annotate, summary_rows, write_files
from .identity_pass import tables as identity_tables
from .name_context import TITLE_COLUMNS
from .office_periods import DATE_COLUMNS
from .render import TOP, Report, Table, html, markdown, render_charts, write_csvs

if TYPE_CHECKING:
    import pandas as pd

OUTLET_COLUMNS = ("outlet", "source", "publisher", "media", "site", "domain")
ALSO_WRITTEN = 6
"""Other forms of a name shown in the speakers table (all are in ``identities.csv`` and ``name_merges.csv``)."""
SPEAKERS_PER_ARTICLE = "speakers (people, names clustered per article)"
SPEAKERS_ACROSS = "speakers (people across the archive)"


@dataclass(frozen=True)
class ReportOptions:
    top: int = TOP
    outlet_column: str | None = None
    date_column: str | None = None
    title: str | None = None
    aliases: str | None = None  # an alias table (indoquote.archive.alias_table.read_aliases): wins over inference
    identity: bool = True  # speaker_id and quote_cluster_id across the archive (indoquote.archive.identity_pass)


# ------------------------------------------------------------------ tables


def _pct(part: float, whole: float) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def _split_titles(values: pd.Series) -> pd.Series:
    """``"Menteri, Jubir"`` (two titles joined by the quote records) counted as two."""
    titles = values.dropna().astype(str).str.split(", ").explode().str.strip()
    return titles[titles.str.contains(r"\w", regex=True, na=False)]  # a lone comma is no title


def _month(values: pd.Series) -> pd.Series:
    """``YYYY-MM`` of each date: as written for ISO strings (no shift across time zones), else parsed."""
    import pandas as pd

    if pd.api.types.is_datetime64_any_dtype(values):
        return values.dt.strftime("%Y-%m")
    text = values.astype("string")
    month = text.str.extract(r"^\s*(\d{4}-\d{2})", expand=False)
    rest = month.isna() & text.notna()
    if rest.any():
        parsed = pd.to_datetime(text[rest], errors="coerce", utc=True, format="mixed")
        month[rest] = parsed.dt.strftime("%Y-%m")
    return month


def _column(df: pd.DataFrame, wanted: str | None, candidates: Sequence[str], flag: str) -> str | None:
    if wanted:
        if wanted not in df.columns:
            raise ValueError(f"{flag} {wanted!r}: no such column (columns: {', '.join(map(str, df.columns))})")
        return wanted
    lower = {str(c).casefold(): c for c in df.columns}
    return next((lower[c] for c in candidates if c in lower), None)


def build_report(df: pd.DataFrame, options: ReportOptions = ReportOptions(), title: str = "Who is quoted",
                 identities: Identities | None = None) -> Report:
    """Every table of the report from the quotation table (one row per quotation or per article without one).

    With ``speaker_id`` columns (:func:`indoquote.archive.identity_pass.annotate`) speakers are people across the
    archive, and ``identities`` adds the tables of repeated quotations, syndication and merged names.
    """
    for needed in ("article_id", "quote_index", "speaker"):
        if needed not in df.columns:
            raise ValueError(f"no {needed!r} column: not a quotation table of `indoquote predict -o DIR`")
    outlet = _column(df, options.outlet_column, OUTLET_COLUMNS, "--outlet-column")
    date = _column(df, options.date_column, DATE_COLUMNS, "--date-column")
    report = Report(options.title or title)
    is_quote = df["quote_index"].notna()
    quotes = df[is_quote].copy()
    articles = df.drop_duplicates("article_id")
    with_quote = set(quotes["article_id"])
    n_articles, n_with = len(articles), len(with_quote)
    attributed = quotes[quotes["speaker"].notna() & (quotes["speaker"].astype(str).str.strip() != "")].copy()
    identity = "speaker_id" in attributed.columns
    if identity:  # a word the tagger read as a name (``Kemarahannya``) has no speaker_id: no speaker
        attributed = attributed[attributed["speaker_id"].notna()]
    attributed["person"] = attributed["speaker_id"] if identity else cluster_speakers(attributed)

    speakers = _speaker_rows(attributed, outlet, date)
    report.tables["summary"] = Table(
        "summary",
        "Summary",
        ("measure", "value"),
        [
            ["articles", n_articles],
            ["articles with at least one quotation", n_with],
            ["share of articles with a quotation (%)", _pct(n_with, n_articles)],
            ["quotations", len(quotes)],
            *([[f"  {kind} quotations", int((quotes["kind"] == kind).sum())] for kind in ("direct", "indirect")]
              if "kind" in quotes.columns and quotes["kind"].notna().any() else []),
            ["quotations with a speaker", len(attributed)],
            ["share of quotations with a speaker (%)", _pct(len(attributed), len(quotes))],
            [SPEAKERS_ACROSS if identity else SPEAKERS_PER_ARTICLE, len(speakers)],
            *(summary_rows(quotes, outlet) if "quote_cluster_id" in quotes.columns else []),
        ],
    )
    report.tables["speakers"] = Table(
        "speakers",
        "Most quoted speakers",
        ("speaker", "quotations", "articles", "% of attributed", "role", "affiliation", "role forms merged",
         *(("outlets",) if outlet else ()),
         *(("first month", "last month") if date else ()), "also written"),
        [[r[0], r[1], r[2], _pct(r[1], len(attributed)), *r[3:]] for r in speakers],
        "one person across the archive: name forms merged on evidence (see Name forms merged into one person)"
        if identity
        else "a name's shorter forms (surname, given name) are counted with it where one article links them",
    )
    if identity:  # _speaker_rows put the id and the unique quotations last
        t = report.tables["speakers"]
        t.header = (*t.header[:2], "unique quotations", *t.header[2:], "speaker_id")
        t.rows = [[*r[:2], r[-1], *r[2:-2], r[-2]] for r in t.rows]
    for col, name, title_ in (("role", "roles", "Roles of the speakers"), ("affiliation", "affiliations", "Affiliations")):
        report.tables[name] = Table(name, title_, (col, "quotations", "speakers"), _title_rows(attributed, col))
    if outlet:
        report.tables["outlets"] = Table(
            "outlets", "Quotations per outlet", _GROUP_HEADER, _group_rows(df, quotes, attributed, df[outlet].astype("string"))
        )
    else:
        report.notes.append(f"no outlet column ({', '.join(OUTLET_COLUMNS)}; or --outlet-column): no table per outlet")
    if date:
        months = _month(df[date])
        report.tables["months"] = Table(
            "months", "Quotations per month", ("month", *_GROUP_HEADER[1:]), _group_rows(df, quotes, attributed, months, sort_key=True)
        )
    else:
        report.notes.append(f"no date column ({', '.join(DATE_COLUMNS)}; or --date-column): no table per month")
    if identities is not None:
        report.tables.update(identity_tables(quotes, identities, outlet, date))
    return report


_GROUP_HEADER = ("outlet", "articles", "with a quotation", "% with a quotation", "quotations", "per article", "% attributed")


def _group_rows(df, quotes, attributed, key: pd.Series, sort_key: bool = False) -> list[list]:
    key = key.fillna("(none)")
    arts = df.assign(_k=key).drop_duplicates("article_id").groupby("_k").size()
    with_q = quotes.assign(_k=key[quotes.index]).drop_duplicates("article_id").groupby("_k").size()
    n_q = quotes.assign(_k=key[quotes.index]).groupby("_k").size()
    n_att = attributed.assign(_k=key[attributed.index]).groupby("_k").size()
    order = sorted(arts.index) if sort_key else list(n_q.reindex(arts.index).fillna(0).sort_values(ascending=False, kind="stable").index)
    rows = []
    for k in order:
        a, w, q, t = int(arts.get(k, 0)), int(with_q.get(k, 0)), int(n_q.get(k, 0)), int(n_att.get(k, 0))
        rows.append([str(k), a, w, _pct(w, a), q, round(q / a, 2) if a else 0.0, _pct(t, q)])
    return rows


def _speaker_rows(attributed: pd.DataFrame, outlet: str | None, date: str | None) -> list[list]:
    """One row per person; whole columns are grouped at once (an archive has 10^5 people)."""
    if attributed.empty:
        return []
    person = attributed["person"]
    spelled = attributed["speaker"].astype(str).str.split().str.join(" ")
    by = attributed.groupby("person", sort=False)
    counts, articles = by.size(), by["article_id"].nunique()
    forms = spelled.groupby(person, sort=False).value_counts(sort=False)  # first-seen order within each person
    roles = {c: _top_title(attributed, c) for c in ("role", "affiliation")}
    merged = _role_forms(attributed)
    outlets = by[outlet].nunique() if outlet else None
    if date:
        months = _month(attributed[date]).groupby(person, sort=False)
        first, last = months.min(), months.max()
    named = "speaker_name" in attributed.columns
    names = by["speaker_name"].first() if named else None
    clusters = by["quote_cluster_id"].nunique() if "quote_cluster_id" in attributed.columns else None
    rows = []
    for p, n in counts.items():
        spellings = forms[p]
        own = spellings[[name_key(f) == p for f in spellings.index]]
        pool = own if not own.empty else spellings
        display = names[p] if named and isinstance(names[p], str) else pool.index[int(pool.to_numpy().argmax())]
        others = sorted(set(spellings.index) - {display})  # shorter forms linked to it, other spellings
        row = [display, int(n), int(articles[p]), roles["role"].get(p), roles["affiliation"].get(p), merged.get(p)]
        if outlet:
            row.append(int(outlets[p]))
        if date:
            row += [first[p] if isinstance(first[p], str) else None, last[p] if isinstance(last[p], str) else None]
        more = f" (+{len(others) - ALSO_WRITTEN})" if len(others) > ALSO_WRITTEN else ""
        row.append(", ".join(others[:ALSO_WRITTEN]) + more)
        if "speaker_id" in attributed.columns:  # moved after the name by build_report
            row += [p, int(clusters[p]) if clusters is not None else 0]
        rows.append(row)
    rows.sort(key=lambda r: (-r[1], -r[2], r[0].casefold()))
    return rows


def _top_title(attributed: pd.DataFrame, col: str) -> dict:
    """Each person's most frequent title in ``col`` (ties: the first written)."""
    titles = _split_titles(attributed[col])
    if titles.empty:
        return {}
    frame = titles.to_frame("t").join(attributed["person"])
    n = frame.groupby(["person", "t"], sort=False).size().reset_index(name="n")
    n = n.sort_values("n", ascending=False, kind="stable").drop_duplicates("person")
    return dict(zip(n["person"], n["t"].astype(str)))


def _role_forms(attributed: pd.DataFrame) -> dict:
    """Each person's role forms, ``" | "``-joined in first-seen order: the roles of their quotations and the forms the
    quote records merged into them (``role_forms``: ``Menteri Keuangan | Menkeu``), so a reader sees what was merged."""
    import pandas as pd

    parts = [_split_titles(attributed["role"])]
    if "role_forms" in attributed.columns:
        parts.append(_split_titles(attributed["role_forms"].astype("string").str.replace(" | ", ", ", regex=False)))
    forms = pd.concat(parts)
    if forms.empty:
        return {}
    frame = forms.to_frame("t").join(attributed["person"])
    frame = frame.sort_index(kind="stable")  # rows in table order, each row's role before its merged forms
    frame = frame.assign(k=frame["t"].str.casefold()).drop_duplicates(["person", "k"])
    return frame.groupby("person", sort=False)["t"].agg(" | ".join).to_dict()


def _title_rows(attributed: pd.DataFrame, col: str) -> list[list]:
    titles = _split_titles(attributed[col]) if not attributed.empty else attributed[col]
    if titles.empty:
        return []
    frame = titles.to_frame("t").join(attributed["person"])
    frame["k"] = frame["t"].str.casefold()
    rows = []
    for _, group in frame.groupby("k", sort=False):
        rows.append([group["t"].value_counts().index[0], len(group), group["person"].nunique()])
    rows.sort(key=lambda r: (-r[1], r[0].casefold()))
    return rows


# ------------------------------------------------------------------ reading and writing


def load_table(out: str | os.PathLike, options: ReportOptions = ReportOptions()) -> pd.DataFrame:
    """The columns of an ``indoquote predict`` output that the report reads, as a DataFrame."""
    import pyarrow.parquet as pq

    from .output import read_output

    wanted = ["article_id", "quote_index", "speaker", "role", "affiliation", "quote", "speaker_forms", "role_forms"]
    extra = [c for c in (options.outlet_column, options.date_column) if c]
    cols = None
    part = next(iter(sorted(Path(out).glob("part-*.parquet"))), None)
    if part is not None:  # Parquet: read only what the report uses
        names = pq.read_schema(part).names
        lower = {n.casefold(): n for n in names}
        found = [lower[c] for c in (*OUTLET_COLUMNS, *DATE_COLUMNS, *TITLE_COLUMNS, "kind") if c in lower]
        cols = list(dict.fromkeys([*wanted, *extra, *found]))
    return read_output(out, columns=cols).to_pandas()


def write_report(out: str | os.PathLike, report_dir: str | os.PathLike, options: ReportOptions = ReportOptions()) -> Report:
    """Read the output ``out`` and write ``report.md``, ``report.html``, the CSV files and ``charts/*.png``."""
    df = load_table(out, options)
    identities = None
    if options.identity:
        df, identities = annotate(df, read_aliases(options.aliases) if options.aliases else ())
    report = build_report(df, options, title=options.title or f"Who is quoted: {Path(out).name}", identities=identities)
    render_charts(report)
    dest = make_dirs(report_dir)
    source = f"{Path(out)}: {report.tables['summary'].rows[0][1]:,} articles"
    with file_set() as files:  # all files or none: a full disk leaves the previous report as it was
        write_csvs(report, dest, files)
        if report.charts:
            make_dirs(dest / "charts")
            for name, png in report.charts.items():
                files.write_bytes(dest / "charts" / f"{name}.png", png)
        if identities is not None:
            outlet = _column(df, options.outlet_column, OUTLET_COLUMNS, "--outlet-column")
            date = _column(df, options.date_column, DATE_COLUMNS, "--date-column")
            write_files(files, dest, df, identities, outlet, date)
        files.write_text(dest / "report.md", markdown(report, options.top, source))
        files.write_text(dest / "report.html", html(report, options.top, source))
    return report


__all__ = [
    "DATE_COLUMNS",
    "OUTLET_COLUMNS",
    "Report",
    "ReportOptions",
    "build_report",
    "cluster_speakers",
    "link_names",
    "load_table",
    "name_key",
    "write_report",
]
