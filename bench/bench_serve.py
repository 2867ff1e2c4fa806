"""Throughput and latency of ``indoquote serve`` on loopback, against offline ``tagger.batch`` on the same articles.

    python bench/bench_serve.py --model DIR [--requests 2000] [--low-requests 200] [--max-batch 16] [--max-wait-ms 5]

Articles: the texts of ``data/dev-articles/*.jsonl`` and the seed. The bench
1. tags them offline with ``QuoteTagger.batch`` (precision ``auto``, as ``predict`` and the server choose it),
   ``--offline-rounds`` times, for articles per second, before the server starts and again after it stops (the
   load of a shared machine drifts: the faster of the two is the reference);
2. starts ``indoquote serve`` in a subprocess on 127.0.0.1 (a free port), waits for ``/readyz``, warms it up;
3. sends POST /v1/quotes from an async httpx client at concurrency 1, 8 and 32 (``--low-requests`` requests
   at 1 and 8, ``--requests`` at 32), each request one article, round robin;
4. reports per concurrency: articles per second, p50 and p99 latency, errors (any non-200 or failed request);
   the throughput at 32 as a ratio of offline (target >= 0.8); the server's RSS after warm-up and at the end
   (growth target < 10%); and whether every answer equals the offline records of its article.

Everything is bounded (request count, per-request timeout), so the bench stops by itself. Output: a table,
a Markdown block for ``docs/results.md`` and, with ``--json``, the raw figures. Exit 1 when a request failed
or an answer differed from the offline records.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

from indoquote.serve.ready import free_port, wait_ready

ROOT = Path(__file__).resolve().parents[1]
LEVELS = (1, 8, 32)


def articles() -> list[str]:
    texts = []
    for f in sorted((ROOT / "data" / "dev-articles").glob("*.jsonl")):
        texts += [json.loads(line)["text"] for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts.append((ROOT / "data" / "seeds" / "antara-nato-russia-2021.txt").read_text(encoding="utf-8"))
    return texts


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def load_tagger(model: str, threads: int | None):
    import torch

    from indoquote import QuoteTagger

    if threads:
        torch.set_num_threads(threads)
    tagger = QuoteTagger.from_pretrained(model)
    tagger.batch(["Kata Budi."], progress=False)  # warm-up
    return tagger


def offline(tagger, texts: list[str], rounds: int) -> tuple[float, list[list[dict]]]:
    """Articles per second of ``tagger.batch`` over ``texts``, and the records."""
    start = time.perf_counter()
    for _ in range(rounds):
        out = tagger.batch(texts, progress=False)
    seconds = time.perf_counter() - start
    return rounds * len(texts) / seconds, [[r.to_dict() for r in recs] for recs in out]


def start_server(args, port: int) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "indoquote", "serve", "--model", args.model, "--port", str(port),
           "--max-batch", str(args.max_batch), "--max-wait-ms", str(args.max_wait_ms), "--max-queue", "1024",
           "--log-level", "warning"]
    if args.threads:
        cmd += ["--threads", str(args.threads)]
    if args.heap_trim_s is not None:
        cmd += ["--heap-trim-s", str(args.heap_trim_s)]
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


async def load(url: str, texts: list[str], concurrency: int, n: int, first: dict[int, list]) -> dict:
    """``n`` requests, ``concurrency`` at a time; latency per request, errors, wall time."""
    import httpx

    latencies: list[float] = []
    errors: list[str] = []
    counter = iter(range(n))
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, timeout=300, limits=limits) as client:

        async def worker():
            for i in counter:
                k = i % len(texts)
                t0 = time.perf_counter()
                try:
                    r = await client.post("/v1/quotes", json={"text": texts[k], "id": str(k)})
                except httpx.HTTPError as e:
                    errors.append(f"{type(e).__name__}: {e}")
                    continue
                latencies.append(time.perf_counter() - t0)
                if r.status_code != 200:
                    errors.append(f"{r.status_code}: {r.text[:200]}")
                else:
                    first.setdefault(k, r.json()["quotes"])

        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        wall = time.perf_counter() - start
    return {"concurrency": concurrency, "requests": n, "seconds": wall, "articles_per_s": n / wall,
            "p50_ms": 1000 * percentile(latencies, 50) if latencies else None,
            "p99_ms": 1000 * percentile(latencies, 99) if latencies else None,
            "mean_ms": 1000 * statistics.fmean(latencies) if latencies else None,
            "errors": len(errors), "first_errors": errors[:3]}


def machine() -> str:
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        info = dict(line.split(":", 1) for line in out.splitlines() if ":" in line)
        return f"{info.get('Model name', '?').strip()}, {info.get('CPU(s)', '?').strip()} CPUs"
    except OSError:
        return platform.processor() or "?"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--model", required=True)
    p.add_argument("--requests", type=int, default=2000, help="requests at concurrency 32")
    p.add_argument("--low-requests", type=int, default=200, help="requests at concurrency 1 and 8")
    p.add_argument("--offline-rounds", type=int, default=2)
    p.add_argument("--max-batch", type=int, default=16)
    p.add_argument("--max-wait-ms", type=float, default=5.0)
    p.add_argument("--threads", type=int, default=None, help="torch threads, offline and in the server")
    p.add_argument("--heap-trim-s", type=float, default=None,
                   help="the server's --heap-trim-s (default: the server's own; 0: glibc's defaults, the comparison)")
    p.add_argument("--json", help="write the raw figures here")
    args = p.parse_args(argv)
    import psutil

    texts = articles()
    chars = sum(map(len, texts))
    print(f"{len(texts)} articles, {chars:,} characters", file=sys.stderr)
    tagger = load_tagger(args.model, args.threads)
    path = tagger.precision.describe()
    before, offline_records = offline(tagger, texts, args.offline_rounds)
    print(f"offline tagger.batch: {before:.2f} articles/s ({path})", file=sys.stderr)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    proc = start_server(args, port)
    try:
        try:
            wait_ready(url, 600, proc)
        except RuntimeError as e:
            raise SystemExit(f"indoquote serve: {e}\n{proc.stderr.read()[-2000:] if proc.poll() is not None else ''}")
        server = psutil.Process(proc.pid)
        first: dict[int, list] = {}
        # warm-up, not counted: at the top concurrency, so full batches have set the allocator's high-water mark
        asyncio.run(load(url, texts, LEVELS[-1], 4 * args.max_batch, first))
        rss_start = server.memory_info().rss
        sampler = RssSampler(server)
        levels = []
        for c in LEVELS:
            n = args.requests if c == LEVELS[-1] else args.low_requests
            levels.append(asyncio.run(load(url, texts, c, n, first)))
            print(f"concurrency {c}: {levels[-1]['articles_per_s']:.2f} articles/s", file=sys.stderr)
        rss_end = server.memory_info().rss
        rss_peak = sampler.stop()
    finally:
        proc.terminate()
        proc.wait(60)
    # offline again once the server is gone: the machine's load drifts, the ratio uses the faster of the two
    after, _ = offline(tagger, texts, args.offline_rounds)
    print(f"offline tagger.batch again: {after:.2f} articles/s", file=sys.stderr)
    offline_rate = max(before, after)
    same = all(first.get(k) == recs for k, recs in enumerate(offline_records) if k in first)
    drift = confidence_drift(first, offline_records)
    top = levels[-1]
    result = {
        "model": args.model, "articles": len(texts), "characters": chars, "path": path,
        "offline_articles_per_s": offline_rate, "offline_before": before, "offline_after": after, "levels": levels,
        "ratio_32_to_offline": top["articles_per_s"] / offline_rate,
        "errors": sum(lv["errors"] for lv in levels), "requests": sum(lv["requests"] for lv in levels),
        "rss_start_mb": rss_start / 2**20, "rss_end_mb": rss_end / 2**20, "rss_growth": rss_end / rss_start - 1,
        "rss_peak_mb": max(rss_peak, rss_end) / 2**20, "heap_trim_s": args.heap_trim_s,
        "records_identical": same, "answers_checked": len(first),
        "identical_but_confidence": drift is not None, "max_confidence_drift": drift,
        "max_batch": args.max_batch, "max_wait_ms": args.max_wait_ms, "machine": machine(),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }
    print_report(result, argv if argv is not None else sys.argv[1:])
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n")
    return 0 if result["errors"] == 0 and drift is not None else 1


class RssSampler:
    """The server's RSS every half second, in a thread: the peak, not only the two ends."""

    def __init__(self, process):
        import threading

        self.process, self.peak, self._done = process, process.memory_info().rss, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._done.wait(0.5):
            self.peak = max(self.peak, self.process.memory_info().rss)

    def stop(self) -> int:
        self._done.set()
        self._thread.join()
        return self.peak


def confidence_drift(answers: dict[int, list], offline_records: list[list[dict]]) -> float | None:
    """Largest confidence difference when every answer equals its offline records in all else; None otherwise.

    Why: under bf16 a word's states depend a little on which articles share its forward
    pass (the kernels block the padded batch differently), and the linker's confidence
    reads them; tags, offsets and speakers must not move, a confidence may by a hair.
    """
    worst = 0.0
    for k, got in answers.items():
        want = offline_records[k]
        if len(got) != len(want):
            return None
        for a, b in zip(got, want):
            if {f: v for f, v in a.items() if f != "confidence"} != {f: v for f, v in b.items() if f != "confidence"}:
                return None
            ca, cb = a.get("confidence"), b.get("confidence")
            if (ca is None) != (cb is None):
                return None
            if ca is not None:
                worst = max(worst, abs(ca - cb))
    return worst


def print_report(r: dict, argv: list[str]) -> None:
    print("### Serving on loopback: `indoquote serve` vs offline `tagger.batch`\n")
    print("```\npython bench/bench_serve.py " + " ".join(argv) + "\n```")
    print(f"- machine: {r['machine']}; date: {r['date']}; numeric path: {r['path']}")
    print(f"- articles: {r['articles']} ({r['characters']:,} characters: data/dev-articles and the seed), "
          f"one per request; batching up to {r['max_batch']} articles or {r['max_wait_ms']:g} ms\n")
    print("| concurrency | requests | articles/s | p50 ms | p99 ms | errors |")
    print("|---:|---:|---:|---:|---:|---:|")
    for lv in r["levels"]:
        print(f"| {lv['concurrency']} | {lv['requests']} | {lv['articles_per_s']:.2f} | {lv['p50_ms']:.0f} | "
              f"{lv['p99_ms']:.0f} | {lv['errors']} |")
    print(f"| offline `tagger.batch` (before / after the server; the faster counts) | {r['articles']} x rounds | "
          f"{r['offline_before']:.2f} / {r['offline_after']:.2f} | | | |\n")
    print(f"- throughput at 32 / offline: **{r['ratio_32_to_offline']:.2f}** (target >= 0.8)")
    print(f"- errors: {r['errors']} of {r['requests']} requests")
    trim = "the server's default" if r["heap_trim_s"] is None else f"{r['heap_trim_s']:g} s"
    print(f"- server RSS (heap trim: {trim}): {r['rss_start_mb']:.0f} MB after "
          f"warm-up, {r['rss_end_mb']:.0f} MB at the end: growth {100 * r['rss_growth']:+.1f}% (target < 10%); "
          f"peak {r['rss_peak_mb']:.0f} MB")
    if r["records_identical"]:
        verdict = "yes, identical"
    elif r["identical_but_confidence"]:
        verdict = f"yes but confidence: tags, offsets and speakers identical, confidences within {r['max_confidence_drift']:.4f}"
    else:
        verdict = "NO"
    print(f"- answers equal to the offline records: {verdict} ({r['answers_checked']} articles checked)")


if __name__ == "__main__":
    sys.exit(main())
