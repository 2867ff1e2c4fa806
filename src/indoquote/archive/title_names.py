"""A lone name word whose article's title gives it with another person's name: not the best-known holder's.

A one-word form (``Bima``) joins a person on the archive's links (the coach Bima Sakti is ``Bima`` in 14 of 15
linking articles), on a role or on similar quotations. Where the other person of that given name has no full
name in the archive, nothing in the names says the word is someone else's. The article's title often does:
``Tangis Bima Aryo Pecah ...`` gives the word beside a name word (``Aryo``) that is no word of Bima Sakti's
names. Such a quotation is kept off the person (:func:`keep_off`): it gets an id of its own story, as a lone
name that nothing settles (:mod:`indoquote.archive.identity`).

Only a short form is kept off (a word of the person's names, ``Bima`` of ``Bima Sakti``): an alias the articles
give one person (``Jokowi``, ``Jupe``) is theirs wherever it stands. A neighbour in the title counts as another
person's name word when it is written with a capital, is a word of the name of another person quoted in the
archive (``Aryo`` of ``Aryo Wahab``), is no word of the person's names nor a spelling of one (``Jurgen`` beside
``Juergen Klopp``), no office, place, rank, honorific or sentence word, and the archive never writes it in lower
case (its quotations and titles). A title that gives the word beside a word of the person's own names names that
person (``Aktris Taiwan Jiang Ping``). Evidence that names the person (the same quotation elsewhere, the title's
full name, the person quoted in the same article) is kept. On the real archive, a looser test (any capitalised
word never written in lower case) also kept off ``Jokowi Curigai``, ``Luhut Lobi`` and ``Jupe Berambisi``
(verbs; ``docs/results.md``).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from typing import Iterable

from ..text.lexicon import PLACE_WORDS, SENTENCE_WORDS
from .speaker_names import HONORIFICS, NOT_NAME_WORDS, RANKS, ROLE_WORDS, canon_words, is_run, person_like

KEPT_EVIDENCE = frozenset({"same quotation", "article title", "same article"})
"""Evidence of a lone word's move that names the person in the article or its quotation: a title's other name
does not undo it."""
GLUED = "glued word"
"""The evidence of :func:`by_glued_word`."""
MIN_LETTERS = 3
"""Shorter capitalised words of a title (``Vs``, ``U``) are no name words."""
VARIANT_MIN = 80
"""Least rapidfuzz ratio of a title word to a word of the person's names for it to be a spelling of it."""
_SEGMENT = re.compile(r"[,:;!?\"“”'‘’|()\[\]–—]|\s-\s")
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
NOT_NAME = NOT_NAME_WORDS | PLACE_WORDS | SENTENCE_WORDS | HONORIFICS | RANKS | ROLE_WORDS


def lower_case_words(texts: Iterable) -> set[str]:
    """The words the texts write in lower case (``yakin``, ``isyaratkan``): words, not names."""
    out: set[str] = set()
    for t in texts:
        if isinstance(t, str):
            out.update(w for w in _WORD.findall(t) if w[0].islower())
    return {canon_words(w) for w in out}


def other_name(word: str, title: str, own: set[str], others: set[str], lower: set[str]) -> str | None:
    """The words of the title that give ``word`` beside a word of another person's name (``bima aryo``: one of
    ``others``, none of ``own``), or None, also where a neighbour is a word of ``own`` (the person named)."""
    from rapidfuzz import fuzz

    for segment in _SEGMENT.split(unicodedata.normalize("NFC", title)):
        words = _WORD.findall(segment)
        folded = [canon_words(w) for w in words]
        for j, w in enumerate(folded):
            if w != word:
                continue
            near = [n for n in (j + 1, j - 1) if 0 <= n < len(words)]
            if any(folded[n] in own or any(fuzz.ratio(folded[n], o) >= VARIANT_MIN for o in own) for n in near):
                return None
            for n in near:
                if _name_word(words[n], folded[n], others, lower):
                    return " ".join(folded[min(j, n) : max(j, n) + 1])
    return None


def _name_word(raw: str, folded: str, others: set[str], lower: set[str]) -> bool:
    return (
        raw[:1].isupper()
        and len(folded) >= MIN_LETTERS
        and folded in others
        and folded not in NOT_NAME
        and folded not in lower
    )


def keep_off(index, keys, articles, raw_titles: dict, lower: set[str], members: dict, groups, row_group,
             moves: dict) -> dict:
    """Undo the moves of lone-word quotations of a short form whose article's title gives the word beside a word of
    another person's name (``members``: person group -> its name forms). Returns ``row -> (person group, title
    words)`` of the quotations kept off."""
    words_of: dict = defaultdict(set)  # name word -> groups of names of two or more words holding it
    for g, ks in members.items():
        for k in ks:
            if len(k.split()) > 1:
                for w in k.split():
                    words_of[w].add(g)
    kept: dict = {}
    others_of: dict = {}
    for i, k, art in zip(index, keys, articles):
        if i not in moves or " " in k or moves[i][1] in KEPT_EVIDENCE or art not in raw_titles:
            continue
        g = moves[i][0]
        own = {w for o in members.get(g, ()) for w in o.split()}
        if k not in own or not isinstance(raw_titles[art], str):
            continue  # an alias (``Jokowi``) is the person's wherever it stands
        if g not in others_of:
            others_of[g] = {w for w, gs in words_of.items() if gs - {g}}
        seen = other_name(k, raw_titles[art], own, others_of[g], lower)
        if seen is not None:
            row_group[i] = groups.find(k)
            del moves[i]
            kept[i] = g, seen
    return kept


def by_glued_word(forms, groups, titles: dict, lower: set[str], join) -> None:
    """A tagger-made name, a common word glued before a name (``Performa Rossi``: ``performa`` is a word the
    archive writes in lower case, and of no other name), joins the one longer name holding the rest (``Rossi``)
    that the titles of all its articles give (``... untuk Valentino Rossi``): evidence :data:`GLUED`. Such a form
    never names the person (:mod:`indoquote.archive.identity`)."""
    first_words = Counter(k.split()[0] for k in forms if len(k.split()) > 1)
    names = [o for o in forms if len(o.split()) > 1]
    for k in forms:
        words = k.split()
        if len(words) < 2 or words[0] not in lower or first_words[words[0]] > 1 or _in_a_name(words[0], names, k):
            continue
        rest = words[1:]
        arts = forms[k].articles
        fits = {
            groups.find(o) for o in names
            if o != k and is_run(rest, o.split()) and person_like(rest, o.split())
            and all(f" {o} " in titles.get(a, "") for a in arts)
        }
        if len(fits) == 1:
            (g,) = fits
            join(k, g, GLUED, f"{k}: a common word before {' '.join(rest)}, whose articles' titles name {g}")


def _in_a_name(word: str, names: list[str], k: str) -> bool:
    return any(o != k and word in o.split() for o in names)


__all__ = ["GLUED", "KEPT_EVIDENCE", "by_glued_word", "keep_off", "lower_case_words", "other_name"]
