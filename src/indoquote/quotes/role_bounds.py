"""Where a title's role ends and its organisation begins, corrected after the first cut (issue #33).

:mod:`indoquote.quotes.roles` cuts a title into role and affiliation from the tagger's labels and the word
lists of :mod:`indoquote.quotes.title_words`. Those lists cannot know every organisation's name, so the
article is asked instead: a name it also writes on its own (``... sepanjang sejarah Pupuk Indonesia``,
``bersama Mandiri Sekuritas``) is an organisation, and the title before it is the role
(``SVP Strategi Penjualan dan Pelayanan Pelanggan`` / ``Pupuk Indonesia``). The other corrections follow
the convention of ``docs/annotation-format.md``: a title that goes on after a party's board is kept whole
(``Ketua DPP PDIP Bidang Ideologi dan Kaderisasi`` / ``PDIP``), a lower-case tail is a description, not an
organisation (``psikolog klinis anak dan remaja``), and a legal team's client stays in the role
(``Ketua Tim Hukum Keluarga Almarhum ...``).
"""

from __future__ import annotations

import re
from typing import Sequence

from ..text.lexicon import PLACE_WORDS, is_acronym
from .title_words import ORG_STARTS, SUB_UNITS, name_word, org_start

BOARDS = frozenset("dpp dpw dpd dpc".split())
"""A party's boards: part of the organisation (``Ketua`` / ``DPW PDIP Sulsel``)."""

REGION_WORDS = frozenset("kota kabupaten kab. provinsi kecamatan desa kelurahan".split())
"""Words that start a region's name (``Kota Tangerang``)."""

CLIENT_HEADS = frozenset("hukum pengacara advokat".split())
"""A role that a client follows (``Tim Hukum Keluarga ...``, ``Pengacara Rina``): the client is no organisation."""


def known_name_cut(text: str, role: list[str], org: list[str]) -> tuple[list[str], list[str]]:
    """Move the cut to where a name the article also writes on its own starts (the longest such name); an
    organisation already cut off at an acronym or an organisation word (``Ditreskrimsus Polda Riau``) only grows.

    The name must start with a capitalised name word or an acronym, not be places only, and be written somewhere
    with a different word before it than in the title (``PT Pupuk Indonesia``, ``sejarah Pupuk Indonesia``)."""
    words = role + org
    named = bool(org) and (is_acronym(org[0]) or org_start(org[0]))
    for k in range(1, len(role) if named else len(words)):  # an organisation already cut off only grows
        tail = words[k:]
        if not (name_word(tail[0]) or is_acronym(tail[0])) or _place(tail):
            continue
        if _written_alone(text, words[k - 1], tail):
            return words[:k], tail
    return role, org


def acronym_cut(role: list[str], org: list[str], aliases: Sequence[str]) -> tuple[list[str], list[str]]:
    """``Ketua Dewan Pengawas Road Safety Association (RSA) Indonesia``: the words whose initials spell an inline
    acronym are the organisation's name, so it starts there (``Ketua Dewan Pengawas`` / ``Road Safety Association
    Indonesia``); the acronym of the title itself (``General Manager (GM)``) starts at the first word and moves
    nothing."""
    words = role + org
    for short in aliases:
        letters = [c for c in short if c.isalpha()]
        if not is_acronym(short) or len(letters) < 2:
            continue
        for k in range(1, len(words) - len(letters) + 1):
            run = [w for w in words[k : k + len(letters)]]
            if "".join(w[0] for w in run).upper() == "".join(letters).upper() and all(w[:1].isupper() for w in run):
                return words[:k], words[k:]
    return role, org


def _place(words: Sequence[str]) -> bool:
    """``Indonesia``, ``Kota Tangerang``: a place, not an organisation."""
    return words[0].casefold() in REGION_WORDS or all(w.casefold() in PLACE_WORDS for w in words)


def _written_alone(text: str, before: str, tail: Sequence[str]) -> bool:
    """Is ``tail`` written in ``text`` as whole words, once at least after another word than ``before``?"""
    pattern = r"(\S*)\s+" + r"\s+".join(re.escape(w) for w in tail) + r"(?![\w-])"
    return any(m.group(1).strip("\"'“”‘’(,.") != before for m in re.finditer(pattern, text))


def party_unit(role: list[str], org: list[str]) -> tuple[list[str], list[str]]:
    """``Ketua`` / ``DPP PDIP Bidang Ideologi dan Kaderisasi``: a unit after the party's board keeps the title
    whole, and the party alone is the affiliation (``PDIP``)."""
    if len(org) < 3 or org[0].casefold() not in BOARDS:
        return role, org
    unit = next((u for u in range(2, len(org)) if org[u].casefold() in SUB_UNITS and org[u][:1].isupper()), None)
    return (role, org) if unit is None else (role + org, org[1:unit])


def description_tail(role: list[str], org: list[str]) -> tuple[list[str], list[str]]:
    """``psikolog`` / ``klinis anak dan remaja``: a tail with no capitalised word, acronym or number names no
    organisation; it goes on describing the role (``partai oposisi`` stays: ``partai`` starts an organisation)."""
    if role and org and org[0].casefold() not in ORG_STARTS and not any(w[:1].isupper() or w[:1].isdigit()
                                                                        for w in org):
        return role + org, []
    return role, org


def for_client(role: Sequence[str]) -> bool:
    """Does the role act for a client (``Tim Hukum``, ``Pengacara``), whose name (``(ADP)`` its initials) is no
    organisation?"""
    return any(w.casefold() in CLIENT_HEADS for w in role)


def client_tail(role: list[str], org: list[str]) -> tuple[list[str], list[str]]:
    """``Ketua Tim Hukum`` / ``Keluarga Almarhum Arya Daru``: after a legal role the name is the client, kept in the
    role; an organisation (an acronym or an organisation word: ``Tim Hukum`` / ``PDIP``) stays the affiliation."""
    if role and org and role[-1].casefold() in CLIENT_HEADS and not is_acronym(org[0]) \
            and org[0].casefold() not in ORG_STARTS:
        return role + org, []
    return role, org
