"""How exactly the quotation spans were found: strict (same boundaries) and partial (any overlap) P/R/F1.

The quote-level score of :mod:`indoquote.scoring.quotes` asks for half of the longer span; these two bound it from
either side. Strict: the same characters once whitespace and the punctuation at either end (``.,;:``) are set aside
(the gold leaves the full stop out of indirect speech, and a comma before ``kata``). Partial: any shared character.
Both match one-to-one, as every quote-level score does.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from ..data.gold import GoldArticle, Quote
from .metrics import match_ranges, prf

EDGE = " \t\n.,;:"


def trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """``[start, end)`` without whitespace and ``.,;:`` at its two ends."""
    while start < end and text[start] in EDGE:
        start += 1
    while end > start and text[end - 1] in EDGE:
        end -= 1
    return start, end


def span_counts(gold: Sequence[Quote], pred: Sequence[Quote], text: str) -> dict[str, int]:
    """``{"gold", "predicted", "strict", "overlap"}`` of one article and one kind."""
    g = [trimmed(text, q.start, q.end) for q in gold]
    p = [trimmed(text, q.start, q.end) for q in pred]
    strict = match_ranges(g, p, 1.0, longer=True)  # all of the longer span shared: the same boundaries
    loose = match_ranges(g, p, 1e-9)
    return {"gold": len(g), "predicted": len(p), "strict": len(strict), "overlap": len(loose)}


def span_scores(
    articles: Sequence[GoldArticle], predicted: Mapping[str, Sequence[Quote]], kinds: Sequence[str]
) -> dict[str, dict[str, Any]]:
    """``{kind: {"strict": P/R/F1, "overlap": P/R/F1, counts}}`` over every article.

    Predictions are those :func:`indoquote.scoring.quotes.score_quotes` judges (the same minimum length)."""
    from .quotes import MIN_WORDS, n_words

    out: dict[str, dict[str, Any]] = {}
    for kind in kinds:
        total = {"gold": 0, "predicted": 0, "strict": 0, "overlap": 0}
        for art in articles:
            g = [q for q in art.quotes if q.kind == kind]
            p = [q for q in predicted.get(art.id, []) if q.kind == kind
                 and n_words(art.text[q.start : q.end]) >= MIN_WORDS]
            for k, v in span_counts(g, p, art.text).items():
                total[k] += v
        out[kind] = {**total, "strict": prf(total["strict"], total["predicted"], total["gold"]),
                     "overlap": prf(total["overlap"], total["predicted"], total["gold"]),
                     "strict_matched": total["strict"], "overlap_matched": total["overlap"]}
    return out
