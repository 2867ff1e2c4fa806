"""The linker's confidence mapped to how often it is right, on real articles it never saw.

The linker learns from PFSA-ID-like articles, where it is right almost always, so its
probabilities are high everywhere, also on features, interviews and regional news,
where it is right far less often. A temperature fitted out of fold on its own
training examples cannot see that. This job tags the tune part of a quote-level gold
set the linker never trained on, pairs each found quotation's confidence with
whether its speaker is right, and fits ``sigmoid(a * logit(p) + b)`` to those pairs
(:func:`indoquote.scoring.calibration.fit_platt`); :meth:`Linker.calibrated
<indoquote.quotes.linker.Linker.calibrated>` applies it to every record.

Two ways to get articles it never saw: ``indoquote calibrate`` reads a gold set the
linker did not train on (a newsroom's own); ``indoquote link`` itself fits the map out of
fold (:func:`cross_fit_platt`) on the gold sets it trains on.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from ..data.build import resolve_files
from ..data.gold import GoldArticle, from_records, read_gold_files, select_part
from ..errors import ConfigError, ModelLoadError
from ..model.resolve import resolve_checkpoints
from ..pipeline.tagger import QuoteTagger
from ..quotes.linker import platt as apply_map
from ..scoring.calibration import calibration_summary, fit_platt
from ..scoring.quotes import confidence_routes

MIN_ROUTE_PAIRS = 20
"""Picks a route needs for a map of its own; fewer, and it keeps the map of all picks."""


def fit_maps(triples: Sequence[tuple[float, bool, str]]) -> tuple[list[float], dict[str, list[float]]]:
    """The Platt map of all ``(confidence, right, route)`` picks, and one per route with :data:`MIN_ROUTE_PAIRS`.

    Why per route: picks named at the cue are right about as often as the linker says, picks read from the
    context far less often on outlets it never saw; one map for both lowers the first and leaves the second
    too confident."""
    a, b = fit_platt([(c, r) for c, r, _ in triples])
    routes = {}
    for route in sorted({t[2] for t in triples}):
        pairs = [(c, r) for c, r, w in triples if w == route]
        if len(pairs) >= MIN_ROUTE_PAIRS:
            routes[route] = [round(v, 6) for v in fit_platt(pairs)]
    return [round(a, 6), round(b, 6)], routes


def mapped(linker: Any, triples: Sequence[tuple[float, bool, str]]) -> list[tuple[float, bool]]:
    """``(confidence after the linker's maps, right)`` of each pick."""
    return [(linker.calibrated(c, w), r) for c, r, w in triples]


def map_cv(triples: Sequence[tuple[float, bool, str]], folds: int = 5) -> dict[str, dict[str, Any]]:
    """Reliability of the picks under maps fitted without them (``folds`` interleaved folds of ``triples``): one
    map for all picks against one per route, so the choice between them is judged on picks neither map saw.
    Keys ``one map`` and ``per route`` (all picks), and ``one map: ROUTE``, ``per route: ROUTE`` (its picks); each
    holds :func:`~indoquote.scoring.calibration.calibration_summary` and the Brier score."""
    out: dict[str, list[tuple[float, bool]]] = {}
    for k in range(folds):
        rest = [t for i, t in enumerate(triples) if i % folds != k]
        held = [t for i, t in enumerate(triples) if i % folds == k]
        if not rest or not held:
            continue
        one, routes = fit_maps(rest)
        for c, r, w in held:
            for name, ab in (("one map", one), ("per route", routes.get(w, one))):
                pair = (apply_map(ab, c), r)
                out.setdefault(name, []).append(pair)
                out.setdefault(f"{name}: {w}", []).append(pair)
    return {name: {**calibration_summary(pairs), "brier": round(sum((c - r) ** 2 for c, r in pairs) / len(pairs), 4)}
            for name, pairs in sorted(out.items())}


def chosen_maps(triples: Sequence[tuple[float, bool, str]]) -> tuple[list[float], dict[str, list[float]], dict]:
    """:func:`fit_maps`, keeping the per-route maps only where they beat one map on picks neither saw
    (:func:`map_cv`: a lower Brier score over all picks; a proper score, where the binned calibration error is blind
    to picks of one confidence that are right at different rates); returns the maps and that comparison."""
    one, routes = fit_maps(triples)
    cv = map_cv(triples)
    if not routes or "per route" not in cv or cv["per route"]["brier"] >= cv["one map"]["brier"]:
        routes = {}
    return one, routes, cv


def fit_map(tagger: Any, articles: Sequence[GoldArticle], kinds: Sequence[str], name: str,
            progress: bool = False) -> dict[str, Any]:
    """Tag ``articles`` with ``tagger`` (its linker's own probabilities), fit the maps and set them on the linker.

    Returns the maps, what they were fitted on and the reliability before and after on those articles
    (in-sample).
    """
    for key in ("platt", "platt_routes"):  # fitted on the linker's own probabilities, not on an earlier map
        tagger.linker.info.pop(key, None)
    tagged = tagger.tag_batch([a.text for a in articles], [a.id for a in articles], progress=progress)
    predicted = {t.id: from_records(t.records) for t in tagged}
    triples = [t for kind in kinds for t in confidence_routes(articles, predicted, kind)]
    if not triples:
        raise ConfigError(f"calibrate: no quotation of {name} (tune part) was found with a confidence")
    platt, routes, _ = chosen_maps(triples)
    tagger.linker.info["platt"], tagger.linker.info["platt_routes"] = platt, routes
    result = {"platt": platt, "platt_routes": routes, "data": name, "part": "tune", "articles": len(articles),
              "quotations": len(triples), "before": calibration_summary([(c, r) for c, r, _ in triples]),
              "after": calibration_summary(mapped(tagger.linker, triples))}
    tagger.linker.info["platt_fitted_on"] = {k: result[k] for k in ("data", "part", "quotations")}
    return result


def cross_fit_platt(tagger: Any, articles: Sequence[GoldArticle], fit_without: Callable[[set[int]], Any],
                    folds: int = 5, progress: bool = False) -> dict[str, Any]:
    """Platt maps (all picks, and per route) fitted on picks made by linkers that never saw the articles they
    picked for.

    The linker learns from the tune parts of the gold sets, so no real article is left to
    calibrate on in-sample. Each fold of ``articles`` is tagged with ``fit_without(fold)``,
    a linker fitted on everything but that fold's articles (their indices), and the maps are
    fitted on those (confidence, right, route) picks: quotations whose speaker was no candidate at
    all among them, which the linker's own examples never hold. Returns the maps, what they were
    fitted on and the out-of-fold reliability before them.
    """
    saved, triples = tagger.linker, []
    try:
        for k in range(folds):
            held = set(range(k, len(articles), folds))
            if not held:
                continue
            tagger.linker = fit_without(held)
            part = [articles[i] for i in sorted(held)]
            tagged = tagger.tag_batch([a.text for a in part], [a.id for a in part], progress=progress)
            triples += confidence_routes(part, {t.id: from_records(t.records) for t in tagged}, "direct")
    finally:
        tagger.linker = saved
    if not triples:
        return {}
    platt, routes, cv = chosen_maps(triples)
    by_route = dict(sorted(Counter(t[2] for t in triples).items()))
    return {"platt": platt, "platt_routes": routes,
            "fitted_on": {"out_of_fold": folds, "articles": len(articles), "quotations": len(triples),
                          "routes": by_route},
            "before": calibration_summary([(c, r) for c, r, _ in triples]), "map_cv": cv}


def main(cfg: Mapping[str, Any]) -> dict[str, Any]:
    """Fit and store the map; returns what was stored and the reliability before and after, on the tune part."""
    if str(cfg["part"]) != "tune":
        raise ConfigError(f"calibrate: part={cfg['part']!r}; only the tune part is read (the held-out part judges it)")
    [path] = resolve_checkpoints(cfg["checkpoint"])[:1]
    kinds = list(cfg["kinds"])
    tagger = QuoteTagger.from_pretrained(path, device=cfg["device"], batch_size=int(cfg["batch_size"]),
                                         precision=str(cfg["precision"]), kinds=kinds)
    if tagger.linker is None:
        raise ModelLoadError(f"{path}: no quote-speaker linker to calibrate (fit one with `indoquote link`)")
    articles = select_part(read_gold_files(resolve_files(cfg["data"])), "tune")
    result = fit_map(tagger, articles, kinds, str(cfg["data"]["name"]), bool(cfg["progress"]))
    tagger.linker.save(path)
    print(json.dumps({k: v for k, v in result.items() if k not in ("before", "after")}))
    for when in ("before", "after"):
        s = result[when]
        print(f"{when}: expected calibration error {s['ece']:.4f}; {s['wrong_confident']} of {s['wrong']} wrong "
              f"speakers with confidence >= 0.95 ({s['n']} quotations, tune part, in-sample)")
    print(f"linker: {Path(path) / 'linker.json'}")
    return result
