"""A person's role and affiliation, assembled from every mention the article gives them (issue #33).

The tagger marks ROLE and AFFILIATION spans (learned from PFSA-ID); the people of
:mod:`indoquote.quotes.speakers` say which mentions belong to whom. What is left is to
assemble and normalise, the way a media researcher codes a source:

- every title written next to any of the person's mentions is a *form* (the lead's
  ``Menteri Koordinator Bidang Perekonomian Airlangga Hartarto``, a later ``kata Airlangga``);
  the fullest form is the role, so a role stated in the lead carries to every quotation;
- a short form (``Menkeu``, ``Wamentan``, an inline ``(GM)``, ``(Mendag)``) is an alias, never
  part of the role: ``General Manager (GM)`` gives ``General Manager``;
- the organisation is split off the title into the affiliation (``Sekjen`` + ``NATO``,
  ``Ketua`` + ``DPR RI``, ``Kabid Humas`` + ``Polda Metro Jaya``); a minister's portfolio and
  a regional head's region stay in the role (``Menteri Keuangan``, ``Kapolres Sarolangun``,
  ``Gubernur Jawa Barat``); an affiliation that is only ``(DEN)`` is expanded from the article
  (``Dewan Energi Nasional``) or dropped;
- no sentence word, preposition or fragment is a role (``Bahkan``, ``Menurut``, ``Keuangan``);
- descriptions are roles when they are all the article gives (``penyanyi sekaligus aktris``,
  ``mantan terpidana kasus korupsi``, ``warga``); ``mantan`` stays in the role;
- ranks and honorifics before a name (``AKBP``, ``Kombes Pol``, ``Dr.``) are neither.

The convention, with examples, is written in ``docs/annotation-format.md`` ("Role and affiliation").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Sequence

from ..text.lexicon import PLACE_WORDS, SHORT_TITLES, TITLE_WORDS, is_acronym
from .names import blend
from .records import PERSON_LABELS, TITLE_LABELS, Mention, _Index
from .role_bounds import acronym_cut, client_tail, description_tail, for_client, known_name_cut, party_unit
from .speakers import Person
from .title_words import (
    HEAD_PREFIXES,
    HEADS_OF_STATE,
    KEEP_WHOLE,
    KINSHIP,
    REGIONAL_HEADS,
    ROLE_NOUNS,
    SUB_UNITS,
    TITLE_JOINERS,
    is_alias,
    is_fragment,
    is_honorific,
    is_opener,
    name_word,
    org_start,
    split_glued,
    starts_title,
)

MAX_TITLE = 20
"""Most tokens of a title written before a name (a run longer than that is a sentence, not a title)."""


@dataclass
class Form:
    """One way the article titles the person: role and affiliation words, aliases, the spans it came from."""

    tagged: bool = False  # the tagger marked ROLE/AFFILIATION in it
    role: list[str] = field(default_factory=list)
    affiliation: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)


@dataclass(frozen=True)
class Titles:
    """A person's role and affiliation and every role form that was merged into them (aliases included)."""

    role: str | None
    affiliation: str | None
    forms: tuple[str, ...] = ()
    mentions: tuple[Mention, ...] = ()


def person_titles(art: _Index, text: str, person: Person) -> Titles:
    """The role and affiliation of ``person`` from all their mentions (see the module docstring)."""
    titled = {art.tokens[i].text.casefold() for a, b in _titled_names(art, person) for i in range(a, b)}
    names = {w.casefold() for m in person.names for w in m.text.split()} - titled
    forms = [f for f in (_clean(art, text, raw, written, names) for raw, written in _raw_forms(art, person))
             if f.role or f.affiliation]
    aliases = [m.text for m in person.mentions if m.kind == "title" and is_alias(m.text)]
    if not person.named and not forms:  # known only by a title or a description: a title is the role
        only = " ".join(person.mentions[0].text.split())
        return Titles(only if _is_title(only) else None, None, (only,))
    with_role = [f for f in forms if f.role]
    best = max(with_role, key=lambda f: (len(f.role), f.tagged), default=None)
    role = " ".join(best.role) if best else None
    if best is None and aliases:
        role = " ".join(aliases[0].split())
    own = {w.casefold() for w in best.role} if best else set()
    orgs = [f for f in forms if f.affiliation and not {w.casefold() for w in f.affiliation} <= own]
    org = best if best and best.affiliation else max(orgs, key=lambda f: len(f.affiliation), default=None)
    affiliation = " ".join(org.affiliation) if org else None
    written = [" ".join(f.role) for f in with_role] + [a for f in forms for a in f.aliases] + aliases
    merged = tuple(dict.fromkeys(w for w in written if w))
    used = tuple(dict.fromkeys(m.start for f in ([best] if best else []) + ([org] if org else []) for m in f.mentions))
    used = tuple({m.start: m for f in forms for m in f.mentions if m.start in used}.values())
    return Titles(role, affiliation, merged, used)


# ------------------------------------------------------------------ collecting the forms


def _raw_forms(art: _Index, person: Person) -> list[tuple[list[tuple[int, str | None]], bool]]:
    """Token ranges titling the person, each as ``([(token, label)], written)``: tagged spans chained to a mention,
    the title written before a name (capitalised, or set off by a comma), and one set off by a comma after a name
    that has no title before it (``Tony Gourlay, CEO ...``; after ``Menteri A Budi,`` a title is the next person's)."""
    out: list[tuple[list[tuple[int, str | None]], bool]] = []
    written_before = {b for _, b in person.title_spans}
    for m in person.mentions:
        persons = {art.span_at[i] for i in range(m.a, m.b)} - {None}
        chains = [art.titles_of(k) for k in persons if art.spans[k].label in PERSON_LABELS]
        found = [side for chain in chains for side in (_left(art, chain, m.a), _right(art, chain, m.b)) if side]
        out += [(side, False) for side in found]
        left = _tagged_left(art, m.a)
        if left and not any(chains):
            out.append((left, False))
        if m.kind == "name":
            before = _appositive_left(art, m.a)
            if before:
                out.append((before, True))
            elif not (found or left or m.a in written_before):
                after = _appositive_right(art, m.b)
                if after:
                    out.append((after, True))
    for a, b in _titled_names(art, person):
        out.append(([(i, art.label(i)) for i in range(a, b)], True))
    for a, b in person.title_spans:
        a = _extend_left(art, max(a, b - MAX_TITLE), b)
        out.append(([(i, art.label(i)) for i in range(a, b)], True))
    return out


def _titled_names(art: _Index, person: Person) -> list[tuple[int, int]]:
    """``Presenter Surya Insomnia``, ``Bos Barcelona Quique Setien`` read as one name: the job before the last two
    words, as token ranges (a title, not part of the name)."""
    return [(m.a, m.b - 2) for m in person.names
            if m.b - m.a >= 3 and art.tokens[m.a].text.casefold() in ROLE_NOUNS and art.label(m.a) not in PERSON_LABELS]


def _is_title(description: str) -> bool:
    """Is a description standing for an unnamed speaker a title (``juru bicara oligarki``, ``Kapolres``)? Else
    (``seorang netizen``, ``pengguna Twitter``) it is who speaks, not their role: the role is null."""
    first = next((w.casefold() for w in description.split() if w.casefold() not in HEAD_PREFIXES), "")
    return first in TITLE_WORDS or first in SHORT_TITLES or first in ROLE_NOUNS


def _appositive_left(art: _Index, a: int) -> list[tuple[int, str | None]]:
    """``kata Ketua PP Muhammadiyah, Haedar Nashir``, ``tegas juru bicara Kremlin, Dmitry Peskov``: the title set off
    by a comma before the name (ranks may stand between: ``..., Kompol Erna``), from its first title word."""
    k = a
    while k > 0 and is_honorific(art.tokens[k - 1].text):
        k -= 1
    if k < 2 or art.tokens[k - 1].text != ",":
        return []
    i = k - 1
    while i > 0 and k - i <= MAX_TITLE and art.sentence_of[i - 1] == art.sentence_of[k - 1]:
        word = art.tokens[i - 1].text
        if word in ",.:;\"“”'‘’" or (is_opener(word) and word.casefold() not in TITLE_JOINERS):
            break
        i -= 1
    first = next((j for j in range(i, k - 1) if starts_title(art.tokens[j].text, art.label(j))), None)
    return [] if first is None else [(j, art.label(j)) for j in range(first, k - 1)]


def _appositive_right(art: _Index, b: int) -> list[tuple[int, str | None]]:
    """``Tony Gourlay, CEO Global Initiatives``: a title set off by a comma (or ``sebagai``) after the name, when it
    starts with a title word; it ends at the next comma, mark or function word."""
    if b + 1 >= len(art.tokens) or art.tokens[b].text not in (",", "sebagai"):
        return []  # ``Rian Ekky Pradipta sebagai vokalis band D'Masiv`` too
    if not starts_title(art.tokens[b + 1].text, None):
        return []
    j = b + 1
    while j < len(art.tokens) and j - b <= MAX_TITLE and art.sentence_of[j] == art.sentence_of[b]:
        word = art.tokens[j].text
        if word in ",.:;\"“”'‘’()" or (is_opener(word) and word.casefold() not in TITLE_JOINERS):
            break
        if word[:1].islower() and art.tokens[j - 1].text[:1].isupper() and j > b + 1:
            break  # ``... band D'Masiv hadir``: the organisation's name has ended
        j += 1
    return [(x, art.label(x)) for x in range(b + 1, j)]


def _extend_left(art: _Index, a: int, b: int) -> int:
    """The start of the capitalised run a written title ends (``Menteri Badan Usaha Milik Negara (BUMN)``: the run
    before the bracket was cut off as an organisation's name)."""
    while a > 0 and b - a < MAX_TITLE and art.sentence_of[a - 1] == art.sentence_of[b - 1]:
        word = art.tokens[a - 1].text
        joiner = word.casefold() in TITLE_JOINERS
        if not (word[:1].isupper() or word[:1].isdigit() or word in "()" or joiner) or (is_opener(word) and not joiner):
            break
        a -= 1
    return a


def _left(art: _Index, chain: Sequence[int], a: int) -> list[tuple[int, str | None]]:
    """The tokens from the first chained title span before ``a`` up to ``a``."""
    starts = [art.spans[k].a for k in chain if art.spans[k].b <= a]
    return [(i, art.label(i)) for i in range(min(starts), a)] if starts else []


def _right(art: _Index, chain: Sequence[int], b: int) -> list[tuple[int, str | None]]:
    """The tokens from ``b`` to the end of the last chained title span after it (``Krisdayanti, penyanyi ...``)."""
    ends = [art.spans[k].b for k in chain if art.spans[k].a >= b]
    if not ends:
        return []
    j, last = max(ends), art.label(max(ends) - 1)
    while last == "AFFILIATION" and j < len(art.tokens) and j - b <= MAX_TITLE and art.label(j) is None \
            and _continues(art, j):
        j += 1  # ``[Council for]AFFILIATION Sustainable Development``: the tagger stopped short of the name's end
    return [(i, art.label(i) or (last if i >= max(ends) else None)) for i in range(b, j)]


CONTINUERS = frozenset("for of and the dan & de da".split())
"""Small words inside an organisation's name (``Council for Sustainable Development``)."""


def _continues(art: _Index, j: int) -> bool:
    """Does token ``j`` carry on a capitalised name (a capitalised word, or a small joining word before one)?"""
    word = art.tokens[j].text
    if word[:1].isupper() and not is_opener(word):
        return True
    nxt = art.tokens[j + 1].text if j + 1 < len(art.tokens) else ""
    return word.casefold() in CONTINUERS and nxt[:1].isupper()


def _tagged_left(art: _Index, a: int) -> list[tuple[int, str | None]]:
    """Tagged titles right before a mention the tagger did not mark (brackets may sit between)."""
    i = a - 1
    while i >= 0 and (art.label(i) in TITLE_LABELS or art.tokens[i].text in "()") and a - i <= MAX_TITLE:
        i -= 1
    got = [(j, art.label(j)) for j in range(i + 1, a)]
    return got if any(lab for _, lab in got) else []


# ------------------------------------------------------------------ normalising one form


def _clean(art: _Index, text: str, raw: list[tuple[int, str | None]], written: bool, names: set[str]) -> Form:
    """One form's role and affiliation words: openers, ranks and aliases out, the organisation split off.

    ``written``: a title run before a name, every token kept; else the tagger's chain, from its first tagged token
    to its last (``[Menteri]ROLE dalam [Negeri]ROLE``). ``names``: the person's name words, never part of a title."""
    while raw and raw[-1][1] in PERSON_LABELS:
        raw = raw[:-1]  # ``Bupati Serang [Ratu Tatu Chasanah]PERSON``: the tagger's name is no title
    raw = [(i, lab if lab in TITLE_LABELS else None) for i, lab in raw]
    form = Form(tagged=any(lab for _, lab in raw))
    marked = [k for k, (_, lab) in enumerate(raw) if lab]
    lo, hi = (marked[0], marked[-1]) if marked else (0, -1)
    kept = [(i, lab) for k, (i, lab) in enumerate(raw) if written or lo <= k <= hi or art.tokens[i].text in "()"]
    words = _glue(art, kept)
    words = _drop_brackets(words, form)
    while words and (words[0][0] in ",:;-–" or is_opener(words[0][0]) or (written and not starts_title(*words[0]))):
        words = words[1:]
    while words and (words[-1][0] in ",:;-–." or is_honorific(words[-1][0]) or words[-1][0].casefold() in names):
        words = words[:-1]
    words = _drop_glued_aliases(words, form)
    if next((w.casefold() for w, _ in words if w.casefold() not in HEAD_PREFIXES), "") in KINSHIP:
        return form  # ``Anak Doddy Sudrajat``: kinship is no role, and the relative no organisation
    role, org = _split(words)
    head = next((w.casefold() for w in role if w.casefold() not in HEAD_PREFIXES), "")
    if head not in KEEP_WHOLE | REGIONAL_HEADS | HEADS_OF_STATE and not for_client(role):
        role, org = acronym_cut(*known_name_cut(text, role, org), form.aliases)
    role, org = description_tail(*party_unit(*client_tail(role, org)))
    form.role = _strip(role)
    form.affiliation = _expand(text, _strip(org))
    if len(form.role) == 1 and is_fragment(form.role[0], form.tagged):
        form.role = []
    if form.role and all(is_opener(w) for w in form.role):
        form.role = []
    for k, _ in raw:
        j = art.span_at[k]
        if j is not None and art.spans[j].label in TITLE_LABELS and art.spans[j].mention not in form.mentions:
            form.mentions.append(art.spans[j].mention)
    return form


def _glue(art: _Index, kept: list[tuple[int, str | None]]) -> list[tuple[str, str | None]]:
    """Words as the article writes them: tokens with no space between are one word (``Az-zahra``, ``Covid-19``,
    ``0212/TS``); brackets and commas stay apart."""
    out: list[tuple[str, str | None]] = []
    last = None
    for i, lab in kept:
        tok = art.tokens[i]
        alone = tok.text in "(),"
        if out and last is not None and i == last + 1 and art.tokens[last].end == tok.start and not alone \
                and out[-1][0] not in "(),":
            out[-1] = (out[-1][0] + tok.text, out[-1][1] or lab)
        else:
            out.append((tok.text, lab))
        last = i
    return [(part, lab) for w, lab in out for part in split_glued(w)]


def _drop_brackets(words: list[tuple[str, str | None]], form: Form) -> list[tuple[str, str | None]]:
    """``General Manager (GM)``: a short bracketed form is an alias; ``(Purn)`` a rank mark. Both leave. A bracketed
    acronym with nothing before it (``(DEN)``) is kept to be expanded or dropped (:func:`_expand`)."""
    out: list[tuple[str, str | None]] = []
    k = 0
    while k < len(words):
        w, lab = words[k]
        ends = range(k + 1, min(len(words), k + 6))
        close = next((j for j in ends if words[j][0] == ")"), None) if w == "(" else None
        if close is None:
            if w not in "()":
                out.append((w, lab))
            k += 1
            continue
        inner = [x for x, _ in words[k + 1 : close]]
        if len(inner) == 1 and is_acronym(inner[0]) and not out:
            out.append((f"({inner[0]})", "AFFILIATION"))
        elif inner and not all(is_honorific(x) for x in inner):
            form.aliases.append(" ".join(inner))
        k = close + 1
    return out


def _drop_glued_aliases(words: list[tuple[str, str | None]], form: Form) -> list[tuple[str, str | None]]:
    """``Wakil Menteri Pertanian Wamentan``: a short form right after the title it shortens is an alias."""
    out: list[tuple[str, str | None]] = []
    after_or = False
    for w, lab in words:
        if after_or:  # ``Partai Demokrasi Indonesia Perjuangan atau PDIP``: the short form after ``atau``
            form.aliases.append(w)
            after_or = False
            continue
        if w.casefold() in ("atau", "alias") and out:
            after_or = True
            continue
        short = w.casefold().strip(".")
        before = [x.casefold() for x, _ in out]
        known = short in SHORT_TITLES and bool(set(SHORT_TITLES[short].split()) & set(before))
        blended = len(before) >= 2 and w[:1].isupper() and not is_acronym(w) and blend(short, before[-4:])
        if out and (known or blended):
            form.aliases.append(w)
            continue
        out.append((w, lab))
    return out


def _split(words: list[tuple[str, str | None]]) -> tuple[list[str], list[str]]:
    """Role words and affiliation words: the tagger's labels where it marked an affiliation, else cut where the
    organisation starts (an acronym or an organisation word, after the head and its sub-units)."""
    plain = [w for w, _ in words]
    if not plain or plain[0].startswith("(") or (org_start(plain[0]) and not starts_title(plain[0], None)):
        return [], plain  # ``[Forum Honorer Kota Tangerang]ROLE``: an organisation's name is no role
    head = next((w.casefold() for w in plain if w.casefold() not in HEAD_PREFIXES), "")
    if head in KEEP_WHOLE:  # ``[Menteri]ROLE [Badan Usaha Milik Negara]AFFILIATION``: the portfolio is the title
        return plain, []
    first = next((k for k, (_, lab) in enumerate(words) if lab == "AFFILIATION"), None)
    if first is not None:  # the organisation runs from the tagger's first AFFILIATION word to the name
        rest = words[first:]
        role = [w for w, _ in words[:first]] + [w for w, lab in rest if lab == "ROLE"]
        org = [w for w, lab in rest if lab != "ROLE"]
        if role or not starts_title(org[0], None):
            return _tagged_boundary(role, org)
        words = [(w, None) for w in org]  # ``[SVP Strategi ... Pupuk Indonesia]AFFILIATION``: a title, cut as written
        plain, head = org, org[0].casefold()
    if not any(org_start(w) for w in plain[1:]):
        tagged = max((k + 1 for k, (_, lab) in enumerate(words) if lab == "ROLE"), default=1)
        return _cut_at_name(plain, head, tagged)
    return _cut_at_org(plain)


def _tagged_boundary(role: list[str], org: list[str]) -> tuple[list[str], list[str]]:
    """The tagger's role/affiliation boundary moved to the convention's: an organisation inside the role goes to the
    affiliation (``Kasubdit II Ditreskrimsus`` / ``Polda Riau``), a unit before the organisation to the role
    (``Wakil Ketua`` / ``Komisi VI DPR RI``), places after a title to the role (``Presiden`` / ``Ukraina``)."""
    role, moved = _cut_at_org(role) if len(role) > 1 else (role, [])
    org = moved + org
    unit = bool(org) and org[0].casefold() in SUB_UNITS
    if role and org and (unit or not org_start(org[0])):
        k = next((k for k, w in enumerate(org) if k and org_start(w)), None)
        if k is not None:
            role, org = role + org[:k], org[k:]
        elif unit and org[0].casefold() not in ("komisi", "fraksi"):  # ``Ketua`` / ``Tim Hukum ...``: a unit only
            role, org = role + org, []
    if role and org and all(w.casefold() in PLACE_WORDS for w in org):
        role, org = role + org, []
    return role, org


def _cut_at_org(plain: list[str]) -> tuple[list[str], list[str]]:
    """Cut where the organisation starts, after the head and its units (``Komisi VI``, ``Bagian Humas``)."""
    k = 1
    while k < len(plain):
        word = plain[k]
        if _unit(word):
            k += 2  # ``Komisi VI``, ``Fraksi PKB-PPP``, ``Bagian Penerangan ...``: the unit and its name stay
            while k < len(plain) and not org_start(plain[k]):
                k += 1
            continue
        if org_start(word):
            cut = k
            while is_acronym(word) and cut > 1 and name_word(plain[cut - 1]):
                cut -= 1  # ``Pelatih Borneo FC``: the acronym ends the organisation's name
            return plain[:cut], plain[cut:]
        k += 1
    return plain, []


def _cut_at_name(plain: list[str], head: str, after: int = 1) -> tuple[list[str], list[str]]:
    """No organisation word: the organisation starts at the first capitalised name after the title words (``CEO
    Global Initiatives``, ``juru bicara Kremlin``), except after a regional head (``Bupati Serang``), a head of
    state followed by places only (``Presiden Ukraina``), or a unit (``Ketua Tim Hukum Keluarga ...``); never inside
    the words the tagger marked ROLE (before ``after``)."""
    if head in REGIONAL_HEADS or any(_unit(w) for w in plain):
        return plain, []
    k = next((k for k in range(max(1, after), len(plain)) if name_word(plain[k])), len(plain))
    if k == len(plain) or (head in HEADS_OF_STATE and all(w.casefold() in PLACE_WORDS for w in plain[k:])):
        return plain, []
    return plain[:k], plain[k:]


def _unit(word: str) -> bool:
    """A unit inside an organisation, written as a name (``Tim Hukum``, ``Komisi VI``; ``Manajer tim Repsol Honda``
    is a team, and ``Repsol Honda`` the organisation)."""
    return word.casefold() in SUB_UNITS and word[:1].isupper()


def _strip(words: Sequence[str]) -> list[str]:
    out = list(words)
    while out and (out[0] in ",:;-–/" or is_opener(out[0])):
        out = out[1:]
    while out and (out[-1] in ",:;-–/." or out[-1].casefold() in ("dan", "serta", "di", "dari", "yang", "of", "at")):
        out = out[:-1]
    return out


def _expand(text: str, org: list[str]) -> list[str]:
    """``(DEN)`` alone: the name the article spells before ``(DEN)`` (its initials end with D, E, N), else nothing."""
    if not org or not (len(org) == 1 and org[0].startswith("(")):
        return org
    short = org[0].strip("()")
    for m in re.finditer(rf"((?:[A-Z][\w-]*\s+(?:dan\s+|&\s+)?){{1,8}})\(\s*{re.escape(short)}\s*\)", text):
        run = m.group(1).split()
        for k in range(len(run)):
            initials = "".join(w[0] for w in run[k:] if w[:1].isupper())
            if initials.upper() == short.upper():
                return run[k:]
    return []
