"""What a training step runs: AdamW's parameter groups (layer-wise rates), its precision and attention kernel.

Kept apart from ``train`` so the run's orchestration reads on its own: these decide how fast and how each
step learns, not what is trained on.
"""

from __future__ import annotations

import logging
import re
from contextlib import contextmanager
from typing import Iterator

from ..errors import ConfigError
from ..model.precision import native_cpu_bf16

log = logging.getLogger(__name__)


def layer_of(name: str) -> int | None:
    """Depth of a parameter for layer-wise decay: 0 for the embeddings, ``k + 1`` for encoder layer ``k``, None above."""
    found = re.search(r"\.layers?\.(\d+)\.", name)
    if found:
        return int(found.group(1)) + 1
    return 0 if "embeddings" in name else None


def build_optimizer(model, args, head_lr: float | None, layer_decay: float | None = None):
    """AdamW with the Trainer's decay groups; ``head_lr``: a separate rate for the new classifier head;
    ``layer_decay``: each encoder layer learns at ``layer_decay`` times the rate of the layer above (the
    embeddings lowest), so the pretrained lower layers move least.

    Passed to ``Trainer(optimizers=(optimizer, None))``; the Trainer still makes the scheduler.
    """
    import torch
    from transformers.trainer_pt_utils import get_parameter_names

    forbidden = [r"bias", r"layernorm", r"rmsnorm", r"(?:^|\.)norm(?:$|\.)", r"_norm(?:$|\.)"]
    decay_names = set(get_parameter_names(model, [torch.nn.LayerNorm], forbidden))
    layers = int(getattr(model.config, "num_hidden_layers", 0) or 0)
    groups: dict[tuple[float, bool], list] = {}
    for name, p in model.named_parameters():
        if not p.requires_grad:
            continue
        lr = head_lr if head_lr and name.startswith("classifier") else args.learning_rate
        depth = layer_of(name) if layer_decay else None
        if depth is not None:
            lr = args.learning_rate * layer_decay ** (layers + 1 - depth)
        groups.setdefault((lr, name in decay_names), []).append(p)
    return torch.optim.AdamW(
        [{"params": ps, "lr": lr, "weight_decay": args.weight_decay if decay else 0.0} for (lr, decay), ps in groups.items()],
        lr=args.learning_rate,
        betas=(args.adam_beta1, args.adam_beta2),
        eps=args.adam_epsilon,
        # one fused kernel for every tensor instead of a loop over them: a stand_in step 1.08-1.14x on CPU, same update
        fused=all(p.device.type in {"cpu", "cuda"} for ps in groups.values() for p in ps),
    )


def training_precision(setting: str, on_gpu: bool, gpu_bf16: bool = False) -> tuple[bool, bool]:
    """``(bf16, fp16)`` autocast for ``trainer.precision``: ``auto`` picks bf16 where the hardware computes in it
    (a GPU that supports it, else fp16; a CPU with AMX or avx512_bf16) and fp32 elsewhere.

    Why: bf16 autocast made a stand-in step about 1.5x faster on CPUs with bf16 instructions, but on an AVX2-only
    CPU torch emulates bf16 matmuls and a step took 12.7 s, many times fp32's (docs/results.md, fifteenth session).
    """
    if setting not in {"auto", "bf16", "fp16", "fp32"}:
        raise ConfigError(f"trainer.precision must be auto, bf16, fp16 or fp32, got {setting!r}")
    if on_gpu:
        bf16 = setting == "bf16" or (setting == "auto" and gpu_bf16)
        return bf16, setting == "fp16" or (setting == "auto" and not bf16)
    if setting == "fp16":
        raise ConfigError("trainer.precision=fp16 needs a GPU; on a CPU use auto, bf16 or fp32")
    native = native_cpu_bf16()
    if setting == "bf16" and not native:
        log.warning("trainer.precision=bf16 on a CPU without bf16 instructions (AMX, avx512_bf16): torch emulates "
                    "its matmuls and training runs many times slower than fp32; trainer.precision=auto picks fp32 here")
    return setting == "bf16" or (setting == "auto" and native), False


def training_attention(model, setting: str, on_gpu: bool) -> str:
    """Switch ``model`` to the attention kernel ``trainer.attention`` asks for while it trains, and name it.

    Why: on a CPU, SDPA's backward costs a quarter of a step; the plain (eager) softmax-matmul attention, the
    same arithmetic, is cheaper there. The kernel is not saved in ``config.json``: a checkpoint loads with SDPA.
    """
    wanted = ("sdpa" if on_gpu else "eager") if setting == "auto" else setting
    if wanted not in {"sdpa", "eager"}:
        raise ConfigError(f"trainer.attention must be auto, sdpa or eager, got {setting!r}")
    set_attention(model, wanted)
    return wanted


def set_attention(model, kernel: str) -> str | None:
    """Switch ``model`` to the attention ``kernel`` (``sdpa``, ``eager``) and return the one it had."""
    before = getattr(model.config, "_attn_implementation", None)
    if before != kernel and hasattr(model, "set_attn_implementation"):
        model.set_attn_implementation(kernel)
    return before


@contextmanager
def attention_kernel(model, kernel: str) -> Iterator[None]:
    """``model`` runs ``kernel`` inside the block and its own kernel again after it."""
    before = set_attention(model, kernel)
    try:
        yield
    finally:
        if before is not None:
            set_attention(model, before)
