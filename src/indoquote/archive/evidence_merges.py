"""Merges that need evidence beyond the name: spelling variants, lone name words, honorific nicknames.

The name rules of :mod:`indoquote.archive.name_merges` stop where the letters alone would merge different people.
The archive often settles these cases in other ways, and each rule here asks for such evidence
(:mod:`indoquote.archive.name_context`):

- :func:`by_variant`: two names of two or more words within :func:`max_edits` edits (``Iman Nahrawi`` /
  ``Imam Nahrawi``, ``Syafrin Lupito`` / ``Syafrin Liputo``) are one person when a quotation is attributed to
  both in different articles (``same quotation``) or their quotations are on one topic (``similar quotations``),
  and their roles do not conflict. ``Aldi Taher`` (a celebrity) and ``Ali Taher`` (a politician) are one edit
  apart, and their quotations share nothing. The risk: two people with near names who are quoted on one story
  and without a role (two witnesses ``Agus Widodo`` and ``Agus Wibowo`` of one accident) become one.
- :func:`one_word_evidence`: a one-word form that nothing else settled (a lone surname ``Nahrawi``, a lone given
  name ``Dedi``) joins a candidate, one of the longer names holding it or the names articles link it to, on the
  same quotation, on similar quotations (the best candidate at least :data:`~indoquote.archive.name_context.
  TOPIC_MIN`, the next at most :data:`~indoquote.archive.name_context.TOPIC_MARGIN` of it), or, where it has one
  candidate only, because that person is quoted in the same article (``Susi`` and ``Pudjiastuti``), or because
  the article's title gives the full name of one candidate (``Shandy Aulia Ingin Melahirkan``, ``Shandy``). A lone
  surname is not joined to the only longer name holding it without such evidence: on the real archive, 10 of 16
  surnames with one candidate were other people (``Syafruddin``, the minister, is not ``Faisal Syafruddin``).
- :func:`same_story_articles`: a lone name that nothing settled gets one id per story (:data:`STORY_MIN`), not
  one per article.
- :func:`by_honorific`: ``Kang Emil`` joins Ridwan Kamil when articles give ``Emil`` as his nickname (an alias that
  is no word of his name, linked to him in two thirds of the linking articles, and a word of no other
  person's name). ``Kang Daniel`` stays: no article makes ``Daniel`` anyone's nickname.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from .name_context import TITLE_MIN, TOPIC_MARGIN, TOPIC_MIN, QuoteContext
from .name_merges import LINK_SHARE, Groups, dominant_link, longer_names, name_pairs, word_index
from .speaker_names import NICKNAME_HONORIFICS, NOT_NAME_WORDS, Profile

VARIANT_CHARS = 10
"""Least characters of the shorter of two spelling variants (``Ali Taher`` has 9)."""
LONG_VARIANT_CHARS = 10
"""Least characters of the shorter of two names one edit apart that may join on the titles of their articles
alone (``Abdul Fickar Hadjar`` / ``Abdul Ficar Hadjar``, ``Rahmat Subakti`` / ``Rachmat Subakti``, ``Elza Syarif``
/ ``Elza Syarief``): two people whose names differ by one letter are rare, two quoted on one story rarer still.
``Ali Taher`` (9) is shorter. On the real archive, 15 left 9 such pairs of one person apart (``docs/results.md``)."""
TITLE_WORD_SHARE = 0.015
"""Most share of the archive's titles (or two titles, in a small archive) that a name word may appear in to count
as naming a person in a title: on the real archive, ``Susi`` is in 0.7% of them, ``Anies`` in 1.1%, ``Jakarta``
in 2.4% and ``Indonesia`` (of a tagger-made name, ``Indonesia Anita Nirody``) in 5%."""


STORY_MIN = 0.15
"""Least cosine of two articles' titles for a lone name that nothing settles to be one person in both (``Truk
Terguling di Tanjakan Emen, Satu Tewas`` and ``Truk Terguling di Tanjakan Emen Subang, 1 Orang Meninggal``, an
``Iptu Zainuddin`` in each). On the real archive every pair of articles of one lone name at 0.15 or more was one
person, but for non-names (``au``, ``Toyota``); below 0.12 came two people (``Syarif``, ``Rizky``)
(``docs/results.md``)."""
STORY_NAME_CHARS = 3
"""Least letters of a lone name whose articles are grouped by story."""


def same_story_articles(unsettled: dict, ctx: QuoteContext) -> dict:
    """``(form, article) -> article`` naming one article of each story: the articles of a lone name that nothing
    settled, joined where their titles are on one story (:data:`STORY_MIN`) and the roles there do not conflict.
    The identity pass gives such a name one id per story instead of one per article."""
    out: dict = {}
    for k, by_art in unsettled.items():
        arts = sorted(by_art, key=str)
        if len(k) < STORY_NAME_CHARS or len(arts) < 2:
            continue
        parent = {a: a for a in arts}

        def find(a):
            while parent[a] != a:
                a = parent[a]
            return a

        for i, a in enumerate(arts):
            for b in arts[i + 1 :]:
                if (find(a) != find(b) and not by_art[a].conflicts(by_art[b])
                        and ctx.title_similarity(a, [b]) >= STORY_MIN):
                    parent[max(find(a), find(b), key=str)] = min(find(a), find(b), key=str)
        out.update({(k, a): find(a) for a in arts})
    return out


def max_edits(shorter: str) -> int:
    """Edits (Levenshtein) allowed between spelling variants: 2, and one more per 7 characters beyond 14."""
    return max(2, len(shorter) // 7)


def by_variant(forms, links, groups: Groups, ctx: QuoteContext, join) -> None:
    """Spelling variants of two or more words, joined on the same quotation, the same nickname or similar
    quotations."""
    from rapidfuzz.distance import Levenshtein

    members: dict[str, list[str]] = defaultdict(list)
    for k in forms:
        members[groups.find(k)].append(k)
    for a, b in name_pairs(forms, VARIANT_CHARS):
        ra, rb = groups.find(a), groups.find(b)
        if ra == rb or len(a.split()) != len(b.split()):
            continue
        edits = Levenshtein.distance(a, b, score_cutoff=max_edits(min(a, b, key=len)))
        if edits > max_edits(min(a, b, key=len)) or _profile(forms, members[ra]).conflicts(
            _profile(forms, members[rb])
        ):
            continue
        small, big = sorted((a, b), key=lambda k: (forms[k].rows, k))
        shared = ctx.shared_quotations(members[ra], members[rb])
        nick = _same_nickname(a, b, links)
        if shared:
            evidence, detail = "same quotation", f"{a} ~ {b}: {len(shared)} quotation(s) of both, {shared[0]}"
        elif nick:
            evidence, detail = "same nickname", f"{a} ~ {b} ({edits} edits): articles call both {nick}"
        else:
            sim = ctx.similarity(ctx.group_bag(members[ra]), ctx.group_bag(members[rb]))
            story = _same_story(forms, members[ra], members[rb], ctx) if edits == 1 and min(
                len(a), len(b)) >= LONG_VARIANT_CHARS else 0.0
            if sim >= TOPIC_MIN:
                evidence, detail = "similar quotations", f"{a} ~ {b} ({edits} edits), quotations' cosine {sim:.2f}"
            elif story >= TITLE_MIN:
                evidence, detail = "same story", f"{a} ~ {b} (one edit), titles' cosine {story:.2f}"
            else:
                continue
        if groups.find(small) != groups.find(big):
            join(small, big, evidence, detail)
            merged = members.pop(ra, []) + members.pop(rb, [])
            members[groups.find(big)] = merged


def _same_story(forms, a: list[str], b: list[str], ctx: QuoteContext) -> float:
    """The best cosine of the title of an article of one group with the titles of the other's articles."""
    arts_a = {x for k in a for x in forms[k].articles}
    arts_b = {x for k in b for x in forms[k].articles}
    return max((ctx.title_similarity(x, arts_b - {x}) for x in arts_a), default=0.0)


def _named_in_title(k: str, names: list[str], title: str, ctx: QuoteContext) -> bool:
    """Does the title give the full name, or another rare word of it (``Menteri Susi`` for a lone
    ``Pudjiastuti``)?"""
    if any(len(o.split()) > 1 and f" {o} " in title for o in names):
        return True
    words = {w for o in names if len(o.split()) > 1 for w in o.split()} - {k}
    most = max(2, TITLE_WORD_SHARE * len(ctx.titles))
    return any(
        len(w) >= 4 and w not in NOT_NAME_WORDS and f" {w} " in title and ctx.title_count(w) <= most
        for w in words
    )


def _same_nickname(a: str, b: str, links) -> str | None:
    """A one-word form that articles give both names and that is no word of either (``Ibas`` for ``Edhie`` and
    ``Eddy Baskoro Yudhoyono``)."""
    words = set(a.split()) | set(b.split())
    both = [n for n, to in links.items() if len(n.split()) == 1 and n not in words and a in to and b in to]
    return min(both) if both else None


def _profile(forms, keys) -> Profile:
    p = Profile()
    for k in keys:
        p.update(forms[k].profile)
    return p


def by_honorific(forms, links, groups: Groups, join) -> None:
    """``Kang Emil``: an honorific before the one nickname articles give a person."""
    index = word_index(forms)
    for k in sorted(forms):
        words = k.split()
        if len(words) != 2 or words[0] not in NICKNAME_HONORIFICS:
            continue
        alias = words[1]
        by_link: dict[str, set] = defaultdict(set)
        for t, arts in links.get(alias, {}).items():
            if t in forms:
                by_link[groups.find(t)] |= arts
        if not by_link:
            continue
        best, n, total = dominant_link(by_link)
        linked = [t for t in links[alias] if t in forms and groups.find(t) == best]
        if n / total < LINK_SHARE or any(alias in t.split() for t in linked):
            continue  # not linked to one person, or a word of the name (a short form, not a nickname)
        if {groups.find(o) for o in longer_names(alias, index)} - {best, groups.find(k)}:
            continue  # ``Emil`` of another person's name (``Emil Dardak``): the nickname is not unique
        target = max(linked, key=lambda t: (len(links[alias][t]), t))
        if groups.find(k) == best or forms[k].profile.conflicts(forms[target].profile):
            continue
        join(k, target, "honorific and alias", f"{words[0]} + {alias}: {alias} is {target} in {n} of {total} "
             "linking articles")


def one_word_evidence(index, keys, articles, row_profiles, forms, groups: Groups, row_group, moves: dict,
                      ambiguous: dict[str, set], ctx: QuoteContext, one_link: dict[str, str] | None = None) -> None:
    """The quotations of one-word forms that :func:`~indoquote.archive.name_merges.one_word_rows` left
    unsettled, settled per article, in this order: the same quotation, the article's title, a short form linked
    to one person by one article only (``one_link``) in an article on one of their stories (titles' cosine at
    least :data:`~indoquote.archive.name_context.TITLE_MIN`), the same article (one candidate only), similar
    quotations. A candidate whose role conflicts with the quotations' is never taken."""
    one_link = one_link or {}
    members: dict[str, list[str]] = defaultdict(list)
    for o in forms:
        members[groups.find(o)].append(o)
    profiles = {g: _profile(forms, ks) for g, ks in members.items()}
    in_article: dict = defaultdict(set)  # article -> people quoted in it
    pending: dict[tuple, list] = defaultdict(list)  # (form, article) -> its unsettled rows
    for i, k, art in zip(index, keys, articles):
        in_article[art].add(row_group[i])
        if k in ambiguous and i not in moves:
            pending[(k, art)].append(i)
    bags: dict[str, Counter] = {}
    for (k, art), rows in sorted(pending.items(), key=lambda kv: (kv[0][0], str(kv[0][1]))):
        p = Profile()
        for i in rows:
            p.update(row_profiles[i])
        cands = {g for g in ambiguous[k] if not p.conflicts(profiles[g])}
        move = _same_quotation(k, art, rows, cands, groups, ctx)
        if move is None and art in ctx.titles:
            named = {g for g in cands if _named_in_title(k, members[g], ctx.titles[art], ctx)}
            if len(named) == 1:
                (g,) = named
                move = g, "article title", f"{k} in {art}, whose title names {g}"
        if move is None and one_link.get(k) in cands:
            g = one_link[k]
            sim = ctx.title_similarity(art, {a for o in members[g] for a in forms[o].articles})
            if sim >= TITLE_MIN:
                detail = f"{k} in {art}: one article links it to {g}; titles' cosine {sim:.2f}"
                move = g, "short form, same story", detail
        if move is None and len(ambiguous[k]) == 1 and cands & in_article[art]:
            (g,) = cands
            move = g, "same article", f"{k} in {art}, which quotes {g} too"
        if move is None and cands:
            for g in cands - bags.keys():
                bags[g] = ctx.group_bag(members[g])
            sims = sorted(((ctx.similarity(ctx.article_bags[(k, art)], bags[g]), g) for g in cands), reverse=True)
            best, g = sims[0]
            if best >= TOPIC_MIN and (len(sims) == 1 or sims[1][0] <= TOPIC_MARGIN * best):
                move = g, "similar quotations", f"{k} in {art}: quotations' cosine {best:.2f} (next {_next(sims):.2f})"
        if move is not None:
            for i in rows:
                row_group[i] = move[0]
                moves[i] = move


def _same_quotation(k, art, rows, cands, groups: Groups, ctx: QuoteContext):
    """The one candidate that a quotation of these rows is attributed to in another article."""
    hits: dict[str, str] = {}
    for i in rows:
        cid = ctx.row_cluster.get(i)
        if cid is None:
            continue
        for other, arts in ctx.clusters[cid].items():
            g = groups.find(other)
            if other != k and g in cands and arts - {art}:
                hits.setdefault(g, cid)
    if len(hits) != 1:
        return None
    ((g, cid),) = hits.items()
    return g, "same quotation", f"{k} in {art}: quotation {cid} is attributed to {g} elsewhere"


def _next(sims: list) -> float:
    return sims[1][0] if len(sims) > 1 else 0.0


__all__ = [
    "NICKNAME_HONORIFICS",
    "STORY_MIN",
    "by_honorific",
    "by_variant",
    "max_edits",
    "one_word_evidence",
    "same_story_articles",
]
