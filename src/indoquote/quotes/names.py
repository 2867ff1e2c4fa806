"""What counts as a name in an article: capitalised runs, short forms, blends, places and acronyms left out.

:func:`indoquote.quotes.speakers.find_people` builds its people from these word-level tests;
they are kept apart because they judge single words and runs, not people.
"""

from __future__ import annotations

from typing import Sequence

from ..text.articles import Token
from ..text.labels import iob2_spans
from ..text.lexicon import (
    NAME_PARTICLES,
    NOT_NAMES,
    ORGANISATION_WORDS,
    PLACE_WORDS,
    SENTENCE_WORDS,
    TITLE_WORDS,
    is_acronym,
)

PERSON_TAGS = frozenset({"PERSON", "PERSONCOREF", "SPEAKER"})
TITLE_TAGS = frozenset({"ROLE", "AFFILIATION"})
NOT_PERSON_TAGS = frozenset({"STATEMENT", "QUOTE", "DATETIME", "LOCATION", "CUE", "CUECOREF", "EVENT"})


def _fold(word: str) -> str:
    return word.casefold().strip(".")


def _is_cap(tok: Token) -> bool:
    t = tok.text
    return t[:1].isupper() and any(c.isalpha() for c in t)


def _edit1(a: str, b: str) -> bool:
    """Are ``a`` and ``b`` at most one insertion, deletion or substitution apart?"""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i + (len(a) == len(b)) :] == b[i + 1 :]


def blend(word: str, names: Sequence[str]) -> bool:
    """Is ``word`` made of the starts of consecutive name words (``Aher``: Ahmad Heryawan, ``Jokowi``: Joko Widodo)?"""
    if len(word) < 4 or len(names) < 2:
        return False

    def fits(rest: str, k: int) -> bool:
        if not rest:
            return True
        if k >= len(names):
            return False
        return any(names[k].startswith(rest[:n]) and fits(rest[n:], k + 1) for n in range(1, len(rest) + 1))

    return any(names[k][:1] == word[:1] and fits(word, k) for k in range(len(names) - 1)) and not any(
        n.startswith(word) for n in names
    )


def short_form(word: str, full: str) -> bool:
    """Is ``word`` a short form or a misspelling of a name word (``Afif``/``Afifuddin``, ``Tedy``/``Teddy``)?"""
    if word == full:
        return True
    if 3 <= len(word) <= 5 and full.startswith(word):
        return True
    return len(word) >= 4 and word[0] == full[0] and _edit1(word, full)


def inner_form(word: str, full: str) -> bool:
    """Is ``word`` a nickname cut from inside a name word (``Tris`` of ``Sutrisno``, ``Yono`` of ``Suyono``)?"""
    return 4 <= len(word) <= 8 and len(full) >= len(word) + 2 and word in full[1:]


def _labels(tags: Sequence[str]) -> list[str | None]:
    out: list[str | None] = [None] * len(tags)
    for sp in iob2_spans(tags):
        out[sp.start : sp.end] = [sp.label] * (sp.end - sp.start)
    return out


def _is_title_tok(tok: Token, label: str | None) -> bool:
    return label in TITLE_TAGS or _fold(tok.text) in TITLE_WORDS or is_acronym(tok.text)


def _cap_runs(tokens: Sequence[Token], labels: Sequence[str | None], starts: set[int]) -> list[tuple[int, int]]:
    """Runs of capitalised tokens (name particles inside), cut at a sentence start, a non-person label
    or a capitalised function word (``Jabar Menurut Sri Mulyani``)."""

    def joins(j: int) -> bool:
        if j in starts or labels[j] in NOT_PERSON_TAGS or _fold(tokens[j].text) in SENTENCE_WORDS:
            return False
        if _is_cap(tokens[j]):
            return True
        if tokens[j].text == "-" and j + 1 < len(tokens) and (_is_cap(tokens[j + 1]) or _syllable(tokens[j + 1].text)):
            # ``Strack-Zimmermann``, ``Shin Tae-yong``
            return tokens[j - 1].end == tokens[j].start and tokens[j].end == tokens[j + 1].start
        if tokens[j - 1].text == "-" and _syllable(tokens[j].text) and j > 1 and _is_cap(tokens[j - 2]):
            return tokens[j - 1].end == tokens[j].start
        return _fold(tokens[j].text) in NAME_PARTICLES and j + 1 < len(tokens) and _is_cap(tokens[j + 1])

    runs: list[tuple[int, int]] = []
    i = 0
    while i < len(tokens):
        if not _is_cap(tokens[i]) or labels[i] in NOT_PERSON_TAGS:
            i += 1
            continue
        j = i + 1
        while j < len(tokens) and joins(j):
            j += 1
        runs.append((i, j))
        i = j
    return runs


def _syllable(word: str) -> bool:
    """A lower-case syllable that ends a hyphenated given name (``Tae-yong``, ``Jae-in``), not a suffix (``-nya``)."""
    return word.isalpha() and word.islower() and len(word) <= 4 and word not in {"nya", "an", "lah", "kah", "pun", "ku"}


def _name_part(
    tokens: Sequence[Token], labels: Sequence[str | None], a: int, b: int, drop: set[str], first: set[int], mid: set[str]
) -> tuple[int, int] | None:
    """The name at the end of a capitalised run, after its title words; None when the run holds no name.

    A PERSON span of the tagger inside the run wins; otherwise the name is what follows the
    last title word (``Kasubdit II Ditreskrimsus Polda Riau Kompol Teddy Ardian``).
    """
    tagged = [sp for sp in iob2_spans(list(labels_to_tags(labels[a:b]))) if sp.label in PERSON_TAGS]
    for sp in reversed(tagged):
        x, y = a + sp.start, a + sp.end
        while x < y and _is_title_tok(tokens[x], None):
            x += 1
        if x < y and not _all_places(tokens, x, y):
            return x, y  # (a tagged ``Sumatera Utara`` of ``Kapolda Sumatera Utara`` is the title's place)
    k = a
    for x in range(a, b):
        if _is_title_tok(tokens[x], labels[x]) or _fold(tokens[x].text) in ORGANISATION_WORDS:
            k = x + 1
    if any(_fold(tokens[x].text) in ORGANISATION_WORDS for x in range(a, k)) and b - k < 2:
        return None  # ``Polda Riau``, ``Balai Kota Makassar``: a place or an office, not a person
    if k > a and _fold(tokens[k - 1].text) in ORGANISATION_WORDS and b - k >= 3:
        k += 1  # ``Partai Demokrat Andi Arief``: the organisation's own name comes first
    j = k
    while k > a and j < b and _fold(tokens[j].text) in PLACE_WORDS:
        j += 1
    k = j if b - j >= 2 else k  # ``Wali Kota Surabaya Tri Rismaharini``: the title's place is no part of the name
    while k < b and (tokens[k].text in NOT_NAMES or _fold(tokens[k].text) in SENTENCE_WORDS
                     or (k in first and k + 1 < b and (_fold(tokens[k].text) in drop or _affixed(tokens[k].text, mid)))):
        k += 1  # ``Menurut Tito``, ``Perintah Farhan``: a word capitalised only because it starts the sentence
    if k >= b or _all_places(tokens, k, b):
        return None
    if b - k == 1 and (len(tokens[k].text) < 3 or (k in first and not _seen_mid(tokens[k].text, mid, drop))):
        return None  # a capitalised word that only starts a sentence is no name (unless it shortens one)
    return k, b


def _all_places(tokens: Sequence[Token], a: int, b: int) -> bool:
    """Are tokens ``[a, b)`` all place words (``Sumatera Utara``)? A place is no person's name."""
    return all(_fold(tokens[x].text) in PLACE_WORDS for x in range(a, b))


def _spelled_by_acronym(tokens: Sequence[Token], a: int, b: int) -> bool:
    """Is the run an organisation's name followed by the ``(ACRONYM)`` its initials spell?

    It must hold an organisation word (``Partai``, ``Badan``): people are written so too
    (``Susilo Bambang Yudhoyono (SBY)``).
    """
    if b + 2 >= len(tokens) or tokens[b].text != "(" or tokens[b + 2].text != ")" or b - a < 2:
        return False
    if not any(_fold(tokens[x].text) in ORGANISATION_WORDS for x in range(a, b)):
        return False
    short = tokens[b + 1].text
    initials = "".join(tokens[x].text[0] for x in range(a, b) if tokens[x].text[:1].isupper())
    return is_acronym(short) and len(short) >= 3 and initials.upper().endswith(short.upper())


def _in_title_marks(tokens: Sequence[Token], a: int, b: int, reach: int = 3) -> bool:
    """A capitalised run of three or more words between single quotation marks close by: a title, not a name."""
    if b - a < 3:
        return False
    opens = any(tokens[x].text in {"'", "‘"} for x in range(max(0, a - reach), a))
    closes = any(tokens[x].text in {"'", "’"} for x in range(b, min(len(tokens), b + reach + 1)))
    return opens and closes


_PREFIXES = ("per", "pen", "pem", "peng", "ber", "mem", "men", "meng", "ter", "di", "ke")


def _affixed(word: str, mid: set[str]) -> bool:
    """A capitalised sentence-initial word shaped like a common word (``Perintah``, ``Penegasan``), never seen mid-sentence."""
    w = word.casefold()
    return word not in mid and len(w) >= 6 and (w.startswith(_PREFIXES) or (w.endswith(("an", "kan")) and not w.endswith("wan")))


def _seen_mid(word: str, mid: set[str], drop: set[str]) -> bool:
    """Is a sentence-initial word also a name mid-sentence, or a short form of one (``Afif`` of ``Afifuddin``)?"""
    if word in mid:
        return True
    w = _fold(word)
    return w not in drop and any(short_form(w, _fold(m)) for m in mid if len(m) > len(w))


def labels_to_tags(labels: Sequence[str | None]) -> list[str]:
    """Per-token labels back to IOB2 (adjacent spans of one label merge: fine for finding names)."""
    return ["O" if lab is None else ("I-" if k and labels[k - 1] == lab else "B-") + lab for k, lab in enumerate(labels)]

