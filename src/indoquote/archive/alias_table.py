"""The alias table of ``indoquote report --aliases``: people named by hand or from Wikidata.

One CSV row per person, ``id,name,aliases`` (aliases separated by ``|`` or ``;``),
e.g. written by ``bench/wikidata_aliases.py``. Its entries win over every
inferred merge of the identity pass (:mod:`indoquote.archive.identity`), its ids
become ``speaker_qid``, and two of its people are never merged.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from ..errors import AliasError
from .speaker_names import canon


@dataclass(frozen=True)
class AliasEntry:
    id: str
    name: str
    aliases: tuple[str, ...]


def read_aliases(path: str | Path) -> list[AliasEntry]:
    """``id,name,aliases`` rows (aliases separated by ``|`` or ``;``); a bad row raises :class:`AliasError`."""
    path = Path(path)
    try:
        fh = open(path, newline="", encoding="utf-8-sig")
    except OSError as e:
        raise AliasError(f"{path}: cannot read the alias table ({e.strerror})") from None
    entries: list[AliasEntry] = []
    with fh:
        reader = csv.DictReader(fh)
        missing = {"id", "name"} - set(reader.fieldnames or [])
        if missing:
            raise AliasError(f"{path}: line 1: the header lacks {', '.join(sorted(missing))} (wanted: id,name,aliases)")
        for line, row in enumerate(reader, start=2):
            pid, name = (row.get("id") or "").strip(), (row.get("name") or "").strip()
            if not pid:
                raise AliasError(f"{path}: line {line}: empty id")
            if not canon(name):
                raise AliasError(f"{path}: line {line}: empty name for id {pid}")
            aliases = tuple(a.strip() for a in re.split(r"[|;]", row.get("aliases") or "") if canon(a))
            entries.append(AliasEntry(pid, name, aliases))
    return entries


def alias_index(entries: Iterable[AliasEntry]) -> dict[str, AliasEntry]:
    """Canonical form -> its entry; a form two entries claim is dropped (neither wins by inference)."""
    index: dict[str, AliasEntry] = {}
    clash: set[str] = set()
    for e in entries:
        for form in (e.name, *e.aliases):
            k = canon(form)
            if k in index and index[k].id != e.id:
                clash.add(k)
            index.setdefault(k, e)
    return {k: v for k, v in index.items() if k not in clash}


__all__ = ["AliasEntry", "AliasError", "alias_index", "read_aliases"]
