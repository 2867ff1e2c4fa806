"""Attributions rewritten the hard way, where the answer is known: training data for the linker.

Why: PFSA-ID names most speakers right at the cue (``kata Budi Santoso``), so a
linker learns that the name at the cue is the speaker and little else. Features,
interviews and regional news write ``katanya``, ``kata dia`` or ``kata politikus
itu`` instead, and the speaker is someone named sentences before. A quotation whose
cue names a speaker that the article has named earlier can be rewritten into those
forms and keep its known speaker; the linker then learns from the rewritten
document, tagged by the checkpoint as any other.

:func:`rewrite_attributions` rewrites one document (words and gold tags) and
returns the new words with the gold ``(start, end, speaker)`` of every quotation,
in character offsets of the words joined by single spaces.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Sequence

FORMS = ("nya", "dia", "description")


@dataclass
class Rewritten:
    """A rewritten document: its words and gold quotations, and how many attributions were rewritten."""

    words: list[str]
    gold: list[tuple[int, int, str | None]]
    rewritten: int


def _word_index(words: Sequence[str]) -> dict[int, int]:
    """Character offset of each word's start in ``" ".join(words)`` -> the word's index."""
    out, pos = {}, 0
    for i, w in enumerate(words):
        out[pos] = i
        pos += len(w) + 1
    return out


def _description(role: str | None) -> list[str] | None:
    """``Menteri Keuangan`` -> ``menteri itu``: the role's head word, lower-cased, and a demonstrative."""
    if not role or not role.split()[0].isalpha():
        return None
    return [role.split()[0].lower(), "itu"]


def rewrite_attributions(
    words: Sequence[str], tags: Sequence[str], rate: float = 0.5, seed: int = 0, only_rewritten: bool = False
) -> Rewritten:
    """``words`` with a share ``rate`` of the rewritable attributions rewritten, and every quotation's gold.

    ``only_rewritten``: the other quotations' speakers are None in the gold (``tags`` predicted, not gold: only the
    name at a rewritten cue is sure).

    Rewritable: the cue is one word right before the name of a speaker the document names earlier
    (``"...," kata Budi Santoso``). The cue and name become ``katanya``, ``kata dia`` or
    ``kata menteri itu`` (the role's head word), chosen at random (seeded).
    """
    from ..quotes.attribute import records_from_words

    rng = random.Random(seed)
    records = records_from_words(words, tags)
    index = _word_index(words)
    replace: dict[int, tuple[int, list[str]]] = {}  # first word -> (words replaced, new words)
    sure: set[int] = set()  # the records rewritten
    for r in records:
        if r.cue is None or r.speaker is None or r.cue.label != "CUE" or r.cue.start < r.end:
            continue
        named = [m for m in r.spans if m.label in ("PERSON", "PERSONCOREF") and m.start == r.cue.end + 1
                 and m.text[:1].isupper()]  # the name at the cue (PFSA-ID tags a short name PERSONCOREF)
        cue = index.get(r.cue.start)
        if cue is None or not named:
            continue
        end = index.get(named[0].end + 1, len(words))
        last = r.speaker.split()[-1]
        if last not in words[: index.get(r.start, 0)] or rng.random() >= rate:  # the reader must know them already
            continue
        form = rng.choice(FORMS)
        said = words[cue]
        if form == "nya":
            new = [said + "nya"]
        elif form == "dia":
            new = [said, "dia"]
        else:
            desc = _description(r.role)
            new = [said, *desc] if desc else [said + "nya"]
        replace[cue] = (end - cue, new)
        sure.add(id(r))
    out: list[str] = []
    moved: dict[int, int] = {}  # old word index -> new word index
    i = 0
    while i < len(words):
        moved[i] = len(out)
        if i in replace:
            n, new = replace[i]
            out += new
            i += n
        else:
            out.append(words[i])
            i += 1
    starts, pos = [], 0
    for w in out:
        starts.append(pos)
        pos += len(w) + 1
    gold = []
    for r in records:
        a, b = index.get(r.start), index.get(r.end + 1, len(words))
        if a is None or a not in moved:
            continue
        na = moved[a]
        nb = moved.get(b, len(out))
        speaker = r.speaker if not only_rewritten or id(r) in sure else None
        gold.append((starts[na], starts[nb - 1] + len(out[nb - 1]), speaker))
    return Rewritten(out, gold, len(replace))

