"""``indoquote`` command line: one sub-command per job.

    indoquote data     [hydra overrides]   build the data, print its stats
    indoquote train    [hydra overrides]   fine-tune to the best checkpoint (-m for sweeps)
    indoquote evaluate checkpoint=DIR ...  span F1 of checkpoints, with an error report
    indoquote predict  FILES... [--format jsonl|html]   quote records from raw text
    indoquote publish  checkpoint=DIR out=DIR           a shareable model directory
"""

from __future__ import annotations

import json
import os
import sys
import time
import uuid
from pathlib import Path
from typing import Callable

from .paths import CONFIG_DIR, DATA_DIR

COMMANDS = {"data": "config", "train": "config", "evaluate": "evaluate", "publish": "publish"}
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


def _user_errors() -> tuple[type[BaseException], ...]:
    """Errors that are the input's fault: one clear line, no traceback."""
    from .corpus import CorpusError
    from .labels import TagError
    from .modeling import ModelLoadError
    from .train import ConfigError

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
        from .tagger import predict_cli

        sys.exit(predict_cli(rest))
    if command not in JOBS:
        print(f"indoquote: unknown command {command!r}\n{__doc__}", file=sys.stderr)
        sys.exit(2)
    run_hydra(command, rest)


if __name__ == "__main__":
    main()
