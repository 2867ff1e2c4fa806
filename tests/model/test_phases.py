"""The phase timers behind bench/profile_predict.py: off unless timing, nested phases counted once."""

from __future__ import annotations

import time

from indoquote.model import phases
from indoquote.model.phases import phase, timing


def test_phase_is_a_shared_no_op_when_not_timing():
    assert phase("forward") is phase("decoding")  # nothing allocated, nothing recorded
    with phase("forward"):
        pass
    assert phases._active is None


def test_nested_phases_are_exclusive_and_the_timer_is_restored():
    with timing() as timer:
        with phase("records"):
            time.sleep(0.02)
            with phase("linker"):
                time.sleep(0.03)
        with phase("linker"):
            pass
    assert phases._active is None
    assert timer.calls == {"records": 1, "linker": 2}
    assert 0.015 < timer.seconds["records"] < 0.03 + 0.02  # its own 20 ms, not the linker's 30
    assert timer.seconds["linker"] >= 0.03
    assert abs(timer.total() - sum(timer.seconds.values())) < 1e-12


def test_an_exception_still_closes_the_phase():
    with timing() as timer:
        try:
            with phase("marks"):
                raise ValueError
        except ValueError:
            pass
    assert timer.calls == {"marks": 1}
