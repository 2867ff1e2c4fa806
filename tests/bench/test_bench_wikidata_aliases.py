"""bench/wikidata_aliases.py: Indonesian people of a Wikidata dump as an alias table that indoquote reads."""

from __future__ import annotations

import gzip
import json

from conftest import load_bench

from indoquote.archive.alias_table import read_aliases


def entity(qid: str, labels: dict, aliases: dict, human: bool = True, country: str = "Q252") -> dict:
    claim = lambda prop, value: {prop: [{"mainsnak": {"datavalue": {"value": {"id": value}}}}]}  # noqa: E731
    return {
        "id": qid,
        "labels": {k: {"value": v} for k, v in labels.items()},
        "aliases": {k: [{"value": a} for a in v] for k, v in aliases.items()},
        "claims": {**claim("P31", "Q5" if human else "Q515"), **claim("P27", country)},
    }


def test_keeps_indonesian_people_with_their_labels_and_aliases(tmp_path):
    bench = load_bench("wikidata_aliases")
    items = [
        entity("Q3209", {"id": "Joko Widodo", "en": "Joko Widodo"}, {"id": ["Jokowi"], "en": ["Jokowi", "Mr. W"]}),
        entity("Q1046", {"en": "Basuki Tjahaja Purnama"}, {"id": ["Ahok", "BTP"]}),
        entity("Q3630", {"id": "Jakarta"}, {}, human=False),
        entity("Q76", {"en": "Barack Obama"}, {"en": ["Obama"]}, country="Q30"),
    ]
    dump = tmp_path / "dump.json.gz"
    with gzip.open(dump, "wt", encoding="utf-8") as f:
        f.write("[\n" + ",\n".join(json.dumps(e) for e in items) + "\n]\n")
    bench.main([str(dump), "-o", str(tmp_path / "people.csv")])
    entries = read_aliases(tmp_path / "people.csv")
    assert [(e.id, e.name, e.aliases) for e in entries] == [
        ("Q3209", "Joko Widodo", ("Jokowi", "Mr. W")),
        ("Q1046", "Basuki Tjahaja Purnama", ("Ahok", "BTP")),
    ]
