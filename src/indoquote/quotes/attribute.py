"""Tags -> quote records: the one place that chooses who attributes, the linker or the rules.

With a trained linker in the checkpoint (:mod:`indoquote.quotes.linker`) the speaker of each
quotation is the person it picks (:mod:`indoquote.quotes.linker_speakers`); without one the rules
attribute (:mod:`indoquote.quotes.rule_speakers`). Both read the same span index
(:mod:`indoquote.quotes.records`), so this choice sits above them and neither imports the other.
"""

from __future__ import annotations

from typing import Sequence

from ..text.articles import Token, article_from_words
from ..text.labels import iob2_spans, spans_to_iob2
from .linker import Linker
from .linker_speakers import link_speakers
from .records import ATTRIBUTION_LABELS, QuoteRecord, _Index
from .rule_speakers import rule_records


def quote_records(
    text: str,
    tokens: Sequence[Token],
    tags: Sequence[str],
    sentence_starts: Sequence[int] | None = None,
    linker: Linker | None = None,
    states=None,
) -> list[QuoteRecord]:
    """Quote records, in text order, from IOB2 ``tags`` over ``tokens`` of ``text``.

    ``sentence_starts`` (token indices) are computed from the text when not given.
    With a ``linker`` (:mod:`indoquote.quotes.linker`) the speaker is the person it picks
    (:func:`link_speakers`); without one the rules attribute (:func:`rule_records`).
    ``states`` (``[tokens, d]``, the encoder's word states) feed a linker trained with the encoder.
    """
    art = _Index(text, tokens, tags, sentence_starts)
    if linker is not None:
        return link_speakers(art, text, tags, linker, states)
    return rule_records(art)


def records_from_words(
    words: Sequence[str], tags: Sequence[str], linker: Linker | None = None, states=None
) -> list[QuoteRecord]:
    """Quote records for a pre-tokenized document (PFSA-ID): words joined by single spaces."""
    art = article_from_words("words", words)
    return quote_records(art.text, art.tokens, tags, art.sentence_starts, linker, states)


def attached_tags(words: Sequence[str], tags: Sequence[str]) -> list[str]:
    """``tags`` with every attribution span that no quote record uses set to ``O``.

    PFSA-ID tags people, roles, affiliations and cues only as the attribution of a
    direct quotation; a model also tags the speakers of indirect speech, which
    costs it about 5 points of precision. Keeping the spans that the quote records
    use scores what the records deliver. Other labels (ISSUE, DATETIME, ...) are kept.
    """
    art = article_from_words("words", words)
    index = {t.start: i for i, t in enumerate(art.tokens)}
    used = {(m.label, index[m.start]) for r in quote_records(art.text, art.tokens, tags, art.sentence_starts) for m in r.spans}
    keep = [sp for sp in iob2_spans(tags) if sp.label not in ATTRIBUTION_LABELS or (sp.label, sp.start) in used]
    return spans_to_iob2(keep, len(tags))
