"""Does the tagger find the same quotations when things that should not matter change?

    python bench/invariance.py --model DIR [--articles data/dev-articles] [--out report.json]

For every real article of the development set, the quotations the tagger finds
(their words, marks and spacing normalized) are compared with those it finds when
- the window length is 128, 256 or 512 sub-words;
- the dateline is swapped for Kompas.com's, or dropped;
- curly quotation marks are written as straight ones;
- the first paragraph is removed (compared on the quotations outside it).
An article passes a variant when both sets are equal. Prints one table and a
closing line ``invariance: N of M article variants changed``; ``--out`` also lists the
quotations each changed variant lost and gained.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from indoquote.data.gold import read_gold_files
from indoquote.model.windows import WindowConfig
from indoquote.pipeline.tagger import QuoteTagger
from indoquote.quotes.records import clean_quote
from indoquote.tables import render_table

DATELINE = re.compile(r"^[^\n]{0,60}?\s[-—–]{1,2}\s")
PARAGRAPH = re.compile(r"\n\s*\n")


def key(text: str) -> str:
    return " ".join(clean_quote(text.replace("“", '"').replace("”", '"')).split()).casefold()


def quotes(tagger: QuoteTagger, text: str) -> set[str]:
    return {key(r.quote) for r in tagger(text)}


def variants(text: str) -> dict[str, tuple[str, int]]:
    """``{name: (text, offset of the part compared)}``: the text changed, and where the comparison starts."""
    out: dict[str, tuple[str, int]] = {}
    m = DATELINE.match(text)
    if m:
        out["dateline swapped"] = ("JAKARTA, KOMPAS.com - " + text[m.end() :], 0)
        out["dateline dropped"] = (text[m.end() :], 0)
    out["straight marks"] = (text.replace("“", '"').replace("”", '"'), 0)
    parts = PARAGRAPH.split(text, maxsplit=1)
    if len(parts) == 2:
        out["first paragraph removed"] = (parts[1], 0)
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--model", required=True)
    p.add_argument("--articles", default="data/dev-articles")
    p.add_argument("--out")
    a = p.parse_args(argv)
    arts = read_gold_files(sorted(Path(a.articles).glob("*.jsonl")))
    tagger = QuoteTagger.from_pretrained(a.model, device="cpu")
    base_window = tagger.window
    changed: dict[str, list[str]] = {}
    checked: dict[str, int] = {}
    details: list[dict[str, object]] = []

    def differ(name: str, art_id: str, want: set[str], got: set[str]) -> None:
        changed.setdefault(name, []).append(art_id)
        details.append({"variant": name, "article": art_id, "lost": sorted(want - got), "gained": sorted(got - want)})

    for art in arts:
        base = quotes(tagger, art.text)
        for length in (128, 256, 512):
            tagger.window = WindowConfig(length, min(base_window.stride, length // 4))
            name = f"windows {length}"
            checked[name] = checked.get(name, 0) + 1
            got = quotes(tagger, art.text)
            if got != base:
                differ(name, art.id, base, got)
        tagger.window = base_window
        first = PARAGRAPH.split(art.text, maxsplit=1)
        lead = {key(r.quote) for r in tagger(first[0])} if len(first) == 2 else set()
        for name, (text, _) in variants(art.text).items():
            checked[name] = checked.get(name, 0) + 1
            want = base - lead if name == "first paragraph removed" else base
            got = quotes(tagger, text)
            if name == "first paragraph removed":
                got -= lead
            if got != want:
                differ(name, art.id, want, got)
    rows = [[name, n, len(changed.get(name, [])), ", ".join(changed.get(name, [])[:3])] for name, n in checked.items()]
    print(render_table(("variant", "articles", "changed", "first changed"), rows))
    total, bad = sum(checked.values()), sum(len(v) for v in changed.values())
    print(f"invariance: {bad} of {total} article variants changed")
    if a.out:
        Path(a.out).write_text(json.dumps({"checked": checked, "changed": changed, "details": details}, indent=2,
                                          ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
