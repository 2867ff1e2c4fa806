"""Who is who across an archive: one ``speaker_id`` per person over every article and outlet.

The tagger resolves a speaker within one article (:mod:`indoquote.speakers`):
``Presiden Joko Widodo (Jokowi) ... kata Jokowi`` gives ``speaker = Joko Widodo``
and ``speaker_forms = Joko Widodo | Jokowi``. Across articles the same person still
has several names (``Jokowi`` alone in the next article, ``Sri Mulyani`` and
``Sri Mulyani Indrawati``, ``Ir. H. Joko Widodo``), and two people can share one
(``Widodo``). :func:`resolve_speakers` merges name forms only on evidence, and
keeps that evidence, so every merge can be read back (:class:`Merge`):

1. ``alias table``: an optional CSV (:func:`read_aliases`; ``id,name,aliases``,
   e.g. from Wikidata, ``bench/wikidata_aliases.py``) wins over everything below;
   its ids are kept (``speaker_qid``) and two of its people are never merged.
2. ``same name``: equal after case, accents, punctuation, honorifics (``Ir.``,
   ``H.``, ``Prof.``), leading ranks and degrees after a comma are set aside.
3. ``initials``: ``M. Tito Karnavian`` is the one ``Muhammad Tito Karnavian``.
4. ``article alias`` / ``article short form``: articles that write both forms
   for one person (``speaker_forms``, and the per-article linking of
   :func:`indoquote.who_quoted.cluster_speakers`); a form is merged with the name
   it is linked to in at least two thirds of its articles.
5. ``only longer name``: a form of two or more words that is a run of words of
   exactly one longer name (``Tito Karnavian``), when their roles do not disagree.
6. ``similar spelling``: rapidfuzz ratio >= :data:`FUZZY_MIN`, only where the
   role or affiliation agrees (``Syafrin Liputo`` / ``Syafrin Lipoto``, both
   ``Kepala Dinas Perhubungan``).

One-word forms (``Jokowi``, ``Anies``, ``Widodo``) are never merged as forms:
each quotation joins a person on its own evidence (:func:`_one_word_rows`): the
one candidate whose role matches its role (``short form, by role``), else the name
the articles link the form to, else the only longer name, never a candidate whose
role disagrees, never a longer name on its own (an archive whose only longer
Andre is ``Andre Soelistyo`` still has other Andres). A quotation of a form that
has candidates but that none of these settles gets an id of its own article
(``bambang~3f2a1c``, marked ``ambiguous``): one id for every unresolved ``Bambang``
would merge different people. A one-word form with no candidate at all
(``Wiranto``) is one person. A form that is only an office
(``Menpora``, ``Kapolres``) is never merged: offices change hands. Two people with
the same full name and different roles are not told apart (the alias table can
tell them apart only by their names); that limit is written in ``docs/archives.md``.
"""

from __future__ import annotations

import csv
import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Sequence

from .lexicon import INSTITUTION_WORDS, ORGANISATION_WORDS, SHORT_TITLES, TITLE_WORDS

if TYPE_CHECKING:
    import pandas as pd

HONORIFICS = frozenset(
    "dr drs dra prof ir h hj kh haji hajjah pak bu bapak ibu bung mas mbak tuan nyonya sdr saudara ustaz ustadz "
    "ust kiai kyai gus syekh raden".split()
)
"""Words before a name that are no part of it (compared without dots: ``Ir.`` is ``ir``)."""
RANKS = frozenset(
    "aiptu ajun akbp akp bharada brigadir brigjen bripda bripka briptu inspektur ipda iptu irjen jenderal kolonel "
    "kombes komisaris komjen kompol kopral laksamana laksda laksma letda letjen letkol letnan lettu marsda marsekal "
    "marsma mayjen mayor pratu purn purnawirawan serka sersan sertu kapten pol tni".split()
)
"""Police and military ranks: set aside before a name, and no evidence that two officers are one."""
GENERIC_ROLE_WORDS = frozenset(
    "ketua wakil kepala anggota direktur sekretaris jenderal umum utama pelaksana tugas plt plh staf ahli koordinator "
    "manajer bidang bagian divisi deputi asisten seksi kasi kabid juru bicara jubir humas mantan calon eks bekas tim "
    "kuasa hukum pengacara menurut selain bagi kata ujar kepada dalam sebagai dan di dari untuk pada yang ke the of "
    "pelaksana tugas".split()
)
"""Role words too common to show that two roles agree (``Ketua DPR`` and ``Ketua KPK``)."""
OFFICE_WORDS = (
    TITLE_WORDS
    | frozenset(SHORT_TITLES)
    | INSTITUTION_WORDS
    | frozenset(
        "pelaksana tugas menkumham menkopolhukam menkopolkam menkominfo mendikbud mendiknas menristekdikti menristek "
        "menpupr menparekraf menpar menkop menakertrans menpanrb menlhk mensesneg seskab kapolsek kasatreskrim "
        "kasatlantas kabareskrim karopenmas kadiv dirjen kadishub kadisdik kalaksa kajari kajati kejari kejati".split()
    )
)
"""A form made only of these (``Menpora``, ``Kapolres``) names an office, held by one person after another:
never merged."""
NOT_NAME_WORDS = ORGANISATION_WORDS | OFFICE_WORDS | frozenset("kabinet era rezim kubu pemerintahan timnas".split())
"""Words that make a longer form no person's name (``Kabinet Joko Widodo``): no shorter name joins it."""
NAME_LIKE = frozenset("hari raja ratu anak agung sumber daya tata islam putra putri bintang hidup".split())
"""Office or organisation words that are also parts of names (``Hari Tanoesoedibjo``, ``Anak Agung``)."""
CUT_WORDS = frozenset(w for w in (NOT_NAME_WORDS | RANKS) - HONORIFICS - NAME_LIKE if len(w) >= 3)
"""A name read from the tagger starts after the last of these (``Polda Metro Jaya Kombes Pol Argo Yuwono``)."""
ROLE_WORDS = (
    TITLE_WORDS
    | frozenset(SHORT_TITLES)
    | frozenset(
        "dirjen dirut direktur kadis kabag kapolsek kapolda kapolres kasat kanit kades kadishub walikota "
        "danramil pangdam "
        "kasad kasal kasau ceo founder pendiri pemilik artis aktris aktor penyanyi komedian presenter atlet pebulu "
        "pebulutangkis petenis pembalap striker kiper gelandang bek kapten ekonom analis dosen guru dokter "
        "advokat aktivis "
        "ulama uskup duta dubes konsul bendahara senator legislator caleg capres cawapres saksi korban "
        "tersangka terdakwa "
        "kuasa sekjen sekda pakar ahli komisioner komisaris manajer produser sutradara penulis pengusaha".split()
    )
)
"""A role read from the tagger counts as evidence only when it holds one of these (``Menurut`` or ``Bagi``
is no role)."""
FUZZY_MIN = 90
VARIANT_MIN = 85
"""Least ratio of the candidates of a one-word form for them to count as spellings of one name (``Edhie`` /
``Eddy Baskoro Yudhoyono`` for ``Ibas``)."""
"""Least rapidfuzz ``ratio`` (0-100) of two spellings merged when their roles agree."""
LINK_SHARE = 2 / 3
"""Share of a form's linking articles that must link it to one name for the form to join that name."""
FORM_SEP = " | "
"""Separator of the ``speaker_forms`` column."""

EVIDENCE = {
    "alias table": "listed in the alias table",
    "same name": "the same name once case, accents, honorifics, ranks and degrees are set aside",
    "initials": "initials of the longer name",
    "article alias": "an article gives both names for one person",
    "article short form": "articles use it as the short form of the name",
    "only longer name": "a run of words of exactly one longer name, roles not disagreeing",
    "similar spelling": "a spelling within the fuzzy threshold, with the same role or affiliation",
    "short form, by role": "a one-word form of several people, given to the one whose role matches",
}
"""Every kind of evidence a merge can rest on, as the report explains it."""


class AliasError(ValueError):
    """A bad alias table: names the file, line and field."""


@dataclass(frozen=True)
class AliasEntry:
    id: str
    name: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Merge:
    """One name form joined to a person, and why (``evidence`` is a key of :data:`EVIDENCE`)."""

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


# ------------------------------------------------------------------ names


def canon(name: str) -> str:
    """A name compared across articles: accents, case, punctuation, honorifics, leading ranks, degrees dropped."""
    text = unicodedata.normalize("NFKD", str(name)).split(",")[0]
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"['’`‘]", "", text)
    words = re.sub(r"[^\w\s-]|_", " ", text).replace("-", " ").split()
    cut = max((i for i, w in enumerate(words[:-1]) if w in CUT_WORDS), default=-1)
    if all(w in OFFICE_WORDS for w in words):
        cut = -1  # ``Menteri Keuangan``: an office, kept whole
    words = words[cut + 1 :]  # ``Polda Metro Jaya Kombes Pol Argo Yuwono``: the name after the last office word
    while len(words) > 1 and (words[0] in HONORIFICS or words[0] in RANKS):
        words = words[1:]
    return " ".join(words)


def slug(text: str) -> str:
    """The readable stem of a speaker id: ``joko-widodo``."""
    return re.sub(r"[^a-z0-9]+", "-", canon(text)).strip("-") or "x" + hashlib.sha1(text.encode()).hexdigest()[:8]


def is_office(key: str) -> bool:
    """Is this canonical form only an office (``menpora``, ``kapolres bogor`` is not: ``bogor`` is no office word)?"""
    return all(w in OFFICE_WORDS for w in key.split())


def _person_like(short: Sequence[str], long: Sequence[str]) -> bool:
    """Is ``long`` a person's fuller name around ``short``, not ``Kabinet Joko Widodo``?"""
    extra = list(long)
    for w in short:
        extra.remove(w)
    return not any(w in NOT_NAME_WORDS for w in extra)


def _is_run(short: Sequence[str], long: Sequence[str]) -> bool:
    n = len(short)
    return n < len(long) and any(list(long[i : i + n]) == list(short) for i in range(len(long) - n + 1))


def _initials_match(a: Sequence[str], b: Sequence[str]) -> bool:
    """``m tito karnavian`` ~ ``muhammad tito karnavian``: same length, initials where the other has the word."""
    if len(a) != len(b) or a == b or len(a) < 2:
        return False
    return all(x == y or (len(x) == 1 and y.startswith(x)) or (len(y) == 1 and x.startswith(y)) for x, y in zip(a, b))


# ------------------------------------------------------------------ roles


@dataclass
class Profile:
    """What an archive says a name form or a quotation's speaker is: role strings, affiliations, role words."""

    roles: set[str] = field(default_factory=set)
    affs: set[str] = field(default_factory=set)

    def add(self, role: object, aff: object) -> None:
        """Ranks (``AKBP``, ``Kombes``) are left out: many officers share one."""
        for part in _parts(role):
            words = [SHORT_TITLES.get(w, w) for w in part.split() if w not in RANKS]
            if any(w in ROLE_WORDS for w in " ".join(words).split()):
                self.roles.add(" ".join(words))
        self.affs.update(a for a in _parts(aff) if a not in RANKS)

    def update(self, other: Profile) -> None:
        self.roles |= other.roles
        self.affs |= other.affs

    @property
    def words(self) -> set[str]:
        return {w for r in self.roles for w in r.split()} - GENERIC_ROLE_WORDS

    @property
    def known(self) -> bool:
        return bool(self.roles or self.affs)

    def agrees(self, other: Profile) -> str | None:
        """What the two share (a role, an affiliation, a role word), or None."""
        shared = (self.roles & other.roles) or (self.affs & other.affs) or (self.words & other.words)
        return sorted(shared)[0] if shared else None

    def conflicts(self, other: Profile) -> bool:
        """Both have a role and nothing agrees (an affiliation alone, ``UU KPK``, is too loose to keep two apart)."""
        return bool(self.roles) and bool(other.roles) and self.agrees(other) is None


def _parts(value: object) -> list[str]:
    if value is None or (isinstance(value, float) and value != value):
        return []
    return [" ".join(p.casefold().split()) for p in str(value).split(", ") if re.search(r"\w", p)]


# ------------------------------------------------------------------ alias table


def read_aliases(path: str | Path) -> list[AliasEntry]:
    """``id,name,aliases`` rows (aliases separated by ``|`` or ``;``); a bad row raises :class:`AliasError`."""
    path = Path(path)
    try:
        fh = open(path, newline="", encoding="utf-8-sig")
    except OSError as e:
        raise AliasError(f"{path}: cannot read the alias table ({e.strerror})") from None
    entries: list[AliasEntry] = []
    with fh:
        reader = csv.DictReader(fh)
        missing = {"id", "name"} - set(reader.fieldnames or [])
        if missing:
            raise AliasError(f"{path}: line 1: the header lacks {', '.join(sorted(missing))} (wanted: id,name,aliases)")
        for line, row in enumerate(reader, start=2):
            pid, name = (row.get("id") or "").strip(), (row.get("name") or "").strip()
            if not pid:
                raise AliasError(f"{path}: line {line}: empty id")
            if not canon(name):
                raise AliasError(f"{path}: line {line}: empty name for id {pid}")
            aliases = tuple(a.strip() for a in re.split(r"[|;]", row.get("aliases") or "") if canon(a))
            entries.append(AliasEntry(pid, name, aliases))
    return entries


def _alias_index(entries: Iterable[AliasEntry]) -> dict[str, AliasEntry]:
    """Canonical form -> its entry; a form two entries claim is dropped (neither wins by inference)."""
    index: dict[str, AliasEntry] = {}
    clash: set[str] = set()
    for e in entries:
        for form in (e.name, *e.aliases):
            k = canon(form)
            if k in index and index[k].id != e.id:
                clash.add(k)
            index.setdefault(k, e)
    return {k: v for k, v in index.items() if k not in clash}


# ------------------------------------------------------------------ the pass


class _Groups:
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
class _Form:
    rows: int = 0
    articles: set = field(default_factory=set)
    spelled: Counter = field(default_factory=Counter)
    profile: Profile = field(default_factory=Profile)


def resolve_speakers(rows: pd.DataFrame, aliases: Sequence[AliasEntry] = ()) -> Identities:
    """A ``speaker_id`` for every row with a speaker (columns ``article_id``, ``speaker``; ``speaker_forms``,
    ``role``, ``affiliation`` when present), the people, and every merge with its evidence."""
    import pandas as pd

    from .who_quoted import cluster_speakers

    has = rows["speaker"].notna() & (rows["speaker"].astype(str).str.strip() != "")
    att = rows[has]
    person = cluster_speakers(att) if not att.empty else pd.Series(dtype=object)
    keys = person.map(canon)
    table = _alias_index(aliases)
    forms: dict[str, _Form] = defaultdict(_Form)
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
            links[own][key].add(art)  # linked within the article (who_quoted.cluster_speakers)
        for other in fs.split(FORM_SEP) if isinstance(fs, str) else []:
            k = canon(other)
            if k and k != key:
                links[k][key].add(art)
                written[key][" ".join(other.split())] += 1
    groups = _Groups(forms, table)
    log: dict[str, tuple[str, str]] = {}  # key -> (evidence, detail) of the merge that brought it in

    def join(a: str, b: str, evidence: str, detail: str) -> None:
        if evidence != "alias table" and (is_office(a) or is_office(b)):
            return  # an office (``Menpora``) is held by one person after another
        if groups.union(a, b):
            log.setdefault(a, (evidence, detail))

    _by_table(forms, table, join)
    _by_initials(forms, join)
    _by_articles(forms, links, groups, join)
    _by_spelling(forms, groups, join)
    _by_longer_name(forms, groups, join)
    row_group = {i: groups.find(k) for i, k in zip(att.index, keys)}
    moves, ambiguous = _one_word_rows(att.index, keys, row_profiles, forms, links, groups, row_group)
    return _finish(rows.index, att, keys, forms, groups, table, log, row_group, moves, ambiguous, written)


def _by_table(forms: dict[str, _Form], table: dict[str, AliasEntry], join) -> None:
    first: dict[str, str] = {}
    for k in sorted(forms):
        if k in table:
            e = table[k]
            if e.id in first:
                join(k, first[e.id], "alias table", f"{e.id} ({e.name})")
            else:
                first[e.id] = k


def _by_initials(forms: dict[str, _Form], join) -> None:
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
            if _initials_match(words, o.split()) and not any(len(w) == 1 for w in o.split())
        ]
        agreeing = [o for o in fits if forms[k].profile.agrees(forms[o].profile)]
        if len(fits) == 1:
            join(k, fits[0], "initials", f"{k} ~ {fits[0]}")
        elif len(agreeing) == 1:  # ``M Nasir``, Kasubdit: Muhammad Nasir, the Kasubdit, not Mohamad Nasir
            o = agreeing[0]
            join(k, o, "initials", f"{k} ~ {o}, both {forms[k].profile.agrees(forms[o].profile)}")


def _by_articles(forms, links, groups: _Groups, join) -> None:
    """Names of two or more words that articles write for one person (one-word forms: :func:`_one_word_rows`)."""
    for k in sorted(links):
        if k not in forms or len(k.split()) < 2:
            continue  # a form no quotation names as its speaker is only listed
        by_group = _link_groups(k, links, forms, groups)
        if not by_group:
            continue
        best, n, total = _dominant(by_group)
        target = max(
            (t for t in links[k] if t in forms and groups.find(t) == best), key=lambda t: (len(links[k][t]), t)
        )
        if n / total >= LINK_SHARE and not forms[k].profile.conflicts(forms[target].profile):
            join(k, target, _link_kind(k, target), f"{n} of {total} linking articles, e.g. {sorted(by_group[best])[0]}")


def _link_groups(k: str, links, forms, groups: _Groups) -> dict[str, set]:
    """The groups ``k`` is linked to in articles, with the linking articles."""
    by_group: dict[str, set] = defaultdict(set)
    for t, arts in links.get(k, {}).items():
        if t in forms and groups.find(t) != groups.find(k):
            by_group[groups.find(t)] |= arts
    return by_group


def _dominant(by_group: dict[str, set]) -> tuple[str, int, int]:
    total = sum(len(a) for a in by_group.values())
    best = max(by_group, key=lambda g: (len(by_group[g]), g))
    return best, len(by_group[best]), total


def _link_kind(short: str, target: str) -> str:
    return "article short form" if _is_run(short.split(), target.split()) else "article alias"


def _longer_names(k: str, index: dict[str, set[str]]) -> set[str]:
    """Forms that hold ``k`` as a run of whole words and are a person's fuller name (not ``Kabinet Joko Widodo``)."""
    words = k.split()
    pool = set.intersection(*(index[w] for w in words)) if words else set()
    return {
        o
        for o in pool
        if (_is_run(words, o.split()) or _inner_dropped(words, o.split())) and _person_like(words, o.split())
    }


def _inner_dropped(short: Sequence[str], long: Sequence[str]) -> bool:
    """``Anies Baswedan`` of ``Anies Rasyid Baswedan``: the same first and last words, middle names left out."""
    if len(short) < 2 or len(short) >= len(long) or short[0] != long[0] or short[-1] != long[-1]:
        return False
    it = iter(long)
    return all(w in it for w in short)


def _word_index(forms) -> dict[str, set[str]]:
    index: dict[str, set[str]] = defaultdict(set)
    for k in forms:
        for w in k.split():
            index[w].add(k)
    return index


def _by_longer_name(forms, groups: _Groups, join) -> None:
    """A name of two or more words inside exactly one longer name joins it, roles not disagreeing."""
    index = _word_index(forms)
    for k in sorted(forms, key=lambda k: (-len(k.split()), k)):
        if len(k.split()) < 2:
            continue
        longer = _longer_names(k, index)
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


def _by_spelling(forms, groups: _Groups, join) -> None:
    from rapidfuzz import fuzz

    blocks: dict[str, list[str]] = defaultdict(list)
    for k in forms:
        words = k.split()
        if len(words) >= 2:
            blocks["f:" + words[0]].append(k)
            blocks["l:" + words[-1]].append(k)
    seen: set[tuple[str, str]] = set()
    for block in blocks.values():
        block.sort()
        for i, a in enumerate(block):
            for b in block[i + 1 :]:
                if (a, b) in seen or groups.find(a) == groups.find(b):
                    continue
                seen.add((a, b))
                score = fuzz.ratio(a, b)
                if score < FUZZY_MIN:
                    continue
                shared = forms[a].profile.agrees(forms[b].profile)
                if shared:  # never on the spelling alone: ``Agus Wibowo`` and ``Agus Widodo`` are two people
                    small, big = sorted((a, b), key=lambda k: (forms[k].rows, k))
                    join(small, big, "similar spelling", f"{a} ~ {b} (ratio {score:.0f}), both {shared}")


def _one_word_rows(index, keys, row_profiles, forms, links, groups: _Groups, row_group) -> tuple[dict, set[str]]:
    """Each quotation of a one-word form (``Jokowi``, ``Anies``, ``Widodo``) joins a person on its own evidence.

    The candidates are the names the articles link the form to and the longer names holding it. In order:
    the one candidate whose role or affiliation matches the quotation's; the name the articles link it to in
    two thirds of them, or most where all it is linked to are spellings of one name. Never a candidate whose
    role disagrees, and never a longer name on its own (``Andre`` is not ``Andre Soelistyo`` because the
    archive has no other Andre). A
    quotation none of these settles stays with the form; where the form had several candidates, :func:`_finish`
    gives it an id per article.
    """
    moves: dict = {}
    ambiguous: set[str] = set()
    profiles: dict[str, Profile] = defaultdict(Profile)
    for o in forms:
        profiles[groups.find(o)].update(forms[o].profile)
    words = _word_index(forms)
    cache: dict[str, tuple] = {}
    for i, k in zip(index, keys):
        if len(k.split()) != 1 or is_office(k) or groups.find(k) in groups.tid:
            continue
        if k not in cache:
            by_link = _link_groups(k, links, forms, groups)
            longer = {groups.find(o): o for o in _longer_names(k, words)}
            cands = (set(by_link) | set(longer)) - {groups.find(k)}
            dominant = _dominant(by_link) if by_link else None
            cache[k] = (cands, by_link, longer, dominant)
            if cands:
                ambiguous.add(k)  # ``Andre``, ``Bambang``: a name word of longer names, the quotation settles nothing
        cands, by_link, longer, dominant = cache[k]
        if not cands:
            continue
        p = row_profiles[i]
        fits = {g: shared for g in cands if (shared := p.agrees(profiles[g]))}
        if len(fits) == 1:
            ((g, shared),) = fits.items()
            move = g, ("short form, by role" if len(cands) > 1 else _kind_of(k, g, by_link, longer)), f"both {shared}"
        elif dominant and dominant[1] / dominant[2] >= LINK_SHARE and not p.conflicts(profiles[dominant[0]]):
            g = dominant[0]
            move = (
                g,
                _kind_of(k, g, by_link, longer),
                f"{dominant[1]} of {dominant[2]} linking articles, e.g. {sorted(by_link[g])[0]}",
            )
        elif len(by_link) > 1 and _spellings_of_one(set(by_link)) and not p.conflicts(profiles[dominant[0]]):
            g = dominant[0]  # ``Ibas``, linked to ``Edhie`` and to ``Eddy Baskoro Yudhoyono``: the name linked most
            move = g, _kind_of(k, g, by_link, longer), f"linked to spellings of one name, most to {g}"
        else:
            continue
        row_group[i] = move[0]
        moves[i] = move
    return moves, ambiguous


def _spellings_of_one(cands: set[str]) -> bool:
    """Are the candidate names all spellings of one name (rapidfuzz ratio >= :data:`VARIANT_MIN` pairwise)?

    Nothing is merged on this: the one-word form only keeps one id of its own instead of one per article.
    """
    from rapidfuzz import fuzz

    names = sorted(cands)
    return all(fuzz.ratio(a, b) >= VARIANT_MIN for i, a in enumerate(names) for b in names[i + 1 :])


def _kind_of(k: str, g: str, by_link: dict, longer: dict) -> str:
    if g in by_link:
        return "article short form" if g in longer else "article alias"
    return "only longer name"


def _finish(
    all_index, att, keys, forms, groups: _Groups, table, log, row_group, moves, ambiguous, written
) -> Identities:
    import pandas as pd

    members: dict = defaultdict(list)
    for k in forms:
        members[groups.find(k)].append(k)
    for i, g in list(row_group.items()):  # ``Bambang`` that nothing settles: one person per article, not one for all
        k = keys[i]
        if k in ambiguous and g == groups.find(k) and members[g] == [k]:
            row_group[i] = (g, att.at[i, "article_id"])
            members[row_group[i]] = [k]
    rows_of: dict = defaultdict(list)
    for i, g in row_group.items():
        rows_of[g].append(i)
    ids: dict = {}
    names: dict = {}
    used: Counter = Counter()
    for g in sorted(members, key=lambda g: (-len(rows_of.get(g, ())), str(g))):
        tid = groups.tid.get(g) if isinstance(g, str) else None
        best = max(members[g], key=lambda k: (len(k.split()) > 1, forms[k].rows, len(k), k))
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


def _form_merges(sid: str, name: str, ks: list[str], forms: dict[str, _Form], log) -> list[Merge]:
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


__all__ = [
    "AliasEntry",
    "AliasError",
    "EVIDENCE",
    "FORM_SEP",
    "Identities",
    "Merge",
    "Profile",
    "canon",
    "read_aliases",
    "resolve_speakers",
    "slug",
]
