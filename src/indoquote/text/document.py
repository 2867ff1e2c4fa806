"""The one shape every text takes inside indoquote: a document of tokens with IOB2 tags.

Corpus readers (:mod:`indoquote.data.corpus`), annotated articles (:mod:`indoquote.text.articles`)
and scoring all pass :class:`Document` s; it lives below them so that none of them imports another's reader.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field


@dataclass
class Document:
    """A news article as tokens with IOB2 tags; ``sentence_starts`` keeps the sentence breaks."""

    doc_id: str
    tokens: list[str]
    tags: list[str]
    sentence_starts: list[int] = field(default_factory=lambda: [0])
    pred: list[str] | None = None  # a system's tags, when read back from ``predictions.conll``

    @property
    def gold(self) -> list[str]:
        return self.tags

    @property
    def sentences(self) -> list[tuple[list[str], list[str]]]:
        bounds = list(self.sentence_starts) + [len(self.tokens)]
        return [(self.tokens[a:b], self.tags[a:b]) for a, b in zip(bounds, bounds[1:])]

    def content_key(self) -> str:
        return hashlib.sha1("\n".join(self.tokens).encode()).hexdigest()

    def dedup_key(self) -> str:
        """The lead (ISSUE span) identifies an article: the corpus files repeat articles,
        sometimes with a dateline more or a following article run on."""
        lead = [tok for tok, tag in zip(self.tokens, self.tags) if tag.endswith("-ISSUE")]
        return hashlib.sha1("\n".join(lead).encode()).hexdigest() if lead else self.content_key()
