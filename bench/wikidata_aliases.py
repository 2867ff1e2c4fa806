"""An alias table for ``indoquote report --aliases`` from a Wikidata JSON dump: ``id,name,aliases`` per person.

Wikidata's full dump (``latest-all.json.gz``, one entity per line inside a JSON
array) is read as a stream. The script keeps humans (P31 = Q5) with
a citizenship (P27) in ``--country`` (default Q252, Indonesia). The name is the
Indonesian label, else the English one. The aliases are the other Indonesian and
English labels and aliases (``Jokowi``, ``Ahok``). Nothing is downloaded here:
get the dump from https://dumps.wikimedia.org/wikidatawiki/entities/ first.

    python bench/wikidata_aliases.py latest-all.json.gz -o people.csv
    indoquote report quotes/ -o report/ --aliases people.csv
"""

from __future__ import annotations

import argparse
import bz2
import gzip
import json
import sys
from pathlib import Path
from typing import IO, Iterator

from indoquote.atomic import atomic_open
from indoquote.safe_text import csv_writer

LANGS = ("id", "en")


def open_dump(path: Path) -> IO[str]:
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8")
    if path.suffix == ".bz2":
        return bz2.open(path, "rt", encoding="utf-8")
    return open(path, encoding="utf-8")


def entities(lines: Iterator[str]) -> Iterator[dict]:
    """The entities of a dump: one JSON object a line, between ``[`` and ``]``, each line ending with a comma."""
    for line in lines:
        line = line.strip().rstrip(",")
        if line in ("", "[", "]"):
            continue
        yield json.loads(line)


def _claim_ids(entity: dict, prop: str) -> set[str]:
    out = set()
    for claim in entity.get("claims", {}).get(prop, []):
        value = claim.get("mainsnak", {}).get("datavalue", {}).get("value")
        if isinstance(value, dict) and "id" in value:
            out.add(value["id"])
    return out


def alias_row(entity: dict, countries: set[str]) -> tuple[str, str, list[str]] | None:
    """``(id, name, aliases)`` of a human with a citizenship in ``countries``, else None."""
    if "Q5" not in _claim_ids(entity, "P31") or not (_claim_ids(entity, "P27") & countries):
        return None
    labels = entity.get("labels", {})
    name = next((labels[lang]["value"] for lang in LANGS if lang in labels), None)
    if not name:
        return None
    forms = [labels[lang]["value"] for lang in LANGS if lang in labels]
    forms += [a["value"] for lang in LANGS for a in entity.get("aliases", {}).get(lang, [])]
    aliases = [f for f in dict.fromkeys(forms) if f != name and "|" not in f and ";" not in f]
    return entity["id"], name, aliases


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("dump", type=Path, help="a Wikidata JSON dump (.json, .json.gz or .json.bz2)")
    p.add_argument("-o", "--output", type=Path, required=True)
    p.add_argument("--country", action="append", help="citizenship QIDs to keep (default: Q252, Indonesia)")
    args = p.parse_args(argv)
    countries = set(args.country or ["Q252"])
    n = kept = 0
    with open_dump(args.dump) as fh, atomic_open(args.output, "w", encoding="utf-8", newline="") as out:
        w = csv_writer(out)  # whole or not at all; a label a spreadsheet would run as a formula made text
        w.writerow(["id", "name", "aliases"])
        for entity in entities(fh):
            n += 1
            row = alias_row(entity, countries)
            if row:
                kept += 1
                w.writerow([row[0], row[1], "|".join(row[2])])
    print(f"{kept:,} people of {n:,} entities -> {args.output}", file=sys.stderr)


if __name__ == "__main__":
    main()
