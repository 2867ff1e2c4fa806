"""What the linker reads of each candidate speaker: the features the rules compute, and the outright picks.

For one quotation, :func:`candidates` lists every person of the article near it
(:mod:`indoquote.quotes.speakers`) and a *nobody* candidate, each with the cues of
attribution as numbers (a name next to the cue, ``katanya`` after a quotation,
``dia`` right after a new name, the previous speaker going on, a place after ``di``)
and, when the encoder's word states are given, its span vectors
(:mod:`indoquote.quotes.context`). :func:`office_at_cue`, :func:`fresh_subject` and
:func:`named_at_cue` are the few cases a reader settles outright.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from ..text.articles import Token
from ..text.lexicon import INSTITUTION_WORDS, PREPOSITIONS, PRONOUNS, REPORTING_VERBS, SENTENCE_WORDS, SPEECH_VERBS
from .context import candidate_context, cue_vector
from .descriptions import is_anonymous
from .speakers import People, Person, PersonMention

REACH = 3
"""Most tokens between a cue and the mention that names its speaker (``kata Sekjen NATO Jens``)."""
WINDOW = 80
"""Tokens around a quotation where a mention counts as near."""
FRESH_REACH = 2
"""Most sentences between a speech verb's new subject and the quotation it is given (``Dian menambahkan, ... .
Menurut rencana, ... . "...," katanya``)."""

FEATURES = (
    "cue_right", "cue_left", "cue_tagged", "cue_title", "pronoun_recent", "coref_recent", "nocue_recent",
    "previous", "previous_implicit", "rank0", "rank1", "same_sentence", "introduced", "distance",
    "after_only", "preposition", "tagged", "mentions", "unnamed", "dateline", "inside_only",
    "tagged_recent", "tagged_recent_implicit", "speaks_elsewhere", "rules_pick", "cue_chain",
    "speech_subject", "speech_subject_implicit", "speech_subject_fresh",
    "null", "null_nocue", "null_coref", "null_nobody_near",
)


@dataclass
class Quotation:
    """What the linker needs of one quotation: token ranges of the quote and its cue."""

    a: int
    b: int
    cue: tuple[int, int] | None
    coref_cue: bool
    after: int = 0  # token where the previous quotation ended (0: none before)


@dataclass
class Candidate:
    person: Person | None  # None: nobody
    mention: PersonMention | None  # the mention that ties the person to the quotation
    features: list[float]
    context: np.ndarray | None = None  # [3, d] encoder span vectors (indoquote.quotes.context); None: none given


def _recency(people: People, token: int, only: Sequence[bool] | None = None) -> dict[int, int]:
    """Rank (0 = latest) of each person (``only`` those flagged) by their latest mention ending before ``token``."""
    last = {}
    for k, ends in enumerate(people.mention_ends()):
        if (only is None or only[k]) and ends and ends[0] <= token:
            last[k] = ends[bisect.bisect_right(ends, token) - 1]
    order = sorted(last, key=lambda k: -last[k])
    return {k: r for r, k in enumerate(order)}


def candidates(
    people: People, tokens: Sequence[Token], q: Quotation, previous: Person | None, by_rules: Person | None = None,
    states: np.ndarray | None = None,
) -> list[Candidate]:
    """Every person of the article as a candidate speaker of ``q``, and the *nobody* candidate.

    ``previous`` is the previous quotation's speaker, ``by_rules`` the person the
    rules of :mod:`indoquote.quotes.records` pick (the linker learns when to trust them).
    ``states`` (``[words, d]``, the encoder's per-word states) give each candidate its
    span vectors (:mod:`indoquote.quotes.context`).
    """
    sent = people.sentence_of
    lo, hi = q.cue if q.cue else (q.a, q.b)
    cue_sent = {sent[lo], sent[hi - 1]} if q.cue else {sent[q.a], sent[q.b - 1]}
    rank = _recency(people, q.a)
    tagged_rank = _recency(people, q.a, [p.tagged for p in people.persons])
    starts = people.mention_starts()
    low, high = min(lo - WINDOW, hi - WINDOW - people.longest), max(lo, hi) + WINDOW  # where a near mention starts
    pronoun_at_cue = q.cue is not None and any(
        sent[p.a] in cue_sent and (0 <= p.a - hi <= 1 or 0 <= lo - p.b <= 1) for p in people.pronouns
    )
    implicit = q.coref_cue or pronoun_at_cue or q.cue is None
    chain = _chain_end(tokens, hi, sent) if q.cue else None
    said = _speech_subject_mention(people, tokens, q.a)
    subject = said[0] if said else None
    fresh = said is not None and implicit and said[1].a >= q.after and sent[said[1].a] >= sent[q.a] - FRESH_REACH
    cue_vec = cue_vector(states, q.cue, q.a, q.b) if states is not None else None
    out: list[Candidate] = []
    for k, person in enumerate(people.persons):
        keep = rank.get(k, 9) <= 1 or person is previous or person is by_rules
        if not keep and bisect.bisect_left(starts[k], low) == bisect.bisect_right(starts[k], high):
            continue  # no mention anywhere near: the exact test below would skip it too
        outside = [m for m in person.mentions if m.b <= q.a or m.a >= q.b]
        near = [m for m in outside if abs(m.a - lo) <= WINDOW or abs(m.b - hi) <= WINDOW]
        inside = [m for m in person.mentions if q.a <= m.a < q.b and abs(m.a - lo) <= WINDOW]
        if not near and not inside and rank.get(k, 9) > 1 and person is not previous and person is not by_rules:
            continue
        right = [m for m in near if q.cue and 0 <= m.a - hi <= REACH and sent[m.a] == sent[hi - 1]]
        left = [m for m in near if q.cue and 0 <= lo - m.b <= REACH and sent[m.b - 1] == sent[lo]]
        at_cue = right or left
        if (q.coref_cue or pronoun_at_cue) and not at_cue and all(m.a >= q.b for m in person.mentions):
            continue  # ``katanya``, ``kata dia`` point back: nobody first named after the quotation
        dist = min((min(abs(m.a - hi), abs(lo - m.b)) for m in near), default=WINDOW * 2)
        closest = min(near, key=lambda m: min(abs(m.a - hi), abs(lo - m.b)), default=None)
        r = rank.get(k, 9)
        f = {
            "cue_right": float(bool(right)),
            "cue_left": float(bool(left)),
            "cue_tagged": float(any(m.tagged for m in at_cue)),
            "cue_title": float(bool(at_cue) and all(m.kind == "title" for m in at_cue)),
            "pronoun_recent": float(pronoun_at_cue and r == 0),
            "coref_recent": float(q.coref_cue and r == 0),
            "nocue_recent": float(q.cue is None and r == 0),
            "previous": float(person is previous),
            "previous_implicit": float(person is previous and implicit),
            "rank0": float(r == 0),
            "rank1": float(r == 1),
            "same_sentence": float(any(sent[m.a] in cue_sent for m in near)),
            "introduced": float(any(_introduces_quote(tokens, m, q, sent) for m in near)),
            "distance": math.log1p(dist) / 5,
            "after_only": float(all(m.a >= q.b for m in person.mentions)),
            "preposition": float(closest is not None and closest.after_preposition),
            "tagged": float(person.tagged),
            "mentions": math.log1p(len(person.mentions)) / 3,
            "unnamed": float(not person.named),
            "dateline": float(any(m.a == 0 and _dateline(tokens, m.b) for m in person.mentions)),
            "inside_only": float(not near and bool(inside)),
            "tagged_recent": float(tagged_rank.get(k) == 0),
            "tagged_recent_implicit": float(tagged_rank.get(k) == 0 and implicit),
            "speaks_elsewhere": float(k in people.speakers),
            "rules_pick": float(person is by_rules),
            "cue_chain": float(chain is not None and any(m.b == chain for m in near)),
            "speech_subject": float(k == subject),
            "speech_subject_implicit": float(k == subject and implicit),
            "speech_subject_fresh": float(k == subject and fresh),
        }
        tie = right or left or ([closest] if closest else inside[:1])
        ctx = None
        if cue_vec is not None:
            ctx = candidate_context(states, cue_vec, (tie[0].a, tie[0].b) if tie else None,
                                    [(m.a, m.b) for m in near + inside])
        out.append(Candidate(person, tie[0] if tie else None, [f.get(n, 0.0) for n in FEATURES], ctx))
    nobody = {"null": 1.0, "null_nocue": float(q.cue is None), "null_coref": float(q.coref_cue),
              "null_nobody_near": float(not out)}
    ctx = candidate_context(states, cue_vec, None, []) if cue_vec is not None else None
    out.append(Candidate(None, None, [nobody.get(n, 0.0) for n in FEATURES], ctx))
    return out


def _at_cue(cands: Sequence[Candidate]) -> list[Candidate]:
    """The people with a mention right next to the quotation's cue."""
    return [c for c in cands if c.person is not None and (c.features[_CUE_RIGHT] or c.features[_CUE_LEFT])]


def fresh_subject(cands: Sequence[Candidate]) -> Candidate | None:
    """``X mengucapkan terima kasih ... . "...," ucapnya``: a speech verb's subject named since the last quotation.

    Why a rule: ``-nya``, ``ia`` or no cue, within :data:`FRESH_REACH` sentences after a new
    person is made the subject of a speech verb, is that person, as every reader takes it.
    The linker, trained on PFSA-ID's near-perfect tags, learned to prefer a
    tagged previous speaker, and so lost the new one when the tagger missed their
    name (``amaluddin Siregar``, lower-cased by a scraper).
    """
    if _at_cue(cands):
        return None
    fresh = [c for c in cands if c.person is not None and c.person.named and c.features[_FRESH]]
    return fresh[0] if len(fresh) == 1 else None


def named_at_cue(cands: Sequence[Candidate]) -> Candidate | None:
    """``kata Presiden``, ``ujar Setyo``: the one named person the cue word itself names (not ``-nya``).

    Why a rule: the rules' pick is a linker input, and on PFSA-ID's training
    documents (where the tags are near-gold) it is always right, so the linker
    learned to follow it; on new text the rules resolve a title at the cue to
    the last *tagged* name (``Airlangga Hartarto`` for ``kata Presiden``) when
    the tagger left the president's name untagged.
    """
    if not cands or cands[-1].features[_NULL_COREF]:
        return None
    chained = [c for c in cands if c.person is not None and c.features[_CHAIN]]
    at_cue = chained if len(chained) == 1 else _at_cue(cands)  # the name ending the title chain, else at the cue
    if len(at_cue) != 1 or not at_cue[0].person.named or at_cue[0].features[_PREPOSITION]:
        return None
    return at_cue[0]


def office_at_cue(cands: Sequence[Candidate]) -> Candidate | None:
    """``kata jaksa``: the only one at the cue is an office that speaks as a body (:data:`INSTITUTION_WORDS`).

    Why a rule: PFSA-ID's gold never makes an unnamed person the speaker, so the
    linker learned to pass them over, while the cue names this one outright.
    """
    at_cue = _at_cue(cands)
    if len(at_cue) != 1 or at_cue[0].person.named or at_cue[0].mention is None:
        return None
    text = at_cue[0].mention.text
    return at_cue[0] if text.split()[0].casefold() in INSTITUTION_WORDS or is_anonymous(text) else None


_CUE_RIGHT, _CUE_LEFT = FEATURES.index("cue_right"), FEATURES.index("cue_left")
_FRESH = FEATURES.index("speech_subject_fresh")
_NULL_COREF, _PREPOSITION = FEATURES.index("null_coref"), FEATURES.index("preposition")
_CHAIN = FEATURES.index("cue_chain")

SUBJECT_GAP = frozenset("kembali juga pun lalu kemudian lantas sempat telah sudah pernah turut".split())
"""Words between a speaker and the speech verb (``Eva kembali menekankan``)."""


def _speech_subject(people: People, tokens: Sequence[Token], before: int) -> int | None:
    """The person last named as a speech verb's subject before token ``before`` (``Eva mengatakan``, ``menurut Eva``).

    Why: ``-nya`` and ``ia`` in a run of quotations point back to whoever the
    article made the speaker, not to the latest name (``kinerja Jokowi``).
    """
    said = _speech_subject_mention(people, tokens, before)
    return said[0] if said else None


def _speech_subject_mention(people: People, tokens: Sequence[Token], before: int) -> tuple[int, PersonMention] | None:
    """:func:`_speech_subject` and the mention that makes them the subject."""
    best = None
    for k, person in enumerate(people.persons):
        for m in person.mentions:
            if m.b <= before and (best is None or m.a > best[1].a) and _says(tokens, m, before):
                best = (k, m)
    return best


def _says(tokens: Sequence[Token], m: PersonMention, limit: int) -> bool:
    k = m.b
    while k < min(limit, m.b + 3) and tokens[k].text.casefold() in SUBJECT_GAP:
        k += 1
    if k < limit and tokens[k].text.casefold() in SPEECH_VERBS:
        return True
    if k + 2 < limit and tokens[k + 2].text.casefold() in SPEECH_VERBS and all(
        _appositive(t.text) for t in tokens[k : k + 2]
    ):
        return True  # ``Siregar pemilik mobil mengucapkan``: a two-word appositive between the name and its verb
    return m.a > 0 and tokens[m.a - 1].text.casefold() == "menurut"


def _appositive(word: str) -> bool:
    """A lower-case content word (``pemilik``, ``mobil``), not a function word, preposition or pronoun."""
    w = word.casefold()
    return word.isalpha() and word.islower() and w not in SENTENCE_WORDS | PREPOSITIONS | PRONOUNS | SPEECH_VERBS


def _dateline(tokens: Sequence[Token], b: int) -> bool:
    """``Makassar (ANTARA) -`` / ``JAKARTA, KOMPAS.com -``: the article opens with a place and its outlet."""
    return any(t.text in {"(", "-", "–", "—"} for t in tokens[b : b + 4])


def _chain_end(tokens: Sequence[Token], start: int, sent: Sequence[int], limit: int = 14) -> int | None:
    """Where the title-and-name chain after a cue ends (``kata Sekertaris Satpol PP Makassar, Ikhsan saat``).

    The chain is capitalised words, commas and brackets, and numbers joined by a hyphen (``Ketua Muhammadiyah
    Covid-19 Command Center (MCCC) Agus Samsudin``); its last name is who the cue names.
    """
    k = start
    while k < min(len(tokens), start + limit) and sent[k] == sent[start - 1] and (
        tokens[k].text[:1].isupper() or tokens[k].text in {",", "(", ")"}
        or (tokens[k].text in {"-", "–"} and k > start and k + 1 < len(tokens) and tokens[k + 1].text[:1].isalnum())
        or (tokens[k].text.isdigit() and k > start and tokens[k - 1].text in {"-", "–"})
    ):
        k += 1
    while k > start and tokens[k - 1].text in {",", "(", ")", "-", "–"}:
        k -= 1
    return k if k > start else None


def _introduces_quote(tokens: Sequence[Token], m: PersonMention, q: Quotation, sent: Sequence[int]) -> bool:
    """``Erick Thohir mengatakan, "..."``: the mention is followed by a reporting verb or a colon before the quote."""
    if m.b > q.a or sent[q.a] - sent[m.a] > 1:
        return False
    after = [t.text.casefold() for t in tokens[m.b : min(m.b + 4, q.a)]]
    return any(w in REPORTING_VERBS or w == ":" for w in after)
