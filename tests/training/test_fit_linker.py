"""``indoquote link``: the linker's examples, including out-of-fold tags from checkpoints trained on a fold."""

import json
import shutil
from pathlib import Path

import pytest

from indoquote.data.build import FOLD, hold_out_fold, load_splits
from indoquote.errors import ConfigError
from indoquote.training.fit_linker import fold_documents
from indoquote.training.fit_linker import main as link_main
from indoquote.training.train import run

from conftest import SMOKE_FAST, TINY_DATA, compose


def test_hold_out_fold_splits_the_training_documents_only():
    splits = {"train": list("abcde"), "validation": ["v"], "test": ["t"]}
    one = hold_out_fold(splits, 2, 1)
    assert one["train"] == ["a", "c", "e"] and one[FOLD] == ["b", "d"]
    assert one["validation"] == ["v"] and one["test"] == ["t"] and splits["train"] == list("abcde")
    zero = hold_out_fold(splits, 2, 0)
    assert zero["train"] == one[FOLD] and zero[FOLD] == one["train"]


def test_fold_config_is_checked():
    with pytest.raises(ConfigError, match=r"data\.fold=2: must be in \[0, data\.folds=2\)"):
        run(compose(SMOKE_FAST + ["data.fold=2"]), Path("/nonexistent/never-written"))
    with pytest.raises(ConfigError, match=r"data\.folds=1: must be >= 2 when data\.fold is set"):
        run(compose(SMOKE_FAST + ["data.fold=0", "data.folds=1"]), Path("/nonexistent/never-written"))


def _link_cfg(checkpoint, oof) -> dict:
    return {"checkpoint": str(checkpoint), "data": TINY_DATA, "articles": None, "split": "train", "seed": None,
            "oof": [str(p) for p in oof], "articles_part": "tune", "linker_seed": 0, "epochs": 3, "hidden": 4,
            "batch_size": 8, "device": None, "progress": False}


def _own_copy(checkpoint: Path, tmp_path: Path) -> Path:
    """`link` writes its linker into the checkpoint: never into the shared session fixture."""
    return Path(shutil.copytree(checkpoint, tmp_path / "main"))


def test_link_learns_from_the_fold_a_checkpoint_never_saw(tmp_path, tiny_checkpoint):
    main = _own_copy(tiny_checkpoint, tmp_path)
    run(compose(SMOKE_FAST + ["trainer.max_steps=2", "linker.enabled=false", "data.fold=1"]), tmp_path / "fold1")
    fold = tmp_path / "fold1" / "best"
    info = json.loads((fold / "indoquote.json").read_text())["data"]
    assert (info["folds"], info["fold"], info["seed"]) == (2, 1, 42)

    full = load_splits(TINY_DATA, 42)["train"]
    left_out = fold_documents(fold, TINY_DATA, 42)
    trained_on = load_splits({**TINY_DATA, "folds": 2, "fold": 1}, 42)["train"]
    assert left_out and trained_on and not {d.doc_id for d in left_out} & {d.doc_id for d in trained_on}
    assert sorted(d.doc_id for d in left_out + trained_on) == sorted(d.doc_id for d in full)

    linker = link_main(_link_cfg(main, [fold]))
    assert (main / "linker.safetensors").exists() and not (tiny_checkpoint / "linker.safetensors").exists()
    assert linker.info["examples"]["oof0"]["count"] == len(left_out)
    assert "documents" not in linker.info["examples"]  # the fold's tags replace the checkpoint's own


def test_link_refuses_a_checkpoint_that_was_not_trained_on_a_fold(tiny_checkpoint):
    with pytest.raises(ConfigError, match="was not trained on a fold"):
        link_main(_link_cfg(tiny_checkpoint, [tiny_checkpoint]))


def test_link_refuses_a_fold_of_another_split(tmp_path, tiny_checkpoint):
    run(compose(SMOKE_FAST + ["trainer.max_steps=1", "linker.enabled=false", "data.fold=0", "seed=7"]), tmp_path / "f")
    with pytest.raises(ConfigError, match=r"with seed 7; the checkpoint being linked split 'tiny' .* with seed 42"):
        link_main(_link_cfg(tiny_checkpoint, [tmp_path / "f" / "best"]))
    with pytest.raises(ConfigError, match="they need data= and split=train"):
        link_main({**_link_cfg(tiny_checkpoint, [tmp_path / "f" / "best"]), "split": "validation"})


def test_the_linker_learns_from_the_tune_parts_of_both_gold_sets():
    from omegaconf import OmegaConf

    from indoquote.data.build import resolve_files
    from indoquote.data.gold import read_gold_files, select_part
    from indoquote.paths import DATA_DIR
    from indoquote.training.fit_linker import tune_articles

    both = tune_articles([DATA_DIR / "dev-articles", DATA_DIR / "genre-articles", DATA_DIR / "outlet-articles"])
    dev = tune_articles(DATA_DIR / "dev-articles")
    assert len(dev) < len(both) and {a.id for a in dev} < {a.id for a in both}
    assert all(a.part == "tune" for a in both)
    cfg = OmegaConf.to_container(OmegaConf.load(Path(__file__).parents[2] / "configs" / "data" / "gold_articles.yaml"),
                                 resolve=False)
    cfg["dir"] = str(DATA_DIR)
    read = select_part(read_gold_files(resolve_files(cfg)), "tune")
    assert [a.id for a in read] == [a.id for a in both]  # `indoquote link` and training read the same articles
    train_yaml = OmegaConf.load(Path(__file__).parents[2] / "configs" / "train.yaml")
    dirs = OmegaConf.to_container(train_yaml.linker, resolve=False)["articles"]
    assert [d.rsplit("/", 1)[-1] for d in dirs] == ["dev-articles", "genre-articles", "outlet-articles"]


def test_link_learns_from_the_explicit_attributions_of_unlabelled_articles(tmp_path, tiny_checkpoint, monkeypatch):
    """``silver=FILE``: the articles with an explicit attribution, none that repeats a gold article (held-out too)."""
    from indoquote.data.gold import read_gold_files
    from indoquote.paths import DATA_DIR
    from indoquote.training.fit_linker import gold_files, silver_articles

    articles = read_gold_files(gold_files([DATA_DIR / "dev-articles", DATA_DIR / "genre-articles"]))
    gold = [a.text for a in articles]
    heldout = next(a for a in articles if a.part == "heldout")
    said = ('Bupati Sleman Budi Santoso membuka pasar baru. "Pasar ini untuk warga," kata Budi Santoso. '
            '"Harga harus terjangkau," ujar Budi Santoso.')
    lines = [{"id": "said", "text": said}, {"id": "copy", "text": heldout.text},
             {"id": "plain", "text": "Harga cabai naik tajam di pasar pekan ini karena hujan deras."}]
    silver = tmp_path / "silver.jsonl"
    silver.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    assert [a for a, _ in silver_articles(silver, gold)] == ["said"]  # held-out text never becomes training data
    assert silver_articles(None, gold) == []
    import importlib

    fl = importlib.import_module("indoquote.training.fit_linker")  # the package re-exports a function of that name
    given = {}

    class Stop(Exception):
        pass

    def fit_linker(*args, **kwargs):
        given["silver"] = args[14]
        raise Stop

    monkeypatch.setattr(fl, "fit_linker", fit_linker)
    with pytest.raises(Stop):
        link_main({**_link_cfg(tiny_checkpoint, []), "silver": str(silver), "silver_max": 10})
    assert sorted(a for a, _ in given["silver"]) == ["copy", "said"]  # no gold configured (articles=null): nothing to keep out
