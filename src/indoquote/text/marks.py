"""Quotation marks as structure: where direct quotations open and close in raw news text.

Indonesian outlets mix conventions: straight ``"…"``, curly ``“…”``, Kompas print
``”…”`` (one glyph for both ends), single ``'…'`` / ``‘…’``, guillemets ``«…»`` and
``»…«``, low-9 ``„…“`` / ``„…”`` and mixed pairs such as ``“…"``. A quotation that runs
over several paragraphs reopens the mark at each paragraph start and closes only at its
end. Models and rules see tokens; this module recovers the spans the marks imply, with
character offsets, so nobody downstream has to guess at glyphs.

Rules, and why:

* A mark's role comes from its nearest non-mark neighbours (a run such as ``“‘`` shares
  them). After start / whitespace / ``( [ {`` / dash / ``:`` it is on the opening side;
  before end / whitespace / ``. , ; : ! ? ) ] } …`` / dash on the closing side. One side
  alone decides for every glyph, so ``“`` closes ``„…“`` and ``»`` opens ``»…«``. On
  both sides or neither the glyph decides: ``“ ‘ « ‹ „`` open, ``’ » ›`` close, and
  ``" ” '`` stay ambiguous: they close when a quotation of their family is open, and
  open otherwise. ``„`` always opens.
* Pairing is a stack per paragraph: a stray straight ``"`` can spoil at most its own
  paragraph, never flip every later pairing in the article. An unmatched closing mark
  yields nothing. Of several opening marks left unclosed in a paragraph only one
  survives (the reopening mark when the paragraph continues a quotation, else the most
  recent one); the others are strays and yield nothing.
* Multi-paragraph convention: the surviving unclosed double-family quotation continues
  when the next paragraph *starts* with an opening double-family mark (``"``, ``“``,
  ``”``, ``„``, ``«``, ``»``: outlets are not consistent between paragraphs); it ends at
  the mark that closes the last reopening. If the next paragraph does not reopen, the
  quotation ends at its paragraph's end with ``closed=False``.
* Double (``" “ ” „ « »``) and single (``' ‘ ’ ‹ ›``) marks are separate families, each
  with its own stack. Single marks double as apostrophes, so the single family of a
  paragraph is used only when it pairs cleanly: no opening mark left unclosed and no
  pair crossing a double-family quotation; otherwise all of it is ignored. It never
  spans paragraphs.
* Apostrophes are not marks: ``'``/``‘``/``’`` between two letters or digits (``Ma'ruf``,
  ``Jum’at``, ``Jokowi’s``) and before a digit when not after one (``tahun '90-an``,
  ``’98``: an elided century). A single closing mark at a word's end that closes nothing
  (``para guru'``) is taken as an apostrophe too and ignored; one that does close
  something is a mark (``‘kata dalam’``).
* Paragraphs are separated by a blank line; a text without blank lines is split at
  every newline (one paragraph per line, as scraped feeds often come).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Candidate", "quote_candidates", "outer_candidates"]

_DOUBLE = '"“”„«»'
_SINGLE = "'‘’‹›"
_APOSTROPHES = "'‘’"
_MARK_RUN = re.compile("[" + re.escape(_DOUBLE + _SINGLE) + "]+")
_OPEN_AFTER = frozenset("([{—–:")  # characters (besides whitespace) a quotation opens after
_CLOSE_BEFORE = frozenset(".,;:!?)]}…—–-")  # characters (besides whitespace) one closes before
_OPEN, _CLOSE, _AMBIGUOUS = 1, 2, 3
_GLYPH_ROLE = {**dict.fromkeys("“‘«‹„", _OPEN), **dict.fromkeys("’»›", _CLOSE)}  # when context can't tell
_BLANK_LINE = re.compile(r"\n\s*\n")
_NEWLINE = re.compile(r"\n")


@dataclass(frozen=True)
class Candidate:
    """One quotation the marks delimit; offsets index the original text."""

    start: int  # offset of the opening mark
    end: int  # just after the closing mark, or the end of the last paragraph when unclosed
    open_mark: str
    close_mark: str  # "" when unclosed
    closed: bool
    paragraphs: int  # paragraphs spanned; >1 is the reopen-each-paragraph convention
    depth: int  # 0 = outermost, 1 = inside another candidate, ...

    @property
    def inner(self) -> tuple[int, int]:
        """The quoted text without the outer marks (reopening marks of later paragraphs stay in)."""
        return self.start + len(self.open_mark), self.end - len(self.close_mark)


@dataclass(frozen=True)
class _Mark:
    pos: int
    glyph: str
    single: bool
    role: int


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-empty paragraph, surrounding whitespace trimmed."""
    sep = _BLANK_LINE if _BLANK_LINE.search(text) else _NEWLINE
    spans, pos = [], 0
    for m in sep.finditer(text):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            out.append((s, e))
    return out


def _is_apostrophe(text: str, i: int, s: int, e: int) -> bool:
    before = text[i - 1] if i > s else " "
    after = text[i + 1] if i + 1 < e else " "
    return (before.isalnum() and after.isalnum()) or (after.isdigit() and not before.isalnum())


def _marks(text: str, s: int, e: int) -> list[_Mark]:
    """Every quotation mark in ``text[s:e]`` with its role; apostrophes left out."""
    out = []
    for run in _MARK_RUN.finditer(text, s, e):
        a, b = run.span()
        left = text[a - 1] if a > s else " "
        right = text[b] if b < e else " "
        opens = left.isspace() or left in _OPEN_AFTER
        closes = right.isspace() or right in _CLOSE_BEFORE
        for i in range(a, b):
            glyph = text[i]
            if glyph in _APOSTROPHES and _is_apostrophe(text, i, s, e):
                continue
            if glyph == "„" or opens != closes:
                role = _OPEN if glyph == "„" or opens else _CLOSE
            else:
                role = _GLYPH_ROLE.get(glyph, _AMBIGUOUS)
            out.append(_Mark(i, glyph, glyph in _SINGLE, role))
    return out


def _pair(marks: list[_Mark]) -> tuple[list[tuple[_Mark, _Mark]], list[_Mark]]:
    """Stack-pair one family; returns the pairs and the opening marks left unclosed."""
    stack: list[_Mark] = []
    pairs = []
    for m in marks:
        if m.role == _OPEN or (m.role == _AMBIGUOUS and not stack):
            stack.append(m)
        elif stack:
            pairs.append((stack.pop(), m))
        # else: a closing mark with nothing open is a stray and yields nothing
    return pairs, stack


def _nested(intervals: list[tuple[int, int]]) -> bool:
    """True when no two intervals cross (each lies inside or outside every other)."""
    starts = [(a, 1, k) for k, (a, _) in enumerate(intervals)]
    events = sorted(starts + [(b, 0, k) for k, (_, b) in enumerate(intervals)])
    stack: list[int] = []
    for _, is_open, k in events:
        if is_open:
            stack.append(k)
        elif not stack or stack.pop() != k:
            return False
    return True


def quote_candidates(text: str) -> list[Candidate]:
    """All quotations the marks delimit, outer and nested, sorted by start (outer first on ties)."""
    found: list[tuple[int, int, str, str, bool, int]] = []  # start, end, open, close, closed, paragraphs
    pending: tuple[int, str, int, int] | None = None  # start, open mark, paragraphs, end of last paragraph
    for s, e in _paragraphs(text):
        marks = _marks(text, s, e)
        doubles = [m for m in marks if not m.single]
        pairs, left = _pair(doubles)
        # a paragraph continues the pending quotation only if it starts with an opening double mark
        reopen = doubles[0] if pending and doubles and doubles[0].pos == s and doubles[0].role != _CLOSE else None
        if pending and reopen is None:
            found.append((pending[0], pending[3], pending[1], "", False, pending[2]))
            pending = None
        if pending and reopen is not None and left and left[0] is reopen:
            pending = (pending[0], pending[1], pending[2] + 1, e)  # still open: the quotation goes on
            keep = reopen
        else:
            for o, c in pairs:
                if o is reopen and pending:
                    found.append((pending[0], c.pos + 1, pending[1], c.glyph, True, pending[2] + 1))
                    pending = None
            keep = left[-1] if left else None  # the one unclosed opening that survives; others are strays
            if keep is not None:
                pending = (keep.pos, keep.glyph, 1, e)
        found.extend((o.pos, c.pos + 1, o.glyph, c.glyph, True, 1) for o, c in pairs if o is not reopen)
        singles = [m for m in marks if m.single]
        if singles:
            spairs, sleft = _pair(singles)
            spans = [(o.pos, c.pos) for o, c in pairs + spairs] + ([(keep.pos, e)] if keep else [])
            if not sleft and _nested(spans):
                found.extend((o.pos, c.pos + 1, o.glyph, c.glyph, True, 1) for o, c in spairs)
    if pending:
        found.append((pending[0], pending[3], pending[1], "", False, pending[2]))
    found.sort(key=lambda f: (f[0], -f[1]))
    out, ends = [], []  # ends: ends of the candidates enclosing the current one
    for start, end, open_mark, close_mark, closed, paragraphs in found:
        while ends and ends[-1] <= start:
            ends.pop()
        out.append(Candidate(start, end, open_mark, close_mark, closed, paragraphs, len(ends)))
        ends.append(end)
    return out


def outer_candidates(text: str) -> list[Candidate]:
    """Only the outermost quotations (depth 0): the spans a quote record is made of."""
    return [c for c in quote_candidates(text) if c.depth == 0]
