"""People in an article: every name, title and pronoun mention, grouped into one person each.

Why: readers count people, not strings. ``Thomas Trikasih Lembong``, ``Tom
Lembong``, ``Tom`` and ``Mendag`` are one speaker; ``dia`` is whoever was
talked about last. The tagger's PERSON spans are one source of mentions, but
not the only one: a name the tagger missed (it tags people only as the
attribution of a direct quotation) is still found from capitalisation, so a
retrained tagger that marks no PERSON at all still leaves the speaker
reachable.

- :func:`find_people` returns :class:`Person` clusters (fullest name, every
  mention, the title words written next to the names) and the pronouns;
- a name joins an earlier person when its words are all in that person's
  name, when it is a short form (``Afif`` of ``Afifuddin``, ``Tedy`` of
  ``Teddy``), or when the article links the two (``Joko Widodo (Jokowi)``,
  ``... atau Tom Lembong``, ``... yang akrab disapa Aher``);
- a bare title (``kata Mendag``) belongs to the latest person written with
  that title; a title with no such person stays a person of its own with
  ``named=False``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Sequence

from ..text.articles import QUOTE_MARKS, Token
from ..text.articles import sentence_starts as find_sentence_starts
from ..text.labels import iob2_spans
from ..text.lexicon import (
    ALIAS_WORDS,
    INSTITUTION_WORDS,
    ORGANISATION_WORDS,
    PREPOSITIONS,
    PRONOUNS,
    SENTENCE_WORDS,
    SHORT_TITLES,
    TITLE_WORDS,
    cue_label,
)
from .descriptions import anonymous_at, description_at, is_anonymous, resolve_description
from .headlines import mask_headlines
from .names import (
    PERSON_TAGS,
    TITLE_TAGS,
    _all_places,
    _cap_runs,
    _fold,
    _in_title_marks,
    _is_cap,
    _is_title_tok,
    _labels,
    _name_part,
    _spelled_by_acronym,
    blend,
    inner_form,
    short_form,
)

ALIAS_GAP = ALIAS_WORDS | {"(", ",", "yang", "akrab", "biasa", "kerap", "lebih", "dikenal", "dengan"}
DESCRIPTION_REACH = 120
"""Most tokens between a person's last mention and a description that points back to them."""
ALIAS_REACH = 4
"""Most tokens between a name and the short form the article gives for it."""


@dataclass(frozen=True)
class PersonMention:
    """A mention of a person: tokens ``[a, b)``, characters ``[start, end)``."""

    a: int
    b: int
    start: int
    end: int
    text: str
    kind: str  # "name" | "title" | "pronoun"
    tagged: bool  # the tagger marked it PERSON/PERSONCOREF
    after_preposition: bool


@dataclass
class Person:
    """One person of the article: ``name`` is the fullest name written, ``named`` False for a title alone."""

    mentions: list[PersonMention] = field(default_factory=list)
    words: set[str] = field(default_factory=set)
    titles: set[str] = field(default_factory=set)  # casefolded title words written next to a name
    title_spans: list[tuple[int, int]] = field(default_factory=list)  # token ranges of those titles
    nicknames: set[str] = field(default_factory=set)  # names the article gives as a nickname (``sapaan akrab``)
    _names: list[PersonMention] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        self._names = [m for m in self.mentions if m.kind == "name"]

    def add(self, m: PersonMention) -> None:
        self.mentions.append(m)
        if m.kind == "name":
            self._names.append(m)

    @property
    def names(self) -> list[PersonMention]:
        return self._names

    @property
    def named(self) -> bool:
        return bool(self.names)

    @property
    def name(self) -> str:
        pool = [m for m in self.names if " ".join(m.text.split()) not in self.nicknames] or self.names or self.mentions
        best = max(pool, key=lambda m: (len(m.text.split()), -m.a))
        return " ".join(best.text.split())

    @property
    def tagged(self) -> bool:
        return any(m.tagged for m in self.mentions)


@dataclass
class People:
    """The people of one article, its pronouns and the token -> sentence map used to read them."""

    persons: list[Person]
    pronouns: list[PersonMention]
    sentence_of: list[int]
    speakers: set[int] = field(default_factory=set)  # persons with a mention right next to some cue of the tagger
    _starts: list[list[int]] | None = field(default=None, repr=False)
    _ends: list[list[int]] | None = field(default=None, repr=False)
    _longest: int | None = field(default=None, repr=False)

    def mention_starts(self) -> list[list[int]]:
        """Each person's mention start tokens, sorted (for bisect: long articles stay fast)."""
        if self._starts is None:
            self._starts = [sorted(m.a for m in p.mentions) for p in self.persons]
        return self._starts

    def mention_ends(self) -> list[list[int]]:
        """Each person's mention end tokens, sorted, leaving out mentions after a preposition: ``izin dari Raja X``
        makes X an object, and ``ujarnya`` or ``ia`` after it still points back to the sentence's subject."""
        if self._ends is None:
            self._ends = [sorted(m.b for m in p.mentions if not m.after_preposition) for p in self.persons]
        return self._ends

    @property
    def longest(self) -> int:
        """Tokens of the longest mention (bounds where a mention near a quotation can start)."""
        if self._longest is None:
            self._longest = max((m.b - m.a for p in self.persons for m in p.mentions), default=0)
        return self._longest


def find_people(
    text: str, tokens: Sequence[Token], tags: Sequence[str], sentence_starts: Sequence[int] | None = None
) -> People:
    """The persons (clustered mentions) and pronouns of one tagged article."""
    labels = _labels(tags) if tags else [None] * len(tokens)
    starts = find_sentence_starts(text, tokens) if sentence_starts is None else list(sentence_starts)
    sentence_of = [0] * len(tokens)
    for n, (a, b) in enumerate(zip(starts, [*starts[1:], len(tokens)])):
        sentence_of[a:b] = [n] * (b - a)
    first = set(starts) | {i + 1 for i, t in enumerate(tokens) if t.text in QUOTE_MARKS or t.text in {"-", "–", ":"}}
    drop = SENTENCE_WORDS | {t.text.casefold() for t in tokens if t.text[:1].islower()}
    labels = mask_headlines(text, tokens, labels)
    mid = {t.text for i, t in enumerate(tokens) if i not in first and _is_cap(t)}

    glued = _glued(tokens)

    def mention(a: int, b: int, kind: str) -> PersonMention:
        prep = a > 0 and _fold(tokens[a - 1].text) in PREPOSITIONS
        tagged = any(labels[x] in PERSON_TAGS for x in range(a, b))
        end = tokens[b - 1].start + glued[b - 1] if b - 1 in glued else tokens[b - 1].end
        return PersonMention(a, b, tokens[a].start, end, text[tokens[a].start : end], kind, tagged, prep)

    found: dict[tuple[int, int], tuple[str, tuple[int, int] | None]] = {}  # (a, b) -> (kind, title range)
    for a, b in _cap_runs(tokens, labels, set(starts)):
        a += _reduplicated(tokens, a, a + 1)  # ``Baru-baru ini``, even when tagged: grammar, not a name
        if a >= b:
            continue
        if _after_origin(tokens, a) or _spelled_by_acronym(tokens, a, b) or _in_title_marks(tokens, a, b):
            continue  # ``Partai Demokrasi Indonesia Perjuangan (PDIP)``; ``berjudul 'PDIP Ikut Perburuk ...'``
        if _organisation_before_name(tokens, labels, a, b):
            continue  # ``Pendiri Yayasan Satwa Lestari, Rina Kusumawati``: the title and its organisation
        part = _name_part(tokens, labels, a, b, drop, first, mid)
        if part is not None:
            found[part] = ("name", (a, part[0]) if part[0] > a else None)
        elif any(_fold(tokens[x].text) in TITLE_WORDS for x in range(a, b)) and not (a in first and b - a == 1 and _fold(tokens[a].text) in SENTENCE_WORDS):
            found[(a, b)] = ("title", None)
    for i in range(1, len(tokens)):  # `kata jaksa`: an office that speaks as a body, in lower case after its cue
        office = _fold(tokens[i].text) in INSTITUTION_WORDS and tokens[i].text[:1].islower()
        if office and cue_label(tokens[i - 1].text):
            found.setdefault((i, i + 1), ("title", None))
        source = anonymous_at(tokens, i)  # `kata seorang sumber`: the speaker as written
        if source is not None:
            found.setdefault(source, ("title", None))
    covered = {x for a, b in found for x in range(a, b)}
    for sp in iob2_spans(tags or []):
        if sp.label in PERSON_TAGS and not covered & set(range(sp.start, sp.end)):
            if _all_places(tokens, sp.start, sp.end) or _after_origin(tokens, sp.start):
                continue  # ``Sumatera Utara`` tagged as a person (of ``mantan Kapolda Sumatera Utara``): a place
            if _reduplicated(tokens, sp.start, sp.end):
                continue  # ``Baru-baru ini`` tagged as a person: a reduplicated word is grammar, not a name
            words = [_fold(tokens[x].text) for x in range(sp.start, sp.end)]
            kind = "pronoun" if any(w in PRONOUNS for w in words) else "name" if _is_cap(tokens[sp.start]) and not any(
                w in TITLE_WORDS for w in words) else "title"
            found[(sp.start, sp.end)] = (kind, None)
    pronouns = [mention(i, i + 1, "pronoun") for i, t in enumerate(tokens) if _fold(t.text) in PRONOUNS]
    pronouns = [p for p in pronouns if (p.a, p.b) not in found] + [mention(a, b, k) for (a, b), (k, _) in found.items() if k == "pronoun"]
    persons: list[Person] = []
    descriptions = [span for i in range(1, len(tokens)) if (span := description_at(tokens, i)) is not None]
    described = {x for a, b in descriptions if tokens[a].text[:1].islower() for x in range(a, b)}
    # ``ungkap eks superstar AC Milan tersebut``: the names in a description describe the speaker, no speakers there
    ordered = sorted((ab, v) for ab, v in found.items() if v[0] != "pronoun" and not set(range(*ab)) <= described)
    for n, ((a, b), (kind, title)) in enumerate(ordered):
        if kind == "title" and _introduces(tokens, ordered[n + 1 :], b):
            continue
        m = mention(a, b, kind)
        if kind == "name":
            person = _person_for_name(persons, tokens, m)
            person.words |= {_fold(w) for w in m.text.split()}
            span = title or _title_left(tokens, labels, a)
            if span is not None and span[0] > 0 and _fold(tokens[span[0] - 1].text) in PREPOSITIONS:
                m = replace(m, after_preposition=True)  # ``izin dari Raja ... Billah Shah``: an object, not a speaker
            if span is not None:
                person.titles |= {_fold(tokens[x].text) for x in range(*span) if tokens[x].text not in "(),"}
                person.title_spans.append(span)
        else:
            person = _person_for_title(persons, m)
        person.add(m)
    taken = {x for p in persons for m in p.mentions for x in range(m.a, m.b)}
    for span in descriptions:  # `kata politikus partai itu`: someone named before
        if taken & set(range(*span)):
            continue  # ``kata Ketua DPR itu``: a title and a name, no description
        k = resolve_description([_fold(tokens[x].text) for x in range(*span)], span[0], persons, tokens)
        if k is not None and span[0] - max(m.b for m in persons[k].mentions if m.b <= span[0]) <= DESCRIPTION_REACH:
            persons[k].add(mention(span[0], span[1], "title"))
            persons[k].mentions.sort(key=lambda m: m.a)
    pronouns.sort(key=lambda p: p.a)
    return People(persons, pronouns, sentence_of, _speakers(persons, tags, sentence_of))


def _after_origin(tokens: Sequence[Token], a: int) -> bool:
    """``menteri asal Pangandaran``, ``pemain asal Brasil``: a name after ``asal`` is where someone comes from."""
    return a > 0 and _fold(tokens[a - 1].text) == "asal"


def _reduplicated(tokens: Sequence[Token], a: int, b: int) -> bool:
    """Are tokens ``[a, b)`` one word repeated across a hyphen (``Baru-baru``, ``Orang-orang``)? Indonesian forms
    adverbs and plurals so; a person's name is not written that way."""
    parts = "".join(tokens[x].text for x in range(a, b)).casefold().split("-")
    return len(parts) == 2 and parts[0] == parts[1] != ""


def _glued(tokens: Sequence[Token]) -> dict[int, int]:
    """Tokens where a scraper glued a name to the next word (``Erick Thohirtidak``): index -> length of the name.

    The name must be written alone elsewhere in the article (``Thohir``) and the
    rest must be a word the article writes in lower case (``tidak``).
    """
    caps = {t.text for t in tokens if _is_cap(t)}
    lower = {t.text for t in tokens if t.text.isalpha() and t.text.islower()}
    out = {}
    for i, t in enumerate(tokens):
        if t.text[:1].isupper():
            cut = next((k for k in range(len(t.text) - 2, 2, -1) if t.text[:k] in caps and t.text[k:] in lower), None)
            if cut is not None:
                out[i] = cut
    return out


def _speakers(persons: Sequence[Person], tags: Sequence[str], sentence_of: Sequence[int]) -> set[int]:
    """Persons with a mention within 3 tokens of a tagged cue, in its sentence (looked up by token, not scanned)."""
    starts: dict[int, list[tuple[int, PersonMention]]] = {}
    ends: dict[int, list[tuple[int, PersonMention]]] = {}
    for k, p in enumerate(persons):
        for m in p.mentions:
            starts.setdefault(m.a, []).append((k, m))
            ends.setdefault(m.b, []).append((k, m))
    out: set[int] = set()
    for c in iob2_spans(tags or []):
        if c.label in {"CUE", "CUECOREF"}:
            for d in range(4):
                for k, m in starts.get(c.end + d, []) + ends.get(c.start - d, []):
                    if sentence_of[m.a] == sentence_of[c.start]:
                        out.add(k)
    return out


def _introduces(tokens: Sequence[Token], later: Sequence[tuple[tuple[int, int], tuple]], b: int) -> bool:
    """Is a title run followed, across brackets or a comma, by a name it introduces?"""
    for (a2, b2), (kind, _title) in later:
        between = [t.text for t in tokens[b:a2]]
        if kind == "title" and all(w in "()," for w in between):
            b = b2  # ``Menteri Perdagangan (Mendag) Budi Santoso``: two title runs, then the name
            continue
        return kind == "name" and all(w in "()," for w in between) and len(between) <= 3
    return False


def _organisation_before_name(tokens: Sequence[Token], labels: Sequence[str | None], a: int, b: int) -> bool:
    """Is run ``[a, b)`` a title with an organisation set off by a comma before the name (``Pendiri Yayasan Satwa
    Lestari, Rina Kusumawati``)? The organisation's name is then no person's."""
    if b + 1 >= len(tokens) or tokens[b].text != "," or not _is_cap(tokens[b + 1]):
        return False
    if _is_title_tok(tokens[b + 1], labels[b + 1]) or any(labels[x] in PERSON_TAGS for x in range(a, b)):
        return False
    return any(_fold(tokens[x].text) in ORGANISATION_WORDS for x in range(a, b))


def _nickname_of_earlier(persons: list[Person], nick: Person, words: Sequence[str]) -> Person | None:
    """``Kombes Pol Syafi'in ... Gus Syaf, sapaan akrab Syafi'in, ...``: the name after the alias words is someone named
    before, so the name before them (``nick``, a person of its own until now) is that person's nickname: merged into
    them, and never their displayed name. None when nobody earlier has the name."""
    earlier = next((q for q in persons if q is not nick and q.named and all(w in q.words for w in words)), None)
    if earlier is None:
        return None
    for m in nick.mentions:
        earlier.add(m)
    earlier.mentions.sort(key=lambda m: m.a)
    earlier.names.sort(key=lambda m: m.a)
    earlier.words |= nick.words
    earlier.titles |= nick.titles
    earlier.title_spans += nick.title_spans
    earlier.nicknames |= {" ".join(m.text.split()) for m in nick.names}
    persons.remove(nick)
    return earlier


def _title_left(tokens: Sequence[Token], labels: Sequence[str | None], a: int) -> tuple[int, int] | None:
    """Title words written just before a name that has none in its own run (``Menteri Perdagangan (Mendag) Budi``)."""
    k = a
    if k > 1 and tokens[k - 1].text == "," and _is_cap(tokens[k - 2]) and _is_title_tok(tokens[k - 2], labels[k - 2]):
        k -= 1  # ``Menteri Sosial, Khofifah Indar Parawansa,``: the title set off by a comma
    start = k
    while k > 0 and (tokens[k - 1].text in "()" or (_is_cap(tokens[k - 1]) and _is_title_tok(tokens[k - 1], labels[k - 1]))
                     or labels[k - 1] in TITLE_TAGS):
        k -= 1
    return (k, a) if k < start else None


def _person_for_name(persons: list[Person], tokens: Sequence[Token], m: PersonMention) -> Person:
    """The person a name mention belongs to (a new one when no earlier person fits).

    In order: a short form given right after a name (``Joko Widodo (Jokowi)``); a renaming that keeps the
    family name of an earlier name (``Erni Sylviane Purba, ... biasa dipanggil Anne Purba``); a short form
    already used for someone (``lanjut Hariyadi`` names Hariyadi B Sukamdani, so does a later ``kata
    Hariyadi`` after ``Adil Hariyadi``); every word written in an earlier name, then short forms and blends,
    each time the person introduced last first.
    """
    words = [_fold(w) for w in m.text.split()]
    for p in reversed(persons):  # ``Joko Widodo (Jokowi)``: the short form given right after a name
        if p.named and 0 < m.a - p.names[-1].b <= ALIAS_REACH:
            gap = [_fold(t.text) for t in tokens[p.names[-1].b : m.a]]
            if any(w in ALIAS_WORDS or w == "(" for w in gap) and all(w in ALIAS_GAP for w in gap):
                return _nickname_of_earlier(persons, p, words) or p
    if len(words) > 1 and m.a > 0 and _fold(tokens[m.a - 1].text) in ALIAS_WORDS - {"atau"}:
        for p in reversed(persons):  # ``biasa dipanggil Anne Purba``: a new first name, the same family name
            if p.named and words[-1] in p.words:
                return p
    said = " ".join(words)
    for p in reversed(persons):  # the same short form as before names the same person
        if p.named and len(p.names) > 1 and any(" ".join(map(_fold, n.text.split())) == said for n in p.names[1:]):
            return p
    for p in reversed(persons):  # every word written in an earlier name: ``Stoltenberg``
        if p.named and all(w in p.words for w in words):
            return p
    for p in reversed(persons):
        if p.named and all(any(short_form(w, full) for full in p.words) for w in words):
            return p
    if len(words) == 1:
        for p in reversed(persons):
            if p.named and any(blend(words[0], [_fold(w) for w in n.text.split()]) for n in p.names):
                return p
        inner = [p for p in persons if p.named and any(inner_form(words[0], w) for w in p.words)]
        if len(inner) == 1:
            return inner[0]  # ``kata Tris`` of Sutrisno, when nobody else's name holds it
    persons.append(Person())
    return persons[-1]


def _person_for_title(persons: list[Person], m: PersonMention) -> Person:
    """The person with this title mentioned last; the closest title wins (``Presiden`` is not ``Wakil Presiden``).

    Mentioned last, not introduced last: ``Presiden Joko Widodo ... Presiden Filipina Rodrigo Duterte ...
    Jokowi menyampaikan ... ucap Presiden`` is Jokowi.
    """
    words = {_fold(w) for w in m.text.split()} & TITLE_WORDS or {_fold(w) for w in m.text.split()}

    def fitting(title: set[str]) -> list[tuple[int, int, int]]:
        """(extra title words, -where last mentioned, index) of the named persons written with ``title`` before."""
        return [(len((p.titles & TITLE_WORDS) - title), -next(x.a for x in reversed(p.mentions) if x.a < m.a), k)
                for k, p in enumerate(persons) if p.named and title and title <= p.titles and p.names[0].a < m.a]

    long = {w for x in words for w in SHORT_TITLES.get(x, "").split()}  # ``Mensos``: ``Menteri Sosial``
    fits = fitting(words) or fitting(long)
    if fits:
        return persons[min(fits)[2]]
    for p in reversed(persons):
        if not p.named and {_fold(w) for w in p.mentions[0].text.split()} == {_fold(w) for w in m.text.split()}:
            return p
    persons.append(Person())
    return persons[-1]


def name_forms(person: Person) -> list[str]:
    """Every name the article writes for ``person`` (``Joko Widodo``, ``Jokowi``): the evidence that links the forms
    of one person across an archive (:mod:`indoquote.archive.identity`)."""
    return list(dict.fromkeys(" ".join(m.text.split()) for m in person.names))


def speaker_name(text: str, person: Person, mention: str) -> tuple[str | None, str | None]:
    """The ``speaker`` a record gives ``person`` (tied to it by ``mention``) and, when None, its ``speaker_reason``.

    The fullest name; for a person known only by a title, the office as written when it speaks as a body
    (:func:`institution_name`), else nobody, and the title says why.
    """
    if person.named:
        return person.name, None
    if is_anonymous(mention):
        return " ".join(mention.split()), None  # `seorang sumber`: who the article says spoke
    office = institution_name(text, mention)
    return (office, None) if office else (None, f"named only by a title ({' '.join(mention.split())})")


def institution_name(text: str, mention: str) -> str | None:
    """The fullest form the article writes of an office that speaks as a body, when ``mention`` is one.

    ``jaksa`` -> ``Jaksa Penuntut Umum (JPU)`` when the article writes that anywhere (capitalised words after the
    office word, then an acronym in brackets); else the mention as written. None for any other title: a single
    person's title (``Kapolres``) names nobody, and the record says so.
    """
    words = mention.split()
    if not words or words[0].casefold() not in INSTITUTION_WORDS:
        return None
    pattern = re.compile(rf"(?<!\w)(?i:{re.escape(words[0])})(?:[ \t]+[A-Z][\w.-]*)*(?:[ \t]+\([A-Z]{{2,}}\))?")
    forms = [" ".join(m.group(0).split()) for m in pattern.finditer(text)]
    full = max(forms, key=lambda f: (f.endswith(")"), len(f.split())), default="")  # with its acronym first
    return full if len(full.split()) > len(words) else " ".join(words)

