"""Choose the indirect-speech head's recipe without the held-out part: 2-fold on the dev set's tune part.

    INDOQUOTE_PFSA_DIR=DIR python bench/indirect_cv.py --model RUN/best [--epochs 10] [--lr 3e-3]
        [--gold-weight 5] [--rounds 0] [--inner 64] [--rules-input] [--dequote 0.3] [--augment] [--unlabelled F]
        [--max-documents N] [--data pfsa_id] [--articles DIR [DIR ...]]
        [--head layer [--layer-epochs 3] [--layer-lr 5e-5] [--reported 0.5] [--layer-init gru]]

``--head layer`` fits the head with its own fine-tuned copy of the top encoder layer
(:mod:`indoquote.training.fit_indirect_layer`) on cached windows instead of the frozen-feature BiGRU; with
several ``--articles`` sets (the dev set, the genre set) each set's tune part is split in two and the rows are
given per set too. With ``--layer-init gru`` each fold's layer head starts from a frozen-feature BiGRU fitted on the
same cache first (:func:`indoquote.training.fit_indirect_layer.warm_start`); that BiGRU is scored too (rows
``warm start``), so the rows compare the same data with and without fine-tuning the layer.

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
    ap.add_argument("--articles", nargs="+", default=[str(ROOT / "data" / "dev-articles")])
    ap.add_argument("--head", choices=("gru", "layer"), default="gru")
    ap.add_argument("--layer-epochs", type=int, default=3)
    ap.add_argument("--layer-lr", type=float, default=5e-5)
    ap.add_argument("--layer-batch", type=int, default=4)
    ap.add_argument("--layer-init", choices=("gru", "none"), default="none",
                    help="gru: start the layer head's BiGRU from a frozen-feature BiGRU on the same data")
    ap.add_argument("--reported", type=float, default=0.0, help="share of PFSA-ID quotations rewritten as reported "
                    "speech (indoquote.data.reported; in place of --dequote)")
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
    from indoquote.quotes.indirect_layer import LayerHead
    from indoquote.quotes.indirect_rules import find_indirect
    from indoquote.text.labels import iob2_spans
    from indoquote.training.fit_indirect import article_data, document_data, head_tags, raw_data, self_train
    from indoquote.training.fit_indirect_layer import (
        featurize,
        fit_layer_head,
        frozen_features,
        layer_head_tags,
        warm_start,
    )
    from indoquote.training.fit_linker import tune_articles

    tagger = QuoteTagger.from_pretrained(args.model, linker=False, precision="fp32")
    register_resolvers()
    data_cfg = OmegaConf.to_container(OmegaConf.load(ROOT / "configs" / "data" / f"{args.data}.yaml"), resolve=True)
    docs = load_splits(data_cfg, split_seed([Path(args.model)], None))["train"]
    docs = docs[: args.max_documents] if args.max_documents else docs
    augment = AugmentConfig(**OmegaConf.load(ROOT / "configs" / "indirect.yaml")["augment"]) if args.augment else None
    feats = featurize if args.head == "layer" else None
    silver = document_data(tagger, docs, dequote_rate=args.dequote, augment=augment, featurize=feats,
                           reported=args.reported)
    if args.unlabelled:
        silver = silver + raw_data(tagger, list(iter_inputs([args.unlabelled])), featurize=feats)
    sets = [(Path(d).name, tune_articles(d)) for d in args.articles]
    source = [name for name, arts in sets for _ in arts]
    gold = article_data(tagger, [a for _, arts in sets for a in arts], args.gold_weight, featurize=feats)

    warm: dict[int, object] = {}  # fold -> its warm-start BiGRU

    def fit(train, k):
        if args.head == "layer":
            if args.layer_init == "gru":
                warm[k] = warm_start(silver + gold.subset(train), tagger.model, 0, args.epochs, args.inner, args.lr,
                                     rules=args.rules_input)
            return fit_layer_head(silver + gold.subset(train), tagger.model, 0, args.layer_epochs, args.inner, args.lr,
                                  args.layer_lr, args.layer_batch, rules=args.rules_input, init=warm.get(k))
        return self_train(silver, gold.subset(train), args.rounds, 0, args.epochs, args.rules_input, args.inner,
                          args.lr)

    def tags_of(head, test):
        return (layer_head_tags if args.head == "layer" else head_tags)(head, gold.subset(test))

    def warm_tags(head, layer_head, test):  # the BiGRU on the untuned layer's outputs (the layer head's start)
        frozen = LayerHead(layer_head.hidden_size, layer_head.inner, None, layer_head.layer_index,
                           rules=args.rules_input).bind(tagger.model)
        return head_tags(head, frozen_features(frozen, gold.subset(test)))

    def gold_spans(i: int) -> list[tuple[int, int]]:
        return [(s.start, s.end) for s in iob2_spans(gold.tags[i]) if s.label == "INDIRECT"]

    idx = list(range(len(gold.tags)))
    folds = [[i for i in idx if i % 2 == 0], [i for i in idx if i % 2 == 1]]
    by_set: dict[str, tuple[list, list, list]] = {name: ([], [], []) for name, _ in sets}
    head_pairs, rule_pairs, union_pairs, warm_pairs = [], [], [], []
    seconds = []
    for k in range(2):
        train, test = folds[1 - k], folds[k]
        head = fit(train, k)
        seconds += head.info.get("epoch_seconds", [])
        if k in warm:
            for i, tags in zip(test, warm_tags(warm[k], head, test)):
                warm_pairs.append((gold_spans(i), [(sp.a, sp.b) for sp in model_spans(gold.tokens[i], gold.starts[i],
                                                                                        tags, gold.direct[i])]))
                by_set[source[i]][2].append(warm_pairs[-1])
        for i, tags in zip(test, tags_of(head, test)):
            tok, st, direct = gold.tokens[i], gold.starts[i], gold.direct[i]
            mine = [(sp.a, sp.b) for sp in model_spans(tok, st, tags, direct)]
            rules = [(sp.a, sp.b) for sp in find_indirect(tok, st, direct)]
            union = mine + [x for x in rules if not any(x[0] < y[1] and y[0] < x[1] for y in mine)]
            head_pairs.append((gold_spans(i), mine))
            rule_pairs.append((gold_spans(i), rules))
            union_pairs.append((gold_spans(i), union))
            by_set[source[i]][0].append((gold_spans(i), mine))
            by_set[source[i]][1].append((gold_spans(i), rules))
    rows = {"head": prf(head_pairs), "rules": prf(rule_pairs), "head + rules (union)": prf(union_pairs)}
    if warm_pairs:
        rows["warm start (BiGRU on the untuned layer)"] = prf(warm_pairs)
    if len(sets) > 1:
        for name, (mine_pairs, rules_pairs, warm_set) in by_set.items():
            rows[f"{name}: head"], rows[f"{name}: rules"] = prf(mine_pairs), prf(rules_pairs)
            if warm_set:
                rows[f"{name}: warm start"] = prf(warm_set)
    print(f"{len(docs)} silver texts, {len(idx)} tune articles, {sum(len(g) for g, _ in head_pairs)} gold spans; "
          f"epochs {args.epochs}, lr {args.lr}, gold weight {args.gold_weight}, rounds {args.rounds}, "
          f"width {args.inner}, rules input {args.rules_input}, dequote {args.dequote}, augment {args.augment}, "
          f"unlabelled {args.unlabelled}, head {args.head}"
          + (f" (layer epochs {args.layer_epochs}, layer lr {args.layer_lr}, reported {args.reported}, "
             f"init {args.layer_init}; seconds per layer epoch {seconds})" if args.head == "layer" else "") + "\n")
    print("| system | P | R | F1 |\n|---|---:|---:|---:|")
    for name, (p, r, f) in rows.items():
        print(f"| {name} | {p:.2f} | {r:.2f} | {f:.2f} |")
    print(f"\nhead vs rules (tune, 2-fold): F1 {rows['head'][2]:.2f} vs {rows['rules'][2]:.2f}")
    return rows


if __name__ == "__main__":
    main()
