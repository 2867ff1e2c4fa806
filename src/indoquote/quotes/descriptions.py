"""Speakers written as a description or an anonymous source: ``kata politikus partai itu``, ``kata seorang sumber``.

Why: features and span vectors can only rank the mentions that were found. A
description after a cue (a lower-case noun phrase closed by ``itu``, ``tersebut``
or ``ini``) points back to someone the article named, and without a mention for it
the organisation in the description (``Partai Demokrat``) or nobody is the speaker.
An anonymous source (``seorang sumber``, ``sumber itu``) is the speaker as written,
the way an office that speaks as a body is (``kata jaksa``).

- :func:`description_at` finds the description after a cue;
- :func:`resolve_description` picks the person it stands for: the latest one whose title
  shares a word with it, else the latest named person before it (a name seen only after ``di`` or ``ke`` is a place);
- :func:`anonymous_at` finds an anonymous source after a cue;
- :func:`commenters_before` finds the crowd that a list of uncued quotations is introduced as
  (``komentar-komentar netizen seperti berikut:``).
"""

from __future__ import annotations

from typing import Sequence

from ..text.articles import QUOTE_MARKS, SENTENCE_END, Token
from ..text.lexicon import OPENING_VERBS, PREPOSITIONS, PRONOUNS, SENTENCE_WORDS, cue_label

DEMONSTRATIVES = frozenset({"itu", "tersebut", "ini"})
ANONYMOUS_HEADS = frozenset({"sumber", "narasumber"})
QUANTIFIERS = frozenset({"seorang", "salah", "satu", "sejumlah", "beberapa", "para"})
INDEFINITE = frozenset({"seorang", "salah"})
"""``seorang teman korban``, ``salah seorang warga``: someone the article does not name, the speaker as written."""
PLACE_PREPOSITIONS = frozenset({"di", "ke"})
"""A name after these is where something happened (``di Senayan``), not a person a description stands for."""
REACH = 7
"""Most words in a description (``Sekretaris Jenderal organisasi pemuda itu``: 5)."""


def _word(tok: Token) -> str:
    return tok.text.casefold()


def _after_cue(tokens: Sequence[Token], i: int) -> bool:
    """Token ``i`` follows a plain cue (``kata``, ``ujar``; not ``katanya``, which points back already)."""
    return i > 0 and cue_label(tokens[i - 1].text) == "CUE"


def description_at(tokens: Sequence[Token], i: int) -> tuple[int, int] | None:
    """``[i, j)`` when a description starts at token ``i`` right after a cue: words, no punctuation, a demonstrative
    last (``politikus partai itu``); None otherwise. A name or pronoun is no description."""
    if not _after_cue(tokens, i) or not tokens[i].text[:1].isalpha():
        return None
    if _word(tokens[i]) in PRONOUNS | PREPOSITIONS | SENTENCE_WORDS | DEMONSTRATIVES:
        return None
    for j in range(i + 1, min(len(tokens), i + REACH + 1)):
        w = _word(tokens[j])
        if w in DEMONSTRATIVES:
            lower = sum(tokens[x].text[:1].islower() for x in range(i, j))
            return (i, j + 1) if lower >= 1 else None  # ``kata Andi itu`` is a name, not a description
        if not tokens[j].text[:1].isalpha() or w in PREPOSITIONS - {"dari"}:
            return None
    return None


def resolve_description(words: Sequence[str], before: int, persons: Sequence, tokens: Sequence[Token]) -> int | None:
    """Index of the person a description (its casefolded ``words``, starting at token ``before``) stands for.

    A name written before it only after ``di`` or ``ke`` (``di Senayan``, ``ke Cikeas``) is a place, not
    someone a description points back to."""
    def someone(m) -> bool:
        return m.b <= before and not (m.a > 0 and _word(tokens[m.a - 1]) in PLACE_PREPOSITIONS)

    named = [(max(m.b for m in p.mentions if m.b <= before), k) for k, p in enumerate(persons)
             if p.named and any(someone(m) for m in p.mentions)]
    if not named:
        return None
    titled = [(end, k) for end, k in named if set(words) & persons[k].titles]
    return max(titled or named)[1]


def anonymous_at(tokens: Sequence[Token], i: int) -> tuple[int, int] | None:
    """``[i, j)`` of an anonymous source right after a cue: ``seorang sumber``, ``sumber itu``, ``salah satu sumber``,
    or someone described but not named: ``seorang teman korban``, ``salah seorang warga``."""
    after_cue = _after_cue(tokens, i)
    if not after_cue and _word(tokens[i]) not in INDEFINITE:
        return None
    j = i
    while j < len(tokens) and j < i + 2 and _word(tokens[j]) in QUANTIFIERS:
        j += 1
    if j > i and _word(tokens[i]) in INDEFINITE and j < len(tokens) and _word(tokens[j]) not in ANONYMOUS_HEADS:
        k = j
        while k < min(len(tokens), j + 3) and tokens[k].text.isalpha() and tokens[k].text.islower() and (
                _word(tokens[k]) not in PREPOSITIONS | SENTENCE_WORDS | PRONOUNS | OPENING_VERBS):
            k += 1
        says = k < len(tokens) and _word(tokens[k]) in OPENING_VERBS  # ``seorang kerabat korban berkata``
        return (i, k) if k > j and (after_cue or says) else None
    if not after_cue:
        return None
    if j >= len(tokens) or _word(tokens[j]) not in ANONYMOUS_HEADS:
        return None
    j += 1
    if j < len(tokens) and _word(tokens[j]) in DEMONSTRATIVES:
        j += 1
    return i, j


def is_anonymous(mention: str) -> bool:
    """Is ``mention`` an anonymous source or an unnamed someone (it is then the speaker as written)?"""
    words = [w.casefold() for w in mention.split()]
    return bool(words) and (words[0] in INDEFINITE or any(w in ANONYMOUS_HEADS for w in words))


COMMENT_WORDS = frozenset("komentar tanggapan reaksi respons respon cuitan unggahan balasan".split())
COMMENTERS = frozenset("netizen netizens warganet penggemar fans penonton pembaca".split())
"""A crowd whose comments a gossip or sports story lists, each as an uncued quotation, after an introduction:
``Ini memicu komentar-komentar netizen seperti berikut:``, ``... komentar dari netizen. Berikut komentar mereka:``.
No one of the people the story names said them; the crowd, as written, is the speaker."""
INTRO_REACH = 60
"""Most tokens looked at before the list (the introducing sentence and the one before it)."""


def commenters_before(tokens: Sequence[Token], a: int) -> tuple[int, int] | None:
    """``[k, k + 1)`` of the crowd word when the sentence right before token ``a`` introduces a list of comments:
    it ends in ``:`` or holds ``berikut``, it names comments, and it or the sentence before names the crowd."""
    lo = max(0, a - 4 * INTRO_REACH)
    k = a - 1 if tokens[a].text not in QUOTE_MARKS and a > 0 and tokens[a - 1].text in QUOTE_MARKS else a
    # (this quotation's own opening mark, inside its span or just before it)
    while k > lo:
        if not tokens[k - 1].text[:1].isalnum() and tokens[k - 1].text not in SENTENCE_END | QUOTE_MARKS:
            k -= 1  # the marks and commas between the introduction and the list
        elif tokens[k - 1].text in QUOTE_MARKS:  # an earlier comment of the list, tagged or not: skipped whole
            k = next((x for x in range(k - 2, lo - 1, -1) if tokens[x].text in QUOTE_MARKS), lo)
        else:
            break
    intro_end = k
    lo = max(lo, intro_end - INTRO_REACH)
    ends = [x for x in range(lo, intro_end) if tokens[x].text in SENTENCE_END]
    intro_start = ends[-1] + 1 if ends else lo
    intro = [_word(tokens[x]) for x in range(intro_start, intro_end)]
    introduces = (a > intro_end and ":" in (t.text for t in tokens[intro_end:a])) or "berikut" in intro
    if not introduces or not any(set(w.split("-")) & COMMENT_WORDS for w in intro):
        return None
    before = ends[-2] + 1 if len(ends) > 1 else lo
    crowd = [x for x in range(before, intro_end) if _word(tokens[x]) in COMMENTERS]
    return (crowd[-1], crowd[-1] + 1) if crowd else None
