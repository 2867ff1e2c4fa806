"""Every word the glued-word repair splits in real articles, to read for precision (``indoquote.text.glue``).

    python bench/glue_splits.py data/dev-articles/*.jsonl data/unlabelled/articles.jsonl

Prints each split word with its pieces and the article id, then the count of words split, of words
written in camel case and left whole, and of articles.
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from pathlib import Path
from typing import Sequence

from indoquote.text.glue import glue_splits

_CAMEL = re.compile(r"[^\W\d_]*[a-z][A-Z][^\W\d_]*|[^\W\d_]*[A-Z]{2}[a-z]{2}[^\W\d_]*")
_LETTERS = re.compile(r"[^\W\d_]{4,}")


def scan(texts: dict[str, str]) -> tuple[list[tuple[str, str, str]], Counter]:
    """``(article id, word, pieces)`` of every split, and the camel-case words left whole with their counts."""
    split, whole = [], Counter()
    for id_, text in texts.items():
        for word in _LETTERS.findall(text):
            cuts = glue_splits(word)
            if cuts:
                bounds = [0, *cuts, len(word)]
                split.append((id_, word, " | ".join(word[a:b] for a, b in zip(bounds, bounds[1:]))))
            elif _CAMEL.fullmatch(word):
                whole[word] += 1
    return split, whole


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", help="JSONL files with id and text")
    args = parser.parse_args(argv)
    texts = {}
    for f in args.files:
        for line in Path(f).read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                texts[str(row.get("id", len(texts)))] = row["text"]
    split, whole = scan(texts)
    for id_, word, pieces in split:
        print(f"split\t{id_}\t{word}\t{pieces}")
    print(f"camel case left whole: {', '.join(f'{w} ({n})' for w, n in whole.most_common())}")
    print(f"{len(split)} word(s) split in {len(texts)} article(s); {sum(whole.values())} camel-case word(s) left whole")


if __name__ == "__main__":
    main()
