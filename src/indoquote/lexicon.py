"""Words of Indonesian news attribution, shared by the rule baseline and the quote records.

Speech verbs (``kata``, ``ujar``... and ``katanya``), title words (``Sekjen``,
``Menteri``...), reporting verbs and pronouns: one list each, so the baseline and
the product read a speaker the same way.
"""

from __future__ import annotations

CUE_STEMS = frozenset(
    "kata ujar ucap tutur jelas ungkap tegas lanjut imbuh tambah papar terang sebut "
    "pungkas tandas tulis tanya".split()
)
"""Speech verbs in their short (base) form; with ``-nya`` they are CUECOREF."""

ROLE_WORDS = frozenset(
    "presiden wakil wapres menteri menko sekjen sekretaris jenderal ketua umum kepala direktur "
    "utama eksekutif dirut gubernur bupati wali juru bicara jubir kapolri kapolda kapolres "
    "panglima rektor dekan peneliti pengamat anggota komisioner koordinator camat lurah "
    "manajer ceo sekda kadis".split()
)
"""Words of a speaker's title (``Sekjen``, ``Juru Bicara``, ``Wali Kota`` -> ``wali``...)."""

REPORTING_VERBS = frozenset(
    "mengatakan menyatakan menyampaikan menuturkan menambahkan menjelaskan menilai mengungkapkan "
    "mengemukakan menyebutkan menegaskan berpendapat memaparkan menerangkan".split()
)
"""Verbs of ``Sekjen NATO Jens Stoltenberg mengatakan , ...``, the usual way a speaker is introduced."""

PRONOUNS = frozenset({"dia", "ia", "beliau"})
NOT_NAMES = frozenset(
    "Senin Selasa Rabu Kamis Jumat Sabtu Minggu Januari Februari Maret April Mei Juni Juli "
    "Agustus September Oktober November Desember".split()
)


def cue_label(word: str) -> str | None:
    """``kata`` -> CUE, ``katanya`` -> CUECOREF, anything else -> None."""
    w = word.lower()
    if w in CUE_STEMS:
        return "CUE"
    if w.endswith("nya") and w[:-3] in CUE_STEMS:
        return "CUECOREF"
    return None
