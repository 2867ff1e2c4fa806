import json
from pathlib import Path

import pytest
from transformers import TrainerCallback

from indoquote.checkpoint import ModelLoadError
from indoquote.modeling import load_tokenizer
from indoquote.config import ConfigError
from indoquote.train import DONE, run

from conftest import SMOKE_FAST, TINY_MODEL, compose


def test_tiny_model_learns_and_leaves_a_checkpoint(tmp_path):
    cfg = compose(SMOKE_FAST + ["trainer.epochs=4"])
    m = run(cfg, tmp_path / "run")
    curve = m["train"]["loss_curve"]
    assert len(curve) >= 4 and curve[-1] < 0.7 * curve[0]
    best = tmp_path / "run" / "best"
    assert (best / "model.safetensors").exists() and (best / "indoquote.json").exists()
    assert not list(best.glob("*.bin")) and not list(best.glob("*.pt"))  # no pickles in a checkpoint
    assert json.loads((best / "config.json").read_text())["id2label"]["1"] == "B-PERSON"
    saved = json.loads((tmp_path / "run" / "metrics.json").read_text())
    assert saved["validation"]["micro_f1"] == m["validation"]["micro_f1"]
    assert "test" in saved and (tmp_path / "run" / DONE).exists()


def test_same_seed_same_metrics(tmp_path):
    cfg = compose(SMOKE_FAST + ["trainer.max_steps=6"])
    a = run(cfg, tmp_path / "a")
    b = run(cfg, tmp_path / "b")
    assert a["train"]["loss_curve"] == b["train"]["loss_curve"]
    assert a["test"]["micro_f1"] == b["test"]["micro_f1"]


class Crash(TrainerCallback):
    """Kill training right after the checkpoint of step ``at`` is written."""

    def __init__(self, at: int) -> None:
        self.at = at

    def on_save(self, args, state, control, **kwargs):
        if state.global_step >= self.at:
            raise KeyboardInterrupt("simulated crash")


def test_interrupted_run_resumes_to_the_same_result(tmp_path):
    over = SMOKE_FAST + ["trainer.max_steps=12", "trainer.eval_strategy=steps", "trainer.eval_steps=4", "trainer.save_total_limit=5"]
    full = run(compose(over), tmp_path / "full" / "r1")
    root = tmp_path / "crashy"
    with pytest.raises(KeyboardInterrupt):
        run(compose(over), root / "r1", callbacks=[Crash(8)])
    assert not (root / "r1" / DONE).exists()
    resumed = run(compose(over), root / "r2")  # same command, new run dir: continues r1
    assert (root / "r2" / "CONTINUED_IN").read_text().strip() == str(root / "r1")
    assert (root / "r1" / DONE).exists()
    assert resumed["train"]["steps"] == 12
    assert resumed["test"]["micro_f1"] == full["test"]["micro_f1"]
    # the resumed model is the uninterrupted one: same held-out loss, not just the same F1
    assert resumed["test"]["loss"] == pytest.approx(full["test"]["loss"], rel=1e-5)


def test_resume_with_other_labels_is_refused(tmp_path):
    run_dir = tmp_path / "r"
    run_dir.mkdir()
    (run_dir / "label_map.json").write_text(json.dumps(["O", "B-QUOTE", "I-QUOTE"]))
    with pytest.raises(ConfigError, match="started with labels"):
        run(compose(SMOKE_FAST + ["trainer.max_steps=1"]), run_dir)


def test_resume_true_without_a_run_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match="no interrupted run"):
        run(compose(SMOKE_FAST + ["train.resume=true"]), tmp_path / "x" / "r")


def test_missing_data_dir_is_clear(tmp_path):
    cfg = compose(SMOKE_FAST + [f"data.dir={tmp_path / 'nowhere'}"])
    with pytest.raises(FileNotFoundError, match="no data file matches"):
        run(cfg, tmp_path / "r")


def test_offline_hub_model_not_cached_says_what_to_do(monkeypatch, tmp_path):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    with pytest.raises(ModelLoadError, match="model=local model.path=DIR"):
        load_tokenizer({**TINY_MODEL, "kind": "hub", "name_or_path": "indobenchmark/indobert-base-p1"})
    with pytest.raises(ModelLoadError, match="not a model directory"):
        load_tokenizer({**TINY_MODEL, "kind": "local", "path": str(tmp_path)})


def test_freeze_layers_trains_only_the_upper_layers(tiny_tokenizer, tmp_path):
    from indoquote.labels import get_schema
    from indoquote.modeling import load_model

    base = {**TINY_MODEL, "num_layers": 3}
    model = load_model({**base, "freeze_layers": 2, "attention_dropout": 0.0}, get_schema("pfsa"), tiny_tokenizer)
    trained = {n for n, p in model.named_parameters() if p.requires_grad}
    assert not any(n.startswith(("bert.embeddings.", "bert.encoder.layer.0.", "bert.encoder.layer.1.")) for n in trained)
    assert any(n.startswith("bert.encoder.layer.2.") for n in trained) and "classifier.weight" in trained
    assert model.config.attention_probs_dropout_prob == 0.0
    with pytest.raises(ModelLoadError, match="freeze_layers=4: the model has only 3 layers"):
        load_model({**base, "freeze_layers": 4}, get_schema("pfsa"), tiny_tokenizer)


def test_frozen_layers_do_not_move_in_training(tmp_path):
    from safetensors.torch import load_file
    from transformers import AutoTokenizer

    from indoquote.labels import get_schema
    from indoquote.modeling import load_model

    cfg = compose(SMOKE_FAST + ["trainer.max_steps=4", "model.freeze_layers=1"])
    run(cfg, tmp_path / "run")
    best = tmp_path / "run" / "best"
    after = load_file(str(best / "model.safetensors"))
    before = load_model(cfg["model"], get_schema("pfsa"), AutoTokenizer.from_pretrained(str(best)), int(cfg["seed"])).state_dict()
    moved = [k for k in after if not (after[k].float() == before[k].float()).all()]
    assert moved and not any(k.startswith(("bert.embeddings.", "bert.encoder.layer.0.")) for k in moved)
