"""Quote-level gold for real articles and its scores: did we find each quotation, and who said it?

The real-outlet development set (``data/dev-articles/*.jsonl``, format in
``docs/annotation-format.md``) annotates quotations, not tags: each quotation's
character span, kind (direct / indirect), cue, speaker mention and the speaker's
fullest name. Scoring follows: a predicted quotation matches a gold one of the
same kind when they share at least half of the longer span (one-to-one);
attribution accuracy is the share of matched quotations given to the same
person (:func:`indoquote.metrics.same_speaker`); end-to-end F1 counts a
quotation only when its speaker is right too. Rows per outlet.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from .articles import iter_json_articles
from .lexicon import COLLECTIVE_WORDS as GROUP_WORDS, ORGANISATION_WORDS, PRONOUNS
from .metrics import match_ranges, prf, same_speaker

KINDS = ("direct", "indirect")


class GoldError(ValueError):
    """A malformed gold line; the message names ``file:line``."""


@dataclass(frozen=True)
class Quote:
    """One quotation: gold, or read from a system's quote records."""

    kind: str
    start: int
    end: int
    speaker: str | None = None
    cue: tuple[int, int] | None = None
    speaker_mention: tuple[int, int] | None = None
    role: str | None = None
    affiliation: str | None = None


@dataclass
class GoldArticle:
    id: str
    text: str
    outlet: str
    quotes: list[Quote]
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def part(self) -> str:
        """``"heldout"`` for about a third of the articles (fixed by a hash of the id), else ``"tune"``.

        Held-out articles are kept out of every choice made while building models
        (thresholds, rules, recipes): their scores are the ones to report. A gold file may fix the
        part itself (``meta.part``, as ``data/genre-articles`` does, stratified by outlet and genre).
        """
        fixed = self.meta.get("part")
        if fixed in ("heldout", "tune"):
            return str(fixed)
        return "heldout" if int(hashlib.sha1(self.id.encode()).hexdigest(), 16) % 3 == 0 else "tune"


PARTS = ("all", "tune", "heldout")


def select_part(articles: Sequence[GoldArticle], part: str) -> list[GoldArticle]:
    """The articles of one part of the development set (``all``, ``tune`` or ``heldout``)."""
    if part not in PARTS:
        raise ValueError(f"data.part must be one of {PARTS}, got {part!r}")
    return [a for a in articles if part == "all" or a.part == part]


def _span(obj: Any, text: str, where: str, what: str) -> tuple[int, int] | None:
    if obj is None:
        return None
    try:
        a, b = int(obj["start"]), int(obj["end"])
    except (TypeError, KeyError, ValueError):
        raise GoldError(f"{where}: {what} needs integer start and end") from None
    if not 0 <= a < b <= len(text):
        raise GoldError(f"{where}: {what} [{a}, {b}) is outside the text (0..{len(text)})")
    if "text" in obj and text[a:b] != obj["text"]:
        raise GoldError(f"{where}: {what} text {obj['text']!r} differs from the article's {text[a:b]!r}")
    return a, b


def read_gold(path: str | Path) -> list[GoldArticle]:
    """Articles with quote-level gold; every problem names ``file:line`` and the article."""
    out: list[GoldArticle] = []
    for where, obj in iter_json_articles(path):
        where = f"{where} ({obj['id']})"
        if not isinstance(obj.get("quotes"), list):
            raise GoldError(f'{where}: "quotes" must be a list ([] for an article with no quotation)')
        text = obj["text"]
        quotes = []
        for k, q in enumerate(obj["quotes"]):
            at = f"{where} quote {k}"
            if q.get("kind") not in KINDS:
                raise GoldError(f"{at}: kind must be one of {KINDS}, got {q.get('kind')!r}")
            span = _span(q, text, at, "quotation")
            assert span is not None
            quotes.append(
                Quote(q["kind"], span[0], span[1], q.get("speaker"), _span(q.get("cue"), text, at, "cue"),
                      _span(q.get("speaker_mention"), text, at, "speaker_mention"), q.get("role"), q.get("affiliation"))
            )
        meta = dict(obj.get("meta") or {})
        if meta.get("part") not in (None, "heldout", "tune"):
            raise GoldError(f'{where}: meta.part must be "heldout" or "tune", got {meta["part"]!r}')
        out.append(GoldArticle(obj["id"], text, str(meta.get("outlet", "unknown")), sorted(quotes, key=lambda q: q.start), meta))
    return out


def read_gold_files(paths: Iterable[str | Path]) -> list[GoldArticle]:
    arts = [a for p in paths for a in read_gold(p)]
    ids = [a.id for a in arts]
    dup = sorted({i for i in ids if ids.count(i) > 1})
    if dup:
        raise GoldError(f"article ids repeated across files: {dup[:5]}")
    return arts


def from_records(records: Iterable[Any], kind: str = "direct") -> list[Quote]:
    """Quotes from :class:`~indoquote.records.QuoteRecord` s (``kind`` where a record has none)."""
    return [Quote(getattr(r, "kind", kind) or kind, r.start, r.end, r.speaker) for r in records]


MIN_WORDS = 4
"""The gold annotates quotations of at least this many words (``docs/annotation-format.md``); a shorter
predicted one (``"Setuju?"``, a slogan, a scare quote, or a real three-word remark) is outside what
the gold judges, so it is counted (``short_unscored``) but scored neither right nor wrong."""


def n_words(text: str) -> int:
    return sum(any(c.isalnum() for c in w) for w in text.split())


def _counts(gold: Sequence[Quote], pred: Sequence[Quote], kind: str, text: str = "") -> dict[str, int]:
    g = [q for q in gold if q.kind == kind]
    p = [q for q in pred if q.kind == kind and (not text or n_words(text[q.start : q.end]) >= MIN_WORDS)]
    short = sum(q.kind == kind for q in pred) - len(p)
    match = match_ranges([(q.start, q.end) for q in g], [(q.start, q.end) for q in p], 0.5, longer=True)
    judged = [(g[i], p[j]) for i, j in match.items() if g[i].speaker]
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
