"""Shared fixtures: a tokenizer and a random tiny checkpoint built locally (never a download)."""

from __future__ import annotations

from pathlib import Path

import pytest

try:  # tests are tiny: one thread each keeps them from starving a training run beside them
    import torch

    torch.set_num_threads(1)
except ImportError:  # pragma: no cover
    pass

ROOT = Path(__file__).resolve().parents[1]
TINY_CONLL = ROOT / "data" / "tiny" / "tiny.conll"
SEED_DIR = ROOT / "data" / "seeds"


def _texts() -> list[str]:
    from indoquote.corpus import read_documents

    texts = [" ".join(d.tokens) for d in read_documents([TINY_CONLL])]
    seed = SEED_DIR / "antara-nato-russia-2021.txt"
    if seed.exists():
        texts.append(seed.read_text(encoding="utf-8"))
    return texts


@pytest.fixture(scope="session")
def tiny_tokenizer():
    from indoquote.modeling import build_tiny_tokenizer

    return build_tiny_tokenizer(_texts(), vocab_size=800)


@pytest.fixture(scope="session")
def tiny_checkpoint(tmp_path_factory, tiny_tokenizer) -> Path:
    """A random tiny BERT token classifier with the PFSA-ID labels, saved as a checkpoint dir."""
    from indoquote.labels import get_schema
    from indoquote.modeling import load_model
    from indoquote.train import write_run_info
    from indoquote.windows import WindowConfig

    out = tmp_path_factory.mktemp("tiny-checkpoint")
    schema = get_schema("pfsa")
    model = load_model({"kind": "tiny", "hidden_size": 32, "num_layers": 1, "num_heads": 2, "intermediate_size": 64}, schema, tiny_tokenizer, seed=0)
    model.save_pretrained(out)
    tiny_tokenizer.save_pretrained(out)
    write_run_info(out, schema, WindowConfig(max_length=32, stride=8))
    return out
