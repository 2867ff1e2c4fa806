"""Values from scraped pages made inert where a person opens them: spreadsheets (CSV), Markdown viewers, browsers.

Outlet, speaker, role and article text come from archives anyone can plant a
value in. Three places would run such a value:

- **CSV** opened in a spreadsheet: a cell that starts with ``=``, ``+``, ``-``, ``@``,
  a tab or a carriage return is a formula (``=HYPERLINK(...)``, ``=cmd|' /C calc'!A0``).
  :func:`csv_cell` prefixes such a text cell with ``'``, as OWASP recommends
  (https://owasp.org/www-community/attacks/CSV_Injection); numbers are left as numbers.
  :func:`csv_writer` / :func:`write_csv` apply it to every cell of every CSV this project writes.
- **Markdown**: raw HTML (``<script>``, ``<img onerror=...>``) and link syntax
  (``[x](javascript:...)``) are rendered by viewers. :func:`md_text` escapes both;
  :func:`md_code` fences a value as inline code whatever backticks it holds.
- **HTML**: every value goes through :func:`html.escape`; self-contained pages carry
  :data:`CSP_META`, which forbids scripts, remote loads, forms and frames even if
  something slipped through.
"""

from __future__ import annotations

import csv
import html
import os
import re
from pathlib import Path
from typing import IO, Any, Iterable, Sequence

from .atomic import atomic_open

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula (OWASP's list)."""

CSP = ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; "
       "frame-src 'none'")
"""The policy of the self-contained pages: inline CSS and ``data:`` images only; no script, no request, no form."""
CSP_META = f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'


# ------------------------------------------------------------------ CSV


def csv_cell(value: Any) -> Any:
    """``value`` as a spreadsheet shows it as text: a string that starts (after spaces) with a formula character
    gets a leading ``'``; ``None`` becomes empty; numbers and other values pass unchanged."""
    if value is None:
        return ""
    if isinstance(value, str) and value and (value[0] in FORMULA_START or value.lstrip(" \n")[:1] in FORMULA_START):
        return "'" + value
    return value


def csv_row(row: Iterable[Any]) -> list[Any]:
    return [csv_cell(v) for v in row]


class SafeCsvWriter:
    """A :func:`csv.writer` whose every cell goes through :func:`csv_cell`."""

    def __init__(self, f: IO[str], **kwargs: Any) -> None:
        self._w = csv.writer(f, **kwargs)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._w.writerow(csv_row(row))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(f: IO[str], **kwargs: Any) -> SafeCsvWriter:
    """Use instead of :func:`csv.writer` for any CSV a person may open (open ``f`` with ``newline=""``)."""
    return SafeCsvWriter(f, **kwargs)


def write_csv(path: str | os.PathLike, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Path:
    """A whole CSV file, written atomically (:mod:`indoquote.atomic`), every cell neutralised."""
    with atomic_open(path, "w", encoding="utf-8", newline="") as f:
        w = csv_writer(f)
        w.writerow(header)
        w.writerows(rows)
    return Path(path)


# ------------------------------------------------------------------ Markdown


_MD_PUNCT = re.compile(r"([\\`*_\[\]|~])")


def md_text(value: Any) -> str:
    """``value`` as literal text in Markdown (a paragraph or a table cell): HTML escaped, link, emphasis and table
    syntax backslash-escaped, line breaks made spaces."""
    text = "" if value is None else str(value)
    text = " ".join(text.splitlines()) if ("\n" in text or "\r" in text) else text
    return html.escape(_MD_PUNCT.sub(r"\\\1", text), quote=False)


def md_code(value: Any) -> str:
    """``value`` as inline code, fenced with more backticks than it holds in a row (so it cannot close the span)."""
    text = " ".join(str(value).splitlines())
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or longest else ""
    return f"{fence}{pad}{text}{pad}{fence}"


# ------------------------------------------------------------------ HTML


def html_text(value: Any) -> str:
    """``value`` escaped for HTML text and quoted attributes (``&``, ``<``, ``>``, ``"``, ``'``)."""
    return html.escape("" if value is None else str(value), quote=True)


__all__ = [
    "CSP",
    "CSP_META",
    "FORMULA_START",
    "SafeCsvWriter",
    "csv_cell",
    "csv_row",
    "csv_writer",
    "html_text",
    "md_code",
    "md_text",
    "write_csv",
]
