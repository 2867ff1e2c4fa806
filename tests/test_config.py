import pytest
from hydra.errors import ConfigCompositionException
from omegaconf.errors import ConfigKeyError

from indoquote.paths import CONFIG_DIR

from conftest import compose

MODELS = sorted(p.stem for p in (CONFIG_DIR / "model").glob("*.yaml") if p.stem != "base")
EXPERIMENTS = sorted(p.stem for p in (CONFIG_DIR / "experiment").glob("*.yaml"))


def test_the_expected_groups_exist():
    assert {"indobert_base_p1", "indobert_large_p2", "indobert_lite_base_p2", "indolem_base", "xlmr_base", "local", "tiny",
            "nusabert_base", "nusabert_large"} <= set(MODELS)
    assert {"smoke", "stand_in", "indobert"} <= set(EXPERIMENTS)


@pytest.mark.parametrize("model", MODELS)
def test_every_model_composes(model):
    cfg = compose([f"model={model}"])
    assert cfg["model"]["kind"] in {"hub", "local", "tiny"}
    if cfg["model"]["kind"] == "hub":
        assert "/" in cfg["model"]["name_or_path"]


@pytest.mark.parametrize("model", MODELS)
def test_every_model_has_the_base_keys(model):
    """One place for defaults: model/base.yaml; the tests' tiny model has the same keys."""
    from conftest import TINY_MODEL

    base = set(compose(["model=base"])["model"])
    keys = set(compose([f"model={model}"])["model"])
    assert base <= keys
    if model == "tiny":
        assert keys == set(TINY_MODEL)


def test_shipped_configs_name_no_development_paths():
    for path in CONFIG_DIR.rglob("*.yaml"):
        assert "../shared" not in path.read_text(encoding="utf-8"), path


@pytest.mark.parametrize("experiment", EXPERIMENTS)
def test_every_experiment_composes(experiment):
    cfg = compose([f"experiment={experiment}"])
    assert cfg["name"] == experiment
    assert cfg["data"]["source"] in {"pfsa_id", "conll", "articles"}
    assert cfg["trainer"]["lr"] > 0


def test_default_is_indobert_for_real_runs_and_tiny_for_smoke():
    assert compose(["experiment=indobert"])["model"]["name_or_path"] == "indobenchmark/indobert-base-p1"
    assert compose([])["model"]["kind"] == "tiny"


def test_evaluate_publish_and_optuna_configs_compose():
    assert compose(["checkpoint=x"], "evaluate")["split"] == "test"
    assert compose(["checkpoint=x", "out=y"], "publish")["onnx"] is False
    compose(["hparams_search=optuna"])


def test_unknown_key_and_unknown_model_are_clear_errors():
    with pytest.raises((ConfigCompositionException, ConfigKeyError), match="lrr"):
        compose(["trainer.lrr=1"])
    with pytest.raises(ConfigCompositionException, match="indobert_huge"):
        compose(["model=indobert_huge"])
