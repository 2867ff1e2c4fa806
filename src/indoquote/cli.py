"""``indoquote`` command line: one sub-command per job.

    indoquote data     [hydra overrides]   build the data, print its stats
    indoquote train    [hydra overrides]   fine-tune to the best checkpoint (-m for sweeps)
    indoquote evaluate checkpoint=DIR ...  span F1 of checkpoints, with an error report
    indoquote link     checkpoint=DIR      fit the quote-speaker linker into a checkpoint
    indoquote indirect checkpoint=DIR      fit the indirect-speech head into a checkpoint
    indoquote predict  FILES... [--format jsonl|html]   quote records from raw text
    indoquote predict  TABLES... -o DIR [--engine local|ray]   an archive (Parquet/CSV/JSONL) into sharded tables
    indoquote report   DIR -o REPORT_DIR                who is quoted: Markdown/HTML report, charts, CSV
    indoquote publish  checkpoint=DIR out=DIR           a shareable model directory
    indoquote annotate export|import|agreement ...      gold in Label Studio (docs/annotate.md)
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

COMMANDS = {"data": "data", "train": "train", "evaluate": "evaluate", "link": "link", "indirect": "indirect",
            "publish": "publish"}
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


def _link_job(cfg) -> None:
    from .link_train import main as link_main

    link_main(_plain(cfg))


def _indirect_job(cfg) -> None:
    from .indirect_train import main as indirect_main

    indirect_main(_plain(cfg))


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
        help='text files, directories (their *.txt and *.jsonl files), JSONL files ({"id", "text"} a line), '
        "or - for standard input (the default); suffixes in any case",
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
    p.add_argument(
        "--precision",
        choices=("auto", "fp32", "bf16", "int8"),
        default="auto",
        help="torch numeric path; auto: the fastest that agrees with fp32 on this machine (measured once, cached)",
    )
    p.add_argument(
        "--kinds",
        default="direct",
        help="direct (between quotation marks, the default), indirect (reported speech, by rules), or direct,indirect",
    )
    p.add_argument("--progress", action="store_true", help="show a progress bar (and the precision chosen) on standard error")
    p.add_argument(
        "--strict",
        action="store_true",
        help="stop at the first bad input (exit 2, no output file) instead of reporting and skipping it "
        "(exit 1 once the good ones are written)",
    )
    from .archive_cli import add_archive_arguments

    add_archive_arguments(p)  # tables in, shards out: --engine, --text-column, --output-format...
    return p


EXIT_SKIPPED = 1
"""``indoquote predict`` finished and wrote every good article, but skipped bad inputs (listed on standard error)."""
EXIT_TERMINATED = 143
"""SIGTERM while writing ``--output``: the partial ``.part`` file was removed (128 + 15)."""
EXIT_INTERRUPTED = 130
"""Ctrl-C while writing ``--output``: the partial ``.part`` file was removed (128 + 2)."""


class _Terminated(BaseException):
    """Raised by the SIGTERM handler of ``indoquote predict --output`` so the ``.part`` file is cleaned up."""


def _raise_terminated(signum, frame) -> None:
    raise _Terminated()


class _SkipReport:
    """``on_skip`` of the predict command: one line on standard error per skipped input, and a count."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, skipped) -> None:
        self.count += 1
        print(f"indoquote predict: skipped {skipped}", file=sys.stderr)


def _predict_warning(message: str) -> None:
    print(f"indoquote predict: warning: {message}", file=sys.stderr)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and os.path.samefile(a, b))
    except OSError:
        return False


def _argument_problem(args) -> str | None:
    """What is wrong with the inputs or ``--output`` (checked before the model is loaded), or None.

    Inputs that do not exist, directories without articles; an output that is
    one of the inputs (files named or found in directories), a directory, or in
    a folder that does not exist.
    """
    from .inputs import InputError, input_files
    from .tagger import check_kinds

    try:
        check_kinds(getattr(args, "kinds", "direct"))
    except ValueError as e:
        return f"--kinds: {e}"
    try:
        files = [f for f in input_files(args.inputs) if f is not None]
    except InputError as e:
        return str(e)
    if not args.output:
        return None
    out, part = Path(args.output), Path(args.output + ".part")
    for f in files:
        if _same_file(out, f):
            return f"--output {args.output} is the input {f}: writing would destroy it; write somewhere else"
        if _same_file(part, f):
            return f"--output {args.output} writes through {part}, which is the input {f}; write somewhere else"
    if out.is_dir():
        return f"--output {args.output} is a directory; name a file"
    if not out.parent.is_dir():
        return f"--output {args.output}: no such directory {out.parent}"
    return None


def _write(tagger, args, out: IO[str], on_skip=None) -> int:
    from .inputs import iter_inputs

    inputs = iter_inputs(args.inputs, on_skip=on_skip, on_warning=_predict_warning)
    tagged = tagger.iter_tag(inputs, progress=args.progress)
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
    """``indoquote predict``: 0 on success, 1 when bad inputs were skipped, 2 on bad arguments or model.

    Bad inputs (not UTF-8, bad JSONL lines, empty or over-long articles) are
    reported on standard error, one line each, and skipped; the good ones are
    written and a summary line counts both. ``--strict`` stops at the first bad
    input with 2 instead. ``--output`` is written to ``OUTPUT.part`` and renamed
    when complete; on an error, SIGTERM (143) or Ctrl-C (130) the ``.part`` file is
    removed, so a file at the output path is always complete.
    """
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
    from .archive_cli import is_archive_run, predict_archive

    if is_archive_run(args):  # Parquet/CSV inputs or an archive option: sharded output (archive_cli.py)
        return predict_archive(args)
    import signal
    import threading

    from .checkpoint import ModelLoadError
    from .inputs import InputError
    from .tagger import QuoteTagger

    problem = _argument_problem(args)  # bad arguments are found before the model is loaded
    if problem:
        print(f"indoquote predict: error: {problem}", file=sys.stderr)
        return 2
    skips = None if args.strict else _SkipReport()
    tmp = Path(args.output + ".part") if args.output else None
    previous, installed = None, False
    try:
        tagger = QuoteTagger.from_pretrained(
            args.model, device=args.device, batch_size=args.batch_size, backend=args.backend, precision=args.precision,
            kinds=args.kinds,
        )
        if args.progress:
            print(f"indoquote predict: {_engine_line(tagger, args.backend)}", file=sys.stderr)
        if tmp is None:
            n = _write(tagger, args, sys.stdout, skips)
            sys.stdout.flush()
        else:
            if threading.current_thread() is threading.main_thread():  # signals only reach the main thread
                previous, installed = signal.signal(signal.SIGTERM, _raise_terminated), True
            with open(tmp, "w", encoding="utf-8") as f:
                n = _write(tagger, args, f, skips)
            tmp.replace(args.output)
    except (ValueError, ModelLoadError, OSError) as e:
        _remove(tmp)
        stop = " (--strict: stopped at the first bad input)" if isinstance(e, InputError) else ""
        print(f"indoquote predict: error: {e}{stop}", file=sys.stderr)
        return 2
    except _Terminated:
        _remove(tmp)
        print(f"indoquote predict: terminated; removed the partial {tmp}, nothing written", file=sys.stderr)
        return EXIT_TERMINATED
    except KeyboardInterrupt:
        _remove(tmp)
        cleaned = f"; removed the partial {tmp}, nothing written" if tmp is not None else ""
        print(f"indoquote predict: interrupted{cleaned}", file=sys.stderr)
        return EXIT_INTERRUPTED
    finally:
        if installed:
            signal.signal(signal.SIGTERM, previous if previous is not None else signal.SIG_DFL)
    skipped = skips.count if skips is not None else 0
    if args.output or skipped:
        summary = f"tagged {n} article(s)" + (f", skipped {skipped} (see above)" if skipped else "")
        print(summary + (f" -> {args.output}" if args.output else ""), file=sys.stderr)
    return EXIT_SKIPPED if skipped else 0


def _remove(tmp: Path | None) -> None:
    if tmp is not None:
        tmp.unlink(missing_ok=True)


def _engine_line(tagger, backend: str) -> str:
    """What runs the model: backend, numeric path (and why), linker or rules."""
    path = tagger.precision.describe() if backend == "torch" else f"backend {backend}"
    attribution = "the trained linker" if tagger.linker is not None else "the rules (no linker in the checkpoint)"
    return f"{path}; speakers by {attribution}"


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


JOBS: dict[str, Callable] = {
    "data": _data_job, "train": _train_job, "evaluate": _evaluate_job, "link": _link_job,
    "indirect": _indirect_job, "publish": _publish_job,
}


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
    if command == "annotate":
        from .annotate.cli import annotate_cli

        sys.exit(annotate_cli(rest))
    if command == "report":
        from .archive_cli import report_cli

        sys.exit(report_cli(rest))
    if command not in JOBS:
        print(f"indoquote: unknown command {command!r}\n{__doc__}", file=sys.stderr)
        sys.exit(2)
    run_hydra(command, rest)


if __name__ == "__main__":
    main()
