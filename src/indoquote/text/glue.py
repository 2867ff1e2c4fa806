"""Words that scraping glued together, split again before tagging.

Scraped news loses the spaces at tag boundaries: ``MenteriKeuanganSri Mulyanimenegaskan``
is ``Menteri Keuangan Sri Mulyani menegaskan`` on the page. The tagger reads words, so a
glued name is no name and the speaker is lost. :func:`glue_splits` finds where spaces
went missing, and only where the pieces are known Indonesian words (the root-word
dictionary and stemmer of Sastrawi, a maintained Indonesian stemmer) or a speech verb,
so brands and names written in camel case (``YouTube``, ``TransJakarta``, ``McDonald``)
stay whole. :func:`repair_glue` inserts the spaces into a :class:`Normalized` text; an
inserted space maps to no original character, so every offset still points into the
text as given.

    >>> [w for w in "MenteriKeuanganSri Mulyanimenegaskan".split()]
    ['MenteriKeuanganSri', 'Mulyanimenegaskan']
    >>> repair_glue(normalize("MenteriKeuanganSri Mulyanimenegaskan")).text
    'Menteri Keuangan Sri Mulyani menegaskan'
"""

from __future__ import annotations

import re
from array import array
from functools import lru_cache

from .lexicon import CUE_STEMS, OPENING_VERBS, PREPOSITIONS, TITLE_WORDS
from .normalize import Normalized, normalize

_CASE_CHANGE = re.compile(r"[^\W\d_A-Z][A-Z]|[A-Z]{2}[^\W\d_A-Z]")
_VERBS = sorted(OPENING_VERBS | {c + "nya" for c in CUE_STEMS if len(c) >= 4}, key=len, reverse=True)
_GLUED_VERB = re.compile(r"(?<=[^\W\d_]{3})(?:" + "|".join(_VERBS) + r")$")
"""A speech verb glued to the word before it (``Mulyanimenegaskan``, ``Titomengatakan``)."""
_LETTERS = re.compile(r"[^\W\d_]{5,}")
_VERB_ENDINGS = tuple(_VERBS)
_OUTLET_PREFIXES = ("detik", "tribun", "kompas", "liputan", "okezone", "suara", "tempo")
"""Outlets written as one lower-case word and a region or desk (``detikJateng``, ``tribunJabar``)."""


@lru_cache(maxsize=1)
def _sastrawi():
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    factory = StemmerFactory()
    return frozenset(factory.get_words()), factory.create_stemmer()


@lru_cache(maxsize=65536)
def known_word(word: str) -> bool:
    """Is ``word`` an Indonesian word: a root of the dictionary, or an affixed form of one (``keuangan``)?"""
    w = word.lower()
    if len(w) < 3:
        return False
    roots, stemmer = _sastrawi()
    if w in roots:
        return True
    stem = stemmer.stem(w)
    return stem != w and len(stem) >= 3 and stem in roots


def _function_word(piece: str) -> bool:
    """A lower-case word that never starts a brand: ``warga``, ``dari``, ``di`` (``wargaTimor``, ``dariAFP``)."""
    return piece.islower() and (piece in PREPOSITIONS or known_word(piece)) and not piece.startswith(_OUTLET_PREFIXES)


def _cut_ok(before: str, after: str) -> bool:
    """Is ``before|after`` (lower, then upper case) two words glued, not a brand (``YouTube``, ``MotoGP``, ``NasDem``)?

    Seen in real scraped news: glue follows a lower-case word (``anggotaDPRD``, ``mengutipReader``), a title
    (``KetuaKPU``, ``MenteriKeuangan``) or a capitalised word before another capitalised word
    (``KeuanganSri``, ``MenukilThe``); brands join pieces that are no words or end in capitals.
    """
    if len(before) < 2 or len(after) < 2:
        return False
    if before[0].islower():
        return _function_word(before)
    if before.lower() in TITLE_WORDS:
        return True
    return len(before) >= 4 and known_word(before) and after[0].isupper() and after[1:].islower() and len(after) >= 3


def glue_splits(word: str) -> list[int]:
    """Offsets inside ``word`` (letters only) where a space went missing; ``[]`` for a word as it should be.

    Cuts at a change of case: lower then upper (``Menteri|Keuangan|Sri``, see :func:`_cut_ok`), an acronym then
    a word (``DPRD|dikaji``, ``KPU|Mochammad``). Then a speech verb glued to a name is cut off
    (``Mulyani|menegaskan``). A word that is itself a word (``mengatakannya``) is never cut.
    """
    if len(word) < 5 or not (_CASE_CHANGE.search(word) or _GLUED_VERB.search(word)) or known_word(word):
        return []  # most words: no change of case, no verb at the end, so no dictionary look-up either
    cuts: list[int] = []
    start = 0
    for i in range(1, len(word)):
        a, b = word[i - 1], word[i]
        if a.islower() and b.isupper():
            end = next((j for j in range(i + 1, len(word)) if word[j - 1].islower() and word[j].isupper()), len(word))
            if _cut_ok(word[start:i], word[i:end]):
                cuts.append(i)
                start = i
        elif a.isupper() and b.islower() and i - start >= 2 and word[start:i].isupper():
            # an acronym, then a word: the word takes the acronym's last capital (KPU|Mochammad) unless
            # the lower-case rest is a word of its own (DPRD|dikaji, TV|malam)
            end = next((j for j in range(i, len(word)) if not word[j].islower()), len(word))
            cut = i if known_word(word[i:end]) else i - 1 if i - start >= 3 and end - i >= 3 else None
            if cut is not None:
                cuts.append(cut)
                start = cut
    return cuts + _verb_cut(word, start)


def _verb_cut(word: str, lo: int) -> list[int]:
    """A speech verb glued to the end of ``word[lo:]``, cut off where the part before it is a name or a word."""
    m = _GLUED_VERB.search(word, lo)
    if not m or m.start() - lo < 3:
        return []
    before = word[lo : m.start()]
    return [m.start()] if before[0].isupper() or known_word(before) else []


def repair_glue(n: Normalized) -> Normalized:
    """``n`` with a space inserted at every :func:`glue_splits` cut; ``glued`` counts the words split."""
    inserts: list[int] = []
    glued = 0
    for m in _LETTERS.finditer(n.text):
        word = m.group()
        if word[1:].islower() and not word.endswith(_VERB_ENDINGS):
            continue  # the common case, decided without a regular expression or a dictionary look-up
        cuts = glue_splits(word)
        if cuts:
            glued += 1
            inserts.extend(m.start() + c for c in cuts)
    if not inserts:
        return n
    parts, starts, ends, prev = [], array("q"), array("q"), 0
    for p in inserts:
        parts += [n.text[prev:p], " "]
        starts.extend(n.to_original[i] for i in range(prev, p))
        ends.extend(n.to_original_end[i] for i in range(prev, p))
        starts.append(n.to_original[p])  # the inserted space stands where the next character begins ...
        ends.append(n.to_original[p])  # ... and covers no original character
        prev = p
    parts.append(n.text[prev:])
    starts.extend(n.to_original[i] for i in range(prev, len(n.text) + 1))
    ends.extend(n.to_original_end[i] for i in range(prev, len(n.text)))
    return Normalized("".join(parts), starts, ends, changed=True, glued=glued)


def normalize_and_repair(text: str) -> Normalized:
    """:func:`~indoquote.text.normalize.normalize`, then :func:`repair_glue`: the text the tagger reads."""
    return repair_glue(normalize(text))


__all__ = ["glue_splits", "known_word", "normalize_and_repair", "repair_glue"]
