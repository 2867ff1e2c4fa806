"""Quote-level gold of real articles: each quotation's span, kind, cue, speaker mention and speaker.

The real-outlet development set (``data/dev-articles/*.jsonl``, format in
``docs/annotation-format.md``) annotates quotations, not tags. This module reads it
(a malformed line is a :class:`~indoquote.errors.GoldError` naming ``file:line``) and turns
quote records into the same :class:`Quote` shape; :mod:`indoquote.scoring.quotes` scores them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

from ..errors import GoldError
from ..quotes.records import char_range
from ..text.articles import iter_json_articles

KINDS = ("direct", "indirect")


@dataclass(frozen=True)
class Quote:
    """One quotation: gold, or read from a system's quote records."""

    kind: str
    start: int
    end: int
    speaker: str | None = None
    cue: tuple[int, int] | None = None
    speaker_mention: tuple[int, int] | None = None
    role: str | None = None
    affiliation: str | None = None
    confidence: float | None = None  # a system's confidence in the speaker (none in the gold)


@dataclass
class GoldArticle:
    id: str
    text: str
    outlet: str
    quotes: list[Quote]
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def part(self) -> str:
        """``"heldout"`` for about a third of the articles (fixed by a hash of the id), else ``"tune"``.

        Held-out articles are kept out of every choice made while building models
        (thresholds, rules, recipes): their scores are the ones to report. A gold file may fix the
        part itself (``meta.part``, as ``data/genre-articles`` does, stratified by outlet and genre).
        """
        fixed = self.meta.get("part")
        if fixed in ("heldout", "tune"):
            return str(fixed)
        return "heldout" if int(hashlib.sha1(self.id.encode()).hexdigest(), 16) % 3 == 0 else "tune"


PARTS = ("all", "tune", "heldout")


def select_part(articles: Sequence[GoldArticle], part: str) -> list[GoldArticle]:
    """The articles of one part of the development set (``all``, ``tune`` or ``heldout``)."""
    if part not in PARTS:
        raise ValueError(f"data.part must be one of {PARTS}, got {part!r}")
    return [a for a in articles if part == "all" or a.part == part]


def _span(obj: Any, text: str, where: str, what: str) -> tuple[int, int] | None:
    if obj is None:
        return None
    try:
        a, b = int(obj["start"]), int(obj["end"])
    except (TypeError, KeyError, ValueError):
        raise GoldError(f"{where}: {what} needs integer start and end") from None
    if not 0 <= a < b <= len(text):
        raise GoldError(f"{where}: {what} [{a}, {b}) is outside the text (0..{len(text)})")
    if "text" in obj and text[a:b] != obj["text"]:
        raise GoldError(f"{where}: {what} text {obj['text']!r} differs from the article's {text[a:b]!r}")
    return a, b


def read_gold(path: str | Path) -> list[GoldArticle]:
    """Articles with quote-level gold; every problem names ``file:line`` and the article."""
    out: list[GoldArticle] = []
    for where, obj in iter_json_articles(path):
        where = f"{where} ({obj['id']})"
        if not isinstance(obj.get("quotes"), list):
            raise GoldError(f'{where}: "quotes" must be a list ([] for an article with no quotation)')
        text = obj["text"]
        quotes = []
        for k, q in enumerate(obj["quotes"]):
            at = f"{where} quote {k}"
            if q.get("kind") not in KINDS:
                raise GoldError(f"{at}: kind must be one of {KINDS}, got {q.get('kind')!r}")
            span = _span(q, text, at, "quotation")
            assert span is not None
            quotes.append(
                Quote(q["kind"], span[0], span[1], q.get("speaker"), _span(q.get("cue"), text, at, "cue"),
                      _span(q.get("speaker_mention"), text, at, "speaker_mention"), q.get("role"), q.get("affiliation"))
            )
        meta = dict(obj.get("meta") or {})
        if meta.get("part") not in (None, "heldout", "tune"):
            raise GoldError(f'{where}: meta.part must be "heldout" or "tune", got {meta["part"]!r}')
        out.append(GoldArticle(obj["id"], text, str(meta.get("outlet", "unknown")), sorted(quotes, key=lambda q: q.start), meta))
    return out


def read_gold_files(paths: Iterable[str | Path]) -> list[GoldArticle]:
    arts = [a for p in paths for a in read_gold(p)]
    ids = [a.id for a in arts]
    dup = sorted({i for i in ids if ids.count(i) > 1})
    if dup:
        raise GoldError(f"article ids repeated across files: {dup[:5]}")
    return arts


def from_records(records: Iterable[Any], kind: str = "direct") -> list[Quote]:
    """Quotes from :class:`~indoquote.quotes.records.QuoteRecord` s (``kind`` where a record has none), cues,
    speaker mentions, roles and affiliations included."""
    return [Quote(getattr(r, "kind", kind) or kind, r.start, r.end, r.speaker, role=getattr(r, "role", None),
                  affiliation=getattr(r, "affiliation", None),
                  cue=char_range(getattr(r, "cue", None)), speaker_mention=char_range(getattr(r, "speaker_mention", None)),
                  confidence=getattr(r, "confidence", None))
            for r in records]
