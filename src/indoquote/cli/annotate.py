"""``indoquote annotate export|import|agreement``: the Label Studio round trip from the command line.

    indoquote annotate export INPUTS... --model DIR -o tasks.json [--select uncertain --n 50]
    indoquote annotate export --gold data/dev-articles/*.jsonl -o tasks.json
    indoquote annotate import EXPORT.json -o OUT_DIR          OUT_DIR/gold.jsonl, OUT_DIR/train.jsonl
    indoquote annotate agreement EXPORT.json [--json FILE]

``docs/annotate.md`` is the team's guide.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Sequence

from ..annotate.label_config import label_config
from ..atomic import file_set, make_dirs, write_text

EXIT_PROBLEMS = 1
"""``import`` found annotators' problems (listed on standard error) and wrote nothing."""
EXIT_USAGE = 2
CONFIG_NAME = "label_config.xml"


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="indoquote annotate", description="Make gold in Label Studio.")
    sub = p.add_subparsers(dest="action", required=True)
    e = sub.add_parser("export", help="Label Studio tasks: the model's pre-annotations, or gold as annotations")
    e.add_argument("inputs", nargs="*", metavar="INPUT", help="articles, as `indoquote predict` reads them")
    e.add_argument("--model", default=os.environ.get("INDOQUOTE_MODEL"), help="checkpoint (default: $INDOQUOTE_MODEL)")
    e.add_argument("--gold", nargs="+", default=[], metavar="FILE",
                   help="dev-set gold JSONL (data/dev-articles format): exported as annotations")
    e.add_argument("-o", "--output", required=True, help="tasks JSON; the labelling config goes beside it")
    e.add_argument("--kinds", default="direct,indirect", help="quotations to pre-annotate: direct, indirect or both")
    e.add_argument("--select", choices=("all", "uncertain", "random"), default="all",
                   help="uncertain: the --n articles the model is least sure of; random: --n at random (--seed)")
    e.add_argument("--n", type=int, default=50, help="articles to select")
    e.add_argument("--seed", type=int, default=0, help="seed of --select random")
    e.add_argument("--model-version", help="model_version of the predictions (default: the model directory)")
    e.add_argument("--device", help="cpu, cuda... (default: cuda when available)")
    e.add_argument("--batch-size", type=int, default=16)
    i = sub.add_parser("import", help="a Label Studio JSON export into gold JSONL and training JSONL")
    i.add_argument("export", help="Label Studio export, format JSON")
    i.add_argument("-o", "--output", required=True, help="directory for gold.jsonl and train.jsonl")
    i.add_argument("--pick", choices=("ground_truth", "latest"), default="ground_truth",
                   help="of several annotations of a task: the one marked ground truth (else stop), or the latest")
    a = sub.add_parser("agreement", help="span F1 and attribution agreement between annotators of the same task")
    a.add_argument("export", help="Label Studio export, format JSON")
    a.add_argument("--json", help="also write the figures here")
    return p


def _json_text(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=1) + "\n"


def _model_version(model: str) -> str:
    path = Path(model)
    return "/".join(path.resolve().parts[-2:]) if path.exists() else model


def export(args) -> int:
    from ..annotate.tasks import gold_task, prediction_task

    if not args.gold and not args.inputs:
        raise ValueError("give INPUTS (with --model) or --gold FILE")
    if args.inputs and not args.model:
        raise ValueError("--model DIR is needed to pre-annotate INPUTS (or set $INDOQUOTE_MODEL)")
    if args.select != "all" and not args.model:
        raise ValueError(f"--select {args.select} ranks the model's doubts: give --model")
    tasks, gold = [], []
    if args.gold:
        from ..data.gold import read_gold_files

        read_gold_files(args.gold)  # every line checked, ids unique, before anything is written
        for path in args.gold:
            with open(path, encoding="utf-8") as f:
                gold += [json.loads(line) for line in f if line.strip()]
        tasks = [gold_task(g) for g in gold]
    if args.model:
        from ..annotate.select import select, uncertainty
        from ..pipeline.inputs import iter_inputs
        from ..pipeline.tagger import QuoteTagger

        kinds = tuple(k.strip() for k in args.kinds.split(",") if k.strip())
        tagger = QuoteTagger.from_pretrained(args.model, device=args.device, batch_size=args.batch_size,
                                             precision="fp32", kinds=kinds)
        items = [(g["id"], g["text"]) for g in gold] if gold else list(iter_inputs(args.inputs))
        tagged = tagger.tag_batch([t for _, t in items], [i for i, _ in items])
        version = args.model_version or _model_version(args.model)
        scores = {t.id: uncertainty(t) for t in tagged}
        by_id = {t["data"]["id"]: t for t in tasks}
        for t in tagged:
            task = prediction_task(t.id, t.text, t.records, version)
            if t.id in scores:
                task["data"]["uncertainty"] = scores[t.id].to_dict()
            if t.id in by_id:
                by_id[t.id]["predictions"] = task["predictions"]
            else:
                tasks.append(task)
        if args.select != "all":
            keep = select(list(scores.values()), args.n, args.select, args.seed)
            index = {t["data"]["id"]: t for t in tasks}
            tasks = [index[i] for i in keep]
    out = Path(args.output)
    make_dirs(out.parent)
    with file_set() as files:  # the tasks and their labelling config appear together
        files.write_text(out.parent / CONFIG_NAME, label_config())
        files.write_text(out, _json_text(tasks))
    what = "annotated" if gold else "pre-annotated"
    print(f"{len(tasks)} tasks ({what}) written to {out}; labelling config: {out.parent / CONFIG_NAME}")
    return 0


def import_(args) -> int:
    from ..annotate.ingest import import_tasks, jsonl_text, read_export

    result = import_tasks(read_export(args.export), args.pick)
    for note in result.notes:
        print(f"note: {note}", file=sys.stderr)
    if result.problems:
        for p in result.problems:
            print(f"{args.export}: {p}", file=sys.stderr)
        print(f"indoquote annotate import: {len(result.problems)} problems; nothing written (fix them in Label Studio "
              "and export again)", file=sys.stderr)
        return EXIT_PROBLEMS
    out = Path(args.output)
    make_dirs(out)
    with file_set() as files:  # gold and training data from one export: both or neither
        files.write_text(out / "train.jsonl", jsonl_text(result.documents))
        files.write_text(out / "gold.jsonl", jsonl_text(result.gold))
    quotes = sum(len(g["quotes"]) for g in result.gold)
    print(f"{len(result.gold)} articles, {quotes} quotations: {out / 'gold.jsonl'} (quote-level gold), "
          f"{out / 'train.jsonl'} (training: indoquote train data=annotated data.dir={out})")
    if result.not_annotated:
        print(f"{len(result.not_annotated)} tasks not annotated, not written:", file=sys.stderr)
        for line in result.not_annotated:
            print(f"  {line}", file=sys.stderr)
    return 0


def agreement_(args) -> int:
    from ..annotate.agreement import agreement, agreement_table
    from ..annotate.ingest import read_export

    result = agreement(read_export(args.export))
    print(agreement_table(result))
    if args.json:
        write_text(args.json, _json_text(result.to_json()))
    return 0


def annotate_cli(argv: Sequence[str]) -> int:
    args = _parser().parse_args(list(argv))
    from ..annotate.ingest import ExportError

    try:
        return {"export": export, "import": import_, "agreement": agreement_}[args.action](args)
    except (ExportError, ValueError, OSError) as e:
        if os.environ.get("INDOQUOTE_DEBUG"):
            raise
        print(f"indoquote annotate {args.action}: error: {e}", file=sys.stderr)
        return EXIT_USAGE
