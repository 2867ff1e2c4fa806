"""``indoquote calibrate``: the linker's confidence mapped to how often it is right (Platt scaling)."""

from __future__ import annotations

import math
import random
import shutil
from dataclasses import dataclass, field

import pytest

from indoquote.data.gold import GoldArticle, Quote
from indoquote.errors import ConfigError, ModelLoadError
from indoquote.quotes.linker import Linker, load_linker
from indoquote.scoring.calibration import expected_calibration_error, fit_platt
from indoquote.training.fit_calibration import fit_map, main


def _overconfident(n: int, seed: int = 0) -> list[tuple[float, bool]]:
    """Confidences near 1 for picks that are right only as often as a much flatter probability says."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        z = rng.gauss(2.0, 2.0)
        true = 1 / (1 + math.exp(-0.4 * z))  # how often it is right
        out.append((1 / (1 + math.exp(-z)), rng.random() < true))
    return out


def test_fit_platt_recovers_the_squeeze_and_lowers_the_error():
    pairs = _overconfident(4000)
    a, b = fit_platt(pairs)
    assert 0.3 < a < 0.5 and abs(b) < 0.2
    mapped = [(1 / (1 + math.exp(-(a * math.log(c / (1 - c)) + b))), r) for c, r in pairs]
    assert expected_calibration_error(mapped) < 0.03 < expected_calibration_error(pairs)
    assert fit_platt([]) == (1.0, 0.0)
    a, b = fit_platt([(0.99, True)] * 50)  # every pick right: the penalty keeps the map finite
    assert math.isfinite(a) and math.isfinite(b) and a > 0


def test_the_linker_applies_and_keeps_its_map(tmp_path):
    lk = Linker(4)
    assert lk.calibrated(0.99) == 0.99
    lk.info["platt"] = [0.4, -0.5]
    assert lk.calibrated(0.99) < 0.9 and lk.calibrated(0.2) < 0.5 and lk.calibrated(0.5) < lk.calibrated(0.99)
    lk.save(tmp_path)
    assert load_linker(tmp_path).calibrated(0.99) == pytest.approx(lk.calibrated(0.99))


@dataclass
class _Record:
    start: int
    end: int
    speaker: str
    confidence: float
    kind: str = "direct"
    speaker_mention: object = None
    cue: object = None


@dataclass
class _Tagged:
    id: str
    records: list = field(default_factory=list)


class _Tagger:
    """Tags every article with the given records: the job's logic without a model."""

    def __init__(self, records: dict, linker: Linker):
        self.records, self.linker = records, linker

    def tag_batch(self, texts, ids, progress=False):
        return [_Tagged(i, self.records[i]) for i in ids]


def test_fit_map_fits_on_the_found_quotations_and_sets_the_map():
    text = "“Harga naik hari ini juga,” kata Budi. “Kami menolak rencana itu sama sekali,” ujar Ani."
    gold = [GoldArticle(f"a{k}", text, "X", [Quote("direct", 0, 27, "Budi"), Quote("direct", 39, 79, "Ani")])
            for k in range(20)]
    records = {f"a{k}": [_Record(0, 27, "Budi", 0.99), _Record(39, 79, "Budi" if k % 2 else "Ani", 0.99)]
               for k in range(20)}  # right three times in four, always sure
    linker = Linker(4, info={"platt": [9.0, 9.0]})  # an earlier map is dropped before fitting
    result = fit_map(_Tagger(records, linker), gold, ["direct"], "test")
    assert result["quotations"] == 40 and result["before"]["wrong"] == 10 and result["before"]["wrong_confident"] == 10
    assert linker.info["platt"] == list(result["platt"]) and linker.info["platt_fitted_on"]["quotations"] == 40
    assert linker.calibrated(0.99) == pytest.approx(0.75, abs=0.05)
    assert result["after"]["ece"] < result["before"]["ece"]
    with pytest.raises(ConfigError, match="no quotation"):
        fit_map(_Tagger({k: [] for k in records}, Linker(4)), gold, ["direct"], "test")


def _cfg(checkpoint, part="tune"):
    from conftest import ROOT

    data = {"name": "genre_articles", "source": "quotes", "dir": str(ROOT / "data" / "genre-articles"),
            "files": ["*.jsonl"], "part": "all", "kinds": ["direct"], "split": {"test": 1.0}, "cache_dir": None}
    return {"checkpoint": str(checkpoint), "data": data, "part": part, "kinds": ["direct"], "batch_size": 8,
            "precision": "fp32", "device": "cpu", "progress": False}


def test_the_command_refuses_the_held_out_part_and_a_checkpoint_without_linker(tiny_checkpoint, tmp_path):
    with pytest.raises(ConfigError, match="only the tune part"):
        main(_cfg(tiny_checkpoint, part="heldout"))
    plain = shutil.copytree(tiny_checkpoint, tmp_path / "ckpt")
    with pytest.raises(ModelLoadError, match="no quote-speaker linker"):
        main(_cfg(plain))


class _FoldTagger(_Tagger):
    """Records by whichever linker is set; remembers which linker tagged which article."""

    def __init__(self, records: dict, linker: Linker):
        super().__init__(records, linker)
        self.tagged_by: dict[str, Linker] = {}

    def tag_batch(self, texts, ids, progress=False):
        self.tagged_by.update({i: self.linker for i in ids})
        return super().tag_batch(texts, ids, progress)


def test_cross_fit_platt_tags_each_article_with_a_linker_that_never_saw_it():
    from indoquote.training.fit_calibration import cross_fit_platt

    text = "“Harga naik hari ini juga,” kata Budi. “Kami menolak rencana itu sama sekali,” ujar Ani."
    gold = [GoldArticle(f"a{k}", text, "X", [Quote("direct", 0, 27, "Budi"), Quote("direct", 39, 79, "Ani")])
            for k in range(20)]
    records = {f"a{k}": [_Record(0, 27, "Budi", 0.99), _Record(39, 79, "Budi" if k % 2 else "Ani", 0.99)]
               for k in range(20)}
    full = Linker(4)
    tagger = _FoldTagger(records, full)
    left_out: dict[int, set[int]] = {}

    def fit_without(held: set[int]) -> Linker:
        lk = Linker(4)
        left_out[id(lk)] = held
        return lk

    result = cross_fit_platt(tagger, gold, fit_without, folds=5)
    assert tagger.linker is full and len(left_out) == 5
    for k, art in enumerate(gold):  # tagged once, by a fold linker fitted without this very article
        assert tagger.tagged_by[art.id] is not full and k in left_out[id(tagger.tagged_by[art.id])]
    assert result["fitted_on"] == {"out_of_fold": 5, "articles": 20, "quotations": 40, "routes": {"context": 40}}
    assert set(result["map_cv"]) == {"one map", "per route", "one map: context", "per route: context"}
    assert result["before"]["wrong_confident"] == 10
    a, b = result["platt"]
    full.info["platt"] = [a, b]
    assert full.calibrated(0.99) == pytest.approx(0.75, abs=0.05)
    assert cross_fit_platt(_FoldTagger({k: [] for k in records}, full), gold, fit_without, folds=5) == {}


@dataclass
class _Span:
    start: int
    end: int


def test_each_route_gets_its_own_map_where_the_picks_differ():
    """Named at the cue, the picks are right as often as the linker says; read from the context, at the same
    probability, half as often: one map for both would be wrong for both, a map per route fits each."""
    from indoquote.training.fit_calibration import fit_maps, map_cv

    rng = random.Random(0)
    triples = [(0.97, rng.random() < 0.97, "cue") for _ in range(300)]
    triples += [(0.97, rng.random() < 0.6, "context") for _ in range(150)]
    rng.shuffle(triples)
    one, routes = fit_maps(triples)
    lk = Linker(4, info={"platt": one, "platt_routes": routes})
    assert lk.calibrated(0.97, "cue") == pytest.approx(0.97, abs=0.03)
    assert lk.calibrated(0.97, "context") == pytest.approx(0.6, abs=0.08)
    assert lk.calibrated(0.97, "cue") - 0.05 > lk.calibrated(0.97) > lk.calibrated(0.97, "context") + 0.05
    assert lk.calibrated(0.97, "unknown") == lk.calibrated(0.97)  # no map of its own: the map of all picks
    cv = map_cv(triples)
    for route in ("cue", "context"):  # judged on picks the maps never saw, route by route
        assert cv[f"per route: {route}"]["ece"] + 0.05 < cv[f"one map: {route}"]["ece"]
    few = [t for t in triples if t[2] == "cue"] + [t for t in triples if t[2] == "context"][:10]  # 10 context picks: too few for a map of their own
    assert set(fit_maps(few)[1]) == {"cue"}


def test_fit_map_reads_each_picks_route_from_its_mention_and_cue():
    text = "“Harga naik hari ini juga,” kata Budi. “Kami menolak rencana itu sama sekali,” ujarnya."
    gold = [GoldArticle(f"a{k}", text, "X", [Quote("direct", 0, 27, "Budi"), Quote("direct", 39, 79, "Budi")])
            for k in range(40)]
    records = {f"a{k}": [_Record(0, 27, "Budi", 0.99, speaker_mention=_Span(33, 37), cue=_Span(28, 32)),
                         _Record(39, 79, "Budi" if k % 2 else "Ani", 0.99, speaker_mention=_Span(33, 37), cue=_Span(80, 87))]
               for k in range(40)}
    linker = Linker(4)
    result = fit_map(_Tagger(records, linker), gold, ["direct"], "test")
    assert set(result["platt_routes"]) == {"cue", "context"}
    assert linker.calibrated(0.99, "context") < 0.7 < 0.9 < linker.calibrated(0.99, "cue")


def test_the_per_route_maps_are_kept_only_where_they_beat_one_map_on_unseen_picks():
    from indoquote.training.fit_calibration import chosen_maps

    rng = random.Random(1)
    same = [(0.9, rng.random() < 0.9, w) for w in ("cue", "context") for _ in range(100)]
    rng.shuffle(same)
    one, routes, cv = chosen_maps(same)  # both routes right as often: a map each only adds noise
    assert routes == {} and cv["per route"]["brier"] >= cv["one map"]["brier"]
    apart = [(0.97, rng.random() < 0.97, "cue") for _ in range(300)] + [(0.97, rng.random() < 0.6, "context")
                                                                         for _ in range(150)]
    rng.shuffle(apart)
    assert set(chosen_maps(apart)[1]) == {"cue", "context"}
