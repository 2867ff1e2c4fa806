"""Who is who across an archive: one ``speaker_id`` per person over every article and outlet.

The tagger resolves a speaker within one article (:mod:`indoquote.quotes.speakers`):
``Presiden Joko Widodo (Jokowi) ... kata Jokowi`` gives ``speaker = Joko Widodo``
and ``speaker_forms = Joko Widodo | Jokowi``. Across articles the same person still
has several names (``Jokowi`` alone in the next article, ``Sri Mulyani`` and
``Sri Mulyani Indrawati``, ``Ir. H. Joko Widodo``), and two people can share one
(``Widodo``). :func:`resolve_speakers` merges name forms only on evidence, and
keeps that evidence, so every merge can be read back (:class:`Merge`):

1. ``alias table``: an optional CSV (:mod:`indoquote.archive.alias_table`; ``id,name,aliases``,
   e.g. from Wikidata, ``bench/wikidata_aliases.py``) wins over everything below;
   its ids are kept (``speaker_qid``) and two of its people are never merged.
2. ``same name``: equal after case, accents, punctuation, honorifics (``Ir.``,
   ``H.``, ``Prof.``), leading ranks and degrees after a comma are set aside.
3. ``initials``: ``M. Tito Karnavian`` is the one ``Muhammad Tito Karnavian``.
4. ``article alias`` / ``article short form``: articles that write both forms
   for one person (``speaker_forms``, and the per-article linking of
   :func:`indoquote.archive.article_speakers.cluster_speakers`); a form is merged with the name
   it is linked to in at least two thirds of its articles.
5. ``only longer name``: a form of two or more words that is a run of words of
   exactly one longer name (``Tito Karnavian``), when their roles do not disagree.
6. ``similar spelling``: rapidfuzz ratio >= :data:`~indoquote.archive.name_merges.FUZZY_MIN`, only where the
   role or affiliation agrees (``Syafrin Liputo`` / ``Syafrin Lipoto``, both
   ``Kepala Dinas Perhubungan``).
7. ``old spelling`` (``Diposandjojo`` / ``Diposanjoyo``), and spaces set aside (``Dwikorita`` / ``Dwi Korita``).
8. Evidence beyond the name (:mod:`indoquote.archive.evidence_merges`, :mod:`indoquote.archive.name_context`):
   a spelling variant or a lone name word joins on the ``same quotation`` in another article, the ``same
   nickname``, ``similar quotations``, the ``article title`` or the ``same article``; ``Kang Emil`` joins the
   person whose nickname is ``Emil`` (``honorific and alias``); a common word glued before a name (``Performa
   Rossi``) joins the name its articles' titles give (``glued word``, :mod:`indoquote.archive.title_names`).

One-word forms (``Jokowi``, ``Anies``, ``Widodo``) are never merged as forms:
each quotation joins a person on its own evidence (:func:`indoquote.archive.name_merges.one_word_rows`): the
one candidate whose role matches its role (``short form, by role``), else the name
the articles link the form to, else the only longer name, never a candidate whose
role disagrees, never a longer name on its own (an archive whose only longer
Andre is ``Andre Soelistyo`` still has other Andres). A quotation of a form that
has candidates but that none of these settles gets an id of its own article
(``bambang~3f2a1c``, marked ``ambiguous``): one id for every unresolved ``Bambang``
would merge different people. A one-word form with no candidate at all
(``Wiranto``) is one person. A form that is only an office
(``Menpora``, ``Kapolres``) is never merged: offices change hands; only its quotations in an article that
quotes or links its one holder join that holder (``office holder``, :mod:`indoquote.archive.office_merges`),
and those of a minister's short title (``Menag``) whose article names no one join the one holder the archive
names within a week of its date (``office holder in period``, :mod:`indoquote.archive.office_periods`).
A lone word whose article's title gives it beside another person's name word (``Tangis Bima Aryo``) is kept off
the best-known holder of the word. A word the tagger read as a name (``Kemarahannya``) gets no id. Two people with
the same full name and different roles are not told apart (the alias table can
tell them apart only by their names); that limit is written in ``docs/archives.md``.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable, Sequence

from .alias_table import AliasEntry, alias_index
from .article_speakers import cluster_speakers
from .evidence_merges import by_honorific, by_variant, one_word_evidence, same_story_articles
from .name_context import TITLE_COLUMNS, QuoteContext
from .name_merges import (
    Groups,
    NameForm,
    by_articles,
    by_initials,
    by_joined_words,
    by_longer_name,
    by_old_spelling,
    by_spelling,
    by_table,
    one_word_rows,
)
from .office_merges import office_rows
from .office_periods import DATE_COLUMNS, period_rows
from .speaker_names import Profile, canon, is_non_name, is_office, slug
from .title_names import GLUED, by_glued_word, keep_off, lower_case_words

if TYPE_CHECKING:
    import pandas as pd

FORM_SEP = " | "
"""Separator of the ``speaker_forms`` column."""


@dataclass(frozen=True)
class Merge:
    """One name form joined to a person, and why (``evidence`` is a key of
    :data:`indoquote.archive.name_merges.EVIDENCE`)."""

    speaker_id: str
    form: str
    evidence: str
    detail: str
    quotations: int


@dataclass
class Identities:
    """The outcome: ``row_ids`` (index of the rows given -> speaker_id), one row per person, the merges."""

    row_ids: pd.Series
    people: pd.DataFrame  # speaker_id, name, speaker_qid, forms, quotations, articles, role, affiliation, ambiguous
    merges: list[Merge] = field(default_factory=list)


def resolve_speakers(
    rows: pd.DataFrame, aliases: Sequence[AliasEntry] = (), long_ids: pd.Series | None = None
) -> Identities:
    """A ``speaker_id`` for every row with a speaker (columns ``article_id``, ``speaker``; ``speaker_forms``,
    ``role``, ``affiliation``, ``quote`` when present), the people, and every merge with its evidence.

    ``long_ids`` are the rows' :func:`~indoquote.archive.quote_clusters.text_clusters`, where already computed.
    """
    import pandas as pd

    from .quote_clusters import text_clusters

    has = rows["speaker"].notna() & (rows["speaker"].astype(str).str.strip() != "")
    has &= ~rows["speaker"].map(lambda s: isinstance(s, str) and is_non_name(canon(s)))  # ``Kemarahannya``: no one
    att = rows[has]
    person = cluster_speakers(att) if not att.empty else pd.Series(dtype=object)
    keys = person.map(canon)
    table = alias_index(aliases)
    forms: dict[str, NameForm] = defaultdict(NameForm)
    row_profiles: dict = {}
    links: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    written: dict[str, Counter] = defaultdict(Counter)  # key -> spellings the articles give it (speaker_forms)
    roles = att["role"] if "role" in att.columns else pd.Series(None, index=att.index, dtype=object)
    affs = att["affiliation"] if "affiliation" in att.columns else pd.Series(None, index=att.index, dtype=object)
    given = att["speaker_forms"] if "speaker_forms" in att.columns else pd.Series(None, index=att.index, dtype=object)
    for i, art, speaker, key, role, aff, fs in zip(
        att.index, att["article_id"], att["speaker"], keys, roles, affs, given
    ):
        f = forms[key]
        f.rows += 1
        f.articles.add(art)
        f.spelled[" ".join(str(speaker).split())] += 1
        p = Profile()
        p.add(role, aff)
        f.profile.update(p)
        row_profiles[i] = p
        own = canon(speaker)
        if own != key:
            links[own][key].add(art)  # linked within the article (article_speakers.cluster_speakers)
        for other in fs.split(FORM_SEP) if isinstance(fs, str) else []:
            k = canon(other)
            if k and k != key:
                links[k][key].add(art)
                written[key][" ".join(other.split())] += 1
    groups = Groups(forms, table)
    log: dict[str, tuple[str, str]] = {}  # key -> (evidence, detail) of the merge that brought it in

    def join(a: str, b: str, evidence: str, detail: str) -> None:
        if evidence != "alias table" and (is_office(a) or is_office(b)):
            return  # an office (``Menpora``) is held by one person after another
        if groups.union(a, b):
            log.setdefault(a, (evidence, detail))

    by_table(forms, table, join)
    by_initials(forms, join)
    by_joined_words(forms, groups, join)
    by_old_spelling(forms, groups, join)
    by_articles(forms, links, groups, join)
    by_spelling(forms, groups, join)
    by_longer_name(forms, groups, join)
    if "quote" in att.columns:
        cids = long_ids.reindex(att.index) if long_ids is not None else text_clusters(att["quote"].tolist())
        title = next((c for c in TITLE_COLUMNS if c in att.columns), None)
        ctx = QuoteContext.build(att.index, keys, att["article_id"], att["quote"], cids,
                                 att[title] if title else None)
    else:
        ctx, title = QuoteContext(), None
    lower = raw = None
    if title is not None:
        raw = dict(zip(att["article_id"], att[title]))
        lower = lower_case_words([*att["quote"], *raw.values()])
        by_glued_word(forms, groups, ctx.titles, lower_case_words(att["quote"]), join)  # ``Performa Rossi``
    by_variant(forms, links, groups, ctx, join)
    by_honorific(forms, links, groups, join)
    row_group = {i: groups.find(k) for i, k in zip(att.index, keys)}
    moves, ambiguous, one_link = one_word_rows(att.index, keys, att["article_id"], row_profiles, forms, links, groups,
                                               row_group)
    one_word_evidence(att.index, keys, att["article_id"], row_profiles, forms, groups, row_group, moves, ambiguous,
                      ctx, one_link)
    if title is not None:  # ``Tangis Bima Aryo ...``: the lone ``Bima`` there is not the coach Bima Sakti
        members: dict = defaultdict(list)
        for k in forms:
            members[groups.find(k)].append(k)
        keep_off(att.index, keys, att["article_id"], raw, lower, members, groups, row_group, moves)
    office_rows(att.index, keys, att["article_id"], row_profiles, forms, links, groups, row_group, moves, ctx.titles)
    if (day_column := next((c for c in DATE_COLUMNS if c in att.columns), None)) is not None:
        period_rows(att.index, keys, att["article_id"], att[day_column], row_profiles, links, groups, row_group,
                    moves, ctx.titles)
    stories = (ctx, row_profiles)
    return _finish(rows.index, att, keys, forms, groups, table, log, row_group, moves, ambiguous, written, stories)


def _finish(
    all_index, att, keys, forms, groups: Groups, table, log, row_group, moves, ambiguous, written, stories=None
) -> Identities:
    import pandas as pd

    members: dict = defaultdict(list)
    for k in forms:
        members[groups.find(k)].append(k)
    unsettled: dict = defaultdict(lambda: defaultdict(Profile))  # form -> article -> profile of its rows there
    for i, g in row_group.items():
        k = keys[i]
        if k in ambiguous and g == groups.find(k) and members[g] == [k]:
            unsettled[k][att.at[i, "article_id"]].update(stories[1][i] if stories else Profile())
    story = same_story_articles(unsettled, stories[0]) if stories else {}
    for i, g in list(row_group.items()):  # ``Bambang`` that nothing settles: one person per story, not one for all
        k = keys[i]
        if k in unsettled and g == groups.find(k):
            art = att.at[i, "article_id"]
            row_group[i] = (g, story.get((k, art), art))
            members[row_group[i]] = [k]
    rows_of: dict = defaultdict(list)
    for i, g in row_group.items():
        rows_of[g].append(i)
    ids: dict = {}
    names: dict = {}
    used: Counter = Counter()
    for g in sorted(members, key=lambda g: (-len(rows_of.get(g, ())), str(g))):
        tid = groups.tid.get(g) if isinstance(g, str) else None
        best = max(members[g], key=lambda k: (log.get(k, ("",))[0] != GLUED, len(k.split()) > 1, forms[k].rows,
                                              len(k), k))  # ``Awalnya Barbie`` names no one
        name = next((table[k].name for k in members[g] if k in table and table[k].id == tid), None) if tid else None
        names[g] = name or forms[best].spelled.most_common(1)[0][0]
        stem = slug(names[g])
        if not isinstance(g, str):
            stem += "~" + hashlib.sha1(str(g[1]).encode("utf-8")).hexdigest()[:6]
        used[stem] += 1
        ids[g] = stem if used[stem] == 1 else f"{stem}-{used[stem]}"
    row_ids = pd.Series([None] * len(all_index), index=all_index, dtype=object)
    for i, g in row_group.items():
        row_ids.at[i] = ids[g]
    merges: list[Merge] = []
    moved: dict = defaultdict(lambda: defaultdict(list))
    for i, (g, evidence, detail) in moves.items():
        moved[g][(keys[i], evidence)].append(detail)
    people = []
    column = {c: dict(zip(att.index, att[c])) for c in ("article_id", "role", "affiliation") if c in att.columns}
    for g, ks in members.items():
        rows = rows_of.get(g, [])
        if not rows:
            continue
        spelled = Counter()
        for k in ks:
            spelled.update(forms[k].spelled)
            spelled.update(written.get(k, {}))
        merges += _form_merges(ids[g], names[g], ks, forms, log)
        for (k, evidence), details in moved.get(g, {}).items():
            detail = Counter(details).most_common(1)[0][0]
            merges.append(Merge(ids[g], forms[k].spelled.most_common(1)[0][0], evidence, detail, len(details)))
        people.append(
            {
                "speaker_id": ids[g],
                "name": names[g],
                "speaker_qid": groups.tid.get(g) if isinstance(g, str) else None,
                "forms": FORM_SEP.join(sorted(set(spelled) - {names[g]}, key=lambda s: (-spelled[s], s))),
                "quotations": len(rows),
                "articles": len({column["article_id"][i] for i in rows}),
                "role": _top(column["role"][i] for i in rows) if "role" in column else None,
                "affiliation": _top(column["affiliation"][i] for i in rows) if "affiliation" in column else None,
                "ambiguous": not isinstance(g, str),
            }
        )
    columns = [
        "speaker_id",
        "name",
        "speaker_qid",
        "forms",
        "quotations",
        "articles",
        "role",
        "affiliation",
        "ambiguous",
    ]
    table_ = pd.DataFrame(people, columns=columns).sort_values(["quotations", "speaker_id"], ascending=[False, True])
    merges.sort(key=lambda m: (m.speaker_id, -m.quotations, m.form))
    return Identities(row_ids, table_.reset_index(drop=True), merges)


def _form_merges(sid: str, name: str, ks: list[str], forms: dict[str, NameForm], log) -> list[Merge]:
    """Why each spelling of the person other than ``name`` is theirs."""
    out = []
    for k in ks:
        top = forms[k].spelled.most_common(1)[0][0]
        if k in log:
            out.append(Merge(sid, top, *log[k], forms[k].spelled[top]))
        for spelling, n in forms[k].spelled.items():
            if spelling != name and not (k in log and spelling == top):
                out.append(Merge(sid, spelling, "same name", f"{spelling} = {k}", n))
    return out  # forms only written beside the name (``speaker_forms``) carry no quotation: listed in ``forms``


def _top(values: Iterable) -> str | None:
    """The most frequent title of several rows (``"Menteri, Jubir"`` counts as two)."""
    parts = [p for v in values if isinstance(v, str) for p in v.split(", ") if re.search(r"\w", p)]
    return Counter(parts).most_common(1)[0][0] if parts else None


__all__ = ["FORM_SEP", "Identities", "Merge", "resolve_speakers"]
