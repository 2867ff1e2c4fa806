"""The one table renderer: aligned columns for the terminal, or Markdown for reports and model cards."""

from __future__ import annotations

from typing import Any, Sequence


def cell(v: Any) -> str:
    """Floats with two decimals, ints with thousands separators, ``None`` blank."""
    if isinstance(v, bool) or v is None:
        return "" if v is None else str(v)
    if isinstance(v, float):
        return f"{v:.2f}"
    if isinstance(v, int):
        return f"{v:,}"
    return str(v)


def render_table(
    header: Sequence[str], rows: Sequence[Sequence[Any]], markdown: bool = False, left: int = 1, thousands: bool = False
) -> str:
    """Columns aligned for the terminal, or a Markdown table; floats with two decimals.

    The first ``left`` columns (names) are left-aligned, the rest (numbers)
    right-aligned. ``thousands`` writes ints as ``12,345``.
    """
    fmt = cell if thousands else (lambda v: f"{v:.2f}" if isinstance(v, float) else ("" if v is None else str(v)))
    cells = [[fmt(v) for v in row] for row in rows]
    text = [i < left for i in range(len(header))]
    if markdown:
        from .safe_text import md_text  # names from data (outlets, checkpoints) are literal text, never HTML

        md = ["| " + " | ".join(md_text(c) for c in r) + " |" for r in [list(header), *cells]]
        return "\n".join([md[0], "|" + "|".join("---" if t else "---:" for t in text) + "|", *md[1:]])
    widths = [max(len(str(h)), *(len(r[i]) for r in cells)) for i, h in enumerate(header)]

    def line(r: Sequence[str]) -> str:
        return "  ".join(c.ljust(w) if t else c.rjust(w) for c, w, t in zip(r, widths, text)).rstrip()

    return "\n".join([line(header), "  ".join("-" * w for w in widths)] + [line(r) for r in cells])


def rule(title: str, width: int = 78) -> str:
    """A spaCy-style section title: ``===== title =====``."""
    return f" {title} ".center(width, "=")
