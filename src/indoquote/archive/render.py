"""The who-quoted report rendered: PNG charts (matplotlib, Agg), CSV files, Markdown, one self-contained HTML page.

:class:`Report` holds the tables :func:`indoquote.archive.report.build_report` fills;
this module only draws and writes them, and reads no data of its own.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any, Sequence

from ..atomic import FileSet
from ..safe_text import CSP_META, csv_writer, md_code, md_text, write_csv
from ..tables import cell

TOP = 25
"""Rows of the speaker, role and affiliation tables (the CSV files hold every row)."""
CHART_TOP = 15


@dataclass
class Table:
    """One table of the report: shown with ``top`` rows, written to ``<name>.csv`` in full."""

    name: str
    title: str
    header: tuple[str, ...]
    rows: list[list[Any]]
    note: str = ""


@dataclass
class Report:
    title: str
    tables: dict[str, Table] = field(default_factory=dict)
    charts: dict[str, bytes] = field(default_factory=dict)  # name -> PNG
    notes: list[str] = field(default_factory=list)


# ------------------------------------------------------------------ charts


def render_charts(report: Report) -> None:
    """PNG charts of the main tables into ``report.charts`` (none, with a note, without matplotlib)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        report.notes.append("charts need matplotlib: pip install matplotlib (or indoquote[report])")
        return
    t = report.tables
    if t["speakers"].rows:
        rows = t["speakers"].rows[:CHART_TOP]
        report.charts["speakers"] = _barh(plt, [r[0] for r in rows], [r[1] for r in rows], "Most quoted speakers", "quotations")
    for name in ("affiliations", "roles"):
        if t[name].rows:
            rows = t[name].rows[:10]
            report.charts[name] = _barh(plt, [r[0] for r in rows], [r[1] for r in rows], t[name].title, "quotations", color="#7c6fd6")
    if "outlets" in t and t["outlets"].rows:
        rows = t["outlets"].rows[:CHART_TOP]
        report.charts["outlets"] = _bars(plt, [r[0] for r in rows], [r[4] for r in rows], [r[3] for r in rows], "Quotations per outlet")
    if "months" in t and t["months"].rows:
        rows = t["months"].rows
        report.charts["months"] = _bars(plt, [r[0] for r in rows], [r[4] for r in rows], [r[3] for r in rows], "Quotations per month")


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    import matplotlib.pyplot as plt

    plt.close(fig)
    return buf.getvalue()


def _barh(plt, labels: list[str], values: list[float], title: str, xlabel: str, color: str = "#e0a800") -> bytes:
    fig, ax = plt.subplots(figsize=(7.5, 0.32 * len(labels) + 1.1))
    y = range(len(labels))[::-1]
    ax.barh(list(y), values, color=color)
    ax.set_yticks(list(y), [_short(label) for label in labels])
    ax.set_xlabel(xlabel)
    ax.set_title(title, loc="left", fontsize=12, fontweight="bold")
    ax.spines[["top", "right"]].set_visible(False)
    for yi, v in zip(y, values):
        ax.text(v, yi, f" {v:,}", va="center", fontsize=8)
    return _png(fig)


def _bars(plt, labels: list[str], counts: list[int], shares: list[float], title: str) -> bytes:
    fig, ax = plt.subplots(figsize=(max(6.0, 0.45 * len(labels) + 2), 3.6))
    x = list(range(len(labels)))
    ax.bar(x, counts, color="#e0a800", label="quotations")
    ax.set_xticks(x, [_short(label, 14) for label in labels], rotation=45 if len(labels) > 6 else 0, ha="right" if len(labels) > 6 else "center")
    ax.set_ylabel("quotations")
    ax.spines[["top"]].set_visible(False)
    ax2 = ax.twinx()
    ax2.plot(x, shares, color="#3b5bdb", marker="o", label="% of articles with a quotation")
    ax2.set_ylim(0, 100)
    ax2.set_ylabel("% of articles with a quotation")
    ax.set_title(title, loc="left", fontsize=12, fontweight="bold", pad=22)
    handles = ax.get_legend_handles_labels()[0] + ax2.get_legend_handles_labels()[0]
    ax.legend(handles, [h.get_label() for h in handles], loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=2,
              fontsize=8, frameon=False, borderaxespad=0.2)
    return _png(fig)


def _short(text: str, n: int = 32) -> str:
    text = " ".join(text.split())  # a tab or line break in a scraped name: no glyph, no broken label
    return text if len(text) <= n else text[: n - 1] + "…"


# ------------------------------------------------------------------ output files


def write_csvs(report: Report, out: Path, files: FileSet | None = None) -> list[Path]:
    """``<table>.csv`` for every table, every row; cells a spreadsheet would run are neutralised
    (:func:`indoquote.safe_text.csv_cell`). Into ``files`` when given (renamed with the rest of the report)."""
    paths = []
    for t in report.tables.values():
        path = out / f"{t.name}.csv"
        if files is None:
            write_csv(path, t.header, t.rows)
        else:
            with files.open(path, "w", encoding="utf-8", newline="") as f:
                w = csv_writer(f)
                w.writerow(t.header)
                w.writerows(t.rows)
        paths.append(path)
    return paths


def markdown(report: Report, top: int = TOP, source: str = "") -> str:
    """The Markdown report; charts are ``charts/<name>.png`` beside it. Every value is literal text
    (:func:`indoquote.safe_text.md_text`): no HTML or link a viewer would render."""
    parts = [f"# {md_text(report.title)}", ""]
    if source:
        parts += [f"From {md_text(source)}.", ""]
    for name, t in report.tables.items():
        parts += [f"## {md_text(t.title)}", ""]
        if name in report.charts:
            parts += [f"![{md_text(t.title)}](charts/{name}.png)", ""]
        if t.rows:
            parts.append(_markdown_table(t.header, t.rows[:top]))
            if len(t.rows) > top:
                parts.append(f"\n{top} of {len(t.rows):,} rows; all in {md_code(t.name + '.csv')}.")
        else:
            parts.append("(none)")
        if t.note:
            parts.append(f"\n_{md_text(t.note)}_")
        parts.append("")
    parts += [f"- {md_text(n)}" for n in report.notes]
    return "\n".join(parts).rstrip() + "\n"


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _markdown_table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """Numbers right-aligned, text left-aligned, column by column; every cell literal text (``|``, HTML escaped)."""
    numeric = [
        any(_is_number(r[i]) for r in rows) and all(_is_number(r[i]) or r[i] is None for r in rows)
        for i in range(len(header))
    ]
    lines = ["| " + " | ".join(md_text(h) for h in header) + " |",
             "|" + "|".join("---:" if n else "---" for n in numeric) + "|"]
    for row in rows:
        lines.append("| " + " | ".join(md_text(cell(v)) for v in row) + " |")
    return "\n".join(lines)


CSS = """
body{margin:0;background:#f6f7f9;color:#1f2430;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif}
main{max-width:1100px;margin:0 auto;padding:28px 24px 48px}
h1{margin:0 0 4px;font-size:26px}h2{margin:32px 0 10px;font-size:19px}
.src{color:#6b7280;margin:0 0 18px}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(180px,1fr));gap:12px}
.card{background:#fff;border:1px solid #e5e7eb;border-radius:12px;padding:12px 16px}
.card b{display:block;font-size:24px}.card span{color:#6b7280;font-size:13px}
section{background:#fff;border:1px solid #e5e7eb;border-radius:12px;padding:14px 18px;margin-top:18px;overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:13.5px}
th,td{padding:5px 10px;border-bottom:1px solid #eef0f3;text-align:left;vertical-align:top}
th{font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:#6b7280}
td.n{text-align:right;font-variant-numeric:tabular-nums}
img{max-width:100%;height:auto;display:block;margin:4px 0 12px}
.note{color:#6b7280;font-size:13px;margin:8px 0 0}
"""


def html(report: Report, top: int = TOP, source: str = "") -> str:
    """One self-contained page: inline CSS, charts as base64 PNG, every value escaped, scripts forbidden (CSP)."""
    summary = dict((r[0], r[1]) for r in report.tables["summary"].rows)
    cards = [
        ("articles", summary.get("articles")),
        ("with a quotation", f"{summary.get('share of articles with a quotation (%)', 0)}%"),
        ("quotations", summary.get("quotations")),
        ("speakers", summary.get("speakers (people, names clustered per article)",
                                 summary.get("speakers (people across the archive)"))),
        *([("unique quotations", summary["unique quotations (copies across articles counted once)"])]
          if "unique quotations (copies across articles counted once)" in summary else []),
    ]
    out = [
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'>{CSP_META}",
        f"<title>{escape(report.title)}</title><style>{CSS}</style></head><body><main>",
        f"<h1>{escape(report.title)}</h1>",
        f"<p class='src'>{escape(source)}</p>" if source else "",
        "<div class='cards'>" + "".join(
            f"<div class='card'><b>{escape(_fmt(v))}</b><span>{escape(k)}</span></div>" for k, v in cards) + "</div>",
    ]
    for name, t in report.tables.items():
        if name == "summary":
            continue
        out.append(f"<section><h2>{escape(t.title)}</h2>")
        if name in report.charts:
            data = base64.b64encode(report.charts[name]).decode("ascii")
            out.append(f"<img alt='{escape(t.title)}' src='data:image/png;base64,{data}'>")
        out.append(_html_table(t.header, t.rows[:top]) if t.rows else "<p class='note'>(none)</p>")
        if len(t.rows) > top:
            out.append(f"<p class='note'>{top} of {len(t.rows):,} rows; all in {escape(t.name)}.csv</p>")
        if t.note:
            out.append(f"<p class='note'>{escape(t.note)}</p>")
        out.append("</section>")
    t = report.tables["summary"]
    out.append(f"<section><h2>{escape(t.title)}</h2>{_html_table(t.header, t.rows)}")
    out += [f"<p class='note'>{escape(n)}</p>" for n in report.notes]
    out.append("</section></main></body></html>")
    return "\n".join(x for x in out if x)


def _fmt(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, int):
        return f"{v:,}"
    if isinstance(v, float):
        return f"{v:,.1f}"
    return str(v)


def _html_table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(
            f"<td class='n'>{escape(_fmt(v))}</td>" if isinstance(v, (int, float)) and not isinstance(v, bool)
            else f"<td>{escape(_fmt(v))}</td>" for v in row) + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


__all__ = [
    "CHART_TOP",
    "Report",
    "TOP",
    "Table",
    "html",
    "markdown",
    "render_charts",
    "write_csvs",
]
