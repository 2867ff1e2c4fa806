"""Every shared fixture and helper: tiny tokenizer and checkpoints built locally (never a download), configs, the CLI runner."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Callable

import pytest

try:  # tests are tiny: one thread each keeps them from starving a training run beside them
    import torch

    torch.set_num_threads(1)
except ImportError:  # pragma: no cover
    pass

ROOT = Path(__file__).resolve().parents[1]
TINY_CONLL = ROOT / "data" / "tiny" / "tiny.conll"
SEED_DIR = ROOT / "data" / "seeds"
SHARED_PFSA = ROOT.parent / "shared" / "data" / "pfsa-id"
os.environ.setdefault("INDOQUOTE_CACHE", tempfile.mkdtemp(prefix="indoquote-cache-"))  # precision=auto's measurements
if SHARED_PFSA.is_dir():  # a development checkout beside the shared corpus (never shipped in configs)
    os.environ.setdefault("INDOQUOTE_PFSA_DIR", str(SHARED_PFSA))

TINY_MODEL = {
    "kind": "tiny", "name_or_path": "tiny-bert", "path": None, "revision": None, "vocab_size": 800,
    "hidden_size": 32, "num_layers": 1, "num_heads": 2, "intermediate_size": 64,
    "freeze_embeddings": False, "freeze_layers": 0, "keep_layers": None, "attention_dropout": None,
}
"""``configs/model/tiny.yaml`` made smaller (tests/test_config.py checks it has the same keys)."""

SMOKE_FAST = [
    "experiment=smoke",
    "trainer.progress=false",
    "trainer.report_to=[]",
    "model.hidden_size=32",
    "model.intermediate_size=64",
    "model.vocab_size=600",
]
"""Overrides that make the smoke experiment a few seconds."""


def load_bench(name: str):
    """A script of ``bench/`` (not a package) imported as a module, for its smoke test."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(name, ROOT / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _texts() -> list[str]:
    from indoquote.data.corpus import read_documents

    texts = [" ".join(d.tokens) for d in read_documents([TINY_CONLL])]
    seed = SEED_DIR / "antara-nato-russia-2021.txt"
    if seed.exists():
        texts.append(seed.read_text(encoding="utf-8"))
    return texts


def build_checkpoint(out: Path, tokenizer, schema_name: str = "pfsa", seed: int = 0, max_length: int = 32, stride: int = 8) -> Path:
    """The one tiny-checkpoint builder: a random tiny BERT token classifier saved like a training run's ``best/``."""
    from indoquote.model.checkpoint import write_run_info
    from indoquote.model.modeling import load_model
    from indoquote.model.windows import WindowConfig
    from indoquote.text.labels import get_schema

    schema = get_schema(schema_name)
    model = load_model(TINY_MODEL, schema, tokenizer, seed=seed)
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    split = {"name": "tiny", "seed": 42, "split": {"train": 0.7, "validation": 0.15, "test": 0.15}}
    write_run_info(out, schema, WindowConfig(max_length=max_length, stride=stride), split)
    return out


@pytest.fixture(scope="session")
def tiny_tokenizer():
    from indoquote.model.modeling import build_tiny_tokenizer

    return build_tiny_tokenizer(_texts(), vocab_size=800)


@pytest.fixture(scope="session")
def make_checkpoint(tmp_path_factory, tiny_tokenizer) -> Callable[..., Path]:
    """``make_checkpoint(name, schema="pfsa", seed=0, ...)``: a fresh tiny checkpoint directory."""

    def make(name: str = "ckpt", schema: str = "pfsa", seed: int = 0, **window) -> Path:
        return build_checkpoint(tmp_path_factory.mktemp(name), tiny_tokenizer, schema, seed, **window)

    return make


@pytest.fixture(scope="session")
def tiny_checkpoint(make_checkpoint) -> Path:
    """A random tiny BERT token classifier with the PFSA-ID labels."""
    return make_checkpoint("tiny-checkpoint")


@pytest.fixture(scope="session")
def quote_checkpoint(make_checkpoint) -> Path:
    """A random tiny checkpoint trained (so to speak) with the compact ``quote`` labels."""
    return make_checkpoint("quote-checkpoint", "quote", seed=1)


@pytest.fixture(scope="session")
def sweep_dir(tmp_path_factory, tiny_tokenizer) -> Path:
    """A multirun folder: runs ``0`` and ``10`` with ``best/``, plus a run that never finished."""
    root = tmp_path_factory.mktemp("sweep")
    for num, seed in (("0", 2), ("10", 3)):
        (root / num / "best").mkdir(parents=True)
        build_checkpoint(root / num / "best", tiny_tokenizer, "pfsa", seed=seed)
    (root / "5" / "checkpoints").mkdir(parents=True)
    (root / "multirun.yaml").write_text("{}\n")
    return root


TINY_DATA = {
    "name": "tiny",
    "source": "conll",
    "dir": str(ROOT / "data" / "tiny"),
    "files": ["tiny.conll"],
    "split": {"train": 0.7, "validation": 0.15, "test": 0.15},
    "cache_dir": None,
}
"""``configs/data/tiny.yaml``, resolved."""

SEED_ARTICLES = {"name": "seeds", "source": "articles", "dir": str(SEED_DIR), "files": ["*.jsonl"], "split": {"test": 1.0}}
"""The hand-annotated seed article as a data config (all of it the test split)."""


def eval_config(checkpoint, out, **extra) -> dict:
    """The resolved ``configs/evaluate.yaml`` for the tiny data, without a progress bar."""
    cfg = {
        "checkpoint": str(checkpoint),
        "data": dict(TINY_DATA),
        "labels": {"schema": "pfsa"},
        "split": "test",
        "seed": None,
        "out": str(out) if out is not None else None,
        "batch_size": 8,
        "device": "cpu",
        "progress": False,
        "attached_only": True,
        "marks": False,
        "precision": "fp32",
        "windows": {"max_length": None, "stride": None},
        "worst_errors": 5,
    }
    cfg.update(extra)
    return cfg


def compose(overrides: list[str], config_name: str = "train") -> dict:
    """The project's Hydra config, resolved, as `indoquote` builds it."""
    from hydra import compose as hydra_compose
    from hydra import initialize_config_dir
    from omegaconf import OmegaConf

    from indoquote.config import register_resolvers
    from indoquote.paths import CONFIG_DIR

    register_resolvers()
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        cfg = hydra_compose(config_name=config_name, overrides=overrides)
    return OmegaConf.to_container(cfg, resolve=True)  # type: ignore[return-value]


@pytest.fixture(scope="session")
def indoquote_cli() -> Callable[..., subprocess.CompletedProcess]:
    """``indoquote_cli(*args, cwd=, env=None, launcher=None, check=False)``: the command in a subprocess, one thread."""

    def run(*args: str, cwd: Path, env: dict | None = None, launcher: list[str] | None = None, check: bool = False):
        cmd = (launcher or [sys.executable, "-m", "indoquote"]) + list(args)
        full_env = {**os.environ, "OMP_NUM_THREADS": "1", **(env or {})}
        r = subprocess.run(cmd, cwd=cwd, env=full_env, capture_output=True, text=True, timeout=600)
        if check:
            assert r.returncode == 0, f"indoquote {args[0]} failed:\n{r.stderr[-3000:]}"
        return r

    return run


def crash_callback(at: int):
    """A Trainer callback that kills training (KeyboardInterrupt) right after the checkpoint of step ``at``."""
    from transformers import TrainerCallback

    class Crash(TrainerCallback):
        def on_save(self, args, state, control, **kwargs):
            if state.global_step >= at:
                raise KeyboardInterrupt("simulated crash")

    return Crash()


UNTAGGED = (
    "” Kami siap bekerja keras , ” kata Budi . ” Kami bawa senter kecil , ” katanya .".split(),
    ["B-STATEMENT"] + ["I-STATEMENT"] * 6 + ["B-CUE", "B-PERSON"] + ["O"] * 10,
    ["B-STATEMENT"] + ["I-STATEMENT"] * 6 + ["B-CUE", "B-PERSON", "O"] + ["B-STATEMENT"] + ["I-STATEMENT"] * 6
    + ["B-CUECOREF", "O"],
)
"""Words, gold tags and a tagger's tags of an article whose second quotation the gold left untagged
(:mod:`indoquote.data.partial`); the tagger found it."""
