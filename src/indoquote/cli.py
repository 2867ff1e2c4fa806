"""``indoquote`` command line: one sub-command per job.

    indoquote data     [hydra overrides]   build the data, print its stats
    indoquote train    [hydra overrides]   fine-tune to the best checkpoint (-m for sweeps)
    indoquote evaluate checkpoint=DIR ...  span F1 of checkpoints, with an error report
    indoquote predict  FILES... [--format jsonl|html]   quote records from raw text
    indoquote publish  checkpoint=DIR out=DIR           a shareable model directory
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import uuid
from pathlib import Path
from typing import IO, Callable, Sequence

from .paths import CONFIG_DIR, DATA_DIR

COMMANDS = {"data": "data", "train": "train", "evaluate": "evaluate", "publish": "publish"}
_STAMP = f"{time.strftime('%Y-%m-%d_%H-%M-%S')}_{os.getpid():x}{uuid.uuid4().hex[:4]}"


def run_stamp() -> str:
    """A run directory name unique per launch and shared by the processes of one launch.

    Two runs started in the same second differ by process id and a random suffix;
    the processes that torchrun / accelerate start for one data-parallel run share
    TORCHELASTIC_RUN_ID; INDOQUOTE_RUN_ID names a run by hand.
    """
    if os.environ.get("INDOQUOTE_RUN_ID"):
        return os.environ["INDOQUOTE_RUN_ID"]
    if int(os.environ.get("WORLD_SIZE", "1")) > 1 and os.environ.get("TORCHELASTIC_RUN_ID"):
        return f"ddp-{os.environ['TORCHELASTIC_RUN_ID']}"
    return _STAMP


def register_resolvers() -> None:
    from omegaconf import OmegaConf

    if not OmegaConf.has_resolver("data_root"):
        OmegaConf.register_new_resolver("data_root", lambda: str(DATA_DIR))
    if not OmegaConf.has_resolver("run_stamp"):
        OmegaConf.register_new_resolver("run_stamp", run_stamp)


def _plain(cfg) -> dict:
    from omegaconf import OmegaConf

    return OmegaConf.to_container(cfg, resolve=True)  # type: ignore[return-value]


def _data_job(cfg) -> None:
    from hydra.core.hydra_config import HydraConfig

    from .data import build_datasets, load_splits, stats_table
    from .labels import get_schema
    from .modeling import load_tokenizer
    from .windows import WindowConfig

    c = _plain(cfg)
    out = Path(HydraConfig.get().runtime.output_dir)
    schema = get_schema(c["labels"]["schema"])
    texts = None
    if c["model"].get("kind") == "tiny":
        texts = [" ".join(d.tokens) for d in load_splits(c["data"], c["seed"])["train"]]
    tokenizer = load_tokenizer(c["model"], texts)
    window = WindowConfig(c["windows"]["max_length"], c["windows"]["stride"])
    _, _, stats = build_datasets(c["data"], tokenizer, schema, window, c["seed"], c["data"].get("cache_dir"))
    print(stats_table(stats))
    (out / "data_stats.json").write_text(json.dumps(stats.to_json(), indent=2))
    print(f"stats written to {out / 'data_stats.json'}")


def _train_job(cfg) -> float:
    from hydra.core.hydra_config import HydraConfig

    from .train import run

    c = _plain(cfg)
    metrics = run(c, HydraConfig.get().runtime.output_dir)
    return float(metrics.get("validation", {}).get("micro_f1", 0.0))


def _evaluate_job(cfg) -> None:
    from .evaluate import main as evaluate_main

    evaluate_main(_plain(cfg))


def _publish_job(cfg) -> None:
    from .publish import main as publish_main

    publish_main(_plain(cfg))


# ------------------------------------------------------------ predict


def _predict_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="indoquote predict",
        description="Tag direct quotations, speakers and cues in Indonesian news; write quote records.",
    )
    p.add_argument(
        "inputs",
        nargs="*",
        metavar="INPUT",
        help='text files, directories (their *.txt), JSONL files ({"id", "text"} a line), or - for '
        "standard input (the default)",
    )
    p.add_argument(
        "--model",
        default=os.environ.get("INDOQUOTE_MODEL"),
        help="checkpoint or published directory, or a hub id (default: $INDOQUOTE_MODEL)",
    )
    p.add_argument(
        "--format",
        choices=("jsonl", "html"),
        default="jsonl",
        help='jsonl: one {"id", "quotes"} line per article; html: one self-contained page',
    )
    p.add_argument("--output", "-o", help="write here instead of standard output")
    p.add_argument("--batch-size", type=int, default=16, help="windows per forward pass")
    p.add_argument("--backend", choices=("torch", "onnx", "onnx-int8"), default="torch", help="onnx backends need `publish onnx=true`")
    p.add_argument("--device", help="cpu, cuda, cuda:1... (default: cuda when available)")
    p.add_argument("--progress", action="store_true", help="show a progress bar on standard error")
    return p


def _write(tagger, args, out: IO[str]) -> int:
    from .inputs import iter_inputs

    tagged = tagger.iter_tag(iter_inputs(args.inputs), progress=args.progress)
    if args.format == "html":
        from .html import render_page

        arts = list(tagged)
        out.write(render_page(arts))
        return len(arts)
    n = 0
    for art in tagged:
        out.write(json.dumps(art.to_dict(), ensure_ascii=False) + "\n")
        n += 1
    return n


def predict_cli(argv: Sequence[str]) -> int:
    """``indoquote predict``: 0 on success, 2 on bad arguments or unreadable input (a message, no traceback)."""
    parser = _predict_parser()
    try:
        args = parser.parse_args(list(argv))
    except SystemExit as e:
        return int(e.code or 0)
    if not args.model:
        print(
            "indoquote predict: error: no model; pass --model DIR (a checkpoint or published directory) "
            "or set INDOQUOTE_MODEL",
            file=sys.stderr,
        )
        return 2
    if args.batch_size < 1:
        print("indoquote predict: error: --batch-size must be at least 1", file=sys.stderr)
        return 2
    if not args.progress:  # keep standard error for messages: no "Loading weights" bars
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
    from .checkpoint import ModelLoadError
    from .tagger import QuoteTagger

    tmp = Path(args.output + ".part") if args.output else None
    try:
        tagger = QuoteTagger.from_pretrained(
            args.model, device=args.device, batch_size=args.batch_size, backend=args.backend
        )
        if tmp is None:
            n = _write(tagger, args, sys.stdout)
            sys.stdout.flush()
        else:
            with open(tmp, "w", encoding="utf-8") as f:
                n = _write(tagger, args, f)
            tmp.replace(args.output)
    except (ValueError, ModelLoadError, OSError) as e:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        print(f"indoquote predict: error: {e}", file=sys.stderr)
        return 2
    if args.output:
        print(f"{n} article(s) -> {args.output}", file=sys.stderr)
    return 0


# ------------------------------------------------------------- hydra jobs


def _user_errors() -> tuple[type[BaseException], ...]:
    """Errors that are the input's fault: one clear line, no traceback."""
    from .corpus import CorpusError
    from .labels import TagError
    from .checkpoint import ModelLoadError
    from .config import ConfigError

    return (ConfigError, CorpusError, TagError, ModelLoadError, FileNotFoundError, KeyError, ValueError)


def _friendly(command: str, job: Callable) -> Callable:
    def wrapped(cfg):
        try:
            return job(cfg)
        except _user_errors() as e:
            if os.environ.get("INDOQUOTE_DEBUG"):  # the full traceback, for bug reports
                raise
            message = e.args[0] if isinstance(e, KeyError) and e.args else e
            raise SystemExit(f"indoquote {command}: error: {message}") from None

    wrapped.__name__ = job.__name__
    return wrapped


JOBS: dict[str, Callable] = {"data": _data_job, "train": _train_job, "evaluate": _evaluate_job, "publish": _publish_job}


def run_hydra(command: str, overrides: list[str]):
    """Run one Hydra job as ``indoquote COMMAND overrides...`` (multirun with ``-m``)."""
    import hydra

    register_resolvers()
    job = _friendly(command, JOBS[command])
    sys.argv = [f"indoquote-{command}", *overrides]
    return hydra.main(version_base="1.3", config_path=str(CONFIG_DIR), config_name=COMMANDS[command])(job)()


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(__doc__)
        return
    command, rest = argv[0], argv[1:]
    if command == "predict":
        sys.exit(predict_cli(rest))
    if command not in JOBS:
        print(f"indoquote: unknown command {command!r}\n{__doc__}", file=sys.stderr)
        sys.exit(2)
    run_hydra(command, rest)


if __name__ == "__main__":
    main()
