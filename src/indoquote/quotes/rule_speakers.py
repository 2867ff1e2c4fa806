"""Speakers by rules: the baseline attribution, and one of the linker's features.

Each quotation's cue, the mention next to it and the person that mention resolves
to are read from the span index of :mod:`indoquote.quotes.records`, whose docstring
lists the rules (the shapes they follow: :mod:`indoquote.quotes.rule_tags`).
"""

from __future__ import annotations

from .records import STATEMENT_LABELS, Mention, QuoteRecord, _Index, _norm, clean_quote


def rule_records(art: _Index) -> list[QuoteRecord]:
    """Quote records attributed by the index's rules (the baseline, and a feature of the linker)."""
    records: list[QuoteRecord] = []
    previous: tuple[int, int] | None = None  # (token after the last attribution, its resolved person span)
    for q, sp in enumerate(art.spans):
        if sp.label not in STATEMENT_LABELS or not clean_quote(sp.mention.text):
            continue  # a stray quotation mark tagged alone is no quotation
        cue = art.cue_for(q)
        near = art.speaker_near(cue) if cue is not None else None
        person: int | None = None
        if near is not None:
            person = art.resolve(near)
        elif cue is not None and art.is_coref_cue(cue):
            person = _implied_speaker(art, sp.a, previous)
        rec = QuoteRecord(clean_quote(sp.mention.text), sp.mention.start, sp.mention.end)
        used = [sp.mention]
        if cue is not None:
            rec.cue = art.spans[cue].mention
            used.append(rec.cue)
        if person is not None:
            _attribute(art, rec, person, near, used)
            previous = (max(art.spans[k].b for k in (q, cue, near) if k is not None), person)
        rec.spans = sorted({(m.start, m.end, m.label): m for m in used}.values(), key=lambda m: (m.start, m.end))
        records.append(rec)
    return records


def _implied_speaker(art: _Index, token: int, previous: tuple[int, int] | None) -> int | None:
    """Who ``katanya`` refers to: the previous quotation's speaker unless a person was mentioned since."""
    latest = art.latest_person_before(token)
    if previous is not None and (latest is None or art.spans[latest].a < previous[0]):
        return previous[1]
    return art.resolve(latest) if latest is not None else None


def _attribute(art: _Index, rec: QuoteRecord, person: int, near: int | None, used: list[Mention]) -> None:
    """Fill speaker, role and affiliation from the resolved mention (titles of the local one as a fallback)."""
    mention = art.spans[person].mention
    rec.speaker, rec.speaker_mention = _norm(mention.text), mention
    used += [mention] + ([art.spans[near].mention] if near is not None else [])
    titles = art.titles_of(person) or (art.titles_of(near) if near is not None else [])
    for label, attr in (("ROLE", "role"), ("AFFILIATION", "affiliation")):
        found = [art.spans[t].mention for t in titles if art.spans[t].label == label]
        used += found
        names = list(dict.fromkeys(_norm(m.text) for m in found))
        setattr(rec, attr, ", ".join(names) or None)
