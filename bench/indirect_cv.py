"""Choose the indirect-speech head's recipe without the held-out part: 2-fold on the dev set's tune part.

    INDOQUOTE_PFSA_DIR=DIR python bench/indirect_cv.py --model RUN/best [--epochs 10] [--lr 3e-3]
        [--gold-weight 5] [--rounds 0] [--inner 64] [--rules-input] [--dequote 0.3] [--augment] [--unlabelled F]
        [--max-documents N] [--data pfsa_id]

The encoder runs once over PFSA-ID's training texts (silver labels from the rules)
and the tune articles (gold). The tune articles are split in two by position;
a head is fitted on the silver texts and one half and scores the other half, then
the other way round. Quotation P/R/F1 (a match shares at least half of the longer
span) of the head's spans and of the rules' spans on the same articles, and of
their union. The held-out part is never read. Last line:
``head vs rules (tune, 2-fold): F1 X vs Y``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def prf(pairs) -> tuple[float, float, float]:
    from indoquote.scoring.metrics import match_ranges

    tp = fp = fn = 0
    for gold, pred in pairs:
        m = match_ranges(gold, pred, 0.5, longer=True)
        tp, fp, fn = tp + len(m), fp + len(pred) - len(m), fn + len(gold) - len(m)
    p, r = tp / max(1, tp + fp), tp / max(1, tp + fn)
    return round(100 * p, 2), round(100 * r, 2), round(200 * p * r / max(1e-9, p + r), 2)


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", required=True)
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--gold-weight", type=float, default=5.0)
    ap.add_argument("--rounds", type=int, default=0)
    ap.add_argument("--inner", type=int, default=64)
    ap.add_argument("--rules-input", action="store_true")
    ap.add_argument("--dequote", type=float, default=0.0, help="share of PFSA-ID quotations written without marks")
    ap.add_argument("--augment", action="store_true", help="silver texts in other outlets' marks and datelines (configs/indirect.yaml's augment)")
    ap.add_argument("--unlabelled", default=None, help="unlabelled real articles (JSONL/text): the rules' silver too")
    ap.add_argument("--max-documents", type=int, default=None, help="PFSA-ID training texts to read (default all)")
    ap.add_argument("--articles", default=str(ROOT / "data" / "dev-articles"))
    ap.add_argument("--data", default="pfsa_id", help="the silver texts: a config of configs/data (training split)")
    args = ap.parse_args(argv)

    from omegaconf import OmegaConf

    from indoquote.config import register_resolvers
    from indoquote.data.augment import AugmentConfig
    from indoquote.data.build import load_splits
    from indoquote.model.resolve import split_seed
    from indoquote.pipeline.inputs import iter_inputs
    from indoquote.pipeline.tagger import QuoteTagger
    from indoquote.quotes.indirect_head import model_spans
    from indoquote.quotes.indirect_rules import find_indirect
    from indoquote.text.labels import iob2_spans
    from indoquote.training.fit_indirect import article_data, document_data, head_tags, raw_data, self_train
    from indoquote.training.fit_linker import tune_articles

    tagger = QuoteTagger.from_pretrained(args.model, linker=False, precision="fp32")
    register_resolvers()
    data_cfg = OmegaConf.to_container(OmegaConf.load(ROOT / "configs" / "data" / f"{args.data}.yaml"), resolve=True)
    docs = load_splits(data_cfg, split_seed([Path(args.model)], None))["train"]
    docs = docs[: args.max_documents] if args.max_documents else docs
    augment = AugmentConfig(**OmegaConf.load(ROOT / "configs" / "indirect.yaml")["augment"]) if args.augment else None
    silver = document_data(tagger, docs, dequote_rate=args.dequote, augment=augment)
    if args.unlabelled:
        silver = silver + raw_data(tagger, list(iter_inputs([args.unlabelled])))
    gold = article_data(tagger, tune_articles(args.articles), args.gold_weight)

    def gold_spans(i: int) -> list[tuple[int, int]]:
        return [(s.start, s.end) for s in iob2_spans(gold.tags[i]) if s.label == "INDIRECT"]

    idx = list(range(len(gold.tags)))
    folds = [idx[0::2], idx[1::2]]
    head_pairs, rule_pairs, union_pairs = [], [], []
    for k in range(2):
        train, test = folds[1 - k], folds[k]
        head = self_train(silver, gold.subset(train), args.rounds, 0, args.epochs, args.rules_input, args.inner, args.lr)
        for i, tags in zip(test, head_tags(head, gold.subset(test))):
            tok, st, direct = gold.tokens[i], gold.starts[i], gold.direct[i]
            mine = [(sp.a, sp.b) for sp in model_spans(tok, st, tags, direct)]
            rules = [(sp.a, sp.b) for sp in find_indirect(tok, st, direct)]
            union = mine + [x for x in rules if not any(x[0] < y[1] and y[0] < x[1] for y in mine)]
            head_pairs.append((gold_spans(i), mine))
            rule_pairs.append((gold_spans(i), rules))
            union_pairs.append((gold_spans(i), union))
    rows = {"head": prf(head_pairs), "rules": prf(rule_pairs), "head + rules (union)": prf(union_pairs)}
    print(f"{len(docs)} silver texts, {len(idx)} tune articles, {sum(len(g) for g, _ in head_pairs)} gold spans; "
          f"epochs {args.epochs}, lr {args.lr}, gold weight {args.gold_weight}, rounds {args.rounds}, "
          f"width {args.inner}, rules input {args.rules_input}, dequote {args.dequote}, augment {args.augment}, "
          f"unlabelled {args.unlabelled}\n")
    print("| system | P | R | F1 |\n|---|---:|---:|---:|")
    for name, (p, r, f) in rows.items():
        print(f"| {name} | {p:.2f} | {r:.2f} | {f:.2f} |")
    print(f"\nhead vs rules (tune, 2-fold): F1 {rows['head'][2]:.2f} vs {rows['rules'][2]:.2f}")
    return rows


if __name__ == "__main__":
    main()
