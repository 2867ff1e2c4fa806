"""Freed heap goes back to the system after each batch; the server calls it, and can be told not to."""

from __future__ import annotations

import platform

import psutil
import pytest

import indoquote.serve.heap as heap
from indoquote.serve.heap import HeapTrimmer, limit_arenas, release_free_heap

GLIBC = platform.libc_ver()[0] == "glibc"


def test_arena_count_must_be_positive():
    with pytest.raises(ValueError, match="at least 1"):
        limit_arenas(0)


def test_trim_returns_free_pages_in_the_middle_of_the_heap():
    process = psutil.Process()
    blocks = [bytearray(2000) for _ in range(100_000)]  # ~200 MB of malloc'd blocks, not arena-managed by Python
    survivors = blocks[::100]  # one in a hundred stays, so free() alone cannot shrink the heap's top
    del blocks
    before = process.memory_info().rss
    released = release_free_heap()
    after = process.memory_info().rss
    assert len(survivors) == 1000
    if GLIBC:
        assert released and before - after > 100 * 2**20, (before, after)
    else:  # other C libraries: nothing to call, and nothing claimed
        assert not released


def test_glibc_takes_the_arena_cap():
    assert limit_arenas(2) is GLIBC


def test_the_trimmer_trims_once_an_interval_and_never_when_off(monkeypatch):
    calls, now = [], [100.0]
    monkeypatch.setattr(heap, "release_free_heap", lambda: calls.append(now[0]) or True)
    trim = HeapTrimmer(30, clock=lambda: now[0])
    for t in (100.0, 110.0, 129.9, 130.0, 131.0, 159.0, 161.0):
        now[0] = t
        trim()
    assert calls == [130.0, 161.0] and trim.trims == 2
    off = HeapTrimmer(0, clock=lambda: now[0])
    now[0] = 1e9
    assert off() is False and calls == [130.0, 161.0]
    with pytest.raises(ValueError, match="0 \\(off\\) or more"):
        HeapTrimmer(-1)


def test_the_command_sets_the_interval_and_refuses_a_negative_one():
    from indoquote.cli.serve import serve_parser, settings_from_args

    assert settings_from_args(serve_parser().parse_args(["--model", "m"])).heap_trim_s == 30
    assert settings_from_args(serve_parser().parse_args(["--model", "m", "--heap-trim-s", "0"])).heap_trim_s == 0
    with pytest.raises(ValueError, match="--heap-trim-s must be 0"):
        settings_from_args(serve_parser().parse_args(["--model", "m", "--heap-trim-s", "-5"]))
