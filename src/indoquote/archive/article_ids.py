"""Article ids unique across an archive: a repeated id becomes ``id#2``, ``id#3``... with a warning.

Two inputs with one id (a page scraped twice under one id, two files that
number their rows alike, two rows with the same text and no id column) would
otherwise share their ``article_id``: the table merges them and the report
counts one article fewer. :func:`unique_ids` reads every shard once when the
plan is made (the same checks and ids as tagging, :func:`indoquote.archive.rows.read_shard`),
and gives each later row with a used id a new one, as ``indoquote predict``
does for text inputs (:mod:`indoquote.pipeline.inputs`). The new ids are kept in the
plan (``Shard.renamed``, in ``_manifest.json``), so every engine, worker and
resumed run uses the same ones. Memory: one id per article (about 100 bytes).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Callable, Sequence

from ..pipeline.inputs import _UniqueIds as UniqueIds  # one renaming rule for text inputs and archives
from .plan import Columns, Shard
from .rows import read_shard


def unique_ids(shards: Sequence[Shard], columns: Columns, warn: Callable[[str], None] | None = None) -> list[Shard]:
    """``shards`` with ``renamed`` set where a row's id was used by an earlier row (plan order); ``warn`` hears each."""
    ids = UniqueIds()
    out = []
    for shard in shards:
        rows = read_shard(shard, columns)
        renamed = []
        for row, id in zip(rows.rows, rows.ids):
            unique = ids.claim(id)
            if unique != id:
                renamed.append((row, unique))
                if warn is not None:
                    warn(f"{Path(shard.path).name} row {row}: id {id!r} was used before; this article is {unique!r}")
        out.append(replace(shard, renamed=tuple(renamed)) if renamed else shard)
    return out


__all__ = ["unique_ids"]
