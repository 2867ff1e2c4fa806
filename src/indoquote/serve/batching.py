"""Dynamic batching: concurrent articles gathered into one forward pass, run off the event loop.

Why: a forward pass over 16 articles costs far less than 16 passes over one,
and a server that ran the model on its event loop would stop answering
(health checks included) for the whole pass. Articles wait in a bounded queue;
the first of a batch waits at most ``max_wait_ms`` for company, a batch holds
at most ``max_batch`` articles, and the model runs in one worker thread. A full
queue refuses new work at once (:class:`QueueFull`: the app answers 503 with
``Retry-After``) instead of growing without bound.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import Any, Callable, Optional, Sequence


class QueueFull(Exception):
    """The queue cannot take the articles of a request now; ``retry_after`` seconds is a fair wait."""

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


@dataclass
class Job:
    """One article waiting for the model; ``future`` gets its result (or the error of its batch)."""

    id: str
    text: str
    kinds: tuple[str, ...]
    future: asyncio.Future
    queued: float = field(default_factory=time.perf_counter)


RunBatch = Callable[[Sequence[Job]], list[Any]]
"""Tags a batch of jobs (in the worker thread) and returns one result per job, in order."""


class Batcher:
    """Gathers :class:`Job` s into batches and runs them with ``run`` on ``executor``, one batch at a time."""

    def __init__(self, run: RunBatch, executor: Executor, max_batch: int = 16, max_wait_ms: float = 5.0,
                 max_queue: int = 256, on_batch: Optional[Callable[[int, float], None]] = None):
        self.run, self.executor = run, executor
        self.max_batch, self.max_wait, self.max_queue = max_batch, max_wait_ms / 1000, max_queue
        self.on_batch = on_batch  # (articles, seconds) of each forward pass: the metrics
        self.queue: deque[Job] = deque()
        self.running = 0  # articles in the forward pass now
        self.seconds_per_batch = 0.0  # moving average, for Retry-After
        self._wake: Optional[asyncio.Event] = None
        self._task: Optional[asyncio.Task] = None
        self._closing = False

    @property
    def depth(self) -> int:
        """Articles queued, not yet in a forward pass."""
        return len(self.queue)

    def start(self) -> None:
        self._wake = asyncio.Event()
        self._task = asyncio.get_running_loop().create_task(self._loop(), name="indoquote-batcher")

    def retry_after(self) -> int:
        """Seconds until the queue has likely room again (at least 1)."""
        batches = math.ceil((self.depth + self.running) / self.max_batch)
        return max(1, math.ceil(batches * max(self.seconds_per_batch, self.max_wait)))

    def submit(self, items: Sequence[tuple[str, str, tuple[str, ...]]]) -> list[asyncio.Future]:
        """Queue ``(id, text, kinds)`` articles together (all or none); their futures, in order."""
        if self._task is None or self._closing:
            raise QueueFull("the server is shutting down", self.retry_after())
        if self.depth + len(items) > self.max_queue:
            raise QueueFull(
                f"queue full: {self.depth} article(s) waiting, limit {self.max_queue} (--max-queue)", self.retry_after()
            )
        loop = asyncio.get_running_loop()
        jobs = [Job(id, text, kinds, loop.create_future()) for id, text, kinds in items]
        self.queue.extend(jobs)
        assert self._wake is not None
        self._wake.set()
        return [j.future for j in jobs]

    async def _next_batch(self) -> list[Job]:
        assert self._wake is not None
        while not self.queue:
            self._wake.clear()
            await self._wake.wait()
        deadline = self.queue[0].queued + self.max_wait
        while len(self.queue) < self.max_batch and not self._closing:
            left = deadline - time.perf_counter()
            if left <= 0:
                break
            self._wake.clear()
            try:
                await asyncio.wait_for(self._wake.wait(), left)
            except asyncio.TimeoutError:
                break
        batch = []
        while self.queue and len(batch) < self.max_batch:
            job = self.queue.popleft()
            if not job.future.done():  # a request that timed out or went away: its article is not tagged
                batch.append(job)
        return batch

    async def _loop(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            batch = await self._next_batch()
            if not batch:
                continue
            self.running = len(batch)
            start = time.perf_counter()
            try:
                results = await loop.run_in_executor(self.executor, self.run, batch)
            except Exception as e:  # the batch's requests answer 500 with this error; the server goes on
                for job in batch:
                    if not job.future.done():
                        job.future.set_exception(e)
            else:
                for job, result in zip(batch, results):
                    if job.future.done():
                        continue
                    if isinstance(result, BaseException):  # this article failed alone
                        job.future.set_exception(result)
                    else:
                        job.future.set_result(result)
            finally:
                self.running = 0
            seconds = time.perf_counter() - start
            old = self.seconds_per_batch
            self.seconds_per_batch = seconds if not old else 0.8 * old + 0.2 * seconds
            if self.on_batch is not None:
                self.on_batch(len(batch), seconds)

    async def close(self) -> None:
        """Refuse new work, finish every queued article (requests still waiting get their answers), stop."""
        self._closing = True
        if self._wake is not None:
            self._wake.set()
        while self.queue or self.running:
            await asyncio.sleep(0.01)
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
            self._task = None
