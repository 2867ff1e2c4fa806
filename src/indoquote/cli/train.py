"""``indoquote train [overrides]``: fine-tune to the best checkpoint; the sweep objective is validation F1."""

from __future__ import annotations

from .jobs import plain


def job(cfg) -> float:
    from hydra.core.hydra_config import HydraConfig

    from ..training.train import run

    c = plain(cfg)
    metrics = run(c, HydraConfig.get().runtime.output_dir)
    return float(metrics.get("validation", {}).get("micro_f1", 0.0))
