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


def _sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-z)) if z >= 0 else math.exp(z) / (1 + math.exp(z))


def _logit(c: float) -> float:
    c = min(max(c, 1e-6), 1 - 1e-6)
    return math.log(c / (1 - c))


def fit_platt(pairs: Sequence[tuple[float, bool]], l2: float = 0.1, steps: int = 100) -> tuple[float, float]:
    """``(a, b)`` of ``sigmoid(a * logit(confidence) + b)`` fitted to how often each ``(confidence, right)`` was right.

    Platt scaling of the top pick's confidence: the penalised log-likelihood (``l2`` pulls toward the identity map
    ``(1, 0)``, so a few pairs cannot make it extreme), maximised by Newton's method with step halving. It sees
    what a temperature cannot: picks that were wrong because the right person was no candidate at all.
    ``(1.0, 0.0)`` (no change) when there is nothing to fit.
    """
    if not pairs:
        return 1.0, 0.0
    xs, ys = [_logit(c) for c, _ in pairs], [1.0 if r else 0.0 for _, r in pairs]

    def loss(a: float, b: float) -> float:
        total = 0.0
        for x, y in zip(xs, ys):
            z = a * x + b
            total += max(z, 0.0) + math.log1p(math.exp(-abs(z))) - y * z  # softplus(z) - y z
        return total + l2 / 2 * ((a - 1) ** 2 + b * b)

    a, b = 1.0, 0.0
    current = loss(a, b)
    for _ in range(steps):
        ga, gb, haa, hab, hbb = l2 * (a - 1), l2 * b, l2, 0.0, l2
        for x, y in zip(xs, ys):
            p = _sigmoid(a * x + b)
            w = p * (1 - p)
            ga, gb = ga + (p - y) * x, gb + (p - y)
            haa, hab, hbb = haa + w * x * x, hab + w * x, hbb + w
        det = haa * hbb - hab * hab
        da, db = (hbb * ga - hab * gb) / det, (haa * gb - hab * ga) / det
        step = 1.0
        while step > 1e-6 and loss(a - step * da, b - step * db) > current:
            step /= 2
        if step <= 1e-6:
            break
        a, b = a - step * da, b - step * db
        previous, current = current, loss(a, b)
        if previous - current < 1e-10:
            break
    return round(a, 6), round(b, 6)


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


__all__ = ["HIGH", "Bin", "calibration_summary", "expected_calibration_error", "fit_platt", "fit_temperature", "mean_nll",
           "reliability"]
