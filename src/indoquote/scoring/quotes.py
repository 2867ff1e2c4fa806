"""Scores against the quote-level gold of real articles: did we find each quotation, and who said it?

The gold (:mod:`indoquote.data.gold`) annotates quotations, not tags: each quotation's
character span, kind (direct / indirect), cue, speaker mention and the speaker's
fullest name. Scoring follows: a predicted quotation matches a gold one of the
same kind when they share at least half of the longer span (one-to-one);
attribution accuracy is the share of matched quotations given to the same
person (:func:`indoquote.scoring.metrics.same_speaker`); end-to-end F1 counts a
quotation only when its speaker is right too. Rows per outlet.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Mapping, Sequence

from ..data.gold import GoldArticle, Quote
from ..quotes.linker import speaker_route
from ..text.lexicon import COLLECTIVE_WORDS as GROUP_WORDS
from ..text.lexicon import ORGANISATION_WORDS, PRONOUNS
from .metrics import match_ranges, prf, same_speaker

MIN_WORDS = 4
"""The gold annotates quotations of at least this many words (``docs/annotation-format.md``); a shorter
predicted one (``"Setuju?"``, a slogan, a scare quote, or a real three-word remark) is outside what
the gold judges, so it is counted (``short_unscored``) but scored neither right nor wrong."""


def n_words(text: str) -> int:
    return sum(any(c.isalnum() for c in w) for w in text.split())


def _judged(gold: Sequence[Quote], pred: Sequence[Quote], kind: str, text: str = "") -> tuple[list, list, dict, list]:
    """Gold and scored predicted quotations of ``kind``, their matching, and the matched pairs whose gold names
    a speaker."""
    g = [q for q in gold if q.kind == kind]
    p = [q for q in pred if q.kind == kind and (not text or n_words(text[q.start : q.end]) >= MIN_WORDS)]
    match = match_ranges([(q.start, q.end) for q in g], [(q.start, q.end) for q in p], 0.5, longer=True)
    return g, p, match, [(g[i], p[j]) for i, j in match.items() if g[i].speaker]


def _counts(gold: Sequence[Quote], pred: Sequence[Quote], kind: str, text: str = "") -> dict[str, int]:
    g, p, match, judged = _judged(gold, pred, kind, text)
    short = sum(q.kind == kind for q in pred) - len(p)
    right = sum(same_speaker(a.speaker, b.speaker) for a, b in judged)
    return {"gold": len(g), "predicted": len(p), "matched": len(match), "judged": len(judged), "speaker_right": right,
            "short_unscored": short}


def summarize(c: Mapping[str, int]) -> dict[str, Any]:
    """Quotation P/R/F1, attribution accuracy on matched quotations, end-to-end P/R/F1 (percent)."""
    q = prf(c["matched"], c["predicted"], c["gold"])
    e2e = prf(c["speaker_right"], c["predicted"], c["gold"])
    acc = round(100 * c["speaker_right"] / c["judged"], 2) if c["judged"] else 0.0
    return {
        **dict(c),
        "quote_precision": q["precision"],
        "quote_recall": q["recall"],
        "quote_f1": q["f1"],
        "attribution_accuracy": acc,
        "e2e_f1": e2e["f1"],
    }


def score_quotes(
    articles: Sequence[GoldArticle], predicted: Mapping[str, Sequence[Quote]], kinds: Sequence[str] = ("direct",)
) -> dict[str, Any]:
    """Scores per kind, overall and per outlet: ``{kind: {"all": {...}, "outlets": {outlet: {...}}}}``."""
    out: dict[str, Any] = {}
    for kind in kinds:
        total: dict[str, int] = defaultdict(int)
        outlets: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for art in articles:
            c = _counts(art.quotes, predicted.get(art.id, []), kind, art.text)
            for k, v in c.items():
                total[k] += v
                outlets[art.outlet][k] += v
        out[kind] = {"all": summarize(total), "outlets": {o: summarize(c) for o, c in sorted(outlets.items())}}
    return out


def score_groups(
    articles: Sequence[GoldArticle], predicted: Mapping[str, Sequence[Quote]], kinds: Sequence[str], field: str
) -> dict[str, dict[str, Any]]:
    """Scores per value of a ``meta`` field (``genre``): ``{kind: {value: {...}}}``; articles without it are left
    out."""
    out: dict[str, dict[str, Any]] = {}
    for kind in kinds:
        groups: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for art in articles:
            if art.meta.get(field) is None:
                continue
            for k, v in _counts(art.quotes, predicted.get(art.id, []), kind, art.text).items():
                groups[str(art.meta[field])][k] += v
        out[kind] = {g: summarize(c) for g, c in sorted(groups.items())}
    return out


def confidence_pairs(
    articles: Sequence[GoldArticle], predicted: Mapping[str, Sequence[Quote]], kind: str = "direct"
) -> list[tuple[float, bool]]:
    """``(confidence, speaker right)`` of every matched quotation whose gold names a speaker and whose system
    gave a confidence: what :func:`indoquote.scoring.calibration.calibration_summary` measures."""
    return [(c, right) for c, right, _ in confidence_routes(articles, predicted, kind)]


def confidence_routes(
    articles: Sequence[GoldArticle], predicted: Mapping[str, Sequence[Quote]], kind: str = "direct"
) -> list[tuple[float, bool, str]]:
    """:func:`confidence_pairs` with the route of each pick (:func:`indoquote.quotes.linker.speaker_route`: named
    at the cue, or read from the context), so that each route's confidence can be mapped on its own."""
    out = []
    for art in articles:
        *_, judged = _judged(art.quotes, predicted.get(art.id, []), kind, art.text)
        out += [(b.confidence, same_speaker(a.speaker, b.speaker), speaker_route(art.text, b.speaker_mention, b.cue))
                for a, b in judged if b.confidence is not None]
    return out


CAUSES = ("name at the cue", "title", "pronoun", "-nya chain", "no cue", "collective")
"""How a gold quotation names its speaker: the error classes of attribution (issue: who said it)."""
COLLECTIVE_WORDS = GROUP_WORDS | {"tim", "warga", "para", "kuasa"} | ORGANISATION_WORDS


def cause(q: Quote, text: str) -> str:
    """The way ``q``'s gold attribution is written, one of :data:`CAUSES`."""
    words = (q.speaker or "").split()
    if words and (words[0][:1].islower() or words[0].casefold() in COLLECTIVE_WORDS):
        return "collective"
    if q.cue is None:
        return "no cue"
    if q.speaker_mention is None:
        return "-nya chain" if text[q.cue[0] : q.cue[1]].casefold().endswith("nya") else "no cue"
    mention = text[q.speaker_mention[0] : q.speaker_mention[1]]
    if mention.casefold() in PRONOUNS:
        return "pronoun"
    if not same_speaker(mention, q.speaker):
        return "title"
    return "name at the cue"


def attribution_by_cause(
    articles: Sequence[GoldArticle], predicted: Mapping[str, Sequence[Quote]], kind: str = "direct"
) -> dict[str, dict[str, int]]:
    """``{cause: {"judged", "right"}}``: attribution of matched gold quotations, by :func:`cause`."""
    out = {c: {"judged": 0, "right": 0} for c in CAUSES}
    for art in articles:
        g = [q for q in art.quotes if q.kind == kind]
        p = [q for q in predicted.get(art.id, []) if q.kind == kind]
        for i, j in match_ranges([(q.start, q.end) for q in g], [(q.start, q.end) for q in p], 0.5, longer=True).items():
            if g[i].speaker:
                c = out[cause(g[i], art.text)]
                c["judged"] += 1
                c["right"] += same_speaker(g[i].speaker, p[j].speaker)
    return out


def attribution_errors(
    articles: Sequence[GoldArticle], predicted: Mapping[str, Sequence[Quote]], kinds: Sequence[str] = ("direct",)
) -> list[dict[str, Any]]:
    """Every matched quotation given to the wrong person, with what a reader needs to see why (for
    ``attribution_errors.jsonl``: read the tune part's, never the held-out part's, while developing)."""
    out = []
    for art in articles:
        for kind in kinds:
            *_, judged = _judged(art.quotes, predicted.get(art.id, []), kind, art.text)
            for a, b in judged:
                if same_speaker(a.speaker, b.speaker):
                    continue
                cue = art.text[a.cue[0] : a.cue[1]] if a.cue else None
                out.append({"article": art.id, "outlet": art.outlet, "kind": kind, "cause": cause(a, art.text),
                            "quote": art.text[a.start : a.end][:160], "cue": cue, "gold": a.speaker,
                            "predicted": b.speaker, "confidence": b.confidence,
                            "context": art.text[max(0, a.start - 200) : min(len(art.text), a.end + 120)]})
    return out
