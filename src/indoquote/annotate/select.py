"""Which articles to annotate first: the ones where the model is least sure (``--select uncertain``).

Three signs, each counted in quotations, so an article's score estimates how many of its
quotations the model may have wrong:

- ``low_confidence``: the sum over its direct quotations of 1 - the linker's probability for the
  speaker it picked (a quotation the rules attributed, with no probability, adds nothing);
- ``disagreements``: quotations whose speaker the linker and the rules (the same tags, attributed
  by :mod:`indoquote.quotes.attribute`) name differently;
- ``silent``: quotations the rule baseline finds (:func:`indoquote.scoring.evaluate.rule_quotes`) where the
  tagger tagged none: the windows where it went silent.

``random`` picks the same number by a seeded shuffle, the baseline to compare with
(``bench/select_uncertain.py``).
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass
from typing import Any, Sequence

from ..quotes.attribute import quote_records
from ..scoring.metrics import same_speaker

METHODS = ("uncertain", "random")


@dataclass
class Uncertainty:
    id: str
    low_confidence: float
    disagreements: int
    silent: int

    @property
    def score(self) -> float:
        return round(self.low_confidence + self.disagreements + self.silent, 4)

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "score": self.score}


def _overlaps(a: tuple[int, int], spans: Sequence[tuple[int, int]]) -> bool:
    return any(a[0] < e and s < a[1] for s, e in spans)


def uncertainty(tagged: Any) -> Uncertainty:
    """The signs of doubt of one tagged article (a :class:`indoquote.pipeline.tagger.TaggedArticle`)."""
    from ..scoring.evaluate import rule_quotes

    direct = [r for r in tagged.records if r.kind == "direct"]
    low = sum(1 - r.confidence for r in direct if r.confidence is not None)
    rules = {(r.start, r.end): r.speaker for r in quote_records(tagged.text, tagged.tokens, tagged.tags,
                                                                  tagged.sentence_starts) if tagged.tokens}
    differ = sum(
        (r.start, r.end) in rules and bool(r.speaker or rules[(r.start, r.end)])
        and not same_speaker(r.speaker, rules[(r.start, r.end)])
        for r in direct
    )
    found = [(r.start, r.end) for r in direct]
    silent = sum(not _overlaps((q.start, q.end), found) for q in rule_quotes(tagged.text))
    return Uncertainty(tagged.id, round(low, 4), int(differ), silent)


def select(scores: Sequence[Uncertainty], n: int, method: str = "uncertain", seed: int = 0) -> list[str]:
    """Ids of ``n`` articles: the highest scores (ties in input order), or a seeded random sample."""
    if method not in METHODS:
        raise ValueError(f"--select must be one of {METHODS}, got {method!r}")
    if n < 0:
        raise ValueError(f"--n must be at least 0, got {n}")
    ids = [s.id for s in scores]
    if method == "random":
        return random.Random(seed).sample(ids, min(n, len(ids)))
    order = sorted(range(len(scores)), key=lambda i: (-scores[i].score, i))
    return [ids[i] for i in order[:n]]
