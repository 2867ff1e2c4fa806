"""One quotation across articles and outlets: a ``quote_cluster_id`` shared by its copies.

Wire copy travels: an ANTARA quotation reprinted by five outlets is one thing
said, five appearances. Copies differ in their marks (``“…”`` / ``"…"``), in
where an editor cut them (a trimmed end, a dropped first clause) and in small
edits (a typo fixed, a word changed). :func:`cluster_quotes` links them:

- the text is folded (:func:`fold`: case, accents, every kind of quotation mark
  and apostrophe, punctuation, spaces), and equal folded texts are one quotation;
- longer texts (at least :data:`MIN_WORDS` words) are compared by MinHash over
  character 5-grams (``datasketch``, 64 permutations, CRC-32 as the hash: the same
  on every run; LSH finds candidates above
  :data:`LSH_THRESHOLD`), and a candidate joins when most of the shorter text's
  5-grams are in the longer one (containment >= :data:`MIN_CONTAINMENT`), so a
  trimmed copy still joins its full text;
- short texts (``"Terima kasih"``) join only equal texts of the same speaker:
  two people saying the same two words did not say one quotation.

The id is ``q`` and 12 hex digits of the SHA-1 of the cluster's longest folded
text, so it does not depend on the order of the rows.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zlib
from collections import defaultdict
from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:
    import pandas as pd

SHINGLE = 5
MIN_WORDS = 5
LSH_THRESHOLD = 0.3
MIN_CONTAINMENT = 0.8
NUM_PERM = 64


def fold(text: str) -> str:
    """The words of a quotation, compared across outlets: no marks, case, accents or punctuation."""
    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"['’‘`´]", "", text)
    return " ".join(re.sub(r"[^\w]+|_", " ", text).split())


def shingles(folded: str, k: int = SHINGLE) -> set[str]:
    """Character ``k``-grams (the whole text when shorter)."""
    return {folded[i : i + k] for i in range(max(1, len(folded) - k + 1))}


def text_clusters(quotes: Sequence[str | None]) -> list[str | None]:
    """The ``quote_cluster_id`` of each quotation of :data:`MIN_WORDS` words or more, whoever said it (None for
    shorter or empty texts).

    These ids do not depend on the speakers, so the identity pass can read them as evidence before it settles who
    is who (:mod:`indoquote.archive.name_context`): one long quotation attributed to two name forms.
    """
    folded = [fold(q) if isinstance(q, str) else "" for q in quotes]
    long = sorted({f for f in folded if len(f.split()) >= MIN_WORDS})
    parent = {k: k for k in long}

    def find(k):
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for a, b in _near_pairs(long):
        ra, rb = find(long[a]), find(long[b])
        if ra != rb:
            parent[ra] = rb
    members: dict = defaultdict(list)
    for k in long:
        members[find(k)].append(k)
    ids = {}
    for ks in members.values():
        cid = _cluster_id(max(ks, key=lambda k: (len(k), k)))
        for k in ks:
            ids[k] = cid
    return [ids.get(f) for f in folded]


def cluster_quotes(
    quotes: Sequence[str | None],
    speakers: Sequence[str | None] | None = None,
    long_ids: Sequence[str | None] | None = None,
) -> list[str | None]:
    """A ``quote_cluster_id`` per quotation (None where the text is empty); ``speakers`` keep short ones apart.

    ``long_ids`` are the :func:`text_clusters` of ``quotes`` where the caller has them already.
    """
    long_ids = list(long_ids) if long_ids is not None else text_clusters(quotes)
    speakers = list(speakers) if speakers is not None else [None] * len(long_ids)
    out: list[str | None] = []
    for q, cid, who in zip(quotes, long_ids, speakers):
        f = fold(q) if isinstance(q, str) else ""
        if cid is None and f:  # a short text: one quotation only with the same speaker
            cid = _cluster_id(f if who is None else f"{f}\x00{who}")
        out.append(cid)
    return out


def _cluster_id(seed: str) -> str:
    return "q" + hashlib.sha1(seed.encode("utf-8")).hexdigest()[:12]


def _near_pairs(texts: Sequence[str]) -> list[tuple[int, int]]:
    """Index pairs of texts whose shorter one is mostly contained in the longer (MinHash LSH, then checked).

    Each text queries the index before it joins it, so its MinHash is dropped at once; the 5-grams are kept as
    sorted CRC-32 arrays (4 bytes each) for the check.
    """
    if len(texts) < 2:
        return []
    import numpy as np
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    seed = MinHash(num_perm=NUM_PERM)  # its permutations are shared by every MinHash below
    shared = {"permutations": seed.permutations, **({"scheme": seed.scheme} if hasattr(seed, "scheme") else {})}
    grams: list = []
    pairs = []
    for i, text in enumerate(texts):
        hashed = np.unique(np.fromiter((zlib.crc32(g.encode("utf-8")) for g in shingles(text)), dtype=np.uint64))
        m = MinHash(num_perm=NUM_PERM, hashfunc=int, **shared)
        m.update_batch(hashed.tolist())  # the CRC-32 values are the hashes
        for j in lsh.query(m):
            common = np.intersect1d(hashed, grams[j], assume_unique=True).size
            if common / min(hashed.size, grams[j].size) >= MIN_CONTAINMENT:
                pairs.append((j, i))
        lsh.insert(i, m, check_duplication=False)
        grams.append(hashed.astype(np.uint32))
    return pairs


def annotate(
    quotes: pd.DataFrame, speaker_ids: pd.Series | None = None, long_ids: pd.Series | None = None
) -> pd.Series:
    """``quote_cluster_id`` for the rows of a quotation table (``quote`` column; rows without one get None);
    ``long_ids``: their :func:`text_clusters`, where already computed."""
    import pandas as pd

    speakers = speaker_ids.reindex(quotes.index).tolist() if speaker_ids is not None else None
    known = long_ids.reindex(quotes.index).tolist() if long_ids is not None else None
    return pd.Series(cluster_quotes(quotes["quote"].tolist(), speakers, known), index=quotes.index, dtype=object)


__all__ = ["MIN_CONTAINMENT", "MIN_WORDS", "annotate", "cluster_quotes", "fold", "shingles", "text_clusters"]
