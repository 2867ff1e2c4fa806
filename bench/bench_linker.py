"""What the quote-speaker linker costs: quote records with the linker against the rules, on the same tags.

    python bench/bench_linker.py --model DIR [--articles data/dev-articles] [--repeat 5]

The articles are tagged once (the model's cost, the same either way); then the
quote records are built from those tags with the rules and with the linker (a linker
trained with the encoder reads the raw word states, kept for it: a little more work than
the projected ones ``predict`` hands over),
``--repeat`` times each, alternating. Prints both times, the tagging time and
``predict time with the linker vs the rules: N.NNx`` (tagging + records).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from indoquote.data.gold import read_gold_files
from indoquote.pipeline.tagger import QuoteTagger
from indoquote.quotes.attribute import quote_records


def main(argv: list[str] | None = None) -> float:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--model", required=True)
    p.add_argument("--articles", default="data/dev-articles")
    p.add_argument("--repeat", type=int, default=5)
    a = p.parse_args(argv)
    arts = read_gold_files(sorted(Path(a.articles).glob("*.jsonl")))
    tagger = QuoteTagger.from_pretrained(a.model, device="cpu")
    if tagger.linker is None:
        raise SystemExit(f"{a.model} has no linker: run `indoquote link checkpoint={a.model}` first")
    tagger.keep_states = bool(tagger.linker.width)  # an encoder linker reads each article's word states
    start = time.perf_counter()
    tagged = tagger.tag_batch([x.text for x in arts], [x.id for x in arts])
    tagging = time.perf_counter() - start
    seconds = {"rules": 0.0, "linker": 0.0}
    for _ in range(a.repeat):
        for name, linker in (("rules", None), ("linker", tagger.linker)):
            start = time.perf_counter()
            for t in tagged:
                quote_records(t.text, t.tokens, t.tags, t.sentence_starts, linker, t.states if linker else None)
            seconds[name] += (time.perf_counter() - start) / a.repeat
    ratio = (tagging + seconds["linker"]) / (tagging + seconds["rules"])
    print(f"{len(arts)} articles, precision {tagger.precision.precision}: tagging {tagging:.2f} s (records included once)")
    print(f"records by the rules {seconds['rules']:.3f} s, by the linker {seconds['linker']:.3f} s (mean of {a.repeat})")
    print(f"predict time with the linker vs the rules: {ratio:.2f}x")
    return ratio


if __name__ == "__main__":
    main()
