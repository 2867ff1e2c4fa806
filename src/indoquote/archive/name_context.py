"""What the quotations of a name form say: the context the identity pass weighs when names alone do not decide.

Two spellings of one name (``Iman Nahrawi`` / ``Imam Nahrawi``) or a lone surname (``Nahrawi``) are one person
only when something beyond the letters says so. The archive holds two such things, kept here per name form
(the canonical key of :func:`indoquote.archive.speaker_names.canon`):

- **the same quotation** (:meth:`QuoteContext.shared_quotations`): one long quotation (a ``quote_cluster_id`` of
  :func:`indoquote.archive.quote_clusters.text_clusters`, at least :data:`SAME_QUOTE_WORDS` words) attributed to
  both forms, in different articles: one outlet wrote ``kata Imam Nahrawi``, another ``ujar Nahrawi``;
- **similar quotations** (:meth:`QuoteContext.similarity`): the cosine of the TF-IDF word vectors of their
  quotations. A minister's quotations share their words (``Natuna``, ``kapal``, ``nelayan``); a celebrity and a
  politician whose names differ by one letter (``Aldi Taher``, ``Ali Taher``) do not.

It also keeps the article's title where the archive has one (:data:`TITLE_COLUMNS`), in the words names are
compared in: ``Shandy Aulia Ingin Melahirkan`` names the ``Shandy`` quoted in that article.

On the real archive of ``docs/results.md`` (5,000 articles), 2.7% of the pairs of different people (two names of
one surname whose roles conflict) reach a similarity of :data:`TOPIC_MIN` (``bench/identity_topic_null.py``); most
spelling variants of one person reach it (``docs/results.md``, the hand check).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Iterable

from .quote_clusters import fold
from .speaker_names import canon_words

TOPIC_MIN = 0.1
"""Least cosine of the quotations of two forms taken as evidence that they are one person (with a name that
fits: a spelling variant, a lone word of the name)."""
TOPIC_MARGIN = 0.5
"""A one-word form with several candidates joins the best only when the next reaches at most this share of it."""
SAME_QUOTE_WORDS = 8
"""Words a quotation needs to count as evidence of one speaker when two forms share it (``Terima kasih banyak
semuanya`` is said by many)."""
TITLE_COLUMNS = ("title", "headline", "judul")
"""Columns of an article's title, found by name: a title that gives one candidate's full name settles a lone word."""
TITLE_MIN = 0.05
"""Least cosine of an article's title with the titles of a person's articles taken as evidence that a short form
linked to that person by one article only is theirs there (``docs/results.md``: on the real archive, the lone
given names moved on one link to a person of another story had title cosines of 0 to 0.02, those of the same
person 0.07 and above)."""
MIN_WORD = 3
"""Shorter words (``di``, ``ke``, ``ya``) carry no topic."""


@dataclass
class QuoteContext:
    """Word counts and long quotation clusters per name form, and per one-word form in one article."""

    bags: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    article_bags: dict[tuple, Counter] = field(default_factory=lambda: defaultdict(Counter))
    clusters: dict[str, dict[str, set]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(set)))
    row_cluster: dict = field(default_factory=dict)
    article_keys: dict = field(default_factory=lambda: defaultdict(set))
    key_clusters: dict[str, set] = field(default_factory=lambda: defaultdict(set))
    titles: dict = field(default_factory=dict)  # article -> its title as names are compared, `` canon words ``
    idf: dict[str, float] = field(default_factory=dict)
    title_idf: dict[str, float] = field(default_factory=dict)

    @classmethod
    def build(cls, index: Iterable, keys: Iterable[str], articles: Iterable, quotes: Iterable,
              long_ids: Iterable, titles: Iterable | None = None) -> QuoteContext:
        """From the quotation rows: their index, name key, article, text, :func:`text_clusters` id and, where the
        archive has one, the article's title."""
        ctx = cls()
        articles = list(articles)
        for art, title in zip(articles, titles if titles is not None else ()):
            if isinstance(title, str) and art not in ctx.titles:
                ctx.titles[art] = f" {canon_words(title)} "
        title_df = Counter(w for t in ctx.titles.values() for w in set(t.split()) if len(w) >= MIN_WORD)
        ctx.title_idf = {w: math.log(max(len(ctx.titles), 1) / c) for w, c in title_df.items()}
        df: Counter = Counter()
        for i, k, art, q, cid in zip(index, keys, articles, quotes, long_ids):
            words = [w for w in fold(q).split() if len(w) >= MIN_WORD] if isinstance(q, str) else []
            ctx.bags[k].update(words)
            if len(k.split()) == 1:
                ctx.article_bags[(k, art)].update(words)
            ctx.article_keys[art].add(k)
            if isinstance(cid, str) and len(fold(q).split()) >= SAME_QUOTE_WORDS:
                ctx.clusters[cid][k].add(art)
                ctx.row_cluster[i] = cid
        for cid, by in ctx.clusters.items():
            for k in by:
                ctx.key_clusters[k].add(cid)
        for bag in ctx.bags.values():
            df.update(bag.keys())
        n = max(len(ctx.bags), 1)
        ctx.idf = {w: math.log(n / c) for w, c in df.items()}
        return ctx

    def group_bag(self, keys: Iterable[str]) -> Counter:
        """The words of every form of a person."""
        out: Counter = Counter()
        for k in keys:
            out.update(self.bags.get(k, {}))
        return out

    def similarity(self, a: Counter, b: Counter) -> float:
        """The cosine of two word counts, as TF-IDF vectors (sublinear counts)."""
        va, vb = self._vector(a), self._vector(b)
        if len(va) > len(vb):
            va, vb = vb, va
        dot = sum(x * vb.get(w, 0.0) for w, x in va.items())
        norm = math.sqrt(sum(x * x for x in va.values())) * math.sqrt(sum(x * x for x in vb.values()))
        return dot / norm if norm else 0.0

    def _vector(self, bag: Counter, idf: dict[str, float] | None = None) -> dict[str, float]:
        idf = self.idf if idf is None else idf
        return {w: (1 + math.log(c)) * idf.get(w, 0.0) for w, c in bag.items() if c > 0}

    def title_similarity(self, art, others: Iterable) -> float:
        """The cosine (TF-IDF over titles) of an article's title with the titles of ``others``: are they on one
        story?"""
        mine = self._title_bag([art])
        theirs = self._title_bag(o for o in others if o != art)
        va, vb = self._vector(mine, self.title_idf), self._vector(theirs, self.title_idf)
        dot = sum(x * vb.get(w, 0.0) for w, x in va.items())
        norm = math.sqrt(sum(x * x for x in va.values())) * math.sqrt(sum(x * x for x in vb.values()))
        return dot / norm if norm else 0.0

    def title_count(self, word: str) -> int:
        """How many of the archive's titles hold ``word``."""
        return round(len(self.titles) * math.exp(-self.title_idf[word])) if word in self.title_idf else 0

    def _title_bag(self, arts: Iterable) -> Counter:
        return Counter(w for a in arts for w in self.titles.get(a, "").split() if len(w) >= MIN_WORD)

    def shared_quotations(self, a: Iterable[str], b: Iterable[str]) -> list[str]:
        """Clusters quoted under a form of ``a`` in one article and under a form of ``b`` in another."""
        a, b = set(a), set(b)
        out = []
        for cid in {c for k in a for c in self.key_clusters.get(k, ())}:
            by = self.clusters[cid]
            arts_a = set().union(*(by[k] for k in a if k in by))
            arts_b = set().union(*(by[k] for k in b if k in by))
            if arts_a and arts_b and len(arts_a | arts_b) > 1:
                out.append(cid)
        return sorted(out)


__all__ = ["SAME_QUOTE_WORDS", "TITLE_COLUMNS", "TITLE_MIN", "TOPIC_MARGIN", "TOPIC_MIN", "QuoteContext"]
