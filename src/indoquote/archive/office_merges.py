"""An office quoted in an article that names its holder: the quotation is the holder's.

Offices (``Menpora``, ``Kapolres``) are never merged as name forms: one is held by one person after another, and
a researcher wants the office counted when no person is named. But an article often quotes the office in one
sentence (``kata Menpora``) and the holder in another (``Imam Nahrawi, Menteri Pemuda dan Olahraga``). Such an
office quotation joins the person that the same article quotes with a role naming that office, or that the
article links the office to (``Menperin Airlangga Hartarto``), when there is exactly one such person. Elsewhere
the office keeps its id.
"""

from __future__ import annotations

from collections import defaultdict

from ..text.lexicon import SHORT_TITLES
from .name_merges import Groups
from .speaker_names import Profile, is_office

FILLER = frozenset("dan serta &".split())
"""Words a role may hold between the words of an office (``Menteri Pemuda dan Olahraga``)."""
FORMER = frozenset("mantan eks bekas calon".split())
"""A role with one of these names an office its holder does not hold (``mantan Menpora``)."""
MORE_SHORT_TITLES = {
    "menkominfo": "menteri komunikasi informatika", "menkumham": "menteri hukum ham",
    "mendikbud": "menteri pendidikan kebudayaan", "menlhk": "menteri lingkungan hidup kehutanan",
    "menpupr": "menteri pekerjaan umum perumahan rakyat", "menpar": "menteri pariwisata",
    "menristekdikti": "menteri riset teknologi pendidikan tinggi", "mensesneg": "menteri sekretaris negara",
    "menkop": "menteri koperasi", "menparekraf": "menteri pariwisata ekonomi kreatif",
    "menkopolhukam": "menteri koordinator politik hukum keamanan",
}
"""Short titles of ministers that :data:`~indoquote.text.lexicon.SHORT_TITLES` does not read out (the offices of
:data:`~indoquote.archive.speaker_names.OFFICE_WORDS`)."""


def read_out(word: str) -> str:
    """A short title read out (``menpora`` -> ``menteri pemuda olahraga``), any other word as it is."""
    return SHORT_TITLES.get(word) or MORE_SHORT_TITLES.get(word, word)


def office_words(key: str) -> set[str]:
    """The words a role must hold to name the office ``key``: ``menpora`` -> ``menteri pemuda olahraga``."""
    return {w for k in key.split() for w in read_out(k).split()} - FILLER


def names_office(profile: Profile, key: str, loose: bool = False) -> bool:
    """Does one of the roles name the office (all its words, short titles read out), not as a former one?
    ``loose``: a role that is the office said less precisely counts too (``Menteri`` for ``Menperin``)."""
    need = office_words(key)
    for role in profile.roles:
        words = {w for part in role.split() for w in read_out(part).split()} - FILLER
        if words & FORMER:
            continue
        if need <= words or (loose and words and words <= need):
            return True
    return False


def _near(profile: Profile, key: str) -> bool:
    """Does a role share a word with the office (``Menteri Perhubungan`` and ``Menperin``)?"""
    need = office_words(key)
    return any(need & {w for part in r.split() for w in read_out(part).split()} for r in profile.roles)


def office_rows(index, keys, articles, row_profiles, forms, links, groups: Groups, row_group, moves: dict,
                titles: dict | None = None) -> None:
    """Move each office quotation to its article's one holder of the office (evidence ``office holder``).

    The holder is, in this order: the one person the article quotes with a role naming the office, or links the
    office to; else the one person quoted in the article or named in its title (a name of two or more words)
    whose roles elsewhere in the archive name the office (``Imam Nahrawi``, quoted without a role beside
    ``Menpora``); else the one person quoted in the article whose roles elsewhere are the office said less
    precisely (``Airlangga Hartarto``, ``Menteri``, beside ``Menperin``), when no other person quoted there has a
    role sharing a word with the office (``Menteri Perhubungan``)."""
    titles = titles or {}
    people: dict = defaultdict(lambda: defaultdict(Profile))  # article -> person group -> profile of its rows there
    offices: dict = defaultdict(list)  # (office key, article) -> rows
    for i, k, art in zip(index, keys, articles):
        if is_office(k):
            offices[(k, art)].append(i)
        elif isinstance(row_group[i], str):
            people[art][row_group[i]].update(row_profiles[i])
    known: dict = defaultdict(Profile)  # person group -> its roles across the archive
    names: dict = defaultdict(list)  # person group -> its names of two or more words
    for k, f in forms.items():
        if not is_office(k):
            known[groups.find(k)].update(f.profile)
            if len(k.split()) > 1:
                names[groups.find(k)].append(k)
    held = {k: {g for g, p in known.items() if names_office(p, k)} for k, _ in offices}
    loosely = {k: {g for g, p in known.items() if names_office(p, k, loose=True)} for k, _ in offices}
    for (k, art), rows in offices.items():
        linked = {groups.find(t) for t, arts in links.get(k, {}).items() if art in arts and not is_office(t)}
        here = {g for g, p in people[art].items() if names_office(p, k)} | (linked & set(people[art]))
        how = "quotes or links"
        if not here:
            title = titles.get(art, "")
            here = {g for g in held[k] if g in people[art] or any(f" {n} " in title for n in names[g])}
            how = "quotes or names in its title"
        if not here and len(near := {g for g in people[art] if _near(known[g], k)}) == 1:
            here = near & loosely[k]  # one person of that title quoted: ``Menteri`` beside ``Menperin``
            how = "quotes (elsewhere in a role of that office)"
        if len(here) != 1:
            continue
        (g,) = here
        for i in rows:
            row_group[i] = g
            moves[i] = g, "office holder", f"{k} in {art}, which {how} {g}"


__all__ = ["FILLER", "FORMER", "MORE_SHORT_TITLES", "names_office", "office_rows", "office_words", "read_out"]
