"""Where one ``predict`` run's time goes: wall seconds per phase of ``QuoteTagger.batch`` on N articles.

    python bench/profile_predict.py --model DIR --articles FILE.jsonl [--n 30] [--precision auto] [--threads N]
        [--kinds direct] [--repeat R] [--torch-ops 15] [--json OUT]

The articles are tagged once (or ``--repeat`` times, the fastest pass reported), after one warm-up
article, with the pipeline's phase timers on (:mod:`indoquote.model.phases`: cleaning, tokenization,
windowing, forward, decoding, marks, records, linker, indirect head; nested phases counted once, in
the innermost). ``other`` is the
wall time no phase claims. The result is a Markdown table (seconds, share of the wall time) with
the sub-words/s of the run. ``--torch-ops K`` tags the articles a second time under
``torch.profiler`` and prints its K most expensive operators (self CPU time): what ``forward``
is made of (that run is slower: the profiler's own cost).
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_tagger import count_subwords, load_articles


def profile(tagger, texts: list[str]) -> dict:
    """Phase seconds of tagging ``texts`` once (``tagger`` warmed up by the caller)."""
    from indoquote.model.phases import PHASES, timing

    with timing() as timer:
        start = time.perf_counter()
        tagger.batch(texts, progress=False)
        wall = time.perf_counter() - start
    seconds = {name: timer.seconds.get(name, 0.0) for name in PHASES}
    seconds.update({k: v for k, v in timer.seconds.items() if k not in seconds})
    seconds["other"] = max(wall - timer.total(), 0.0)
    return {"wall": wall, "seconds": seconds, "calls": dict(timer.calls), "counts": dict(getattr(timer, "counts", {}))}


def table(result: dict) -> str:
    """The phase table in Markdown: seconds and share of the wall time."""
    wall = result["wall"]
    lines = ["| phase | seconds | share |", "|---|---:|---:|"]
    lines += [f"| {name} | {s:.3f} | {100 * s / wall:.1f}% |" for name, s in result["seconds"].items()]
    lines.append(f"| **wall** | **{wall:.3f}** | 100% |")
    return "\n".join(lines)


def work(result: dict) -> str:
    """What the model was fed beside the articles' sub-words: window overlap and special tokens, then padding."""
    sub, counts = result["subwords"], result.get("counts", {})
    win, padded = counts.get("window sub-words", 0), counts.get("padded sub-words", 0)
    if not (sub and win and padded):
        return "model input not counted (this pipeline has no counters)"
    return (f"model input: {padded:,} sub-word positions for {sub:,} sub-words: windows {win:,} "
            f"(overlap and special tokens +{100 * (win / sub - 1):.1f}%), padding {padded - win:,} "
            f"(+{100 * (padded / win - 1):.1f}%)")


def torch_ops(tagger, texts: list[str], rows: int) -> str:
    """The ``rows`` most expensive torch operators of tagging ``texts`` once (self CPU time)."""
    from torch.profiler import ProfilerActivity
    from torch.profiler import profile as torch_profile

    with torch_profile(activities=[ProfilerActivity.CPU]) as prof:
        tagger.batch(texts, progress=False)
    return prof.key_averages().table(sort_by="self_cpu_time_total", row_limit=rows)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--model", required=True, help="checkpoint or published directory")
    p.add_argument("--articles", help="JSONL ({id, text} a line), a text file or a directory of *.txt "
                   "(default: synthesized from data/seeds)")
    p.add_argument("--n", type=int, default=30, help="the first N articles (0: all)")
    p.add_argument("--precision", default="auto", choices=["auto", "fp32", "bf16", "int8"])
    p.add_argument("--kinds", default="direct", help="direct, indirect or direct,indirect")
    p.add_argument("--batch-size", type=int, default=16)
    p.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    p.add_argument("--repeat", type=int, default=1, help="tag the articles R times; the fastest pass is reported "
                   "(other jobs share the machine)")
    p.add_argument("--torch-ops", type=int, default=0, help="also print the K costliest torch operators")
    p.add_argument("--json", help="also write the raw result here")
    args = p.parse_args(argv)

    import torch

    from indoquote.pipeline.tagger import QuoteTagger

    torch.set_num_threads(args.threads)
    texts = [a["text"] for a in load_articles(args.articles, args.n)]
    if not texts:
        raise SystemExit("no articles to tag")
    tagger = QuoteTagger.from_pretrained(args.model, device="cpu", batch_size=args.batch_size,
                                         precision=args.precision, kinds=args.kinds)
    tagger(texts[0])  # warm-up: first-call allocations and lazy initialisation
    result = min((profile(tagger, texts) for _ in range(args.repeat)), key=lambda r: r["wall"])
    result["subwords"] = count_subwords(tagger.tokenizer, texts)
    result["precision"] = tagger.precision.precision
    command = "python bench/profile_predict.py " + shlex.join(sys.argv[1:] if argv is None else argv)
    print(f"- command: `{command}`")
    print(f"- {len(texts)} articles, {result['subwords']:,} sub-words, precision {result['precision']}, "
          f"{args.threads} thread(s), torch {torch.__version__}; {time.strftime('%Y-%m-%d %H:%M %Z')}")
    print(f"- {len(texts) / result['wall']:.2f} articles/s, {result['subwords'] / result['wall']:,.0f} sub-words/s")
    print("- " + work(result))
    print()
    print(table(result))
    if args.torch_ops:
        print()
        print(torch_ops(tagger, texts, args.torch_ops))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
