"""Training throughput: the `stand_in` recipe against a naive fine-tuning baseline, on the same model and windows.

    python bench/bench_train_step.py --model DIR [--windows 48] [--batch-size 4] [--length 256] [--compile]
                                     [--freeze-layers 2,4,6] [--keep-layers 8] [--kernels] [--profile ROWS]

Both train on the same real windows (the shipped real-outlet articles and seeds,
tokenized by the model's tokenizer, cut at ``--length`` sub-words, lengths as
they fall) for one pass, forward + backward + AdamW step, after one warm-up batch:

- naive: fp32, every weight trainable (the word embeddings too), the model's
  attention dropout, batches in random order padded to their longest window;
- each recipe option added in turn (attention dropout off, embeddings frozen,
  bf16 autocast, length-grouped batches), so the table shows what each buys; bf16 only where the CPU computes
  in it (AMX, avx512_bf16), as ``trainer.precision=auto`` trains, unless ``--bf16 on``;
- recipe: all of them, as ``experiment=stand_in`` trains;
- with ``--compile``, the recipe under ``torch.compile(dynamic=True)`` too (its compile
  time is spent in the warm-up batches, not timed);
- with ``--kernels``, the recipe with fused AdamW, with eager (softmax-matmul) attention instead of SDPA, and
  with both, as ``indoquote train`` runs on a CPU (``trainer.attention=auto``);
- with ``--freeze-layers``, the recipe with that many of the lowest encoder layers frozen
  as well (``model.freeze_layers``): backpropagation stops above them;
- with ``--keep-layers``, the recipe on only that many of the lowest encoder layers
  (``model.keep_layers``), the 2 lowest of them frozen: ``experiment=stand_in`` is
  ``--keep-layers 8``.

With ``--profile ROWS``, one pass of the recipe as ``experiment=stand_in`` trains it (8 layers, the 2 lowest
frozen) runs under ``torch.profiler`` instead, and the ROWS operators with the most self CPU time are printed.

Reported as windows per second and as ratios to naive, from one run on one
machine; the last line is ``recipe vs naive: N.NNx``.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]
# name: (attention dropout off, embeddings frozen, bf16 autocast, length-grouped batches)
VARIANTS = {
    "naive (fp32, all weights, attention dropout, random batches)": (False, False, False, False),
    "+ attention dropout off": (True, False, False, False),
    "+ word embeddings frozen": (True, True, False, False),
    "+ bf16 autocast": (True, True, True, False),
    "recipe (+ length-grouped batches)": (True, True, True, True),
}

KERNELS = [  # name: (attention kernel, fused AdamW)
    ("recipe + fused AdamW", "sdpa", True),
    ("recipe + eager attention", "eager", False),
    ("recipe + eager attention + fused AdamW (indoquote train on CPU)", "eager", True),
]


def real_windows(tokenizer, n: int, length: int) -> list[list[int]]:
    """``n`` windows of sub-word ids from the shipped real articles, as training cuts documents.

    Each article is cut into consecutive windows of a length drawn from
    ``stand_in``'s ``window_lengths`` (1/2, 3/4, 1, 1 of ``length``); an article's
    last window is what remains, so lengths vary as in training.
    """
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "data" / "seeds").glob("*.txt"))]
    for f in sorted((ROOT / "data" / "dev-articles").glob("*.jsonl")):
        texts += [json.loads(line)["text"] for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]
    rng = random.Random(0)
    out: list[list[int]] = []
    for text in texts:
        ids = tokenizer(text, add_special_tokens=False)["input_ids"]
        size = rng.choice([length // 2, 3 * length // 4, length, length]) - 2
        for i in range(0, len(ids), size):
            out.append([tokenizer.cls_token_id or 0, *ids[i : i + size], tokenizer.sep_token_id or 0])
    rng.shuffle(out)
    return out[:n]


def batches(windows: list[list[int]], size: int, grouped: bool) -> list[list[list[int]]]:
    """Random batches, or batches of similar length (as ``train_sampling_strategy=group_by_length``)."""
    order = sorted(windows, key=len) if grouped else list(windows)
    out = [order[i : i + size] for i in range(0, len(order), size)]
    random.Random(1).shuffle(out)
    return out


def seconds_per_pass(model_dir: str, variant: tuple[bool, bool, bool, bool], windows, size: int, num_labels: int,
                     compiled: bool = False, freeze: int = 0, keep: int | None = None, profile: int = 0,
                     attention: str = "sdpa", fused: bool = False) -> float:
    from transformers import AutoModelForTokenClassification

    from indoquote.model.modeling import freeze_layers, keep_layers

    dropout_off, frozen, bf16, grouped = variant
    extra = {"attention_probs_dropout_prob": 0.0} if dropout_off else {}
    torch.manual_seed(0)
    model = AutoModelForTokenClassification.from_pretrained(model_dir, num_labels=num_labels, ignore_mismatched_sizes=True,
                                                            attn_implementation=attention, **extra)
    model.get_input_embeddings().weight.requires_grad = not frozen
    if keep:
        keep_layers(model, keep)
    if freeze:
        freeze_layers(model, freeze)
    model.train()
    opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-5, fused=fused)
    pad = model.config.pad_token_id or 0
    work = batches(windows, size, grouped)
    forward = torch.compile(model, dynamic=True) if compiled else model

    def step(batch):
        longest = max(map(len, batch))
        ids = torch.tensor([w + [pad] * (longest - len(w)) for w in batch])
        mask = torch.tensor([[1] * len(w) + [0] * (longest - len(w)) for w in batch])
        labels = torch.randint(0, num_labels, ids.shape).masked_fill(mask == 0, -100)
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            loss = forward(input_ids=ids, attention_mask=mask, labels=labels).loss
        loss.backward()
        opt.step()
        opt.zero_grad()

    for b in work[: 3 if compiled else 1]:  # warm-up (compilation: a few lengths)
        step(b)
    if profile:  # the profiled pass is the measurement: no timed pass after it
        print_profile(step, work, profile)
        return 0.0
    start = time.perf_counter()
    for b in work:
        step(b)
    return time.perf_counter() - start


def print_profile(step, work, rows: int) -> None:
    """Where a training step's time goes: the ``rows`` operators with the most self CPU time over one pass."""
    from torch.profiler import ProfilerActivity, profile

    with profile(activities=[ProfilerActivity.CPU], record_shapes=True) as prof:
        for b in work:
            step(b)
    print(prof.key_averages(group_by_input_shape=True).table(sort_by="self_cpu_time_total", row_limit=rows), flush=True)


def _numbers(text: str) -> list[int]:
    return [int(x) for x in text.split(",") if x.strip()]


def main(argv: list[str] | None = None) -> list[tuple[str, float]]:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", required=True, help="a model directory (e.g. the stand-in)")
    ap.add_argument("--windows", type=int, default=48)
    ap.add_argument("--batch-size", type=int, default=4)
    ap.add_argument("--length", type=int, default=256)
    ap.add_argument("--num-labels", type=int, default=23)
    ap.add_argument("--compile", action="store_true", help="also time the recipe under torch.compile")
    ap.add_argument("--freeze-layers", default="", help="also time the recipe with N lowest layers frozen: N[,N...]")
    ap.add_argument("--keep-layers", default="", help="also time the recipe on the N lowest layers only: N[,N...]")
    ap.add_argument("--kernels", action="store_true",
                    help="also time the recipe with fused AdamW, eager attention, and both (indoquote train on CPU)")
    ap.add_argument("--profile", type=int, default=0, metavar="ROWS",
                    help="print the ROWS operators that take most of a recipe step (torch.profiler) and stop")
    ap.add_argument("--bf16", choices=["auto", "on"], default="auto",
                    help="bf16 autocast in the recipe: auto, only where the CPU computes in bf16 (as trainer.precision"
                         "=auto; emulated bf16 on an AVX2 CPU is many times slower); on, everywhere")
    args = ap.parse_args(argv)
    from transformers import AutoTokenizer

    from indoquote.model.precision import native_cpu_bf16

    bf16 = args.bf16 == "on" or native_cpu_bf16()  # as trainer.precision=auto: only where the CPU computes in bf16
    variants = {name: (off, frozen, autocast and bf16, grouped)
                for name, (off, frozen, autocast, grouped) in VARIANTS.items()}
    recipe = variants[list(VARIANTS)[-1]]

    windows = real_windows(AutoTokenizer.from_pretrained(args.model), args.windows, args.length)
    if args.profile:  # the recipe as experiment=stand_in trains it: 8 layers (at most), the 2 lowest frozen
        from transformers import AutoConfig

        depth = min(8, AutoConfig.from_pretrained(args.model).num_hidden_layers)
        seconds_per_pass(args.model, recipe, windows, args.batch_size, args.num_labels,
                         freeze=min(2, depth - 1), keep=depth, profile=args.profile)
        return []
    rows = []
    for name, variant in variants.items():
        s = seconds_per_pass(args.model, variant, windows, args.batch_size, args.num_labels)
        rows.append((name, s))
        print(f"{name:62s} {len(windows) / s:7.2f} windows/s", flush=True)
    if args.compile:
        name = "recipe + torch.compile(dynamic=True)"
        s = seconds_per_pass(args.model, recipe, windows, args.batch_size, args.num_labels, True)
        rows.append((name, s))
        print(f"{name:62s} {len(windows) / s:7.2f} windows/s", flush=True)
    if args.kernels:
        for name, attention, fused in KERNELS:
            s = seconds_per_pass(args.model, recipe, windows, args.batch_size, args.num_labels,
                                 attention=attention, fused=fused)
            rows.append((name, s))
            print(f"{name:62s} {len(windows) / s:7.2f} windows/s", flush=True)
    extra = [(f"recipe + {n} lowest encoder layers frozen", 0, n) for n in _numbers(args.freeze_layers)]
    extra += [(f"recipe + only the {n} lowest encoder layers, {min(2, n - 1)} of them frozen", n, min(2, n - 1))
              for n in _numbers(args.keep_layers)]
    for name, keep, freeze in extra:
        s = seconds_per_pass(args.model, recipe, windows, args.batch_size, args.num_labels,
                             freeze=freeze, keep=keep or None)
        rows.append((name, s))
        print(f"{name:62s} {len(windows) / s:7.2f} windows/s", flush=True)
    base = rows[0][1]
    tokens = sum(map(len, windows))
    print(f"\nmachine: {platform.processor() or platform.machine()}, {torch.get_num_threads()} threads, torch {torch.__version__}"
          f", bf16 autocast {'on' if bf16 else 'off (no bf16 instructions: the bf16 rows run fp32)'}")
    print(f"{len(windows)} windows ({tokens:,} sub-words, at most {args.length}), batch {args.batch_size}, one pass each\n")
    print("| variant | windows/s | speed vs naive |\n|---|---:|---:|")
    for name, s in rows:
        print(f"| {name} | {len(windows) / s:.2f} | {base / s:.2f}x |")
    print(f"\nrecipe vs naive: {base / dict(rows)[list(VARIANTS)[-1]]:.2f}x")
    return rows


if __name__ == "__main__":
    main()
