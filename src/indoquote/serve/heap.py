"""Keep a long-running server's memory flat: fewer malloc arenas, freed heap handed back after each batch.

Why: glibc gives every thread that allocates its own arena (up to 8 per core) and keeps
freed pages of each one for reuse. A server tags articles of every length, so each batch
frees tensors of new sizes; the pages pile up in arenas that the next batch cannot fill
exactly, and RSS creeps up for hours though nothing is leaked. Two arenas and a
``malloc_trim(0)`` now and then (it returns whole free pages with ``madvise``) keep RSS
where the warm-up left it. Not after every batch: the next batch would fault the returned
pages in again, zeroed. Every 30 s kept growth at +3 to +7% against +10 to +12% without,
at no cost that showed above the noise (``bench/bench_serve.py --heap-trim-s S``; figures
in ``docs/results.md``). On other C
libraries (musl, macOS) both calls are skipped and say so.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import time
from functools import lru_cache
from typing import Callable, Optional

M_ARENA_MAX = -8  # glibc's mallopt parameter number (malloc.h)


@lru_cache(maxsize=1)
def _glibc() -> Optional[ctypes.CDLL]:
    """The process's C library when it is glibc (it has ``malloc_trim`` and ``mallopt``), else None."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None
    if not (hasattr(libc, "malloc_trim") and hasattr(libc, "mallopt") and hasattr(libc, "gnu_get_libc_version")):
        return None
    libc.malloc_trim.argtypes, libc.malloc_trim.restype = [ctypes.c_size_t], ctypes.c_int
    libc.mallopt.argtypes, libc.mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    return libc


def limit_arenas(arenas: int = 2) -> bool:
    """Cap the malloc arenas that threads created from now on may add; True when glibc took it."""
    if arenas < 1:
        raise ValueError(f"arenas must be at least 1, got {arenas}")
    libc = _glibc()
    return bool(libc is not None and libc.mallopt(M_ARENA_MAX, arenas) == 1)


def release_free_heap() -> bool:
    """Hand freed heap pages back to the system now; True when some memory was released."""
    libc = _glibc()
    return bool(libc is not None and libc.malloc_trim(0) == 1)


class HeapTrimmer:
    """Calls :func:`release_free_heap` at most once every ``interval_s`` seconds (never when it is 0)."""

    def __init__(self, interval_s: float, clock: Callable[[], float] = time.monotonic):
        if interval_s < 0:
            raise ValueError(f"the heap trim interval must be 0 (off) or more seconds, got {interval_s}")
        self.interval_s, self.clock = interval_s, clock
        self.last = clock()
        self.trims = 0

    def __call__(self) -> bool:
        """Trim when the interval has passed since the last trim (or the start); True when it trimmed."""
        now = self.clock()
        if not self.interval_s or now - self.last < self.interval_s:
            return False
        self.last, self.trims = now, self.trims + 1
        release_free_heap()
        return True
