"""The dynamic batcher: batches by size and wait, a bounded queue, the event loop free while the model runs, drain."""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from indoquote.serve.batching import Batcher, QueueFull


def _batcher(sizes: list[int], sleep: float = 0.0, **kw) -> Batcher:
    def run(jobs):
        sizes.append(len(jobs))
        time.sleep(sleep)  # the "model": blocks its thread, never the loop
        return [f"{j.id}:{j.text.upper()}" for j in jobs]

    return Batcher(run, ThreadPoolExecutor(1), **kw)


def test_gathers_concurrent_articles_up_to_the_size():
    async def main():
        sizes: list[int] = []
        b = _batcher(sizes, max_batch=4, max_wait_ms=50)
        b.start()
        futures = b.submit([(str(i), f"t{i}", ("direct",)) for i in range(10)])
        results = await asyncio.gather(*futures)
        await b.close()
        return sizes, results

    sizes, results = asyncio.run(main())
    assert sizes == [4, 4, 2]
    assert results == [f"{i}:T{i}" for i in range(10)]  # each answer goes to its own request


def test_a_lone_article_waits_at_most_max_wait():
    async def main():
        b = _batcher([], max_batch=64, max_wait_ms=30)
        b.start()
        start = time.perf_counter()
        await asyncio.gather(*b.submit([("a", "x", ("direct",))]))
        took = time.perf_counter() - start
        await b.close()
        return took

    assert 0.025 <= asyncio.run(main()) < 1.0


def test_full_queue_refuses_at_once_with_a_retry_after():
    async def main():
        b = _batcher([], sleep=0.2, max_batch=1, max_wait_ms=0, max_queue=3)
        b.start()
        first = b.submit([("a", "x", ("direct",))] * 3)
        with pytest.raises(QueueFull) as e:
            b.submit([("b", "y", ("direct",))] * 2)
        await asyncio.gather(*first)
        await b.close()
        return e.value

    e = asyncio.run(main())
    assert "limit 3 (--max-queue)" in str(e) and e.retry_after >= 1


def test_the_event_loop_runs_while_the_model_works():
    async def main():
        b = _batcher([], sleep=0.5, max_batch=1, max_wait_ms=0)
        b.start()
        ticks = 0

        async def tick():
            nonlocal ticks
            while True:
                await asyncio.sleep(0.01)
                ticks += 1

        ticker = asyncio.ensure_future(tick())
        await asyncio.gather(*b.submit([("a", "x", ("direct",))]))
        ticker.cancel()
        await b.close()
        return ticks

    assert asyncio.run(main()) >= 20  # ~50 ticks of 10 ms during a 500 ms forward pass


def test_close_answers_everything_queued_then_refuses():
    async def main():
        sizes: list[int] = []
        b = _batcher(sizes, sleep=0.05, max_batch=2, max_wait_ms=1000)
        b.start()
        futures = b.submit([(str(i), "x", ("direct",)) for i in range(5)])
        await b.close()  # does not wait out max_wait: a closing batcher flushes
        with pytest.raises(QueueFull):
            b.submit([("late", "x", ("direct",))])
        return [f.result() for f in futures], sizes

    results, sizes = asyncio.run(main())
    assert results == [f"{i}:X" for i in range(5)] and sum(sizes) == 5


def test_a_failing_article_fails_alone():
    def run(jobs):
        return [ValueError("bad") if j.text == "bad" else j.text for j in jobs]

    async def main():
        b = Batcher(run, ThreadPoolExecutor(1), max_batch=8, max_wait_ms=20)
        b.start()
        good, bad = b.submit([("a", "ok", ("direct",)), ("b", "bad", ("direct",))])
        results = await asyncio.gather(good, bad, return_exceptions=True)
        await b.close()
        return results

    ok, err = asyncio.run(main())
    assert ok == "ok" and isinstance(err, ValueError)
