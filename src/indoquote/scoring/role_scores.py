"""Role and affiliation of the quotations whose speaker is right: exact match and token F1 (issue #33).

A report of who is quoted is read by role and affiliation (ministers against activists), so
they are scored on their own, on the quotations where the rest is right: a predicted direct
quotation matched to a gold one (:func:`indoquote.scoring.quotes._judged`) whose speaker is
the gold speaker. Two measures per field, overall and per outlet:

- **exact**: the normalised texts are equal (:func:`normalise_title`: casefolded, whitespace
  collapsed, punctuation stripped at both ends, so ``Sekjen,`` is ``sekjen``);
- **token F1 >= 0.5**: the words of the two texts overlap enough (bag of words, F1 of
  precision and recall over the normalised words), so ``Kapolres`` against ``Kapolres
  Sarolangun`` counts (F1 0.67), ``Bahkan`` against ``Menteri Keuangan`` does not.

Null counts as a value: gold null and prediction null is right (exact and F1 1.0: the article
gives no role and none was invented); one null and the other not is wrong (F1 0.0).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any, Mapping, Sequence

from ..data.gold import GoldArticle, Quote
from .metrics import same_speaker
from .quotes import _judged

FIELDS = ("role", "affiliation")
F1_BAR = 0.5
"""Token F1 at or above which a role counts as right enough (the issue's measure)."""

_EDGE = "\"'“”‘’()[]{}.,;:!?-–—/ "


def normalise_title(text: str | None) -> str | None:
    """Casefolded, whitespace collapsed, punctuation stripped at the ends; None (or nothing left) is None."""
    if text is None:
        return None
    out = " ".join(text.casefold().split()).strip(_EDGE)
    return out or None


def title_words(text: str | None) -> list[str]:
    """The words of a normalised title, each stripped of punctuation at its ends (``(BKPM)`` -> ``bkpm``)."""
    norm = normalise_title(text)
    return [w for w in (x.strip(_EDGE) for x in (norm or "").split()) if w]


def token_f1(gold: str | None, pred: str | None) -> float:
    """Bag-of-words F1 of two titles; 1.0 when both are null, 0.0 when only one is."""
    g, p = title_words(gold), title_words(pred)
    if not g or not p:
        return float(not g and not p)
    shared = sum((Counter(g) & Counter(p)).values())
    if not shared:
        return 0.0
    precision, recall = shared / len(p), shared / len(g)
    return 2 * precision * recall / (precision + recall)


def exact_match(gold: str | None, pred: str | None) -> bool:
    """Equal after :func:`normalise_title` (both null is a match)."""
    return normalise_title(gold) == normalise_title(pred)


def _pairs(gold: Sequence[Quote], pred: Sequence[Quote], text: str, kind: str) -> list[tuple[Quote, Quote]]:
    """Matched quotations whose predicted speaker is the gold one."""
    *_, judged = _judged(gold, pred, kind, text)
    return [(g, p) for g, p in judged if same_speaker(g.speaker, p.speaker)]


def _add(counts: dict[str, float], pairs: Sequence[tuple[Quote, Quote]]) -> None:
    counts["speaker_right"] += len(pairs)
    for g, p in pairs:
        for name in FIELDS:
            gold, pred = getattr(g, name), getattr(p, name)
            f1 = token_f1(gold, pred)
            counts[f"{name}_exact"] += exact_match(gold, pred)
            counts[f"{name}_f1_ok"] += f1 >= F1_BAR
            counts[f"{name}_f1_sum"] += f1
            counts[f"{name}_gold_null"] += normalise_title(gold) is None
            counts[f"{name}_pred_null"] += normalise_title(pred) is None


def summarize_titles(c: Mapping[str, float]) -> dict[str, Any]:
    """Shares in percent of the speaker-right quotations: ``role_exact``, ``role_f1_ok`` (token F1 >= 0.5),
    ``role_mean_f1``, the same for ``affiliation``, and the counts they come from."""
    n = int(c.get("speaker_right", 0))
    out: dict[str, Any] = {"speaker_right": n}
    for name in FIELDS:
        for key in ("exact", "f1_ok", "gold_null", "pred_null"):
            out[f"{name}_{key}_n"] = int(c.get(f"{name}_{key}", 0))
        out[f"{name}_exact"] = round(100 * c.get(f"{name}_exact", 0) / n, 2) if n else 0.0
        out[f"{name}_f1_ok"] = round(100 * c.get(f"{name}_f1_ok", 0) / n, 2) if n else 0.0
        out[f"{name}_mean_f1"] = round(100 * c.get(f"{name}_f1_sum", 0) / n, 2) if n else 0.0
    return out


def score_titles(
    articles: Sequence[GoldArticle], predicted: Mapping[str, Sequence[Quote]], kind: str = "direct"
) -> dict[str, Any]:
    """Role and affiliation scores of speaker-right quotations: ``{"all": {...}, "outlets": {outlet: {...}}}``."""
    total: dict[str, float] = defaultdict(float)
    outlets: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for art in articles:
        pairs = _pairs(art.quotes, predicted.get(art.id, []), art.text, kind)
        _add(total, pairs)
        _add(outlets[art.outlet], pairs)
    return {"all": summarize_titles(total), "outlets": {o: summarize_titles(c) for o, c in sorted(outlets.items())}}


def title_errors(
    articles: Sequence[GoldArticle], predicted: Mapping[str, Sequence[Quote]], kind: str = "direct"
) -> list[dict[str, Any]]:
    """Every speaker-right quotation whose role or affiliation is not an exact match: what to read when tuning."""
    out = []
    for art in articles:
        for g, p in _pairs(art.quotes, predicted.get(art.id, []), art.text, kind):
            if not all(exact_match(getattr(g, f), getattr(p, f)) for f in FIELDS):
                pair = {f"gold_{f}": getattr(g, f) for f in FIELDS} | {f"pred_{f}": getattr(p, f) for f in FIELDS}
                out.append({"article": art.id, "outlet": art.outlet, "start": g.start, "speaker": g.speaker, **pair})
    return out
