"""The numeric path a tagger runs on: fp32, bf16 weights or dynamic int8, chosen by measuring this machine.

Why measured: the fast path depends on the CPU. bf16 weights are about 2.6x
faster on an Intel Xeon with AMX and slower where the CPU has no bf16
instructions; dynamic int8 helps on some CPUs and not on others. So
``precision="auto"`` tags a small calibration text with every path this
machine can run, keeps those whose word tags agree with fp32 on at least
:data:`AGREEMENT` of the words, and picks the fastest. The result is cached
per model, machine, torch version and thread count (``~/.cache/indoquote/
precision.json``, or ``$INDOQUOTE_CACHE``), so the measurement runs once.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import platform
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Sequence

PRECISIONS = ("auto", "fp32", "bf16", "int8")
AGREEMENT = 0.995
"""Share of words whose tag must equal fp32's for a faster path to be chosen."""
MIN_GAIN = 1.1
"""A path must be at least this much faster than fp32 to be worth its (small) disagreement."""
MIN_PARAMETERS = 5_000_000
"""Smaller models stay fp32 unmeasured: measuring would cost more than it could save."""


@dataclass
class PrecisionChoice:
    """What ``auto`` chose and why: speed-ups and agreements of every path measured (fp32 = 1.0)."""

    precision: str
    speedup: float = 1.0
    agreement: float = 1.0
    measured: dict[str, dict[str, float]] = field(default_factory=dict)
    cached: bool = False
    reason: str = ""

    def describe(self) -> str:
        return f"precision {self.precision} ({self.reason})" if self.reason else f"precision {self.precision}"


def check_precision(precision: str) -> str:
    if precision not in PRECISIONS:
        raise ValueError(f"precision must be one of {PRECISIONS}, got {precision!r}")
    return precision


def convert(model: Any, precision: str) -> Any:
    """``model`` on the numeric path ``precision`` (a new model for int8; bf16/fp32 convert in place)."""
    import torch

    if precision == "fp32":
        return model.float()
    if precision == "bf16":
        return model.to(torch.bfloat16)
    if precision == "int8":
        return torch.ao.quantization.quantize_dynamic(model.float(), {torch.nn.Linear}, dtype=torch.qint8)
    raise ValueError(f"no numeric path {precision!r}: use one of {PRECISIONS[1:]}")


def cpu_flags() -> set[str]:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("flags"):
                return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def native_cpu_bf16() -> bool:
    """Does this CPU compute in bf16 (AMX or avx512_bf16; ARM)? Elsewhere torch emulates bf16 matmuls: a stand-in
    training step in bf16 autocast took 12.7 s, against 0.53-0.60 s in fp32 (an AVX2-only EPYC, docs/results.md)."""
    return bool(cpu_flags() & {"avx512_bf16", "amx_bf16"}) or platform.machine() in {"arm64", "aarch64"}


def candidate_paths(device: str) -> list[str]:
    """Paths worth measuring here: bf16 needs bf16 instructions (AMX/avx512_bf16) on a CPU."""
    if device.startswith("cuda"):
        return ["fp32", "bf16"]
    paths = ["fp32", "int8"]
    if native_cpu_bf16():
        paths.insert(1, "bf16")
    return paths


def cache_file() -> Path:
    root = os.environ.get("INDOQUOTE_CACHE") or "~/.cache/indoquote"
    return Path(root).expanduser() / "precision.json"


def cache_key(source: str, device: str, batch_size: int) -> str:
    """Model (path and weight files' size and time), machine, torch, threads, device and batch size."""
    import torch

    p = Path(source)
    stamp = sorted((f.name, f.stat().st_size, int(f.stat().st_mtime)) for f in p.glob("*.safetensors")) if p.is_dir() else []
    parts = [str(p.resolve()) if p.is_dir() else source, stamp, cpu_name(), torch.__version__,
             torch.get_num_threads(), device, batch_size]
    return hashlib.sha1(json.dumps(parts, default=str).encode()).hexdigest()[:16]


def _read_cache() -> dict[str, Any]:
    try:
        return json.loads(cache_file().read_text())
    except (OSError, ValueError):
        return {}


def _write_cache(key: str, choice: PrecisionChoice) -> None:
    data = _read_cache()
    data[key] = {k: v for k, v in asdict(choice).items() if k != "cached"}
    path = cache_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data, indent=2) + "\n")
        tmp.replace(path)
    except OSError:  # a read-only home: measure again next time
        pass


def calibration_documents(n: int = 12) -> list[list[str]]:
    """Word lists to measure on: the shipped seed articles' paragraphs, rotated into ``n`` articles."""
    from ..paths import DATA_DIR
    from ..text.articles import tokenize

    texts = [p.read_text(encoding="utf-8") for p in sorted((DATA_DIR / "seeds").glob("*.txt"))] or [_FALLBACK]
    docs = []
    for i in range(n):
        paras = [p for p in texts[i % len(texts)].split("\n\n") if p.strip()]
        k = i % len(paras)
        docs.append([t.text for t in tokenize("\n\n".join(paras[k:] + paras[:k]))])
    return docs


_FALLBACK = (
    'Menteri Keuangan Sri Mulyani mengatakan anggaran tetap aman. "Kami terus menjaga defisit di bawah tiga persen," '
    'katanya di Jakarta, Senin.\n\n"Semua program prioritas berjalan sesuai rencana," ujar Sri Mulyani.'
)


def measure(model: Any, tokenizer: Any, window: Any, device: str, batch_size: int,
            documents: Sequence[Sequence[str]], paths: Sequence[str]) -> dict[str, dict[str, float]]:
    """Seconds and word-tag agreement with fp32 of each path on ``documents`` (after one warm-up run each)."""
    from .decode import predict_words

    out: dict[str, dict[str, float]] = {}
    reference: list[list[str]] | None = None
    for path in paths:
        m = convert(copy.deepcopy(model), path) if path != "fp32" else model
        predict_words(m, tokenizer, documents[:1], window, batch_size, device)
        start = time.perf_counter()
        tags = predict_words(m, tokenizer, documents, window, batch_size, device)
        seconds = time.perf_counter() - start
        if reference is None:
            reference = tags
        pairs = [(a, b) for r, t in zip(reference, tags) for a, b in zip(r, t)]
        out[path] = {"seconds": round(seconds, 4), "agreement": round(sum(a == b for a, b in pairs) / max(len(pairs), 1), 5)}
        del m
    return out


def choose_precision(
    model: Any, tokenizer: Any, window: Any, source: str, device: str, batch_size: int, use_cache: bool = True
) -> PrecisionChoice:
    """The fastest path that agrees with fp32 (see the module docstring); measured once and cached."""
    if sum(p.numel() for p in model.parameters()) < MIN_PARAMETERS:
        return PrecisionChoice("fp32", reason=f"model under {MIN_PARAMETERS:,} parameters: not worth measuring")
    key = cache_key(source, device, batch_size)
    if use_cache and key in (cached := _read_cache()):
        return PrecisionChoice(**{**cached[key], "cached": True})
    paths = candidate_paths(device)
    measured = measure(model, tokenizer, window, device, batch_size, calibration_documents(), paths)
    base = measured["fp32"]["seconds"]
    best = PrecisionChoice("fp32", 1.0, 1.0, measured, reason="fastest on this machine")
    for path, m in measured.items():
        gain = base / max(m["seconds"], 1e-9)
        if path != "fp32" and m["agreement"] >= AGREEMENT and gain >= MIN_GAIN and gain > best.speedup:
            best = PrecisionChoice(path, round(gain, 3), m["agreement"], measured,
                                   reason=f"{gain:.2f}x fp32 here, tags agree on {100 * m['agreement']:.2f}% of words")
    if best.precision == "fp32":
        best.reason = "no faster path agrees with fp32 on this machine"
    _write_cache(key, best)
    return best
