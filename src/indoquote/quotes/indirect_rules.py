"""Indirect speech by rules: ``X mengatakan, ...``, ``..., kata X.``, ``Menurut X, ...`` become quote records.

Why rules first: PFSA-ID leaves indirect speech ``O`` (160 of its 162 cues
untagged), so no tagger trained on it finds indirect speech. These rules follow
the annotation guidelines (``docs/annotation-format.md``, INDIRECT) and are the
baseline any trained indirect-speech model has to beat. Per sentence, outside
direct quotations:

- ``SUBJECT SPEECH-VERB [,|:|bahwa] CONTENT.``: the content runs to the end of
  the sentence (its full stop excluded); the subject is the last person or
  pronoun before the verb;
- ``CONTENT, kata|ujar|... SPEAKER.`` / ``CONTENT, katanya.``: the content is the
  sentence up to the comma before the cue;
- ``Menurut SPEAKER, CONTENT.``: the content follows the comma.

Verbs of thinking, feeling or planning (``berpikir``, ``merasa``, ``berencana``)
are not speech. Speakers are attributed like direct quotations (the linker when
there is one), so a record of either kind names a person the same way.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Sequence

from ..model.phases import phase
from ..text.articles import CLAUSE_MARKS, SENTENCE_END, Token
from ..text.lexicon import (
    CLAUSE_VERBS,
    COLLECTIVE_WORDS,
    CUE_STEMS,
    NOT_NAMES,
    PREPOSITIONS,
    PRONOUNS,
    REPORTED_VERBS,
    SENTENCE_WORDS,
    TITLE_WORDS,
    is_acronym,
    strip_nya,
)
from .linker import Linker, speaker_route
from .linker_features import Quotation, candidates
from .linker_speakers import cluster_titles
from .records import Mention, QuoteRecord, article_index, char_range
from .speakers import People, Person, find_people, name_forms, speaker_name

MIN_CONTENT_WORDS = 3
SKIP_AFTER_VERB = frozenset({",", ":", "bahwa", "jika", "kalau"})
NOT_SAID_YET = frozenset(
    "ingin hendak akan mau berencana bakal enggan menolak tidak tak belum untuk sempat bisa dapat".split()
)
"""Words before a speech verb that mean nothing was reported (``Dia ingin mengajak ...``, ``tidak menjelaskan``)."""
TOPIC_NOUNS = frozenset("nama alasan kronologi rincian daftar identitas jumlah sosok awal kabar".split())
"""Objects that name only a topic (``menyebutkan nama ...``, ``mengungkap alasan ...``): no content is reported."""
JOINS = frozenset({",", "dan", "tetapi", "tapi", "namun", "sehingga", "karena", "sebab"})
"""Words after which ``menurutnya`` may stand inside a sentence (``Harga naik, dan menurutnya ...``)."""
DATELINE_DASHES = frozenset({"-", "--", "–", "—"})


@dataclass(frozen=True)
class IndirectSpan:
    """Token ranges of one indirect quotation: its content, its cue, and the speaker written next to the cue."""

    a: int
    b: int
    cue: tuple[int, int]
    coref_cue: bool  # ``katanya``: the cue carries the speaker
    subject: tuple[int, int] | None = None  # ``X mengatakan``: the words before the verb that name the speaker


def _words(tokens: Sequence[Token], a: int, b: int) -> int:
    return sum(any(c.isalnum() for c in t.text) for t in tokens[a:b])


def trim_end(tokens: Sequence[Token], a: int, b: int) -> int:
    while b > a and (tokens[b - 1].text in SENTENCE_END or tokens[b - 1].text in CLAUSE_MARKS):
        b -= 1
    return b


def after_dateline(tokens: Sequence[Token], end: int) -> int:
    """Where the first sentence's own words start: ``Brussels (ANTARA) - ...`` is no part of what was said.
    A hyphen inside a word (``pro-pemerintah``: glued on both sides) is no dateline dash."""
    def inside_word(k: int) -> bool:
        return 0 < k < len(tokens) - 1 and tokens[k - 1].end == tokens[k].start and tokens[k].end == tokens[k + 1].start

    return next((k + 1 for k in range(min(end, 8)) if tokens[k].text in DATELINE_DASHES and not inside_word(k)), 0)


def find_indirect(
    tokens: Sequence[Token], sentence_starts: Sequence[int], direct: Sequence[tuple[int, int]] = ()
) -> list[IndirectSpan]:
    """Indirect quotations of one article (token ranges), sentences holding a direct quotation left out.

    ``direct`` are token ranges of the article's direct quotations.
    """
    bounds = [*sentence_starts, len(tokens)]
    taken = [False] * len(tokens)
    for a, b in direct:
        taken[a:b] = [True] * (b - a)
    out: list[IndirectSpan] = []
    for s, e in zip(bounds, bounds[1:]):
        if s >= e or any(taken[s:e]):
            continue  # a quoted fragment inside reported speech is part of it; a direct quotation is not
        if s == 0:
            s = after_dateline(tokens, e)
        span = _menurut(tokens, s, e) or _trailing_cue(tokens, s, e) or _speech_verb(tokens, s, e)
        if span is not None and _words(tokens, span.a, span.b) >= MIN_CONTENT_WORDS:
            out.append(span)
    return out


def _menurut(tokens: Sequence[Token], s: int, e: int) -> IndirectSpan | None:
    """``Menurut X, CONTENT.`` / ``Bahkan menurutnya, CONTENT.`` / ``Untuk selanjutnya kata X, CONTENT.``, and
    ``menurutnya`` without a comma or inside the sentence: ``Justru menurutnya CONTENT.``, ``..., dan menurutnya
    CONTENT.``"""
    for i in range(s, min(e, s + 3)):
        word = tokens[i].text.casefold()
        stem = strip_nya(word)
        if stem != "menurut" and stem not in CUE_STEMS:
            continue
        comma = next((k for k in range(i + 1, min(e, i + 8)) if tokens[k].text == ","), None)
        if comma is None and word == "menurutnya":
            return IndirectSpan(i + 1, trim_end(tokens, i + 1, e), (i, i + 1), True)
        if comma is None or (stem in CUE_STEMS and i > s and tokens[i - 1].text == ","):
            return None
        if word == "menurutnya" and comma > i + 1:  # ``Justru menurutnya kebijakan itu, kata dia, ...``
            return IndirectSpan(i + 1, trim_end(tokens, i + 1, e), (i, i + 1), True)
        return IndirectSpan(comma + 1, trim_end(tokens, comma + 1, e), (i, i + 1), word != stem)
    for i in range(s + 3, e - 1):
        if tokens[i].text.casefold() == "menurutnya" and tokens[i - 1].text.casefold() in JOINS:
            k = i + 2 if tokens[i + 1].text == "," else i + 1
            return IndirectSpan(k, trim_end(tokens, k, e), (i, i + 1), True)
    return None


def _trailing_cue(tokens: Sequence[Token], s: int, e: int) -> IndirectSpan | None:
    """``CONTENT, kata X.`` / ``CONTENT, katanya.``, or the cue set off inside the sentence:
    ``Petani yang berhak, kata dia, wajib terdaftar.`` (the whole sentence is the content)."""
    for i in range(e - 1, s + 1, -1):
        word = tokens[i].text.casefold()
        stem = strip_nya(word)
        if tokens[i - 1].text != "," or stem not in CUE_STEMS:
            continue
        close = next((k for k in range(i + 1, min(e, i + 6)) if tokens[k].text == ","), None)
        if close is not None and _words(tokens, close + 1, e) >= MIN_CONTENT_WORDS:  # set off by commas
            return IndirectSpan(s, trim_end(tokens, s, e), (i, i + 1), word != stem)
        return IndirectSpan(s, i - 1, (i, i + 1), word != stem)
    return None


def _speech_verb(tokens: Sequence[Token], s: int, e: int) -> IndirectSpan | None:
    """``SUBJECT mengatakan(,) [bahwa] CONTENT.``: the first speech verb with a subject before it.

    Not after an intention or a negation (``Dia ingin mengajak ...``: nothing was said), nor before a topic alone
    (``menyebutkan nama ...``); ``melihat``, ``memuji`` only with a clause after them (``melihat bahwa ...``)."""
    for i in range(s + 1, e - 1):
        verb = tokens[i].text.casefold()
        clause = verb in CLAUSE_VERBS and tokens[i + 1].text.casefold() in {"bahwa", ","}
        if verb in REPORTED_VERBS or clause:
            if tokens[i - 1].text.casefold() in NOT_SAID_YET or tokens[i + 1].text.casefold() in TOPIC_NOUNS:
                continue
            k = i + 1
            while k < e and tokens[k].text.casefold() in SKIP_AFTER_VERB:
                k += 1
            lo = max([s, *(x + 1 for x in range(s, i) if tokens[x].text == ",")])
            return IndirectSpan(k, trim_end(tokens, k, e), (i, i + 1), False, (lo, i))
    return None


def indirect_records(
    text: str,
    tokens: Sequence[Token],
    tags: Sequence[str],
    sentence_starts: Sequence[int],
    direct: Sequence[QuoteRecord] = (),
    linker: Linker | None = None,
    found=None,
    states=None,
) -> list[QuoteRecord]:
    """Quote records (``kind="indirect"``) of the article's indirect speech, speakers as for direct quotations.

    ``found(tokens, sentence_starts, direct_ranges)`` finds the spans (default: the
    rules, :func:`find_indirect`; a trained head: :func:`indoquote.quotes.indirect_head.model_spans`
    with its tags bound). ``states``: the article's word states, for a linker trained with the encoder.
    """
    spans = (found or find_indirect)(tokens, sentence_starts, direct_ranges(tokens, direct))
    if not spans:
        return []
    people = find_people(text, tokens, tags, sentence_starts)
    art = article_index(text, tokens, tags, sentence_starts)
    out: list[QuoteRecord] = []
    previous: Person | None = None
    for sp in spans:
        a, b = tokens[sp.a].start, tokens[sp.b - 1].end
        cue = Mention(text[tokens[sp.cue[0]].start : tokens[sp.cue[1] - 1].end], tokens[sp.cue[0]].start,
                      tokens[sp.cue[1] - 1].end, "CUECOREF" if sp.coref_cue else "CUE")
        rec = QuoteRecord(text[a:b], a, b, cue=cue, kind="indirect")
        q = Quotation(sp.a, sp.b, sp.cue, sp.coref_cue)
        if linker is not None:
            ctx = states if linker.width else None  # the encoder's word states, for a linker trained on them
            with phase("linker"):
                choice, prob = linker.choose(candidates(people, tokens, q, previous, states=ctx))
            person, mention = choice.person, choice.mention
            rec.confidence = round(linker.calibrated(prob, speaker_route(text, char_range(mention), char_range(cue))), 4)
        else:
            person, mention = _near_cue(people, q, described(tokens, sp.subject))
        group = None if described(tokens, sp.subject) else _group_subject(tokens, people, sp)
        if group is not None:  # ``Pemerintah Rusia sebelumnya mengatakan``: no person is the subject
            rec.speaker = group_name(text, tokens, sp.subject) or unnamed_subject(text, tokens, sp.subject)
            rec.confidence = None  # the linker's probability was for a person it picked, not for this subject
            if rec.speaker is None:
                rec.speaker_reason = f"said by a group or an organisation: {text[group[0]:group[1]]}"
            rec.spans = [Mention(rec.quote, a, b, "INDIRECT"), cue]
            out.append(rec)
            continue
        if person is None:
            rec.speaker_reason = "nobody is named at its cue"
        else:
            previous = person
            m = mention or person.mentions[-1]
            rec.speaker_mention = Mention(m.text, m.start, m.end, "PERSON" if m.kind == "name" else "PERSONCOREF")
            rec.speaker, rec.speaker_reason = speaker_name(text, person, m.text)
            rec.speaker_forms = name_forms(person)
            cluster_titles(art, text, rec, person, [])  # the person's role wherever the article gives it
        rec.spans = [x for x in (Mention(rec.quote, a, b, "INDIRECT"), cue, rec.speaker_mention) if x is not None]
        out.append(rec)
    return out


def direct_ranges(tokens: Sequence[Token], records: Sequence[QuoteRecord]) -> list[tuple[int, int]]:
    """Token ranges ``[a, b)`` of the direct quotations among ``records``: where no indirect speech is looked for."""
    starts = [t.start for t in tokens]
    return [(bisect.bisect_left(starts, r.start), bisect.bisect_left(starts, r.end)) for r in records
            if r.kind == "direct"]


def _group_subject(tokens: Sequence[Token], people: People, sp: IndirectSpan) -> tuple[int, int] | None:
    """Character range of the subject of ``X mengatakan`` when it holds no person or pronoun (an office, a group)."""
    if sp.subject is None or sp.subject[0] >= sp.subject[1]:
        return None
    lo, hi = sp.subject
    named = any(lo <= m.a and m.b <= hi for p in people.persons for m in p.mentions) or _names_a_person(tokens, people,
                                                                                                    lo, hi)
    if named or any(lo <= m.a < hi for m in people.pronouns) or tokens[lo].text.casefold() in {"pihaknya", "mereka"}:
        return None
    return tokens[lo].start, tokens[hi - 1].end


def _names_a_person(tokens: Sequence[Token], people: People, lo: int, hi: int) -> bool:
    """Is the subject a name the article gives a person elsewhere (``Stoltenberg menyebutkan ...`` after ``Sekjen
    NATO Jens Stoltenberg``), though the tagger left this mention untagged? Then a person said it, not a group."""
    words = [tokens[k].text.casefold() for k in range(lo, hi) if tokens[k].text.casefold() not in SUBJECT_TAIL]
    if not words or not tokens[lo].text[:1].isupper():
        return False
    return any(set(words) <= {w.casefold() for form in name_forms(p) for w in form.split()} for p in people.persons)


ONE_PERSON = frozenset("pakar psikolog pengamat ekonom analis peneliti dokter dosen guru sosiolog".split())
"""Words that describe one person (``Pakar politik luar negeri partai Kristen Demokrat itu``), not a group."""

SUBJECT_TAIL = frozenset("pun juga sendiri sebelumnya kemudian lalu telah sudah pula itu ini".split())
"""Words that end a subject without being part of it (``Bank Dunia juga mengatakan``)."""


def group_name(text: str, tokens: Sequence[Token], subject: tuple[int, int]) -> str | None:
    """The group or organisation of ``X mengatakan`` as written, when it reads as one (``PT KAI Commuter``,
    ``Sejumlah pihak``, ``Pemerintah Rusia``), as the annotation guidelines name such speakers.

    It must start with a capitalised word that does not just open the sentence (``Meski``, ``Di``, a weekday)
    or with a group word (``pihak``); an acronym the article spells out elsewhere is given in full
    (``KPK`` -> ``Komisi Pemberantasan Korupsi (KPK)``). Else None, and the record says why it has no speaker.
    """
    lo, hi = subject
    while hi > lo and tokens[hi - 1].text.casefold() in SUBJECT_TAIL | {","}:
        hi -= 1
    words = [t.text for t in tokens[lo:hi]]
    if not words or len(words) > 8 or "yang" in (w.casefold() for w in words):
        return None  # ``Psikolog yang bekerja di Sekolah Cikal ini``: a person described, not a group
    first = words[0]
    group_word = first.casefold() in COLLECTIVE_WORDS | {"sejumlah", "beberapa", "para"}
    if not group_word and not (first[:1].isupper() and first.casefold() not in SENTENCE_WORDS | TITLE_WORDS | ONE_PERSON
                               and first not in NOT_NAMES):
        return None  # ``Meski masyarakat``, ``Jumat (21/10)``; ``Pakar politik ... itu``: one person, described
    name = text[tokens[lo].start : tokens[hi - 1].end]
    if len(words) == 1 and is_acronym(first):
        full = re.search(rf"((?:[A-Z][\w-]*,?\s+(?:dan\s+)?)+)\({re.escape(first)}\)", text)
        if full:
            parts = full.group(0).split()
            while len(parts) > 1 and parts[0].rstrip(",").casefold() in SENTENCE_WORDS:
                parts = parts[1:]  # ``Sebelumnya, Komisi ... (KPK)``: the sentence's opening word is no part of it
            return " ".join(parts)
    return " ".join(name.split())


def unnamed_subject(text: str, tokens: Sequence[Token], subject: tuple[int, int]) -> str | None:
    """Someone the article does not name, as written: ``Pada Rabu anggota dewan Rusia yang pro-pemerintah
    mengatakan`` gives ``anggota dewan Rusia yang pro-pemerintah`` (docs/annotation-format.md: an unnamed speaker's
    description is who speaks). Opening words, a weekday or month and a date in brackets are no part of it; the
    description must start with a lower-case noun (no pronoun, sentence word or preposition) and hold 2 to 8 words:
    one word alone is a crowd (``Meski masyarakat mengaku ...``), not a source a reader could code."""
    lo, hi = subject
    while hi > lo and tokens[hi - 1].text.casefold() in SUBJECT_TAIL | {","}:
        hi -= 1
    while lo < hi and (tokens[lo].text.casefold() in SENTENCE_WORDS | PREPOSITIONS or tokens[lo].text in NOT_NAMES
                       or not tokens[lo].text[:1].isalpha() or _in_brackets(tokens, lo)):
        lo += 1
    if not 2 <= hi - lo <= 8:
        return None
    first = tokens[lo].text
    if not (first.isalpha() and first.islower()) or first in PRONOUNS | DEMONSTRATIVES | NOT_SAID_YET:
        return None
    return " ".join(text[tokens[lo].start : tokens[hi - 1].end].split())


def _in_brackets(tokens: Sequence[Token], k: int) -> bool:
    """Token ``k`` sits inside ``( ... )`` that closes within three tokens (``Rabu (21/10)``)."""
    opened = any(tokens[j].text == "(" for j in range(max(0, k - 3), k))
    closes = any(tokens[j].text == ")" for j in range(k, min(len(tokens), k + 3)))
    return opened and closes


DEMONSTRATIVES = frozenset("itu ini tersebut".split())


def described(tokens: Sequence[Token], subject: tuple[int, int] | None) -> bool:
    """Is the subject of ``X mengatakan`` one person described, not named (``Mantan gubernur itu``, ``Pedagang sayur
    ini``)? A short phrase in lower case after its first word, ending in a demonstrative: it points back like a
    pronoun, to the person mentioned last."""
    if subject is None or subject[1] - subject[0] < 2:
        return False
    words = [t.text for t in tokens[subject[0] : subject[1]]]
    while len(words) > 2 and words[-1].casefold() in SUBJECT_TAIL - DEMONSTRATIVES:
        words.pop()
    return (words[-1].casefold() in DEMONSTRATIVES and len(words) <= 6
            and all(w[:1].islower() for w in words[1:-1]) and "yang" not in words)


def _near_cue(people: People, q: Quotation, anaphor: bool = False):
    """The rules' speaker of an indirect quotation: the person written within 3 tokens of the cue, else
    (``katanya``, a pronoun, a described subject: ``anaphor``) the person mentioned last before it."""
    lo, hi = q.cue
    best = None
    for p in people.persons:
        for m in p.mentions:
            d = m.a - hi if m.a >= hi else lo - m.b
            if 0 <= d <= 3 and (best is None or d < best[0]):
                best = (d, p, m)
    if best is not None:
        return best[1], best[2]
    latest = max(((m.b, p, m) for p in people.persons for m in p.mentions if m.b <= lo), default=None, key=lambda x: x[0])
    if latest is not None and (q.coref_cue or anaphor or any(t.a < lo and lo - t.b <= 3 for t in people.pronouns)):
        return latest[1], latest[2]
    return None, None
