"""``indoquote data [overrides]``: build a config's data and print its stats (``data_stats.json`` beside)."""

from __future__ import annotations

import json
from pathlib import Path

from ..atomic import write_text
from .jobs import plain


def job(cfg) -> None:
    from hydra.core.hydra_config import HydraConfig

    from ..data.build import build_datasets, load_splits, stats_table
    from ..model.modeling import load_tokenizer
    from ..model.windows import WindowConfig
    from ..text.labels import get_schema

    c = plain(cfg)
    out = Path(HydraConfig.get().runtime.output_dir)
    schema = get_schema(c["labels"]["schema"])
    texts = None
    if c["model"].get("kind") == "tiny":
        texts = [" ".join(d.tokens) for d in load_splits(c["data"], c["seed"])["train"]]
    tokenizer = load_tokenizer(c["model"], texts)
    window = WindowConfig(c["windows"]["max_length"], c["windows"]["stride"])
    _, _, stats = build_datasets(c["data"], tokenizer, schema, window, c["seed"], c["data"].get("cache_dir"))
    print(stats_table(stats))
    write_text(out / "data_stats.json", json.dumps(stats.to_json(), indent=2))
    print(f"stats written to {out / 'data_stats.json'}")
