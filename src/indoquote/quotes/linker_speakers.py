"""Quote records whose speakers the trained linker picks: one person per speaker, with a confidence.

:func:`indoquote.quotes.attribute.quote_records` comes here when given a linker. The
quotation spans and cues are the rules' (:mod:`indoquote.quotes.records`); the
speaker is the person of the article (:mod:`indoquote.quotes.speakers`) that the
linker (:mod:`indoquote.quotes.linker`) scores highest, the rules' own pick being one
of its features. ``speaker`` is the person's fullest name, ``role`` and
``affiliation`` come from all their mentions, and a quotation nobody can be
tied to says why (``speaker_reason``).
"""

from __future__ import annotations

from typing import Sequence

from ..model.phases import phase
from ..text.lexicon import COLLECTIVE_WORDS
from .descriptions import commenters_before
from .linker import Linker, speaker_route
from .linker_features import Quotation, candidates
from .records import STATEMENT_LABELS, Mention, QuoteRecord, _Index, char_range, clean_quote
from .roles import person_titles
from .rule_speakers import rule_records
from .speakers import People, Person, find_people, name_forms, speaker_name


def link_speakers(art: _Index, text: str, tags: Sequence[str], linker: Linker, states=None) -> list[QuoteRecord]:
    """Quote records whose speakers the linker picks among the article's people, in text order.

    Quotation spans and cues are found as by the rules; the previous quotation's
    speaker is a feature of the next one. ``speaker`` is the person's fullest
    name, ``speaker_mention`` the mention that tied them to the quotation;
    a person named only by a title, or nobody, leaves ``speaker`` None with a
    ``speaker_reason`` (an office that speaks as a body, ``kata jaksa``, is the speaker as the article writes it).
    ``states``: the encoder's word states, read by a linker trained with them (:mod:`indoquote.quotes.context`).
    """
    states = states if linker.width else None
    people = find_people(text, art.tokens, tags, _starts(art))
    records: list[QuoteRecord] = []
    previous: Person | None = None
    crowd, last_end = None, None
    for q, quotation, by_rules in quotations(art, people):
        sp = art.spans[q]
        cue = art.cue_for(q)
        with phase("linker"):
            choice, prob = linker.choose(candidates(people, art.tokens, quotation, previous, by_rules, states))
        rec = QuoteRecord(clean_quote(sp.mention.text), sp.mention.start, sp.mention.end)
        used = [sp.mention]
        if cue is not None:
            rec.cue = art.spans[cue].mention
            used.append(rec.cue)
        if cue is not None or last_end is None or any(t.text[:1].isalnum() for t in art.tokens[last_end : sp.a]):
            crowd = None if cue is not None else commenters_before(art.tokens, sp.a)  # else the list goes on
        last_end = sp.b
        person = choice.person
        if crowd is not None:  # `komentar-komentar netizen seperti berikut:` and the list: the crowd said them
            tok = art.tokens[crowd[0]]
            rec.speaker, rec.confidence = tok.text, None  # a rule's pick: the linker gave no probability for it
            rec.speaker_mention = Mention(tok.text, tok.start, tok.end, "PERSONCOREF")
            used.append(rec.speaker_mention)
            previous = None
        elif person is None:
            rec.speaker_reason = "no speaker is named near the quotation" if cue is None else "nobody is named at its cue"
            rec.confidence = round(linker.calibrated(prob, "context"), 4)
        else:
            previous = person
            m = choice.mention or person.mentions[-1]
            rec.speaker_mention = Mention(m.text, m.start, m.end, "PERSON" if m.kind == "name" else "PERSONCOREF")
            used.append(rec.speaker_mention)
            rec.confidence = round(linker.calibrated(prob, speaker_route(text, char_range(m), char_range(rec.cue))), 4)
            group = _collective(art, m.a)
            rec.speaker, rec.speaker_reason = speaker_name(text, person, m.text)  # `kata jaksa`: the prosecution
            rec.speaker_forms = name_forms(person)
            if person.named and group:
                rec.speaker = f"{group} {person.name}"
            cluster_titles(art, text, rec, person, used)
        rec.spans = sorted({(m.start, m.end, m.label): m for m in used}.values(), key=lambda m: (m.start, m.end))
        records.append(rec)
    return records


def quotations(art: _Index, people: People) -> list[tuple[int, Quotation, Person | None]]:
    """Each quotation span (index into ``art.spans``), what the linker reads of it, and the rules' pick."""
    picks = {r.start: r for r in rule_records(art)}
    out, after = [], 0
    for q, sp in enumerate(art.spans):
        if sp.label not in STATEMENT_LABELS or not clean_quote(sp.mention.text):
            continue
        cue = art.cue_for(q)
        quotation = Quotation(sp.a, sp.b, None if cue is None else (art.spans[cue].a, art.spans[cue].b),
                              cue is not None and art.is_coref_cue(cue), after)
        out.append((q, quotation, _person_of(people, picks.get(sp.mention.start))))
        after = sp.b
    return out


def _person_of(people: People, rec: QuoteRecord | None) -> Person | None:
    """The person whose mention the rules chose (by offsets, else by name)."""
    if rec is None or rec.speaker_mention is None:
        return None
    m = rec.speaker_mention
    for p in people.persons:
        if any(x.start < m.end and m.start < x.end for x in p.mentions):
            return p
    return None


def _collective(art: _Index, a: int) -> str | None:
    """``keluarga`` in ``kata keluarga Kiki Fatmala``: the group speaks, not the person it is named after."""
    if a == 0:
        return None
    word = art.tokens[a - 1].text
    return word if word.casefold() in COLLECTIVE_WORDS else None


def _starts(art: _Index) -> list[int]:
    return [i for i in range(len(art.tokens)) if i == 0 or art.sentence_of[i] != art.sentence_of[i - 1]]


def cluster_titles(art: _Index, text: str, rec: QuoteRecord, person: Person, used: list[Mention]) -> None:
    """Role and affiliation from the whole person (:func:`indoquote.quotes.roles.person_titles`): the fullest title
    any of their mentions gives, its organisation split off; ``role_forms`` lists every form merged."""
    titles = person_titles(art, text, person)
    rec.role, rec.affiliation, rec.role_forms = titles.role, titles.affiliation, list(titles.forms)
    used += titles.mentions
