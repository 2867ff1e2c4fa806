"""Confidence that means what it says: temperature scaling, the reliability table and the calibration error.

A record's ``confidence`` is the linker's softmax probability for the speaker it
picked. A linker fitted to near-gold tags is sure of itself where the article is
unlike its training data, so the raw probability says little about how often it is
right. The remedy is the usual one (Guo et al., 2017): divide the scores by one
temperature, fitted on predictions the linker did not train on, so that a
confidence of 0.9 is right about 9 times in 10. :func:`fit_temperature` finds it;
:func:`reliability` and :func:`expected_calibration_error` measure the result.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

HIGH = 0.95
"""A confidence this high or higher should almost never be wrong (``wrong_confident`` counts the ones that are)."""


def mean_nll(groups: Sequence[Sequence[float]], targets: Sequence[int], t: float) -> float:
    total = 0.0
    for scores, y in zip(groups, targets):
        s = [v / t for v in scores]
        peak = max(s)
        total += peak + math.log(sum(math.exp(v - peak) for v in s)) - s[y]
    return total / max(1, len(groups))


def fit_temperature(groups: Sequence[Sequence[float]], targets: Sequence[int], lo: float = 0.05,
                    hi: float = 20.0) -> float:
    """The temperature ``t`` minimising the mean negative log-likelihood of softmax(``scores / t``) at ``targets``.

    ``groups`` are the candidate scores of each held-out example, ``targets`` the index of the right one.
    A golden-section search over ``log t`` (the likelihood is unimodal in it); 1.0 when there is nothing to fit.
    """
    if not groups:
        return 1.0
    a, b = math.log(lo), math.log(hi)
    g = (math.sqrt(5) - 1) / 2
    c, d = b - g * (b - a), a + g * (b - a)
    fc, fd = mean_nll(groups, targets, math.exp(c)), mean_nll(groups, targets, math.exp(d))
    for _ in range(60):
        if fc < fd:
            b, d, fd = d, c, fc
            c = b - g * (b - a)
            fc = mean_nll(groups, targets, math.exp(c))
        else:
            a, c, fc = c, d, fd
            d = a + g * (b - a)
            fd = mean_nll(groups, targets, math.exp(d))
    return round(math.exp((a + b) / 2), 4)


@dataclass(frozen=True)
class Bin:
    """One row of the reliability table: confidences in ``[lo, hi)`` (the last bin includes 1.0)."""

    lo: float
    hi: float
    n: int
    confidence: float | None
    accuracy: float | None


def reliability(pairs: Sequence[tuple[float, bool]], bins: int = 10) -> list[Bin]:
    """``(confidence, right)`` pairs in ``bins`` equal-width bins of confidence."""
    rows = []
    for k in range(bins):
        lo, hi = k / bins, (k + 1) / bins
        inside = [(c, r) for c, r in pairs if lo <= c < hi or (k == bins - 1 and c == 1.0)]
        n = len(inside)
        rows.append(Bin(lo, hi, n, round(sum(c for c, _ in inside) / n, 4) if n else None,
                        round(sum(r for _, r in inside) / n, 4) if n else None))
    return rows


def expected_calibration_error(pairs: Sequence[tuple[float, bool]], bins: int = 10) -> float:
    """Sum over bins of (share of pairs) x |accuracy - mean confidence|: 0 is perfectly calibrated."""
    n = len(pairs)
    if not n:
        return 0.0
    return round(sum(b.n / n * abs(b.accuracy - b.confidence) for b in reliability(pairs, bins) if b.n), 4)


def calibration_summary(pairs: Sequence[tuple[float, bool]], bins: int = 10) -> dict:
    """ECE, the reliability table and how many wrong answers were confident (>= :data:`HIGH`), for metrics.json."""
    wrong = [c for c, r in pairs if not r]
    return {
        "n": len(pairs),
        "ece": expected_calibration_error(pairs, bins),
        "wrong": len(wrong),
        "wrong_confident": sum(c >= HIGH for c in wrong),
        "bins": [vars(b) for b in reliability(pairs, bins)],
    }


__all__ = ["HIGH", "Bin", "calibration_summary", "expected_calibration_error", "fit_temperature", "mean_nll", "reliability"]
