"""Which words can be part of a title, and which never can (issue #33): the word lists and word tests that
:mod:`indoquote.quotes.roles` assembles roles and affiliations with.

Kept apart from the assembly because they judge single words, as :mod:`indoquote.quotes.names` does for names.
"""

from __future__ import annotations

import re

from ..text.lexicon import (
    CUE_STEMS,
    OPENING_VERBS,
    PORTFOLIO_WORDS,
    PREPOSITIONS,
    RANKS,
    ROLE_WORDS,
    SENTENCE_WORDS,
    SHORT_TITLES,
    TITLE_WORDS,
    cue_label,
    is_acronym,
)
from .records import TITLE_LABELS

OPENERS = SENTENCE_WORDS | PREPOSITIONS | CUE_STEMS | OPENING_VERBS | frozenset(
    "bahkan selain menurut namun sementara sedangkan langkah hal upaya kebijakan keputusan pernyataan sikap "
    "dan atau serta tersebut itu ini pula lagi juga sendiri pun adalah ialah yaitu yakni merupakan "
    "sebagaimana seperti kepada kata ujar katanya ujarnya selanjutnya berikutnya sebelumnya kemudian lalu "
    "apalagi terlebih padahal walaupun walau biarpun karena sebab akibat sehingga maka jadi toh".split()
)
"""Words that open a sentence or a clause (``Bahkan``, ``Selain``, ``Menurut``, ``Langkah``): never a role alone,
and never the first word of one."""

HONORIFICS = (RANKS - ROLE_WORDS - frozenset(SHORT_TITLES) - frozenset(
    "mendag mensos menkes menlu menhan menkeu mendagri menpan mentan wamentan wamen wamenlu kemenko kapuspen "
    "kabareskrim danrem dandim pj plt plh politikus politisi pengacara kuasa hukum juru pelatih coach pemain "
    "raja ratu kanselir perdana jaksa hakim kasat humas kabid kasubdit kasie kasi dansatgas".split()
)) | frozenset("pol purn h. hj. dr. ir. prof. drs. inf info".split())
"""Ranks and honorifics written before a name (``AKBP``, ``Kombes Pol``, ``Dr``): neither role nor name."""

ORG_STARTS = frozenset(
    "polda polres polresta polrestabes polsek polri mabes kodim korem kodam pemkot pemkab pemprov pemda kementerian "
    "kemenko kemenkeu kemendag kemenkes kemendagri badan dinas dewan komisi partai dpp dpw dpc dpd dprd dpr mpr "
    "universitas institut sekolah pt bank lembaga yayasan asosiasi perkumpulan persatuan ikatan himpunan gabungan "
    "forum gerakan serikat komunitas kantor direktorat ditreskrimsus ditreskrimum ditlantas divisi biro pengadilan "
    "kejaksaan "
    "kejari kejati kejagung mahkamah klub gugus satgas".split()
)
"""Words that start an organisation's name: where an untagged title is cut into role and affiliation."""

KEEP_WHOLE = frozenset({"menteri", "menko", "wamen"} | {k for k in SHORT_TITLES if k.startswith(("men", "wamen"))})
"""Heads whose portfolio is part of the title (``Menteri Badan Usaha Milik Negara``, ``Menteri BUMN``): never split."""

REGIONAL_HEADS = frozenset(
    "gubernur wagub bupati wabup wali walikota wawali camat lurah kapolda wakapolda kapolres wakapolres kapolresta "
    "kapolrestabes kapolsek kajati kajari danrem dandim pangdam kasdam kuasa pengacara advokat".split()
)
"""Heads followed by a region, a country or a client, not an organisation (``Bupati Serang``, ``Presiden Ukraina``,
``Kuasa hukum Puput Sudrajat``): the capitalised words after them stay in the role."""

HEADS_OF_STATE = frozenset("presiden wapres kanselir raja ratu perdana".split())
"""Heads followed by their country (``Presiden Ukraina``) or by an organisation (``Presiden IBCSD``)."""

KINSHIP = frozenset(
    "anak istri suami ayah ibunda ayahanda kakak adik putra putri cucu menantu mertua keponakan sepupu pacar "
    "kekasih".split()
)
"""Kinship is not a role (``Anak Doddy Sudrajat``, ``istri Wahyu``): the annotation guidelines give null."""

ROLE_NOUNS = frozenset(
    "presenter pembawa penyanyi vokalis gitaris drummer aktris aktor artis pedangdut komedian pelawak musisi "
    "sutradara produser penulis wartawan jurnalis koresponden pengamat pakar ahli analis ekonom peneliti psikolog "
    "dokter perawat advokat bos manajer pelatih kapten gelandang penyerang striker kiper bek pemain atlet pebalap "
    "pembalap petinju youtuber selebgram influencer desainer pengusaha petani nelayan pedagang guru dosen mahasiswa "
    "siswa warga saksi tersangka terdakwa korban pejabat staf karyawan direktur deputi head ceo cfo coo svp vp "
    "chairman founder pendiri komisaris sekretaris bendahara koordinator kordinator".split()
)
"""Nouns that start a title or a description though no name follows them in the title lexicon (``Presenter
Surya Insomnia``, ``Prakirawan``-like jobs): a written title may start with one."""

HEAD_PREFIXES = frozenset("mantan eks wakil plt plh pj".split())
"""Words before a head that leave it the head (``Mantan Menteri``, ``Wakil Menteri``)."""

SUB_UNITS = frozenset("komisi fraksi bidang bagian seksi subdit subbag tim".split())
"""Units inside an organisation: with their name they stay in the role when the organisation follows
(``Wakil Ketua Komisi VI`` / ``DPR RI``, ``Ketua Fraksi PKB-PPP`` / ``DPRD DKI Jakarta``)."""

TITLE_JOINERS = frozenset("dan & dalam luar urusan bidang".split())
"""Lower-case words inside a written title (``Menteri Pariwisata dan Ekonomi Kreatif``, ``Menteri dalam Negeri``)."""


def name_word(word: str) -> bool:
    """A capitalised word that is no title, portfolio, unit or numeral: part of an organisation's name."""
    w = word.casefold()
    return word[:1].isupper() and not is_acronym(word) and w not in TITLE_WORDS and w not in PORTFOLIO_WORDS \
        and w not in SUB_UNITS and not re.fullmatch(r"[IVXL]+|\d+", word)


def org_start(word: str) -> bool:
    """Does an organisation's name start here? (an acronym, an organisation word, a ministry ``Kemen...``)"""
    w = word.casefold()
    if w in SHORT_TITLES or re.fullmatch(r"[IVXL]+", word):
        return False
    return is_acronym(word) or ((word[:1].isupper() or w == "partai") and w in ORG_STARTS) or w.startswith("kemen")


def is_opener(word: str) -> bool:
    return word.casefold().strip(".,") in OPENERS or bool(cue_label(word))


def starts_title(word: str, label: str | None) -> bool:
    """May an untagged written title start here? (a title word, ``Mantan``/``Wakil``, or a tagged word)."""
    w = word.casefold()
    known = w in TITLE_WORDS or w in ROLE_NOUNS or w in HEAD_PREFIXES or w in SHORT_TITLES
    return label in TITLE_LABELS or known or word.startswith("(")


def is_honorific(word: str) -> bool:
    return word.casefold().strip("()") in HONORIFICS or word.casefold() in HONORIFICS


def is_alias(text: str) -> bool:
    words = text.split()
    return len(words) == 1 and (words[0].casefold() in SHORT_TITLES or words[0].casefold() in TITLE_WORDS)


BOUND_WORDS = frozenset("juru kuasa wakil mantan eks plt plh pj".split())
"""Words that need the next one (``Juru`` of ``Juru bicara``, ``Kuasa`` of ``Kuasa hukum``): alone, a fragment."""

GLUED = re.compile(r"(?<=[a-z])(?=[A-Z][a-z])|(?<=[a-z]\.)(?=[A-Z])|(?<=[A-Z]\.)(?=[A-Z][a-z])")
"""Where two words meet with no space in scraped text (``KirstenKlub``, ``BPBD.Ketua``)."""


def split_glued(word: str) -> list[str]:
    """``BPBD.Ketua`` -> ``BPBD.``, ``Ketua``: a headline or a sentence run into the next with no space between is two
    words, so a title never starts inside a glued word."""
    return [w for w in GLUED.split(word) if w]


def is_fragment(word: str, tagged: bool) -> bool:
    """A one-word role that cannot stand alone: a sentence word, a portfolio without its head (``Keuangan``), a rank
    or honorific (``Dr``, ``H``), a word that needs the next (``Juru``), or, untagged, a capitalised word that is no
    title (``Langkah`` opening the sentence)."""
    w = word.casefold()
    if is_opener(word) or w in PORTFOLIO_WORDS or is_honorific(word) or is_honorific(word + ".") or w in BOUND_WORDS:
        return True
    known = w in TITLE_WORDS or w in ROLE_NOUNS or w in SHORT_TITLES or is_acronym(word)
    return not tagged and not known


def is_role(text: str | None) -> bool:
    """Could ``text`` be a role at all (not empty, not a sentence word, a preposition or a bare fragment)?"""
    words = [w for w in (text or "").split() if any(c.isalnum() for c in w)]
    if not words or all(is_opener(w) for w in words):
        return False
    return not (len(words) == 1 and is_fragment(words[0], tagged=True))
