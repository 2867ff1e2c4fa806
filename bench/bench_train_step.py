"""Cost of one training step under the CPU training options, as ratios to plain fine-tuning.

    python bench/bench_train_step.py --model DIR [--batch-size 4] [--length 256] [--steps 6]

Each variant loads the model afresh (train mode, bf16 autocast as ``precision=bf16``),
runs forward, backward and an AdamW step on the same random batch, and reports the
mean seconds per step after two warm-up steps. The baseline is full fine-tuning
with the checkpoint's own attention dropout and the word embeddings frozen, which
is what ``experiment=stand_in`` did before these options existed. Ratios are from
one run, on one machine: compare them, not the seconds, across machines.
"""

from __future__ import annotations

import argparse
import platform
import time

import torch

VARIANTS = {  # name: (attention dropout or None for the checkpoint's, frozen layers)
    "baseline (attention dropout 0.1)": (None, 0),
    "attention_dropout=0.0": (0.0, 0),
    "attention_dropout=0.0, freeze_layers=2": (0.0, 2),
    "attention_dropout=0.0, freeze_layers=5": (0.0, 5),
    "attention_dropout=0.1, freeze_layers=5": (None, 5),
}


def seconds_per_step(model_dir: str, dropout: float | None, frozen: int, batch: int, length: int, steps: int) -> float:
    """Seconds per step of the model exactly as ``indoquote train`` loads it (``model=local``)."""
    from hydra import compose, initialize_config_dir
    from omegaconf import OmegaConf
    from transformers import AutoConfig

    from indoquote.cli import register_resolvers
    from indoquote.labels import get_schema
    from indoquote.modeling import load_model
    from indoquote.paths import CONFIG_DIR

    layers = AutoConfig.from_pretrained(model_dir).num_hidden_layers
    register_resolvers()
    overrides = ["model=local", f"model.path={model_dir}", "model.freeze_embeddings=true",
                 f"model.freeze_layers={min(frozen, layers)}",
                 f"model.attention_dropout={'null' if dropout is None else dropout}"]  # fmt: skip
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        model_cfg = OmegaConf.to_container(compose("train", overrides=overrides).model, resolve=True)
    torch.manual_seed(0)
    model = load_model(model_cfg, get_schema("pfsa"), None)
    model.train()
    opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-5)
    ids = torch.randint(5, min(20_000, model.config.vocab_size), (batch, length))
    labels = torch.randint(0, model.config.num_labels, (batch, length))
    mask = torch.ones_like(ids)
    mask[-1, length // 2 :] = 0  # one padded row, as in a length-grouped batch
    times = []
    for _ in range(steps + 2):
        t = time.perf_counter()
        with torch.autocast("cpu", dtype=torch.bfloat16):
            loss = model(input_ids=ids, attention_mask=mask, labels=labels).loss
        loss.backward()
        opt.step()
        opt.zero_grad()
        times.append(time.perf_counter() - t)
    return sum(times[2:]) / steps


def main(argv: list[str] | None = None) -> list[tuple[str, float]]:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", required=True, help="a BERT-family model directory (e.g. the stand-in)")
    ap.add_argument("--batch-size", type=int, default=4)
    ap.add_argument("--length", type=int, default=256)
    ap.add_argument("--steps", type=int, default=6)
    args = ap.parse_args(argv)
    rows = []
    for name, (dropout, frozen) in VARIANTS.items():
        s = seconds_per_step(args.model, dropout, frozen, args.batch_size, args.length, args.steps)
        rows.append((name, s))
        print(f"{name:45s} {s:.3f} s/step", flush=True)
    base = rows[0][1]
    print(f"\nmachine: {platform.processor() or platform.machine()}, {torch.get_num_threads()} threads, torch {torch.__version__}")
    print(f"batch {args.batch_size} x {args.length}, {args.steps} steps each\n")
    print("| variant | s/step | speed vs baseline |\n|---|---:|---:|")
    for name, s in rows:
        print(f"| {name} | {s:.3f} | {base / s:.2f}x |")
    return rows


if __name__ == "__main__":
    main()
