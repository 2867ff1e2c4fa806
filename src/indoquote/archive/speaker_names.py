"""Speaker names compared across an archive: the canonical form, offices, ranks, and what a role says.

The identity pass (:mod:`indoquote.archive.identity`) compares names by
:func:`canon` (accents, case, punctuation, honorifics such as ``Ir.`` and
``H.``, leading ranks and degrees after a comma set aside), keeps offices
(``Menpora``) apart with :func:`is_office`, and lets roles and affiliations
(:class:`Profile`) agree or disagree before two forms are merged.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Sequence

from ..text.lexicon import (
    CUE_STEMS,
    INSTITUTION_WORDS,
    OPENING_VERBS,
    ORGANISATION_WORDS,
    PREPOSITIONS,
    SENTENCE_WORDS,
    SHORT_TITLES,
    TITLE_WORDS,
)

TITLES_OF_ADDRESS = frozenset(
    "buya abuya ustad ustazah ustadzah kiyai nyai habib syaikh syeikh syech teungku tgk datuk datok mbah abah romo "
    "pastor pendeta pdt bhante biksu almarhum almarhumah alm almh".split()
)
"""Religious and regional titles of the same kind as ``Gus`` and ``Kiai``: ``Buya Syafii`` is Ahmad Syafii Maarif,
``Mbah Moen`` Maimun Zubair; ``Datuk``, ``Romo``, ``Pendeta``, ``Almarhum``. Titles that are also surnames or name
words (``Kang``, ``Bang``, ``Cak``) are :data:`NICKNAME_HONORIFICS`; noble titles written as part of a name
(``Teuku``, ``Tengku``, ``Andi``) stay in the name."""
HONORIFICS = frozenset(
    "dr drs dra prof ir h hj kh haji hajjah pak bu bapak ibu bung mas mbak tuan nyonya sdr saudara ustaz ustadz "
    "ust kiai kyai gus syekh raden".split()
) | TITLES_OF_ADDRESS
"""Words before a name that are no part of it (compared without dots: ``Ir.`` is ``ir``)."""
NICKNAME_HONORIFICS = frozenset("kang akang bang abang cak uda uni teh daeng bli om kak koh neng ning".split())
"""Words of address before a nickname (``Kang Emil``, ``Cak Imin``, ``Bang Yos``) that :func:`canon` keeps:
``Kang`` is also a Korean surname (``Kang Daniel``)."""
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
MID_NAME_WORDS = frozenset("hakim laksamana perdana utama".split())
"""Office and rank words that are also words inside names (``Lukman Hakim Saifuddin``, ``Gandjar Laksamana
Bonaprapta``, ``Rizky Perdana``): they cut a name only at its start or after another office word (``Majelis Hakim
Sutrisno``, ``Direktur Utama``), not after a name word."""
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
EXPERT_WORDS = frozenset("ahli pakar pengamat".split())
"""At the start of a role, one role: ``Pakar hukum``, ``ahli`` and ``Pengamat hukum`` are what articles call one
legal expert (``Staf Ahli`` is another)."""
ROLE_OPENERS = (SENTENCE_WORDS | PREPOSITIONS | CUE_STEMS | OPENING_VERBS | frozenset(
    "adapun bahkan selain menurut namun sementara sedangkan dan atau serta pula lagi juga pun adalah ialah yaitu "
    "yakni merupakan sebagaimana seperti katanya ujarnya selanjutnya berikutnya kemudian lalu apalagi terlebih "
    "padahal walaupun walau karena sehingga maka jadi senada diakui dijelaskan dikatakan diceritakan "
    "disampaikan".split()
)) - ROLE_WORDS
"""Words that open a sentence or a clause. The tagger sometimes reads one into a role (``Adapun Sekretaris``,
"as for the Secretary"): :meth:`Profile.add` drops them from the start of a role, so that it does not conflict
with ``Sekretaris``."""
GLUED_VERBS = frozenset(CUE_STEMS) - {"tanya"}
"""Speech verbs the tagger sometimes glues before a name (``..., sambung Darmin`` read as ``Sambung Darmin``):
:func:`canon` drops one at the start of a longer name. ``Tanya`` is also a given name."""
ROLE_WITH_AFFILIATION = True
"""For a lone name word (:meth:`Profile.agrees` ``specific``), a role word agrees with a word of the other's
affiliation: ``Kepala Bappenas`` is the ``Kepala`` of ``Bappenas`` (the tagger splits a title between the two)."""
NON_NAME_SUFFIX = "nya"
NON_NAME_CHARS = 7
"""A one-word speaker of this many letters or more ending in ``-nya`` ("his", "her", "its") is a word the tagger
read as a name (``Kemarahannya``, "her anger"; ``Dirinya``, ``Menariknya``): no person. Shorter ones are given
names (``Sonya``, ``Tanya``, ``Vanya``)."""


# ------------------------------------------------------------------ names


def canon(name: str) -> str:
    """A name compared across articles: accents, case, punctuation, honorifics, leading ranks, degrees dropped."""
    text = unicodedata.normalize("NFKD", str(name)).split(",")[0]
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"['’`‘]", "", text)
    words = re.sub(r"[^\w\s-]|_", " ", text).replace("-", " ").split()
    cut = max((i for i, w in enumerate(words[:-1]) if w in CUT_WORDS and not _inside_name(words, i)), default=-1)
    if all(w in OFFICE_WORDS for w in words):
        cut = -1  # ``Menteri Keuangan``: an office, kept whole
    words = words[cut + 1 :]  # ``Polda Metro Jaya Kombes Pol Argo Yuwono``: the name after the last office word
    if len(words) > 1 and words[0] in GLUED_VERBS:
        words = words[1:]  # ``Sambung Darmin``: a speech verb glued before the name
    while len(words) > 1 and (words[0] in HONORIFICS or words[0] in RANKS):
        words = words[1:]
    return " ".join(words)


def _inside_name(words: Sequence[str], i: int) -> bool:
    """Is ``words[i]`` an office word inside a name (``lukman hakim saifuddin``, :data:`MID_NAME_WORDS`)?"""
    return words[i] in MID_NAME_WORDS and i > 0 and words[i - 1] not in OFFICE_WORDS and words[i - 1] not in RANKS


def canon_words(text: str) -> str:
    """Running text (a title) in the words of :func:`canon`, with nothing cut: ``Shandy Aulia Ingin ...`` ->
    ``shandy aulia ingin ...``."""
    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"['’`‘]", "", text)
    return " ".join(re.sub(r"[^\w\s-]|_", " ", text).replace("-", " ").split())


def slug(text: str) -> str:
    """The readable stem of a speaker id: ``joko-widodo``."""
    return re.sub(r"[^a-z0-9]+", "-", canon(text)).strip("-") or "x" + hashlib.sha1(text.encode()).hexdigest()[:8]


def is_non_name(key: str) -> bool:
    """Is this canonical form a word the tagger read as a name (``kemarahannya``, :data:`NON_NAME_CHARS`)?"""
    return " " not in key and len(key) >= NON_NAME_CHARS and key.endswith(NON_NAME_SUFFIX)


def is_office(key: str) -> bool:
    """Is this canonical form only an office (``menpora``, ``kapolres bogor`` is not: ``bogor`` is no office word)?"""
    return all(w in OFFICE_WORDS for w in key.split())


def person_like(short: Sequence[str], long: Sequence[str]) -> bool:
    """Is ``long`` a person's fuller name around ``short``, not ``Kabinet Joko Widodo``?"""
    extra = [w for i, w in enumerate(long) if not _inside_name(long, i)]
    for w in short:
        if w in extra:
            extra.remove(w)
    return not any(w in NOT_NAME_WORDS for w in extra)


def is_run(short: Sequence[str], long: Sequence[str]) -> bool:
    n = len(short)
    return n < len(long) and any(list(long[i : i + n]) == list(short) for i in range(len(long) - n + 1))


_OLD_SPELLING = (("dj", "\x00"), ("tj", "c"), ("sj", "sy"), ("nj", "ny"), ("ch", "kh"), ("oe", "u"))


def modern_spelling(word: str) -> str:
    """A name word written in the spelling before 1972 (EYD), in today's: ``soekarno`` -> ``sukarno``,
    ``brodjonegoro`` -> ``brojonegoro``, ``diposandjojo`` -> ``diposanjoyo``, ``tjahjo`` -> ``cahyo``.

    A lone ``j`` is read as ``y`` only in a word with another mark of the old spelling: ``Juli`` and ``Yuli``
    are two names today."""
    marked = any(old in word for old, _ in _OLD_SPELLING)
    for old, new in _OLD_SPELLING:
        word = word.replace(old, new)
    if marked:
        word = word.replace("j", "y")
    return word.replace("\x00", "j")


def same_in_old_spelling(a: Sequence[str], b: Sequence[str]) -> bool:
    """Are two names the same, word by word, once old spellings are read in today's (``Nadia Diposandjojo``,
    ``Nadia Diposanjoyo``)? Each word is equal, or one is the other in the old spelling, or both are one word's."""
    if len(a) != len(b) or list(a) == list(b):
        return False
    return all(x == y or modern_spelling(x) in (y, modern_spelling(y)) or modern_spelling(y) == x for x, y in zip(a, b))


def initials_match(a: Sequence[str], b: Sequence[str]) -> bool:
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
        """Ranks (``AKBP``, ``Kombes``) are left out: many officers share one; so are words that open a sentence
        at the start of a role (:data:`ROLE_OPENERS`)."""
        for part in _parts(role):
            words = [SHORT_TITLES.get(w, w) for w in part.split() if w not in RANKS]
            while words and words[0] in ROLE_OPENERS:
                words = words[1:]
            if words and words[0] in EXPERT_WORDS:
                words[0] = "pakar"
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
    def specific(self) -> set[str]:
        """The roles with a word beyond :data:`GENERIC_ROLE_WORDS`: ``Wakil Ketua`` alone is held in every DPRD,
        party and commission, so two people called that agree on nothing."""
        return {r for r in self.roles if set(r.split()) - GENERIC_ROLE_WORDS}

    @property
    def aff_words(self) -> set[str]:
        """The words of the affiliations (``Bappenas`` of ``Kepala``, ``Bappenas``), as role words are compared."""
        return {w for a in self.affs for w in re.findall(r"\w+", a) if len(w) >= 3} - GENERIC_ROLE_WORDS

    @property
    def known(self) -> bool:
        return bool(self.roles or self.affs)

    def agrees(self, other: Profile, specific: bool = False) -> str | None:
        """What the two share (a role, an affiliation, a role word), or None. ``specific``: a role made only of
        generic words is no agreement (for a lone name word, where the role is the only evidence)."""
        roles = (self.specific & other.specific) if specific else (self.roles & other.roles)
        shared = roles or (self.affs & other.affs) or (self.words & other.words)
        if not shared and specific and ROLE_WITH_AFFILIATION:  # ``Kepala Bappenas`` and ``Kepala``, ``Bappenas``
            shared = (self.words & other.aff_words) | (self.aff_words & other.words)
        return sorted(shared)[0] if shared else None

    def conflicts(self, other: Profile) -> bool:
        """Both have a role with a specific word and nothing agrees (an affiliation alone, ``UU KPK``, is too loose
        to keep two apart; so is a role made only of generic words, ``Anggota`` beside ``Anggota Komisi III``)."""
        return bool(self.specific) and bool(other.specific) and self.agrees(other) is None


def _parts(value: object) -> list[str]:
    if value is None or (isinstance(value, float) and value != value):
        return []
    return [" ".join(p.casefold().split()) for p in str(value).split(", ") if re.search(r"\w", p)]


__all__ = [
    "EXPERT_WORDS",
    "GENERIC_ROLE_WORDS",
    "GLUED_VERBS",
    "HONORIFICS",
    "MID_NAME_WORDS",
    "NICKNAME_HONORIFICS",
    "OFFICE_WORDS",
    "RANKS",
    "ROLE_OPENERS",
    "ROLE_WITH_AFFILIATION",
    "TITLES_OF_ADDRESS",
    "Profile",
    "canon",
    "canon_words",
    "initials_match",
    "is_non_name",
    "is_office",
    "is_run",
    "modern_spelling",
    "person_like",
    "same_in_old_spelling",
    "slug",
]
