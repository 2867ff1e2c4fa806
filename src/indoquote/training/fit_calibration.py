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
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from ..data.build import resolve_files
from ..data.gold import GoldArticle, from_records, read_gold_files, select_part
from ..errors import ConfigError, ModelLoadError
from ..model.resolve import resolve_checkpoints
from ..pipeline.tagger import QuoteTagger
from ..scoring.calibration import calibration_summary, fit_platt
from ..scoring.quotes import confidence_pairs


def fit_map(tagger: Any, articles: Sequence[GoldArticle], kinds: Sequence[str], name: str,
            progress: bool = False) -> dict[str, Any]:
    """Tag ``articles`` with ``tagger`` (its linker's own probabilities), fit the map and set it on the linker.

    Returns the map, what it was fitted on and the reliability before and after on those articles (in-sample).
    """
    tagger.linker.info.pop("platt", None)  # fitted on the linker's own probabilities, not on an earlier map
    tagged = tagger.tag_batch([a.text for a in articles], [a.id for a in articles], progress=progress)
    predicted = {t.id: from_records(t.records) for t in tagged}
    pairs = [p for kind in kinds for p in confidence_pairs(articles, predicted, kind)]
    if not pairs:
        raise ConfigError(f"calibrate: no quotation of {name} (tune part) was found with a confidence")
    a, b = fit_platt(pairs)
    tagger.linker.info["platt"] = [a, b]
    mapped = [(tagger.linker.calibrated(c), r) for c, r in pairs]
    result = {"platt": [a, b], "data": name, "part": "tune", "articles": len(articles), "quotations": len(pairs),
              "before": calibration_summary(pairs), "after": calibration_summary(mapped)}
    tagger.linker.info["platt_fitted_on"] = {k: result[k] for k in ("data", "part", "quotations")}
    return result


def cross_fit_platt(tagger: Any, articles: Sequence[GoldArticle], fit_without: Callable[[set[int]], Any],
                    folds: int = 5, progress: bool = False) -> dict[str, Any]:
    """A Platt map fitted on picks made by linkers that never saw the articles they picked for.

    The linker learns from the tune parts of the gold sets, so no real article is left to
    calibrate on in-sample. Each fold of ``articles`` is tagged with ``fit_without(fold)``,
    a linker fitted on everything but that fold's articles (their indices), and the map is
    fitted on those (confidence, right) pairs: quotations whose speaker was no candidate at
    all among them, which the linker's own examples never hold. Returns the map, what it
    was fitted on and the out-of-fold reliability before the map.
    """
    saved, pairs = tagger.linker, []
    try:
        for k in range(folds):
            held = set(range(k, len(articles), folds))
            if not held:
                continue
            tagger.linker = fit_without(held)
            part = [articles[i] for i in sorted(held)]
            tagged = tagger.tag_batch([a.text for a in part], [a.id for a in part], progress=progress)
            pairs += confidence_pairs(part, {t.id: from_records(t.records) for t in tagged}, "direct")
    finally:
        tagger.linker = saved
    if not pairs:
        return {}
    a, b = fit_platt(pairs)
    return {"platt": [a, b], "fitted_on": {"out_of_fold": folds, "articles": len(articles), "quotations": len(pairs)},
            "before": calibration_summary(pairs)}


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
