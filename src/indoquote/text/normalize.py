"""Unicode clean-up before tokenizing, with a map back to the user's own text.

Text pasted from web pages carries characters a reader never sees but a
tokenizer does: a zero-width joiner inside ``Sri\u200dMulyani`` cuts the name in
two, a zero-width space or a BOM becomes a token of its own, and a decomposed
accent (``e`` + U+0301) is two characters where the model saw one.
:func:`normalize` removes the invisible characters (:data:`INVISIBLE`) and
applies NFC, and keeps, for every character of the result, where it came from,
so offsets found on the clean text can be reported on the original:

    >>> n = normalize("Sri\u200dMulyani")
    >>> n.text, n.span(0, 10)
    ('SriMulyani', (0, 11))
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from dataclasses import dataclass
from typing import Sequence

INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
"""Removed: soft hyphen, zero-width space, non-joiner and joiner, word joiner, BOM (zero-width no-break space)."""

_DROP = dict.fromkeys(map(ord, INVISIBLE))
_INVISIBLE_RE = re.compile(f"[{INVISIBLE}]")
_ASCII_RUN = re.compile(r"[\x00-\x7f]{2,}")


@dataclass(frozen=True)
class Normalized:
    """Normalized ``text`` and the way back to the original.

    ``to_original[i]`` is the original offset of normalized character ``i``
    (of the first original character it was made from), and
    ``to_original[len(text)]`` is the original length; ``to_original_end[i]`` is
    the original offset just after the characters normalized character ``i``
    was made from (a space inserted between glued words maps to no character:
    both maps give the offset of the character after it). Use :meth:`span` to
    map a ``[start, end)`` span. When nothing changed (``changed`` false) both
    maps are ``range`` objects.
    """

    text: str
    to_original: Sequence[int]
    to_original_end: Sequence[int]
    changed: bool = True
    glued: int = 0
    """Words split where scraping had glued them (:func:`indoquote.text.glue.repair_glue`)."""

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original ``[start, end)`` of the normalized span ``[start, end)``.

        A non-empty span stays non-empty and excludes invisible characters
        that were removed just before ``end``.
        """
        a = self.to_original[start]
        return (a, self.to_original_end[end - 1]) if end > start else (a, a)


def is_blank(text: str) -> bool:
    """Is ``text`` only white space and invisible characters?"""
    head = text.lstrip()
    if head and ord(head[0]) not in _DROP:  # a visible first character: no pass over the whole text
        return False
    return not text.translate(_DROP).strip()


def normalize(text: str) -> Normalized:
    """NFC, without the characters of :data:`INVISIBLE`, with a map back to ``text`` (see :class:`Normalized`)."""
    n = len(text)
    if text.isascii() or (unicodedata.is_normalized("NFC", text) and not _INVISIBLE_RE.search(text)):
        return Normalized(text, range(n + 1), range(1, n + 1), changed=False)
    built = _Builder(text).run()
    if built.text != unicodedata.normalize("NFC", text.translate(_DROP)):  # pragma: no cover - exotic scripts
        built = _Builder(text, nfc=False).run()  # offsets stay right: only the invisible characters go
    return built


class _Builder:
    """Cut ``text`` into pieces that NFC treats independently (a starter and the marks that combine with it)."""

    def __init__(self, text: str, nfc: bool = True):
        self.text, self.nfc = text, nfc
        self.out: list[str] = []
        self.starts, self.ends = array("q"), array("q")
        self.piece, self.a, self.b = "", 0, 0  # kept characters of the open piece, its original [a, b)

    def run(self) -> Normalized:
        pos = 0
        for m in _ASCII_RUN.finditer(self.text):
            a, b = m.span()
            self._chars(pos, a)
            self._flush()
            # no composition takes an ASCII character as its second part: each is a piece of its own,
            # except the last of the run, which may still take the combining marks after it
            self.out.append(self.text[a : b - 1])
            self.starts.extend(range(a, b - 1))
            self.ends.extend(range(a + 1, b))
            self.piece, self.a, self.b = self.text[b - 1], b - 1, b
            pos = b
        self._chars(pos, len(self.text))
        self._flush()
        self.starts.append(len(self.text))
        return Normalized("".join(self.out), self.starts, self.ends)

    def _chars(self, lo: int, hi: int) -> None:
        text = self.text
        for i in range(lo, hi):
            c = text[i]
            if c in INVISIBLE:
                continue
            if self.piece and self.nfc and c >= "\x80" and (unicodedata.combining(c) or not self._separable(c)):
                self.piece += c
                self.b = i + 1
                continue
            self._flush()
            self.piece, self.a, self.b = c, i, i + 1

    def _separable(self, c: str) -> bool:
        """Does NFC leave the open piece and a starter ``c`` apart (no Hangul jamo or vowel sign composing)?"""
        nfc = unicodedata.normalize
        return nfc("NFC", self.piece + c) == nfc("NFC", self.piece) + nfc("NFC", c)

    def _flush(self) -> None:
        if not self.piece:
            return
        done = unicodedata.normalize("NFC", self.piece) if self.nfc else self.piece
        self.out.append(done)
        self.starts.extend([self.a] * len(done))
        self.ends.extend([self.b] * len(done))
        self.piece = ""


__all__ = ["INVISIBLE", "Normalized", "is_blank", "normalize"]
