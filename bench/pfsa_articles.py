"""Write a PFSA-ID split as raw-text articles (JSONL: id, text) for the tagger benchmark.

    python bench/pfsa_articles.py --dir ../shared/data/pfsa-id --split test --out /tmp/pfsa-test.jsonl

Tokens are joined with spaces and sentences by newlines: real article lengths and
vocabulary, without copying the corpus (CC BY-NC-SA) into this repository.
"""

from __future__ import annotations

import argparse
import json

from indoquote.data.build import load_splits


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--dir", default="../shared/data/pfsa-id")
    p.add_argument("--split", default="test")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--out", required=True)
    a = p.parse_args()
    cfg = {"source": "pfsa_id", "dir": a.dir, "files": ["pfsa-id-dev-40.txt", "pfsa-id-med-dev-20.txt"],
           "split": {"train": 0.8, "validation": 0.1, "test": 0.1}}
    docs = load_splits(cfg, a.seed)[a.split]
    with open(a.out, "w", encoding="utf-8") as f:
        for d in docs:
            text = "\n".join(" ".join(toks) for toks, _ in d.sentences)
            f.write(json.dumps({"id": d.doc_id, "text": text}, ensure_ascii=False) + "\n")
    print(f"{len(docs)} articles -> {a.out}")


if __name__ == "__main__":
    main()
