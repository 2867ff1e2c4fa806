"""Quotations the gold left untagged: found by their marks and cue, and kept out of training.

Why: PFSA-ID is partly annotated. About one direct quotation in seven of its
training documents (marks on both sides, ``kata``/``ujarnya`` right after) has
no tag at all, often a whole stretch of an article at a time. Trained on those
``O`` labels, the tagger learns that a clearly marked quotation may be nobody's
business, and on new text it goes silent over whole windows (on PFSA-ID's test
documents a tagger trained on them left 10 of 367 windows, in which the gold tags
334 words, with no tag at all: most of the quotations it missed; with the mask, 2;
``bench/silent_windows.py``, ``docs/results.md``).
As in any partially labelled NER corpus, the fix is to leave those words
unlabelled (``-100``), not to teach them as ``O``.

A quotation counts as untagged when its marks pair (:mod:`indoquote.text.marks`),
it has at least :data:`MIN_WORDS` words, a cue is next to it (a speech verb
right after the closing mark, or ``X mengatakan:`` / ``katanya,`` right before
the opening one) and no word between the marks carries a gold tag. The words
masked run from the start of the sentence holding the opening mark to the end
of the sentence holding the cue, so the speaker's name and title are left out
with the quotation. Only the training split is masked; evaluation keeps the
gold as annotated, so scores stay comparable with published ones.
"""

from __future__ import annotations

import bisect
from typing import Sequence

from ..text.articles import article_from_words
from ..text.document import Document
from ..text.labels import iob2_spans, spans_to_iob2
from ..text.lexicon import cue_after, verb_before
from ..text.marks import quote_candidates

MIN_WORDS = 4
"""Words a quotation needs (titles and scare quotes are shorter)."""


def untagged_quotes(doc: Document) -> list[tuple[int, int, int]]:
    """``(a, b, cue)`` token ranges ``[a, b)`` of the marked, cued quotations with no gold tag inside."""
    art = article_from_words(doc.doc_id, doc.tokens)
    starts = [t.start for t in art.tokens]
    words = doc.tokens
    out = []
    for cand in quote_candidates(art.text):
        if cand.depth or not cand.closed:
            continue
        a = bisect.bisect_left(starts, cand.start)
        b = bisect.bisect_left(starts, cand.end)  # the token after the closing mark
        inner = range(a + 1, b - 1)
        if sum(any(ch.isalnum() for ch in words[k]) for k in inner) < MIN_WORDS:
            continue
        if any(doc.tags[k] != "O" for k in range(a, b)):
            continue
        cue = cue_after(words, b)
        cue = cue if cue is not None else verb_before(words, a)
        if cue is not None:
            out.append((a, b, cue))
    return out


def untagged_mask(doc: Document, quotes: Sequence[tuple[int, int, int]] | None = None) -> list[bool]:
    """Per word: is it in a sentence of an untagged quotation or of its cue (so it gets no label)?

    ``quotes``: :func:`untagged_quotes` of ``doc``, when already found.
    """
    mask = [False] * len(doc.tokens)
    bounds = list(doc.sentence_starts) + [len(doc.tokens)]
    for a, b, cue in untagged_quotes(doc) if quotes is None else quotes:
        lo, hi = min(a, cue), max(b - 1, cue)
        first = bounds[bisect.bisect_right(bounds, lo) - 1]
        last = bounds[bisect.bisect_right(bounds, hi)]
        for k in range(first, last):
            mask[k] = True
    return mask


def leave_out(tags: Sequence[Sequence[str]], masks: Sequence[Sequence[bool]]) -> list[list[str]]:
    """Each document's tags without the spans that touch a masked word (:func:`untagged_mask`).

    Applied to gold and prediction alike, it scores a system only where the gold is
    annotated: a quotation the gold left untagged is then neither missed nor spurious.
    """
    return [
        spans_to_iob2([sp for sp in iob2_spans(t) if not any(m[sp.start : sp.end])], len(t))
        for t, m in zip(tags, masks, strict=True)
    ]
