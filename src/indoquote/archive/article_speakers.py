"""Speakers linked within one article: the per-article people of ``indoquote report``.

A shorter name (``Widodo``, ``Retno``) joins the one longer name of the same
article it is a run of whole words of (:func:`indoquote.scoring.metrics.same_speaker`);
links are never made across articles. The report counts these people with
``--no-identity``, and the identity pass (:mod:`indoquote.archive.identity`) starts
from them.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Iterable

from ..scoring.metrics import same_speaker

if TYPE_CHECKING:
    import pandas as pd


_EDGE = re.compile(r"^[\W_]+|[\W_]+$")


def name_key(name: str) -> str:
    """A speaker name compared case-insensitively, whitespace collapsed, punctuation at the ends dropped."""
    return _EDGE.sub("", " ".join(name.casefold().split()))


def link_names(keys: Iterable[str]) -> dict[str, str]:
    """Within one article: each name key -> the key of the person it names.

    A key joins the longer keys of the article that contain it as a run of
    whole words (:func:`~indoquote.scoring.metrics.same_speaker`) when they all name one
    person (``Widodo`` -> ``Joko Widodo`` -> ``Ir. H. Joko Widodo``); with two
    people to choose from, or none, it stays itself.
    """
    final: dict[str, str] = {}
    for k in sorted(set(keys), key=lambda k: (-len(k.split()), k)):  # longer names are settled first
        n = len(k.split())
        targets = {final[j] for j in final if len(j.split()) > n and same_speaker(k, j)}
        final[k] = targets.pop() if len(targets) == 1 else k
    return final


def cluster_speakers(quotes: pd.DataFrame) -> pd.Series:
    """The person key of each quotation with a speaker (``article_id``, ``speaker`` columns), linked per article."""
    import pandas as pd

    keys = quotes["speaker"].map(name_key)
    pairs = pd.DataFrame({"a": quotes["article_id"], "k": keys}).drop_duplicates()
    counts = pairs.groupby("a")["k"].transform("size")
    person = {}
    for article, group in pairs[counts > 1].groupby("a", sort=False)["k"]:
        for k, target in link_names(group).items():
            if target != k:
                person[(article, k)] = target
    if not person:
        return keys
    return pd.Series(
        [person.get((a, k), k) for a, k in zip(quotes["article_id"], keys)], index=quotes.index, dtype=object
    )


__all__ = ["cluster_speakers", "link_names", "name_key"]
