"""Fixtures for the evaluation tests: more tiny checkpoints and data configs (conftest has the pfsa one)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TINY_DATA = {
    "name": "tiny",
    "source": "conll",
    "dir": str(ROOT / "data" / "tiny"),
    "files": ["tiny.conll"],
    "split": {"train": 0.7, "validation": 0.15, "test": 0.15},
    "cache_dir": None,
}
SEED_ARTICLES = {
    "name": "seeds",
    "source": "articles",
    "dir": str(ROOT / "data" / "seeds"),
    "files": ["*.jsonl"],
    "split": {"test": 1.0},
}


def make_checkpoint(out: Path, tokenizer, schema_name: str, seed: int, max_length: int = 32, stride: int = 8) -> Path:
    """A random tiny BERT token classifier saved like a training run's ``best/``."""
    from indoquote.labels import get_schema
    from indoquote.modeling import load_model
    from indoquote.train import write_run_info
    from indoquote.windows import WindowConfig

    schema = get_schema(schema_name)
    model_cfg = {"kind": "tiny", "hidden_size": 32, "num_layers": 1, "num_heads": 2, "intermediate_size": 64}
    model = load_model(model_cfg, schema, tokenizer, seed=seed)
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    write_run_info(out, schema, WindowConfig(max_length=max_length, stride=stride))
    return out


@pytest.fixture(scope="session")
def quote_checkpoint(tmp_path_factory, tiny_tokenizer) -> Path:
    """A random tiny checkpoint trained (so to speak) with the compact ``quote`` labels."""
    return make_checkpoint(tmp_path_factory.mktemp("quote-checkpoint"), tiny_tokenizer, "quote", seed=1)


@pytest.fixture(scope="session")
def sweep_dir(tmp_path_factory, tiny_tokenizer) -> Path:
    """A multirun folder: runs ``0`` and ``10`` with ``best/``, plus a run that never finished."""
    root = tmp_path_factory.mktemp("sweep")
    for num, seed in (("0", 2), ("10", 3)):
        make_checkpoint(root / num / "best", tiny_tokenizer, "pfsa", seed=seed)
    (root / "5" / "checkpoints").mkdir(parents=True)
    (root / "multirun.yaml").write_text("{}\n")
    return root


def eval_config(checkpoint, out, **extra) -> dict:
    """The resolved ``configs/evaluate.yaml`` for the tiny data, without a progress bar."""
    cfg = {
        "checkpoint": str(checkpoint),
        "data": dict(TINY_DATA),
        "labels": {"schema": "pfsa"},
        "split": "test",
        "seed": 42,
        "out": str(out) if out is not None else None,
        "batch_size": 8,
        "device": "cpu",
        "progress": False,
        "windows": {"max_length": None, "stride": None},
        "worst_errors": 5,
    }
    cfg.update(extra)
    return cfg
