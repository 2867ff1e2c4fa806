"""Throughput and peak memory of the tagger on CPU: one article at a time vs batched, fp32 vs bf16 / int8 / ONNX int8 / auto.

    python bench/bench_tagger.py --model DIR [--articles FILE.jsonl|DIR] [--n 50] [--batch-size 16] [--threads N]
        [--variants torch-batch torch-batch-indirect ...] [--repeat R] [--baseline-src OLD/src] [--peak-tflops T]

Every variant runs in a fresh subprocess (peak RSS is per process, and
tracemalloc does not see torch's allocations), tags the same
articles after one warm-up article, and reports articles per second, peak RSS
and the RSS added by tagging (peak minus RSS after loading). Without
``--articles``, N articles are synthesized by rotating the paragraphs of the
``data/seeds`` texts. When DIR has no ``model.int8.onnx``, the model is first
published with ``onnx=true`` into a temporary directory. The result is printed
as a table, as ratios and as a Markdown block for ``docs/results.md``. Every
variant's word tags are compared with the fp32 one-at-a-time run (agreement);
the last line names the fastest variant whose tags agree on at least 99.5% of
words: ``best speedup vs torch-loop: N.NNx (VARIANT), word-tag agreement P%``.
``auto-batch`` is what ``precision="auto"`` (the default) picks on this machine.
``torch-batch-indirect`` is ``torch-batch`` with ``--kinds direct,indirect``: its ratio to ``torch-batch`` is what
reported speech costs (the checkpoint's indirect-speech head, else the rules).

Each variant also reports sub-words/s (the articles' own sub-words, as the tagger tokenizes them: window
overlap, special tokens and padding are work the model does beyond them) and that rate's fraction of a
roofline: sub-words/s x FLOPs per sub-word / peak FLOP/s. FLOPs per sub-word come from the model config
(:func:`flops_per_subword`: 2 x the encoder layers' weights + the attention over a full window); the peak is
``--peak-tflops`` or, by default, cores x clock x :data:`FLOP_PER_CYCLE` of the variant's precision, or
:data:`FLOP_PER_CYCLE_AMX` on a CPU with AMX (:func:`peak_tflops`): an upper bound no real run reaches, but the same yardstick before and after.
``--baseline-src`` runs torch-loop and auto-batch a second time with another source tree (the code before a
change) as ``VARIANT@base``, so before and after are compared in one run on one machine state; ``--repeat``
keeps the fastest of R timed passes per variant and ``--rounds`` the fastest of N fresh processes per variant,
run in turn (other jobs share the machine). ``--teacher DIR`` runs torch-loop and auto-batch on another model
(the teacher a distilled ``--model`` learned from) as ``VARIANT@teacher``: the last line then gives the speedup
against the teacher's fp32 loop, the issue's baseline, and each variant's word-tag agreement with the teacher's
tags beside the one with its own fp32 loop.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VARIANTS = {  # name: (backend, batched, precision, linker)
    "torch-loop": ("torch", False, "fp32", True),  # QuoteTagger(text) per article: the baseline
    "torch-batch": ("torch", True, "fp32", True),  # QuoteTagger.batch(texts)
    "torch-bf16-batch": ("torch", True, "bf16", True),
    "torch-int8-batch": ("torch", True, "int8", True),
    "onnx-int8-batch": ("onnx-int8", True, "fp32", True),
    "auto-batch": ("torch", True, "auto", True),  # the default: the fastest path that agrees with fp32 here
    "auto-batch-rules": ("torch", True, "auto", False),  # speakers by the rules: what the linker costs
    "torch-batch-indirect": ("torch", True, "fp32", True),  # --kinds direct,indirect: what reported speech costs
}
KINDS = {"torch-batch-indirect": ("direct", "indirect")}
"""Record kinds per variant (default: direct quotations only, ``indoquote predict``'s default)."""
AGREEMENT = 0.995
FLOP_PER_CYCLE = {"fp32": 64, "bf16": 128, "int8": 256}
"""Peak FLOPs per cycle and core: two 512-bit FMA pipes (AVX-512: 16 fp32 lanes x 2 FLOPs x 2 pipes); bf16 dot
products (AVX512_BF16) and int8 ones (AVX512_VNNI) do 2x and 4x the work per instruction."""
FLOP_PER_CYCLE_AMX = {"bf16": 1024, "int8": 2048}
"""Where the CPU has AMX tiles (``amx_bf16``, ``amx_int8``: Xeon since Sapphire Rapids), Intel's peak per cycle and
core: 1,024 bf16 and 2,048 int8 operations. Without this, a bf16 run on AMX reads as 70% of a peak it passes."""
BASE = "@base"
"""Suffix of the variants run with ``--baseline-src`` (the code before a change, in the same run)."""
TEACHER = "@teacher"
"""Suffix of the variants run on ``--teacher`` (the model a distilled student learned from)."""
BASELINE_VARIANTS = ("torch-loop", "auto-batch")
SMOKE_NOTE = "all in one process (smoke run: memory figures are not per variant)"

# ------------------------------------------------------------- articles


def synthesize(n: int, seed_dir: Path = ROOT / "data" / "seeds") -> list[dict]:
    """``n`` articles from the seed texts: article i is the paragraphs rotated by i (same length, other windows)."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(seed_dir.glob("*.txt"))]
    if not texts:
        raise SystemExit(f"no seed texts in {seed_dir}; pass --articles")
    out = []
    for i in range(n):
        paras = [p for p in texts[i % len(texts)].split("\n\n") if p.strip()]
        k = i % len(paras)
        out.append({"id": f"synthetic-{i}", "text": "\n\n".join(paras[k:] + paras[:k])})
    return out


def load_articles(path: str | None, n: int) -> list[dict]:
    if path is None:
        return synthesize(n)
    from indoquote.pipeline.inputs import iter_inputs

    arts = [{"id": i, "text": t} for i, t in iter_inputs([path])]
    return arts[:n] if n else arts


# --------------------------------------------------------------- worker


def rss_mb() -> float:
    import psutil

    return psutil.Process().memory_info().rss / 2**20


def peak_rss_mb() -> float:
    """This process's peak RSS: ``VmHWM`` on Linux, where ``ru_maxrss`` survives ``execve`` and so
    would report the parent's peak (the ONNX export) for every variant."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux, bytes on macOS


class RssSampler:
    """Highest RSS seen while tagging (the process peak also counts loading the model)."""

    def __init__(self, every_s: float = 0.005) -> None:
        import threading

        self.every_s, self.peak = every_s, rss_mb()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(self.every_s):
            self.peak = max(self.peak, rss_mb())

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_mb())


def count_subwords(tokenizer, texts: list[str]) -> int:
    """The articles' sub-words as the tagger sees them: cleaned, split into words, each word encoded."""
    from indoquote.model.windows import encode_words
    from indoquote.text.articles import article_from_text
    from indoquote.text.glue import normalize_and_repair

    clean = [normalize_and_repair(t).text for t in texts]
    return sum(len(encode_words(tokenizer, article_from_text(c, "a").words).input_ids) for c in clean if c.strip())


def flops_per_subword(config, context: int) -> float:
    """Forward FLOPs per sub-word: 2 x the weights of each layer's attention projections (4 h^2) and
    feed-forward (2 h i), plus the attention itself (QK^T and AV: 4 x context x h), plus the classifier."""
    h, i, n = config.hidden_size, config.intermediate_size, config.num_hidden_layers
    return n * (2 * (4 * h * h + 2 * h * i) + 4 * context * h) + 2 * h * len(config.id2label)


def clock_ghz() -> float:
    """The CPU clock: lscpu's maximum MHz, else its BogoMIPS / 2 (what a VM shows), else 2.5 GHz."""
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return 2.5
    fields = dict(line.split(":", 1) for line in out.splitlines() if ":" in line)
    if "CPU max MHz" in fields:
        return float(fields["CPU max MHz"]) / 1000
    if "BogoMIPS" in fields:
        return float(fields["BogoMIPS"]) / 2000
    return 2.5


def flop_per_cycle(precision: str, flags: set[str] | frozenset[str] = frozenset()) -> int:
    """Peak FLOPs per cycle and core of ``precision`` on a CPU with ``flags`` (:data:`FLOP_PER_CYCLE`, or
    :data:`FLOP_PER_CYCLE_AMX` where the CPU has the AMX tiles of that precision)."""
    if f"amx_{precision}" in flags and precision in FLOP_PER_CYCLE_AMX:
        return FLOP_PER_CYCLE_AMX[precision]
    return FLOP_PER_CYCLE.get(precision, FLOP_PER_CYCLE["fp32"])


def peak_tflops(precision: str, threads: int, override: float | None = None, flags: set[str] | None = None) -> float:
    """Peak TFLOP/s of ``precision`` on ``threads`` cores of this CPU (``flags``: its /proc/cpuinfo flags;
    ``override`` when given): see :func:`flop_per_cycle`."""
    if override:
        return override
    if flags is None:
        from indoquote.model.precision import cpu_flags

        flags = cpu_flags()
    return threads * clock_ghz() * flop_per_cycle(precision, flags) / 1000


def path_precision(path: str) -> str:
    """The numeric precision of a variant's path (``onnx-int8`` -> ``int8``)."""
    return "int8" if "int8" in path else path


def add_roofline(res: dict[str, dict], config, context: int, threads: int, override: float | None = None) -> None:
    """Sub-words/s and the fraction of the roofline per variant (see the module docstring)."""
    flops = flops_per_subword(config, context)
    for r in res.values():
        r["subwords_per_s"] = round(r["subwords"] / r["seconds"], 1)
        r["peak_tflops"] = round(peak_tflops(path_precision(r["precision"]), threads, override), 3)
        r["roofline"] = round(r["subwords_per_s"] * flops / (r["peak_tflops"] * 1e12), 4)
        r["flops_per_subword"], r["context"] = flops, context


def worker(variant: str, model: str, articles: Path, batch_size: int, threads: int, repeat: int = 1) -> dict:
    """One variant in this (fresh) process; returns its measurements (the fastest of ``repeat`` timed passes)."""
    import torch

    from indoquote.pipeline.tagger import QuoteTagger

    torch.set_num_threads(threads)
    backend, batched, precision, linker = VARIANTS[variant]
    texts = [json.loads(line)["text"] for line in articles.read_text(encoding="utf-8").splitlines() if line.strip()]
    tagger = QuoteTagger.from_pretrained(
        model, device="cpu", batch_size=batch_size, backend=backend, threads=threads, precision=precision,
        linker=linker, kinds=KINDS.get(variant, ("direct",)),
    )
    tagger(texts[0])  # warm-up: first-call allocations and lazy initialisation
    loaded = rss_mb()
    with RssSampler() as sampler:
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            tagged = tagger.tag_batch(texts) if batched else [tagger.tag(t) for t in texts]
            times.append(time.perf_counter() - start)
    seconds = min(times)  # the least disturbed pass: other jobs share this machine
    records = [a.records for a in tagged]
    return {
        "precision": tagger.precision.precision if backend == "torch" else backend,
        "tags": [a.tags for a in tagged],
        "variant": variant,
        "articles": len(texts),
        "subwords": count_subwords(tagger.tokenizer, texts),
        "seconds": round(seconds, 4),
        "articles_per_s": round(len(texts) / seconds, 3),
        "quotes": sum(map(len, records)),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "tagging_peak_mb": round(sampler.peak, 1),
        "added_rss_mb": round(max(sampler.peak - loaded, 0.0), 1),
    }


def run_variant(
    variant: str, model: str, articles: Path, batch_size: int, threads: int, in_process: bool = False,
    repeat: int = 1, src: str | None = None,
) -> dict:
    """The variant in a fresh subprocess (or here, for a smoke test: memory figures then mean little);
    ``src``: import ``indoquote`` from this source folder instead (the ``--baseline-src`` runs)."""
    if in_process:
        return worker(variant, model, articles, batch_size, threads, repeat)
    env = dict(os.environ)
    if src:
        env["PYTHONPATH"] = os.pathsep.join([str(Path(src).resolve()), *filter(None, [env.get("PYTHONPATH")])])
    cmd = [
        sys.executable,
        __file__,
        "--worker",
        variant,
        "--model",
        model,
        "--articles",
        str(articles),
        "--batch-size",
        str(batch_size),
        "--threads",
        str(threads),
        "--repeat",
        str(repeat),
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        raise SystemExit(f"variant {variant} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------- report


def cpu_model() -> str:
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():
            if line.startswith("Model name:"):
                return line.split(":", 1)[1].strip()
    except (OSError, subprocess.CalledProcessError):
        pass
    return platform.processor() or platform.machine()


def ratios(res: dict[str, dict]) -> list[tuple[str, float, float]]:
    """``(comparison, speed ratio, tagging peak RSS ratio)``: speed > 1 means the first is faster."""
    pairs = [
        ("batch vs one-at-a-time (torch fp32)", "torch-batch", "torch-loop"),
        ("bf16 weights vs fp32 (batched)", "torch-bf16-batch", "torch-batch"),
        ("torch dynamic int8 vs fp32 (batched)", "torch-int8-batch", "torch-batch"),
        ("ONNX int8 vs PyTorch fp32 (batched)", "onnx-int8-batch", "torch-batch"),
        ("auto (the default) vs one-at-a-time fp32", "auto-batch", "torch-loop"),
        ("speakers by the rules vs by the linker (auto, batched)", "auto-batch-rules", "auto-batch"),
        ("direct only vs direct + indirect (fp32, batched): the cost of --kinds direct,indirect", "torch-batch",
         "torch-batch-indirect"),
        ("torch-loop vs torch-loop of --baseline-src (the code before)", "torch-loop", "torch-loop" + BASE),
        ("auto vs auto of --baseline-src (the code before)", "auto-batch", "auto-batch" + BASE),
        ("auto vs one-at-a-time fp32 of --baseline-src (the code before)", "auto-batch", "torch-loop" + BASE),
        ("student fp32 loop vs teacher fp32 loop (--teacher)", "torch-loop", "torch-loop" + TEACHER),
        ("student auto vs teacher auto (--teacher)", "auto-batch", "auto-batch" + TEACHER),
        ("student auto vs teacher fp32 loop (--teacher)", "auto-batch", "torch-loop" + TEACHER),
    ]
    out = []
    for name, a, b in pairs:
        if a in res and b in res:
            out.append(
                (
                    name,
                    res[a]["articles_per_s"] / res[b]["articles_per_s"],
                    res[a]["tagging_peak_mb"] / res[b]["tagging_peak_mb"],
                )
            )
    return out


def markdown(
    res: dict[str, dict],
    command: str,
    n_chars: int,
    threads: int,
    batch_size: int,
    model: str,
    in_process: bool = False,
) -> str:
    import onnxruntime
    import torch

    first = next(iter(res.values()))
    lines = [
        "### Tagger throughput on CPU",
        "",
        f"- command: `{command}`",
        f"- machine: {cpu_model()}, {os.cpu_count()} cores visible; {threads} thread(s); "
        f"torch {torch.__version__}, onnxruntime {onnxruntime.__version__}",
        f"- date: {time.strftime('%Y-%m-%d %H:%M %Z')}",
        f"- model: `{model}`; {first['articles']} articles, {n_chars:,} characters; batch size {batch_size}",
        "",
        "- roofline: " + ", ".join(sorted({f"{r.get('flops_per_subword', 0) / 1e6:.1f} MFLOP per sub-word"
                                          f"{' (the teacher)' if r['variant'].endswith(TEACHER) else ''}"
                                          for r in res.values()}))
        + f" (2 x the encoder layers' weights + attention over {first.get('context', 0)} sub-words); peak TFLOP/s per path: "
        + ", ".join(sorted({f"{r['precision']} {r['peak_tflops']:g}" for r in res.values() if 'peak_tflops' in r})),
        "",
        "| variant | path | articles/s | sub-words/s | roofline | seconds | word-tag agreement with torch-loop "
        "| with the teacher | RSS peak while tagging (MB) | added by tagging (MB) | process peak RSS (MB) | quotes |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in res.values():
        teacher = f"{100 * r['teacher_agreement']:.2f}%" if "teacher_agreement" in r else "-"
        lines.append(
            f"| {r['variant']} | {r['precision']} | {r['articles_per_s']:.2f} | {r.get('subwords_per_s', 0):,.0f} | "
            f"{100 * r.get('roofline', 0):.1f}% | {r['seconds']:.2f} | "
            f"{100 * r['agreement']:.2f}% | {teacher} | {r['tagging_peak_mb']:.0f} | "
            f"{r['added_rss_mb']:.0f} | {r['peak_rss_mb']:.0f} | {r['quotes']} |"
        )
    lines += ["", "| comparison | speed ratio | memory ratio (RSS peak while tagging) |", "|---|---:|---:|"]
    lines += [f"| {name} | {s:.2f}x | {m:.2f}x |" for name, s, m in ratios(res)]
    lines += [
        "",
        f"The fastest of --rounds runs per variant and of --repeat passes in each, "
        f"{SMOKE_NOTE if in_process else 'each in a fresh process'}, "
        "after one warm-up article; speed ratio > 1: the first is faster. RSS sampled every 5 ms while tagging; "
        "the process peak (`VmHWM`) also counts loading the model.",
    ]
    return "\n".join(lines)


def ensure_onnx(model: str, tmp: Path) -> str:
    """A directory with ``model.int8.onnx``: the model itself, or it published with ONNX into ``tmp``."""
    if (Path(model) / "model.int8.onnx").exists():
        return model
    from indoquote.publish.package import publish

    print(f"exporting {model} to ONNX (int8) in a temporary directory...", file=sys.stderr)
    # the vocabulary as trained: trimming it needs the training corpus, which a bench run need not have
    return str(publish(model, tmp / "published", onnx=True, trim_vocab=False))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--model", required=True, help="checkpoint or published directory")
    p.add_argument("--articles", help="JSONL ({id, text} a line), a text file or a directory of *.txt")
    p.add_argument("--n", type=int, default=50, help="articles (synthesized, or the first N of --articles; 0: all)")
    p.add_argument("--batch-size", type=int, default=16)
    p.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    p.add_argument("--no-onnx", action="store_true", help="skip the ONNX int8 variant")
    p.add_argument("--variants", nargs="+", choices=sorted(VARIANTS), help="run only these (default: all)")
    p.add_argument("--json", help="also write the raw results here")
    p.add_argument("--peak-tflops", type=float, help="peak TFLOP/s for the roofline (default: cores x clock x "
                   "FLOP_PER_CYCLE of each variant's precision: fp32 64, bf16 128, int8 256 per cycle and core; "
                   "bf16 1024, int8 2048 with AMX)")
    p.add_argument(
        "--in-process",
        action="store_true",
        help="run the variants in this process (smoke test; memory not per variant)",
    )
    p.add_argument("--repeat", type=int, default=1, help="timed passes per variant; the fastest counts")
    p.add_argument("--rounds", type=int, default=1, help="run every variant this many times, in turn, each in "
                   "a fresh process; the fastest counts (a job beside the bench then slows one round, not one variant)")
    p.add_argument("--baseline-src", help="also run torch-loop and auto-batch importing indoquote from this src "
                   "folder (e.g. main's, from `git archive main src`), as VARIANT@base: before and after in one run")
    p.add_argument("--teacher", help="also run torch-loop and auto-batch on this model (the teacher of a distilled "
                   "--model), as VARIANT@teacher: speed and word-tag agreement against it")
    p.add_argument("--worker", choices=sorted(VARIANTS), help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(args.worker, args.model, Path(args.articles), args.batch_size, args.threads,
                                args.repeat)))
        return 0
    command = "python bench/bench_tagger.py " + shlex.join(sys.argv[1:] if argv is None else argv)
    arts = load_articles(args.articles, args.n)
    if not arts:
        raise SystemExit("no articles to tag")
    with tempfile.TemporaryDirectory(prefix="bench-tagger-") as tmp:
        data = Path(tmp) / "articles.jsonl"
        data.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in arts), encoding="utf-8")
        shapes = {m: model_shape(m) for m in filter(None, [args.model, args.teacher])}
        chosen = args.variants or list(VARIANTS)
        onnx = not args.no_onnx and any(v.startswith("onnx") for v in chosen)
        model = ensure_onnx(args.model, Path(tmp)) if onnx else args.model
        runs = [(v + BASE, v, args.baseline_src, model) for v in BASELINE_VARIANTS if args.baseline_src]
        runs += [(v + TEACHER, v, None, args.teacher) for v in BASELINE_VARIANTS if args.teacher]
        runs += [(v, v, None, model) for v in chosen if onnx or not v.startswith("onnx")]
        res: dict[str, dict] = {}
        for variant, kind, src, path in [run for _ in range(args.rounds) for run in runs]:  # rounds interleave
            r = run_variant(kind, path, data, args.batch_size, args.threads, args.in_process, args.repeat, src)
            r["variant"] = variant
            if variant in res and res[variant]["seconds"] <= r["seconds"]:
                continue  # an earlier round was less disturbed
            res[variant] = r
            add_roofline({variant: r}, *shapes[args.teacher if variant.endswith(TEACHER) else args.model],
                         args.threads, args.peak_tflops)
            print(
                f"{variant:>16}: {r['articles_per_s']:8.2f} articles/s, {r['subwords_per_s']:9,.0f} sub-words/s, "
                f"{100 * r['roofline']:5.1f}% of the roofline, RSS peak while tagging {r['tagging_peak_mb']:7.0f} MB",
                file=sys.stderr,
            )
    add_agreement(res)
    for name, speed, mem in ratios(res):
        print(f"{name}: {speed:.2f}x speed, {mem:.2f}x memory")
    print()
    print(
        markdown(
            res, command, sum(len(a["text"]) for a in arts), args.threads, args.batch_size, args.model, args.in_process
        )
    )
    if args.json:
        Path(args.json).write_text(json.dumps(res, indent=2) + "\n")
    print()
    if "torch-loop" + BASE in res:
        print(best_line(res, "torch-loop" + BASE))
    if "torch-loop" + TEACHER in res:
        print(best_line(res, "torch-loop" + TEACHER))
    print(best_line(res) if "torch-loop" in res else "best speedup vs torch-loop: (torch-loop not run)")
    return 0


def model_shape(model: str) -> tuple:
    """The model's config and its window length (the attention context of :func:`flops_per_subword`)."""
    from transformers import AutoConfig

    from indoquote.model.checkpoint import read_run_info

    return AutoConfig.from_pretrained(model), read_run_info(model).window.max_length


def add_agreement(res: dict[str, dict]) -> None:
    """Each variant's share of words tagged as the fp32 one-at-a-time run tags them (tags dropped afterwards)."""
    def share(reference: list, tags: list) -> float:
        pairs = [(a, b) for ref, row in zip(reference, tags) for a, b in zip(ref, row)]
        return round(sum(a == b for a, b in pairs) / max(len(pairs), 1), 5)

    own = res["torch-loop" if "torch-loop" in res else next(iter(res))]["tags"]
    teacher = res.get("torch-loop" + TEACHER, {}).get("tags")
    for name, r in res.items():
        mine = teacher if name.endswith(TEACHER) else own  # a teacher variant against the teacher's own fp32 loop
        r["agreement"] = share(mine, r["tags"])
        if teacher is not None:
            r["teacher_agreement"] = share(teacher, r["tags"])
    for r in res.values():
        del r["tags"]


def best_line(res: dict[str, dict], baseline: str = "torch-loop") -> str:
    """``best speedup vs torch-loop: N.NNx (VARIANT), word-tag agreement P%`` over variants agreeing on >= 99.5%
    (the current code's; ``baseline`` another reference, e.g. ``torch-loop@base``)."""
    base = res[baseline]["articles_per_s"]
    ok = [(r["articles_per_s"] / base, name, r) for name, r in res.items() if "@" not in name
          and r["agreement"] >= AGREEMENT and VARIANTS[name][3]]  # the product's output: speakers by the linker
    speed, name, r = max(ok)
    chosen = f"; auto chose {res['auto-batch']['precision']}" if "auto-batch" in res else ""
    teacher = f", {100 * r['teacher_agreement']:.2f}% with the teacher's" if "teacher_agreement" in r else ""
    return (f"best speedup vs {baseline}: {speed:.2f}x ({name}), word-tag agreement {100 * r['agreement']:.2f}%"
            f"{teacher}{chosen}")


if __name__ == "__main__":
    sys.exit(main())
