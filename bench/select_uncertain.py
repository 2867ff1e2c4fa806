"""Does ``indoquote annotate export --select uncertain`` pick the articles where the model errs?

    python bench/select_uncertain.py --model DIR [--gold data/dev-articles/*.jsonl] [--n 5 10 15 20] [--seeds 1000]

Tags the dev set's articles with the model (as ``indoquote annotate export`` does), counts each
article's errors against the gold with :func:`indoquote.scoring.quotes.score_quotes` (direct quotations,
or with ``--kinds direct,indirect`` indirect speech too: missed + spurious + matched but given the
wrong speaker), and compares the share of all errors held by the ``n`` articles ``--select
uncertain`` picks with the share held by ``n`` random articles (the mean over ``--seeds`` seeds of
``--select random``). ``p`` is the share of random picks that hold at least as many errors as the
uncertain pick. For reference, the share held by the ``n`` articles where the model found the most
quotations (a pick by length, no doubt involved). Prints a Markdown table; ``--json`` writes the figures.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from indoquote.annotate.select import Uncertainty, select, uncertainty
from indoquote.data.gold import from_records, read_gold_files
from indoquote.scoring.quotes import score_quotes
from indoquote.tables import render_table

ROOT = Path(__file__).resolve().parents[1]


def article_errors(articles, tagged, kinds=("direct",)) -> dict[str, int]:
    """``{id: errors}``: missed, spurious and wrongly attributed quotations of ``kinds`` in each article."""
    out = {}
    for art, t in zip(articles, tagged):
        scores = score_quotes([art], {art.id: from_records(t.records)}, kinds)
        counts = [scores[k]["all"] for k in kinds]
        out[art.id] = sum(c["gold"] + c["predicted"] - 2 * c["matched"] + c["judged"] - c["speaker_right"]
                          for c in counts)
    return out


def compare(errors: dict[str, int], scores, sizes, seeds: int, quotations: dict[str, int] | None = None) -> list[dict]:
    """Per size: the uncertain pick's share of the errors, random picks' mean share, ``p``; and, with
    ``quotations`` (``{id: quotations the model found}``), the share of the articles with the most quotations."""
    total = sum(errors.values())
    rows = []
    for n in sizes:
        picked = sum(errors[i] for i in select(scores, n, "uncertain"))
        most = None
        if quotations is not None:
            by_count = [Uncertainty(s.id, float(quotations[s.id]), 0, 0) for s in scores]
            most = sum(errors[i] for i in select(by_count, n, "uncertain"))
        randoms = [sum(errors[i] for i in select(scores, n, "random", seed)) for seed in range(seeds)]
        rows.append({
            "n": n,
            "articles": len(errors),
            "errors": total,
            "uncertain_errors": picked,
            "uncertain_share": round(100 * picked / total, 1) if total else 0.0,
            "random_share": round(100 * sum(randoms) / len(randoms) / total, 1) if total else 0.0,
            "p": round(sum(r >= picked for r in randoms) / len(randoms), 4),
            "most_quotations_share": round(100 * most / total, 1) if most is not None and total else None,
        })
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", required=True)
    dev = sorted(str(p) for p in (ROOT / "data" / "dev-articles").glob("*.jsonl"))
    ap.add_argument("--gold", nargs="+", default=dev)
    ap.add_argument("--n", nargs="+", type=int, default=[5, 10, 15, 20])
    ap.add_argument("--seeds", type=int, default=1000)
    ap.add_argument("--kinds", default="direct", help="errors of: direct, indirect or direct,indirect")
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    from indoquote.pipeline.tagger import QuoteTagger

    articles = read_gold_files(args.gold)
    tagger = QuoteTagger.from_pretrained(args.model, device=args.device, precision="fp32",
                                         kinds=("direct", "indirect"))
    tagged = tagger.tag_batch([a.text for a in articles], [a.id for a in articles])
    kinds = tuple(k.strip() for k in args.kinds.split(",") if k.strip())
    errors = article_errors(articles, tagged, kinds)
    scores = [uncertainty(t) for t in tagged]
    found = {t.id: sum(r.kind in kinds for r in t.records) for t in tagged}
    rows = compare(errors, scores, args.n, args.seeds, found)
    header = ["picked", "of articles", "errors in all", "errors in uncertain pick", "uncertain share %",
              f"random share % (mean of {args.seeds})", "p (random >= uncertain)", "most quotations share %"]
    print(render_table(header, [[r["n"], r["articles"], r["errors"], r["uncertain_errors"], r["uncertain_share"],
                                 r["random_share"], r["p"], r["most_quotations_share"]] for r in rows], markdown=True))
    if args.json:
        args.json.write_text(json.dumps({"model": args.model, "linker": tagger.linker is not None, "kinds": kinds,
                                         "rows": rows}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
