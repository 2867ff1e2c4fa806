"""Who said it, by which attributor: the rules, the linker's rule features, the encoder's span vectors, or both.

    python bench/bench_attributor.py --model DIR --pfsa ../shared/data/pfsa-id [--folds 5] [--out FILE]

The checkpoint tags PFSA-ID's training split and the ``tune`` parts of the quote-level
gold sets (``data/dev-articles``, ``data/genre-articles``; the held-out parts are never
read) once, keeping each word's encoder state. Every predicted quotation whose gold
speaker is one person of the article is an example. Each variant of the linker is
fitted on PFSA-ID plus the articles outside one fold and picks the speakers of that
fold's articles (``--folds``, by article); a second row per variant is fitted on
PFSA-ID alone, the way a new outlet meets the model. Printed: the share of examples
whose speaker is right, per set and variant, and how many quotations no candidate
could serve (unreachable: a fault of finding people, not of ranking them).

Variants (``indoquote link`` options in brackets; the rules alone are scored by
``indoquote evaluate``, whose ``attribution_rules`` reads the same tags):
- ``features``: the rule features alone (``encoder=false``);
- ``encoder``: the span vectors with where the candidate is, nothing the rules decide
  (``encoder=true features=position outright=false``);
- ``both``: the span vectors and every rule feature (``encoder=true``, the default);
- ``both+rewritten``: ``both`` with PFSA-ID's named attributions also rewritten as ``katanya``,
  ``kata dia``, ``kata menteri itu`` (``rewrite=0.5``, :mod:`indoquote.data.reattribute`);
- ``both+rewritten+silver`` (with ``--silver FILE``): also the explicit attributions of unlabelled real
  articles, rewritten the same way (``silver=FILE``, :mod:`indoquote.data.silver_attributions`); articles
  sharing a passage with any gold article (held-out included) are left out.
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import replace
from pathlib import Path
from typing import Any, Sequence

ROOT = Path(__file__).resolve().parents[1]
VARIANTS = ("features", "encoder", "both", "both+rewritten")


def load_pfsa(directory: str, seed: int) -> list[Any]:
    from omegaconf import OmegaConf

    from indoquote.data.build import load_splits

    cfg = OmegaConf.load(ROOT / "configs" / "data" / "pfsa_id.yaml")
    cfg.dir = str(Path(directory).expanduser())
    cfg.cache_dir = None
    return load_splits(OmegaConf.to_container(cfg, resolve=True), seed)["train"]


def article_examples(tagger: Any, gold_dir: Path) -> list[tuple[str, list, int]]:
    """``(article id, examples, unreachable)`` of each tune article."""
    from indoquote.data.gold import read_gold_files, select_part
    from indoquote.training.fit_linker import gold_examples

    gold = select_part(read_gold_files(sorted(gold_dir.glob("*.jsonl"))), "tune")
    tagger.keep_states = True
    tagged = tagger.tag_batch([g.text for g in gold], [g.id for g in gold], progress=False)
    tagger.keep_states = False
    out = []
    for t in tagged:
        ex, st = gold_examples([t], gold)
        out.append((t.id, ex, st.unreachable + st.ambiguous))
    return out


def strip(examples: Sequence[tuple[list, int]]) -> list[tuple[list, int]]:
    return [([replace(c, context=None) for c in cands], y) for cands, y in examples]


def fit_variant(variant: str, examples: Sequence[tuple[list, int]], epochs: int):
    """The linker of ``variant`` fitted on ``examples`` (``both+rewritten`` gets the rewritten ones from its caller)."""
    from indoquote.quotes.linker import fit
    from indoquote.training.fit_linker import POSITION_FEATURES

    if variant == "features":
        return fit(strip(examples), epochs=epochs)
    if variant == "encoder":
        linker = fit(examples, epochs=epochs, features=POSITION_FEATURES)
        linker.info["outright"] = False
        return linker
    return fit(examples, epochs=epochs)


def right(variant: str, linker: Any, cands: list, y: int) -> bool:
    if variant == "features":
        cands = [replace(c, context=None) for c in cands]
    choice, _ = linker.choose(cands)
    return cands.index(choice) == y


def main(argv: list[str] | None = None) -> dict:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--model", required=True)
    p.add_argument("--pfsa", required=True, help="the PFSA-ID directory")
    p.add_argument("--sets", nargs="+", default=["dev-articles", "genre-articles"])
    p.add_argument("--folds", type=int, default=5)
    p.add_argument("--epochs", type=int, default=300)
    p.add_argument("--limit", type=int, help="only the first N PFSA-ID documents (a quick try)")
    p.add_argument("--silver", help="unlabelled articles (JSONL {id, text}): adds the variant both+rewritten+silver")
    p.add_argument("--silver-max", type=int, default=2000)
    p.add_argument("--out", help="write the results as JSON here")
    a = p.parse_args(argv)
    from indoquote.data.gold import read_gold_files
    from indoquote.model.resolve import split_seed
    from indoquote.pipeline.tagger import QuoteTagger
    from indoquote.training.fit_linker import (_tag_words, pfsa_examples, rewritten_examples, silver_articles,
                                               silver_examples)

    start = time.perf_counter()
    tagger = QuoteTagger.from_pretrained(a.model, device="cpu", linker=False)
    docs = load_pfsa(a.pfsa, split_seed([a.model], None))[: a.limit]
    pfsa, stats = pfsa_examples(docs, *_tag_words(tagger, [d.tokens for d in docs], False, states=True))
    rewritten, rstats = rewritten_examples(tagger, docs, 0.5, 0, False, states=True)
    print(f"rewritten attributions: {rstats.examples} examples ({rstats.unreachable} unreachable)", flush=True)
    variants, silver = VARIANTS, []
    if a.silver:
        variants = (*VARIANTS, "both+rewritten+silver")
        gold = read_gold_files(sorted((ROOT / "data").glob("*-articles/*.jsonl")))
        chosen = silver_articles(a.silver, [g.text for g in gold], a.silver_max)
        silver, sstats = silver_examples(tagger, chosen, 0.5, 0, False, states=True)
        print(f"silver attributions: {sstats.examples} examples ({sstats.unreachable} unreachable)", flush=True)
    sets = {name: article_examples(tagger, ROOT / "data" / name) for name in a.sets}
    print(f"tagged {len(docs)} PFSA-ID documents ({stats.examples} examples) and "
          + ", ".join(f"{n}: {len(v)} articles" for n, v in sets.items())
          + f" in {time.perf_counter() - start:.0f} s", flush=True)
    results: dict[str, Any] = {}
    for name, arts in sets.items():
        n = sum(len(ex) for _, ex, _ in arts)
        lost = sum(u for _, _, u in arts)
        row: dict[str, Any] = {"examples": n, "unreachable": lost}
        for variant in variants:
            base = pfsa + (rewritten if "rewritten" in variant else []) + (silver if "silver" in variant else [])
            alone = fit_variant(variant, base, a.epochs)
            row[f"{variant} (PFSA-ID only)"] = sum(right(variant, alone, c, y) for _, ex, _ in arts for c, y in ex) / n
            hits = 0
            for k in range(a.folds):
                test = [ex for i, (_, ex, _) in enumerate(arts) if i % a.folds == k]
                train = base + [e for i, (_, ex, _) in enumerate(arts) if i % a.folds != k for e in ex]
                linker = fit_variant(variant, train, a.epochs)
                hits += sum(right(variant, linker, c, y) for ex in test for c, y in ex)
            row[variant] = hits / n
            print(f"{name} {variant}: cross-validated {100 * row[variant]:.2f}, "
                  f"PFSA-ID only {100 * row[f'{variant} (PFSA-ID only)']:.2f} ({n} examples, {lost} unreachable)",
                  flush=True)
        results[name] = row
    results["seconds"] = round(time.perf_counter() - start, 1)
    if a.out:
        Path(a.out).write_text(json.dumps(results, indent=2) + "\n")
    return results


if __name__ == "__main__":
    main()
