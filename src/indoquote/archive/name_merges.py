"""The evidence on which the identity pass merges name forms into one person (:mod:`indoquote.archive.identity`).

Each rule joins forms in a union-find (:class:`Groups`) that never joins two
people of the alias table: :func:`by_table`, :func:`by_initials`,
:func:`by_articles`, :func:`by_spelling`, :func:`by_longer_name`, in that order;
then :func:`one_word_rows` settles the quotations of one-word forms one by one.
Every merge names its evidence, a key of :data:`EVIDENCE`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from .alias_table import AliasEntry
from .speaker_names import (
    NICKNAME_HONORIFICS,
    Profile,
    initials_match,
    is_office,
    is_run,
    modern_spelling,
    person_like,
    same_in_old_spelling,
)

FUZZY_MIN = 90
"""Least rapidfuzz ``ratio`` (0-100) of two spellings merged when their roles agree."""
VARIANT_MIN = 85
"""Least ratio of the candidates of a one-word form for them to count as spellings of one name (``Edhie`` /
``Eddy Baskoro Yudhoyono`` for ``Ibas``)."""
LINK_SHARE = 2 / 3
"""Share of a form's linking articles that must link it to one name for the form to join that name."""
SHORT_FORM_LINKS = 2
"""Least linking articles for a short form (a run of words of the name: ``Suparno`` of ``Suparno Jumar``) to
join the name on the links alone. A given name is shared by many people: on the real archive, one article linking
``Suparno`` to an activist moved the lone ``Suparno``, a father in another story, to him (``docs/results.md``).
With one linking article a quotation needs more evidence (its role, the same quotation, the article's title, the
same article, similar quotations) or to be in that article. A nickname that is no word of the name (an
``article alias``: ``Iyek``) needs one."""

SHARED_WORD_PEOPLE = 2
"""A short form that is a word of this many people's longer names (``Susi``: Susi Pudjiastuti, Susi Susanti,
Susi Hartini) joins the person articles link it to only in a linking article; elsewhere it needs the evidence of
:func:`~indoquote.archive.evidence_merges.one_word_evidence` (role, same quotation, title, story). On the real
archive, a lone ``Susi`` in a haze story and a lone ``Nasir`` of an Arema full-back joined the best-known person
their links named (``docs/results.md``)."""
SHARED = "\x00shared"
"""Marks a form of :data:`SHARED_WORD_PEOPLE` people among its short-form targets in :func:`one_word_rows`."""

EVIDENCE = {
    "alias table": "listed in the alias table",
    "same name": "the same name once case, accents, honorifics, ranks, degrees and spaces are set aside",
    "initials": "initials of the longer name",
    "old spelling": "the same name in the spelling before 1972 (Soekarno, Sukarno; Djoko, Joko), roles not disagreeing",
    "article alias": "an article gives both names for one person",
    "article short form": "articles use it as the short form of the name",
    "only longer name": "a run of words of exactly one longer name, roles not disagreeing",
    "similar spelling": "a spelling within the fuzzy threshold, with the same role or affiliation",
    "short form, by role": "a one-word form of several people, given to the one whose role matches",
    "same quotation": "a spelling variant or a lone word of the name, and a quotation attributed to both in other "
    "articles",
    "similar quotations": "a spelling variant or a lone word of the name, and quotations on the same topic "
    "(TF-IDF cosine)",
    "same nickname": "a spelling variant, and articles give both names one nickname (Ibas)",
    "article title": "a lone word of a name, in an article whose title gives that one person's full name",
    "same article": "a lone word of exactly one person's name, quoted in an article that quotes that person too",
    "honorific and alias": "an honorific (Kang, Bang, Cak) before the one nickname articles give a person",
    "same story": "a long name one letter apart, and the titles of their articles on one story",
    "short form, same story": "a word of the name that one article links to it, in an article whose title is on "
    "a story of theirs",
    "office holder": "an office quoted in an article that quotes or links this person with a role naming the "
    "office, or quotes them or names them in its title and the archive gives them that role",
    "glued word": "a common word the tagger glued before a word of the name (Performa Rossi), in articles whose "
    "titles give the full name",
    "office holder in period": "a minister's short title quoted in an article that names no holder, and the one "
    "person the archive gives that office in articles within a week of it",
}
"""Every kind of evidence a merge can rest on, as the report explains it."""


class Groups:
    """Union-find over name forms that never joins two alias-table people."""

    def __init__(self, keys: Iterable[str], table: dict[str, AliasEntry]):
        self.parent = {k: k for k in keys}
        self.tid = {k: table[k].id for k in self.parent if k in table}

    def find(self, k: str) -> str:
        while self.parent[k] != k:
            self.parent[k] = self.parent[self.parent[k]]
            k = self.parent[k]
        return k

    def union(self, a: str, b: str) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        ta, tb = self.tid.get(ra), self.tid.get(rb)
        if ta and tb and ta != tb:
            return False
        self.parent[ra] = rb
        if ta:
            self.tid[rb] = ta
        return True


@dataclass
class NameForm:
    rows: int = 0
    articles: set = field(default_factory=set)
    spelled: Counter = field(default_factory=Counter)
    profile: Profile = field(default_factory=Profile)


def by_table(forms: dict[str, NameForm], table: dict[str, AliasEntry], join) -> None:
    first: dict[str, str] = {}
    for k in sorted(forms):
        if k in table:
            e = table[k]
            if e.id in first:
                join(k, first[e.id], "alias table", f"{e.id} ({e.name})")
            else:
                first[e.id] = k


def by_initials(forms: dict[str, NameForm], join) -> None:
    by_last: dict[str, list[str]] = defaultdict(list)
    for k in forms:
        by_last[k.split()[-1]].append(k)
    for k in sorted(forms):
        words = k.split()
        if not any(len(w) == 1 for w in words):
            continue
        fits = [
            o
            for o in by_last[words[-1]]
            if initials_match(words, o.split()) and not any(len(w) == 1 for w in o.split())
        ]
        agreeing = [o for o in fits if forms[k].profile.agrees(forms[o].profile)]
        if len(fits) == 1:
            join(k, fits[0], "initials", f"{k} ~ {fits[0]}")
        elif len(agreeing) == 1:  # ``M Nasir``, Kasubdit: Muhammad Nasir, the Kasubdit, not Mohamad Nasir
            o = agreeing[0]
            join(k, o, "initials", f"{k} ~ {o}, both {forms[k].profile.agrees(forms[o].profile)}")


def by_joined_words(forms, groups: Groups, join) -> None:
    """``Gatot S Dewabroto`` is ``Gatot S. Dewa Broto``: the same letters, two words written as one, roles not
    disagreeing. Both forms have two or more words (one-word forms are settled quotation by quotation)."""
    by_letters: dict[str, list[str]] = defaultdict(list)
    for k in forms:
        if len(k.split()) >= 2:
            by_letters[k.replace(" ", "")].append(k)
    for ks in by_letters.values():
        ks.sort(key=lambda k: (-forms[k].rows, k))
        for k in ks[1:]:
            if groups.find(k) != groups.find(ks[0]) and not forms[k].profile.conflicts(forms[ks[0]].profile):
                join(k, ks[0], "same name", f"{k} = {ks[0]}, spaces aside")


def by_old_spelling(forms, groups: Groups, join) -> None:
    """``Nadia Diposandjojo`` is ``Nadia Diposanjoyo``: the same name in the spelling before 1972 (EYD), roles not
    disagreeing. Forms are blocked by the modern spelling of their last word, ``j`` read as ``y`` (a word of today's
    spelling, ``diposanjoyo``, has no mark that says how to read its ``j``)."""
    blocks: dict[str, list[str]] = defaultdict(list)
    for k in forms:
        words = k.split()
        if len(words) >= 2:
            blocks[modern_spelling(words[-1]).replace("j", "y")].append(k)
    for block in blocks.values():
        block.sort(key=lambda k: (-forms[k].rows, k))
        for i, a in enumerate(block):
            for b in block[i + 1 :]:
                if groups.find(a) == groups.find(b) or not same_in_old_spelling(a.split(), b.split()):
                    continue
                if not forms[a].profile.conflicts(forms[b].profile):
                    join(b, a, "old spelling", f"{b} ~ {a}")


def by_articles(forms, links, groups: Groups, join) -> None:
    """Names of two or more words that articles write for one person (one-word forms: :func:`one_word_rows`)."""
    for k in sorted(links):
        if k not in forms or len(k.split()) < 2:
            continue  # a form no quotation names as its speaker is only listed
        by_group = link_groups(k, links, forms, groups)
        if not by_group:
            continue
        best, n, total = dominant_link(by_group)
        target = max(
            (t for t in links[k] if t in forms and groups.find(t) == best), key=lambda t: (len(links[k][t]), t)
        )
        kind = _link_kind(k, target)
        if kind == "article short form" and n < SHORT_FORM_LINKS:
            continue  # one article: :func:`by_longer_name` may still join it, roles not disagreeing
        if n / total >= LINK_SHARE and not forms[k].profile.conflicts(forms[target].profile):
            join(k, target, kind, f"{n} of {total} linking articles, e.g. {sorted(by_group[best])[0]}")


def link_groups(k: str, links, forms, groups: Groups) -> dict[str, set]:
    """The groups ``k`` is linked to in articles, with the linking articles."""
    by_group: dict[str, set] = defaultdict(set)
    for t, arts in links.get(k, {}).items():
        if t in forms and groups.find(t) != groups.find(k):
            by_group[groups.find(t)] |= arts
    return by_group


def dominant_link(by_group: dict[str, set]) -> tuple[str, int, int]:
    total = sum(len(a) for a in by_group.values())
    best = max(by_group, key=lambda g: (len(by_group[g]), g))
    return best, len(by_group[best]), total


def _link_kind(short: str, target: str) -> str:
    return "article short form" if is_run(short.split(), target.split()) else "article alias"


def longer_names(k: str, index: dict[str, set[str]]) -> set[str]:
    """Forms that hold ``k`` as a run of whole words and are a person's fuller name (not ``Kabinet Joko Widodo``)."""
    words = k.split()
    pool = set.intersection(*(index[w] for w in words)) if words else set()
    return {
        o
        for o in pool
        if (is_run(words, o.split()) or _inner_dropped(words, o.split())) and person_like(words, o.split())
    }


def _inner_dropped(short: Sequence[str], long: Sequence[str]) -> bool:
    """``Anies Baswedan`` of ``Anies Rasyid Baswedan``: the same first and last words, middle names left out."""
    if len(short) < 2 or len(short) >= len(long) or short[0] != long[0] or short[-1] != long[-1]:
        return False
    it = iter(long)
    return all(w in it for w in short)


def word_index(forms) -> dict[str, set[str]]:
    index: dict[str, set[str]] = defaultdict(set)
    for k in forms:
        for w in k.split():
            index[w].add(k)
    return index


def by_longer_name(forms, groups: Groups, join) -> None:
    """A name of two or more words inside exactly one longer name joins it, roles not disagreeing."""
    index = word_index(forms)
    for k in sorted(forms, key=lambda k: (-len(k.split()), k)):
        if len(k.split()) < 2:
            continue
        longer = longer_names(k, index)
        cands = {groups.find(o) for o in longer} - {groups.find(k)}
        if len(cands) == 1:
            target = max(longer, key=lambda o: (forms[o].rows, o))
            if not forms[k].profile.conflicts(forms[target].profile):
                join(k, target, "only longer name", f"{k} in {target}")
        elif len(cands) > 1:
            agreeing = [o for o in longer if forms[k].profile.agrees(forms[o].profile)]
            if len({groups.find(o) for o in agreeing}) == 1:
                o = agreeing[0]
                join(k, o, "only longer name", f"{k} in {o}, both {forms[k].profile.agrees(forms[o].profile)}")


def name_pairs(forms, min_chars: int = 0):
    """Pairs of names of two or more words (``min_chars`` letters or more) that share their first or their last
    word, each pair once: the candidates of spelling rules."""
    blocks: dict[str, list[str]] = defaultdict(list)
    for k in forms:
        words = k.split()
        if len(words) >= 2 and len(k) >= min_chars:
            blocks["f:" + words[0]].append(k)
            blocks["l:" + words[-1]].append(k)
    seen: set[tuple[str, str]] = set()
    for block in blocks.values():
        block.sort()
        for i, a in enumerate(block):
            for b in block[i + 1 :]:
                if (a, b) not in seen:
                    seen.add((a, b))
                    yield a, b


def by_spelling(forms, groups: Groups, join) -> None:
    from rapidfuzz import fuzz

    for a, b in name_pairs(forms):
        if groups.find(a) == groups.find(b) or (score := fuzz.ratio(a, b)) < FUZZY_MIN:
            continue
        shared = forms[a].profile.agrees(forms[b].profile)
        if shared:  # never on the spelling alone: ``Agus Wibowo`` and ``Agus Widodo`` are two people
            small, big = sorted((a, b), key=lambda k: (forms[k].rows, k))
            join(small, big, "similar spelling", f"{a} ~ {b} (ratio {score:.0f}), both {shared}")


def one_word_rows(index, keys, articles, row_profiles, forms, links, groups: Groups, row_group
                  ) -> tuple[dict, dict[str, set], dict[str, str]]:
    """Each quotation of a one-word form (``Jokowi``, ``Anies``, ``Widodo``) joins a person on its own evidence.

    The candidates are the names the articles link the form to and the longer names holding it. In order:
    the one candidate whose role or affiliation matches the quotation's; the name the articles link it to in
    two thirds of them (for a short form, in :data:`SHORT_FORM_LINKS` articles or in the quotation's own article),
    or most where all it is linked to are spellings of one name. Never a candidate whose
    role disagrees, and never a longer name on its own (``Andre`` is not ``Andre Soelistyo`` because the
    archive has no other Andre). A
    quotation none of these settles stays with the form; where the form had several candidates, the identity pass
    gives it an id per article. Returns the moves, the candidates of each such form (its keys are the
    ambiguous forms), and the short forms linked to a person by one article only, with that person's group (their
    quotations need evidence beyond the link: :func:`~indoquote.archive.evidence_merges.one_word_evidence`).
    """
    moves: dict = {}
    ambiguous: dict[str, set] = {}
    one_link: dict[str, str] = {}
    profiles: dict[str, Profile] = defaultdict(Profile)
    for o in forms:
        profiles[groups.find(o)].update(forms[o].profile)
    words = word_index(forms)
    cache: dict[str, tuple] = {}
    for i, k, art in zip(index, keys, articles):
        if len(k.split()) != 1 or is_office(k) or groups.find(k) in groups.tid:
            continue
        if k not in cache:
            by_link = link_groups(k, links, forms, groups)
            short = {groups.find(t) for t in links.get(k, {}) if t in forms and is_short_form(k, t)}
            holders = {groups.find(o) for o in longer_names(k, words)} - {groups.find(k)}
            cands = set(by_link) | holders
            dominant = dominant_link(by_link) if by_link else None
            shared = len(holders) >= SHARED_WORD_PEOPLE  # ``Susi``, ``Nasir``: several people's name word
            cache[k] = (cands, by_link, short if not shared else short | {SHARED}, dominant)
            if cands:
                ambiguous[k] = cands  # ``Andre``, ``Bambang``: a word of longer names, the quotation settles nothing
            if dominant and dominant[0] in short and (dominant[1] < SHORT_FORM_LINKS or shared):
                one_link[k] = dominant[0]
        cands, by_link, short, dominant = cache[k]
        if not cands:
            continue
        p = row_profiles[i]
        fits = {g: shared for g in cands if (shared := p.agrees(profiles[g], specific=True))}
        if len(fits) == 1:
            ((g, shared),) = fits.items()
            move = g, ("short form, by role" if len(cands) > 1 else _kind_of(g, by_link, short)), f"both {shared}"
        elif (
            dominant
            and dominant[1] / dominant[2] >= LINK_SHARE
            and not p.conflicts(profiles[dominant[0]])
            and _enough_links(dominant[0], art, by_link, short)
        ):
            g = dominant[0]
            move = (
                g,
                _kind_of(g, by_link, short),
                f"{dominant[1]} of {dominant[2]} linking articles, e.g. {sorted(by_link[g])[0]}",
            )
        elif len(by_link) > 1 and _spellings_of_one(set(by_link)) and not p.conflicts(profiles[dominant[0]]):
            g = dominant[0]  # ``Ibas``, linked to ``Edhie`` and to ``Eddy Baskoro Yudhoyono``: the name linked most
            move = g, _kind_of(g, by_link, short), f"linked to spellings of one name, most to {g}"
        else:
            continue
        row_group[i] = move[0]
        moves[i] = move
    return moves, ambiguous, one_link


def _enough_links(g: str, art, by_link: dict, short: set) -> bool:
    """Links enough for a one-word form to join ``g`` on them: any for a nickname, :data:`SHORT_FORM_LINKS` for a
    short form, or the quotation's own article (the only link that counts for a word of several people's names:
    ``short`` holds :data:`SHARED`)."""
    if g not in short or art in by_link[g]:
        return True
    return SHARED not in short and len(by_link[g]) >= SHORT_FORM_LINKS


def is_short_form(k: str, t: str) -> bool:
    """Is the one-word form ``k`` a word of the name ``t`` (``Suparno`` of ``Suparno Jumar``), not a nickname after
    a word of address (``Emil`` of ``Kang Emil`` is Ridwan Kamil's nickname)?"""
    words = t.split()
    return k in words and len([w for w in words if w not in NICKNAME_HONORIFICS]) > 1


def _spellings_of_one(cands: set[str]) -> bool:
    """Are the candidate names all spellings of one name (rapidfuzz ratio >= :data:`VARIANT_MIN` pairwise)?

    Nothing is merged on this: the one-word form only keeps one id of its own instead of one per article.
    """
    from rapidfuzz import fuzz

    names = sorted(cands)
    return all(fuzz.ratio(a, b) >= VARIANT_MIN for i, a in enumerate(names) for b in names[i + 1 :])


def _kind_of(g: str, by_link: dict, short: set) -> str:
    if g in by_link:
        return "article short form" if g in short else "article alias"
    return "only longer name"


__all__ = [
    "EVIDENCE",
    "FUZZY_MIN",
    "LINK_SHARE",
    "SHARED_WORD_PEOPLE",
    "SHORT_FORM_LINKS",
    "Groups",
    "NameForm",
    "by_articles",
    "by_initials",
    "by_joined_words",
    "by_longer_name",
    "by_old_spelling",
    "by_spelling",
    "by_table",
    "dominant_link",
    "is_short_form",
    "link_groups",
    "longer_names",
    "name_pairs",
    "one_word_rows",
    "word_index",
]
