"""Wall time per phase of tagging (tokenization, windowing, forward, decoding, ...), for ``bench/profile_predict.py``.

Why explicit timers and not only ``torch.profiler``: most of ``predict`` is Python (word
tokenization, Viterbi, quotation marks, records, the linker's features), which the torch
profiler lumps together. The pipeline marks its phases with ``with phase("forward"):``;
nothing times them unless :func:`timing` is active, and then ``phase`` costs one global
read and a shared no-op context. Nested phases are exclusive: the linker's time is not
also counted in ``records``.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field

PHASES = ("cleaning", "tokenization", "windowing", "forward", "decoding", "marks", "records", "linker",
          "indirect head")
"""The phases the pipeline marks, in the order they run."""

_OFF = nullcontext()


@dataclass
class PhaseTimer:
    """Exclusive wall seconds and calls per phase name."""

    seconds: dict[str, float] = field(default_factory=dict)
    calls: dict[str, int] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)  # e.g. sub-words fed to the model, padding included
    _inner: list[float] = field(default_factory=list)  # time spent in nested phases, one slot per open phase

    @contextmanager
    def span(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        self._inner.append(0.0)
        try:
            yield
        finally:
            total = time.perf_counter() - start
            inner = self._inner.pop()
            self.seconds[name] = self.seconds.get(name, 0.0) + total - inner
            self.calls[name] = self.calls.get(name, 0) + 1
            if self._inner:
                self._inner[-1] += total

    def total(self) -> float:
        return sum(self.seconds.values())


_active: PhaseTimer | None = None


def phase(name: str) -> AbstractContextManager:
    """Times the block as ``name`` while :func:`timing` is active; a no-op otherwise."""
    return _OFF if _active is None else _active.span(name)


def count(name: str, n: int) -> None:
    """Add ``n`` to the counter ``name`` while :func:`timing` is active (what a phase worked on)."""
    if _active is not None:
        _active.counts[name] = _active.counts.get(name, 0) + n


@contextmanager
def timing() -> Iterator[PhaseTimer]:
    """Time every :func:`phase` run inside the block (not thread-safe: one profile at a time)."""
    global _active
    previous, _active = _active, PhaseTimer()
    try:
        yield _active
    finally:
        _active = previous
