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


# ------------------------------------------------------------ the train config's schema (config.validate_train_config)

BAD_SETTINGS = [
    (["+trainer.lrr=1"], r"trainer\.lrr: unknown key; did you mean trainer\.lr\?"),
    (["+foo=1"], r"^foo: unknown key"),
    (["trainer.epochs=abc"], r"trainer\.epochs='abc': expected a number"),
    (["trainer.epochs=-1"], r"trainer\.epochs=-1: must be > 0 \(or set trainer\.max_steps\)"),
    (["trainer.lr=0"], r"trainer\.lr=0: must be > 0"),
    (["trainer.batch_size=0"], r"trainer\.batch_size=0: must be >= 1"),
    (["trainer.batch_size=2.5"], r"trainer\.batch_size=2\.5: expected an integer"),
    (["trainer.group_by_length=maybe"], r"trainer\.group_by_length='maybe': expected true or false"),
    (["trainer.eval_strategy=sometimes"], r"trainer\.eval_strategy='sometimes': expected one of epoch, steps, no"),
    (["trainer.eval_strategy=steps"], r"trainer\.eval_strategy=steps needs trainer\.eval_steps=N"),
    (["trainer.attention=flash"], r"trainer\.attention='flash': expected one of auto, sdpa, eager"),
    (["trainer.warmup_ratio=1.5"], r"trainer\.warmup_ratio=1\.5: must be in \[0, 1\)"),
    (["trainer.report_to=tensorboard"], r"trainer\.report_to='tensorboard': expected a list"),
    (["windows.max_length=4"], r"windows\.max_length=4: must be >= 8"),
    (["windows.stride=128"], r"windows\.stride=128: must be in \[0, windows\.max_length/2\)"),
    (["windows.train_stride=-1"], r"windows\.train_stride=-1"),
    (["model=xlmr_base", "+model.hidden_size=8"], r"model\.hidden_size: only model\.kind=tiny takes it"),
    (["model.num_heads=3"], r"model\.hidden_size=64: must be a multiple of model\.num_heads=3"),
    (["model.attention_dropout=1.0"], r"model\.attention_dropout=1\.0: must be in \[0, 1\)"),
    (["train.resume=maybe"], r"train\.resume='maybe'"),
    (["seed=-3"], r"seed=-3: must be >= 0"),
    (["labels.schema=ner"], r"labels\.schema='ner': must be one of pfsa, quote"),
    (["data.split={test: 1.0}"], r"data\.split=.*sum to 1\.85, not 1"),
]


@pytest.mark.parametrize("overrides,message", BAD_SETTINGS, ids=[" ".join(o) for o, _ in BAD_SETTINGS])
def test_bad_train_settings_fail_naming_the_key_and_value(overrides, message):
    from indoquote.config import validate_train_config
    from indoquote.errors import ConfigError

    with pytest.raises(ConfigError, match=message):
        validate_train_config(compose(overrides))


@pytest.mark.parametrize("overrides", [[], ["trainer.epochs=0", "trainer.max_steps=5"], ["train.resume=true"],
                                       ["hparams_search=optuna"], ["trainer=gpu"], ["labels=quote"],
                                       ["data.split={train: 0.9, validation: 0.1, test: 0.0}"],
                                       *([f"experiment={e}", "model.path=DIR"] for e in EXPERIMENTS),
                                       *([f"model={m}"] for m in MODELS)])
def test_every_shipped_config_passes_the_schema(overrides):
    from indoquote.config import validate_train_config

    validate_train_config(compose(overrides))


def test_the_schema_mirrors_the_shipped_trainer_and_model_configs():
    """configs/trainer/default.yaml and configs/model/{base,tiny}.yaml: the schema has exactly their keys."""
    from dataclasses import MISSING, fields

    from omegaconf import OmegaConf

    from indoquote.config import ModelConfig, TinyModelConfig, TrainerConfig

    def keys(name):
        return set(OmegaConf.load(CONFIG_DIR / name)) - {"defaults"}

    assert {f.name for f in fields(TrainerConfig)} == keys("trainer/default.yaml")
    assert {f.name for f in fields(ModelConfig)} == keys("model/base.yaml")
    assert {f.name for f in fields(TinyModelConfig)} == keys("model/base.yaml") | keys("model/tiny.yaml")
    assert all(f.default is MISSING and f.default_factory is MISSING for f in fields(TrainerConfig))  # values: YAML only


def test_all_problems_are_reported_at_once():
    from indoquote.config import validate_train_config
    from indoquote.errors import ConfigError

    with pytest.raises(ConfigError) as e:
        validate_train_config(compose(["trainer.lr=0", "trainer.batch_size=0"]))
    assert "trainer.lr=0" in str(e.value) and "trainer.batch_size=0" in str(e.value) and "\n" not in str(e.value)
