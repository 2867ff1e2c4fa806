"""Unlabelled real articles as training data for the linker: explicit attributions, rewritten.

Why: the linker learns who said it from PFSA-ID (two outlets, one house style) and
a few dozen gold articles. Real news from many outlets, genres and regions holds
thousands of explicit attributions (``"...," kata Budi Santoso``) whose speaker is
not in doubt: the name stands at the cue. Rewritten as ``katanya``, ``kata dia`` or
``kata menteri itu`` (:mod:`indoquote.data.reattribute`) they keep that answer, and
the article around them keeps its outlet's own ways of naming people earlier, of
naming shops, teams and brands between the quotations, and of its datelines. Only
the rewritten quotations become examples: the speakers of the others are the
model's guesses.

- :func:`attribution_articles` picks the articles that hold an explicit attribution;
- :func:`overlapping` finds articles that share a passage with the gold sets, so that
  no evaluation article (held-out included) is trained on.
"""

from __future__ import annotations

import random
import re
import zlib
from typing import Iterable, Sequence

EXPLICIT = re.compile(
    r"[\"”]\s*,?\s*(?:kata|ujar|ucap|tutur|jelas|ungkap|imbuh|tambah|sebut|terang|papar|tegas|pungkas)\s+"
    r"(?:[A-Z][\w.'-]*\s+)*[A-Z]"
)
"""A closing mark, a cue and a capitalised word: ``", kata Budi``, ``" ujar Kapolres Budi``."""
SHINGLE = 12
"""Words in a passage two articles must share to count as the same text (boilerplate is shorter)."""


def _shingles(text: str, n: int = SHINGLE) -> set[int]:
    words = re.findall(r"\w+", text.casefold())
    return {zlib.crc32(" ".join(words[i : i + n]).encode()) for i in range(max(0, len(words) - n + 1))}


def overlapping(articles: Sequence[tuple[str, str]], gold_texts: Iterable[str], n: int = SHINGLE) -> set[str]:
    """Ids of ``articles`` (``(id, text)``) sharing a passage of ``n`` words with any of ``gold_texts``."""
    gold: set[int] = set()
    for text in gold_texts:
        gold |= _shingles(text, n)
    return {aid for aid, text in articles if not gold.isdisjoint(_shingles(text, n))}


def attribution_articles(
    articles: Sequence[tuple[str, str]], limit: int | None = None, seed: int = 0
) -> list[tuple[str, str]]:
    """The ``articles`` that hold at least one explicit attribution after a quotation, at most ``limit`` of them,
    drawn at random (``seed``) so that every source and month is represented as it is in the input."""
    chosen = [a for a in articles if EXPLICIT.search(a[1])]
    random.Random(seed).shuffle(chosen)
    return chosen if limit is None else chosen[:limit]
