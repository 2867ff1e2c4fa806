"""Compose the project's Hydra configs in tests, as `indoquote` does."""

from __future__ import annotations

from omegaconf import OmegaConf

from indoquote.cli import register_resolvers
from indoquote.paths import CONFIG_DIR


def compose(overrides: list[str], config_name: str = "config") -> dict:
    from hydra import compose as hydra_compose
    from hydra import initialize_config_dir

    register_resolvers()
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        cfg = hydra_compose(config_name=config_name, overrides=overrides)
    return OmegaConf.to_container(cfg, resolve=True)


SMOKE_FAST = [
    "experiment=smoke",
    "trainer.progress=false",
    "trainer.report_to=[]",
    "model.hidden_size=32",
    "model.intermediate_size=64",
    "model.vocab_size=600",
]
