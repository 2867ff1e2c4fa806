"""An office quoted in an article that names no holder: the holder the archive names in the same days.

:mod:`indoquote.archive.office_merges` joins an office quotation (``kata Menpora``) to its holder only where the
article names the holder. A media researcher counting who is quoted expects more: on 10 September 2019 the
Menpora was Imam Nahrawi, whether or not the award ceremony's article says so. But an office changes hands
(Imam Nahrawi resigned on 19 September 2019 and Hanif Dhakiri took the office over), so the archive's own
dated evidence decides, and only where it names one holder:

- only for offices of one holder in the country at a time, written as the Indonesian short title of a minister
  (``Menpora``, ``Menag``, ``Wapres``: :func:`one_holder_office`), never for an office held in every district
  (``Kapolres``, ``Jaksa``, ``Hakim``) or one any country has (``Presiden``, ``Menteri Luar Negeri``);
- the holder is the one person whom the archive, in articles dated at most :data:`PERIOD_DAYS` days from the
  quotation's article, quotes with a role naming the office (its affiliation read with it: ``Menteri``,
  ``Perindustrian (Menperin)``) or links the office to, or that an office quotation was joined to by its
  article. Two such people in that window (an office changing hands), or none, and the office keeps its id;
- an office of another country is no evidence (``Menpora Malaysia: ...``, a role naming a foreign place), nor is
  a former holder (``mantan Menpora``); a person the archive calls a former holder on or before the quotation's
  date is no holder then.

The evidence is ``office holder in period``; its detail names the window and the articles.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from ..text.lexicon import PLACE_WORDS
from .name_merges import Groups
from .office_merges import FILLER, FORMER, read_out
from .speaker_names import Profile, is_office

PERIOD_DAYS = 7
"""Most days between the quotation's article and an article naming the holder: a week either side. Ministers
change rarely, but the wider the window, the likelier it spans a change (or a foreign namesake's visit)."""
HOME = frozenset("indonesia ri republik".split())
"""Place words of the country's own offices (``Menteri Agama Republik Indonesia``)."""
DATE_COLUMNS = ("date", "published", "published_at", "publish_date", "pubdate", "datetime", "timestamp", "time")
"""Columns of an article's date, found by name (the report finds its date column among these too)."""


def one_holder_office(key: str) -> bool:
    """Is ``key`` a short title of a national office with one holder at a time (``menpora``, ``wapres``), with a
    portfolio (not ``menteri`` alone)?"""
    words = read_out(key).split()
    if " " in key or not is_office(key) or words == [key]:
        return False
    if words[:2] == ["wakil", "menteri"]:
        words = words[1:]
    return words == ["wakil", "presiden"] or (words[0] == "menteri" and len(words) > 1)


def day(value: object) -> date | None:
    """The date of an article (``2019-09-10``, a timestamp, a datetime), or None where it cannot be read."""
    import pandas as pd

    try:
        stamp = pd.Timestamp(value)
    except (ValueError, TypeError):
        return None
    return None if pd.isna(stamp) else stamp.date()


def _words(text: str) -> set[str]:
    return {w for part in text.split() for w in read_out(part).split()} - FILLER


def names_in_role(profile: Profile, key: str) -> str | None:
    """How the profile names the office ``key`` as its holder's (a role, or a role read with an affiliation:
    ``Menteri`` and ``Perindustrian (Menperin)``), or None; a role of another country or a former one is none."""
    need = _words(key)
    for role in profile.roles or {""}:
        for aff in profile.affs | {""}:
            said = f"{role} {aff.casefold()}".strip()
            words = _words(" ".join(said.replace("(", " ").replace(")", " ").split()))
            if need <= words and not words & FORMER and not (words & PLACE_WORDS) - HOME:
                return said
    return None


def former_in_role(profile: Profile, key: str) -> bool:
    """Does a role call its holder a former holder of ``key`` (``mantan Menpora``)?"""
    need = _words(key)
    return any(need <= (w := _words(r)) and w & FORMER for r in profile.roles)


def foreign_title(key: str, title: str) -> bool:
    """Does the title (in canonical words, space-padded) name the office of another country (``menpora
    malaysia``)?"""
    return any(f" {s} {p} " in title for s in (key, read_out(key)) for p in PLACE_WORDS - HOME)


def period_rows(index, keys, articles, dates, row_profiles, links, groups: Groups, row_group, moves: dict,
                titles: dict | None = None) -> None:
    """Move each office quotation that its article settled not (:func:`~indoquote.archive.office_merges.
    office_rows`) to the one holder the archive names within :data:`PERIOD_DAYS` days (``office holder in
    period``)."""
    titles = titles or {}
    index, keys, articles = list(index), list(keys), list(articles)
    when = {art: day(d) for art, d in zip(articles, dates)}
    art_of = dict(zip(index, articles))
    pending: dict = defaultdict(list)  # office key -> its unsettled rows
    evidence: dict = defaultdict(list)  # office key -> (day, group, article, how)
    former: dict = defaultdict(dict)  # office key -> group -> first day called a former holder
    offices = {k for k in set(keys) if one_holder_office(k)}
    if not offices:
        return
    for i, k, art in zip(index, keys, articles):
        d = when.get(art)
        if d is None:
            continue
        if k in offices and i not in moves:
            pending[k].append(i)
            continue
        g = row_group[i]
        if not isinstance(g, str) or (is_office(k) and i not in moves):
            continue
        for o in offices:
            if foreign_title(o, titles.get(art, "")):
                continue
            if is_office(k) and k == o:
                evidence[o].append((d, g, art, "an office quotation its article gives them"))
            elif (said := names_in_role(row_profiles[i], o)) is not None:
                evidence[o].append((d, g, art, f"role {said}"))
            elif former_in_role(row_profiles[i], o):
                former[o][g] = min(d, former[o].get(g, d))
    for o in offices:
        for t, arts in links.get(o, {}).items():
            if not is_office(t):
                evidence[o] += [(when[a], groups.find(t), a, "linked") for a in arts
                                if when.get(a) and not foreign_title(o, titles.get(a, ""))]
    for k, rows in pending.items():
        for i in rows:
            d = when[art_of[i]]
            near = [e for e in evidence[k] if abs((e[0] - d).days) <= PERIOD_DAYS]
            near = [e for e in near if not (e[1] in former[k] and former[k][e[1]] <= d)]
            people = {e[1] for e in near}
            if len(people) != 1:
                continue
            (g,) = people
            arts = sorted({e[2] for e in near})
            days = sorted({e[0] for e in near})
            row_group[i] = g
            many = "s" * (len(arts) > 1)
            moves[i] = g, "office holder in period", (
                f"{k} on {d}: the archive names one holder within {PERIOD_DAYS} days, {g} ({len(arts)} article{many}, "
                f"{days[0]}..{days[-1]}, e.g. {near[0][2]}: {near[0][3]})"
            )


__all__ = ["DATE_COLUMNS", "HOME", "PERIOD_DAYS", "day", "foreign_title", "names_in_role", "one_holder_office",
           "period_rows"]
