"""Confidence that means what it says (``indoquote.scoring.calibration``, the linker's temperature, evaluate's table)."""

from __future__ import annotations

import math
import random

import pytest

from indoquote.scoring.calibration import (HIGH, calibration_summary, expected_calibration_error, fit_temperature, mean_nll,
                                   reliability)
from indoquote.training.fit_linker import cross_fit_temperature
from indoquote.quotes.linker import FEATURES, Candidate, fit, load_linker
from indoquote.data.gold import GoldArticle, Quote
from indoquote.scoring.quotes import confidence_pairs


def _softmax(s):
    peak = max(s)
    e = [math.exp(v - peak) for v in s]
    return [v / sum(e) for v in e]


def _overconfident(n: int, t: float, seed: int = 0):
    """Candidate scores whose labels follow softmax(scores / t): a model ``t`` times too sure of itself."""
    rng = random.Random(seed)
    groups, targets = [], []
    for _ in range(n):
        scores = [rng.gauss(0, 3) for _ in range(rng.randint(2, 5))]
        p = _softmax([s / t for s in scores])
        groups.append(scores)
        targets.append(rng.choices(range(len(scores)), weights=p)[0])
    return groups, targets


def test_fit_temperature_recovers_the_overconfidence():
    groups, targets = _overconfident(3000, 2.5)
    t = fit_temperature(groups, targets)
    assert 2.1 < t < 2.9
    assert mean_nll(groups, targets, t) < mean_nll(groups, targets, 1.0)
    assert fit_temperature([], []) == 1.0


def test_ece_is_small_when_calibrated_and_large_when_not():
    rng = random.Random(1)
    calibrated = [(c, rng.random() < c) for c in (rng.uniform(0.5, 1.0) for _ in range(5000))]
    assert expected_calibration_error(calibrated) < 0.03
    overconfident = [(0.99, k % 2 == 0) for k in range(100)]
    assert expected_calibration_error(overconfident) == pytest.approx(0.49, abs=1e-6)
    assert expected_calibration_error([]) == 0.0


def test_reliability_bins_hold_every_pair_and_one_goes_last():
    pairs = [(1.0, True), (0.95, False), (0.05, True), (0.5, True)]
    bins = reliability(pairs)
    assert sum(b.n for b in bins) == 4 and bins[-1].n == 2 and bins[0].n == 1 and bins[5].n == 1
    summary = calibration_summary(pairs)
    assert summary["wrong"] == 1 and summary["wrong_confident"] == 1 and 0.95 >= HIGH


def _cand(on: bool, k: int) -> Candidate:
    f = [0.0] * len(FEATURES)
    f[k] = float(on)
    return Candidate(None, None, f)


def _noisy_examples(n: int, noise: float, seed: int = 0):
    """The informative feature points at the right candidate only ``1 - noise`` of the time."""
    k = FEATURES.index("cue_right")
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        cands = [_cand(True, k), _cand(False, k), _cand(False, k)]
        out.append((cands, 0 if rng.random() > noise else rng.choice([1, 2])))
    return out


def test_the_linker_keeps_its_temperature_and_a_higher_one_is_less_sure(tmp_path):
    examples = _noisy_examples(60, 0.2)
    lk = fit(examples, seed=0, epochs=60)
    cands = examples[0][0]
    sure = lk.probabilities(cands)[0]
    lk.info["temperature"] = 3.0
    assert lk.probabilities(cands)[0] < sure and sum(lk.probabilities(cands)) == pytest.approx(1.0)
    lk.save(tmp_path)
    again = load_linker(tmp_path)
    assert again.temperature == 3.0 and again.probabilities(cands) == pytest.approx(lk.probabilities(cands))


def test_cross_fitted_temperature_tempers_a_linker_that_overfits_noise():
    examples = _noisy_examples(200, 0.3, seed=2)
    t, info = cross_fit_temperature(examples, folds=4, seed=0, epochs=150)
    assert info["examples"] == 200 and info["nll"] <= info["nll_t1"]
    lk = fit(examples, seed=0, epochs=150)
    raw = lk.probabilities(examples[0][0])[0]
    lk.info["temperature"] = t
    tempered = lk.probabilities(examples[0][0])[0]
    assert abs(tempered - 0.7) < abs(raw - 0.7)  # closer to how often the feature is right


def test_confidence_pairs_judge_matched_quotations_with_a_confidence():
    text = "“Harga naik hari ini juga,” kata Budi. “Kami menolak rencana itu sama sekali,” ujar Ani."
    gold = GoldArticle("a", text, "X", [Quote("direct", 0, 27, "Budi"), Quote("direct", 39, 79, "Ani")])
    pred = {"a": [Quote("direct", 0, 27, "Budi", confidence=0.9), Quote("direct", 39, 79, "Budi", confidence=0.97),
                  Quote("direct", 80, 85, "Ani", confidence=0.5)]}  # the last one matches no gold quotation
    assert confidence_pairs([gold], pred) == [(0.9, True), (0.97, False)]
    assert confidence_pairs([gold], {"a": [Quote("direct", 0, 27, "Budi")]}) == []  # the rules give no confidence
