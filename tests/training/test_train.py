import json
from pathlib import Path

import pytest

from indoquote.errors import ConfigError, ModelLoadError
from indoquote.model.modeling import load_tokenizer
from indoquote.training.train import DONE, run

from conftest import SMOKE_FAST, TINY_MODEL, UNTAGGED, compose, crash_callback


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
    # training's validation scores windows in document order, exactly as `indoquote evaluate` does
    # (transformers 5 would group evaluation batches by length too, and the stitching would mix documents)
    from indoquote.scoring.evaluate import evaluate_checkpoint, load_eval_documents

    docs = load_eval_documents(cfg["data"], "validation", cfg["seed"])
    ev = evaluate_checkpoint(best, docs, baseline=False, device="cpu", attached_only=cfg["attached_only"])
    assert ev["model"]["strict"]["micro_f1"] == m["validation"]["micro_f1"] > 5


def test_same_seed_same_metrics(tmp_path):
    cfg = compose(SMOKE_FAST + ["trainer.max_steps=6"])
    a = run(cfg, tmp_path / "a")
    b = run(cfg, tmp_path / "b")
    assert a["train"]["loss_curve"] == b["train"]["loss_curve"]
    assert a["test"]["micro_f1"] == b["test"]["micro_f1"]




def test_interrupted_run_resumes_to_the_same_result(tmp_path):
    over = SMOKE_FAST + ["trainer.max_steps=12", "trainer.eval_strategy=steps", "trainer.eval_steps=4", "trainer.save_total_limit=5"]
    full = run(compose(over), tmp_path / "full" / "r1")
    root = tmp_path / "crashy"
    with pytest.raises(KeyboardInterrupt):
        run(compose(over), root / "r1", callbacks=[crash_callback(8)])
    assert not (root / "r1" / DONE).exists()
    resumed = run(compose(over), root / "r2")  # same command, new run dir: continues r1
    assert (root / "r2" / "CONTINUED_IN").read_text().strip() == str(root / "r1")
    assert (root / "r1" / DONE).exists()
    assert resumed["train"]["steps"] == 12
    assert resumed["test"]["micro_f1"] == full["test"]["micro_f1"]
    # the resumed model is the uninterrupted one: same held-out loss, not just the same F1
    assert resumed["test"]["loss"] == pytest.approx(full["test"]["loss"], rel=1e-5)
    # and the last weights are the uninterrupted run's too (the best checkpoint here is step 4's, from before the crash)
    from safetensors.torch import load_file

    last_full = load_file(str(tmp_path / "full" / "r1" / "checkpoints" / "checkpoint-12" / "model.safetensors"))
    last_resumed = load_file(str(root / "r1" / "checkpoints" / "checkpoint-12" / "model.safetensors"))
    assert all(last_full[k].equal(last_resumed[k]) for k in last_full)
    assert resumed["train"]["loss_curve"] == full["train"]["loss_curve"]  # the same batches after the resume
    # metrics.json reports the whole run's training loss, not only the resumed part's
    assert resumed["train"]["resumed_from_step"] == 8
    assert resumed["train"]["loss"] == pytest.approx(full["train"]["loss"], rel=1e-5)
    assert resumed["train"]["loss_resumed_part"] != pytest.approx(full["train"]["loss"], rel=1e-3)
    assert json.loads((root / "r1" / "metrics.json").read_text())["train"]["loss"] == resumed["train"]["loss"]


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
    from indoquote.model.modeling import load_model
    from indoquote.text.labels import get_schema

    base = {**TINY_MODEL, "num_layers": 3}
    model = load_model({**base, "freeze_layers": 2, "attention_dropout": 0.0}, get_schema("pfsa"), tiny_tokenizer)
    trained = {n for n, p in model.named_parameters() if p.requires_grad}
    assert not any(n.startswith(("bert.embeddings.", "bert.encoder.layer.0.", "bert.encoder.layer.1.")) for n in trained)
    assert any(n.startswith("bert.encoder.layer.2.") for n in trained) and "classifier.weight" in trained
    assert model.config.attention_probs_dropout_prob == 0.0
    with pytest.raises(ModelLoadError, match="freeze_layers=4: the model has only 3 layers"):
        load_model({**base, "freeze_layers": 4}, get_schema("pfsa"), tiny_tokenizer)


def test_keep_layers_drops_the_top_layers_and_saves_that_depth(tiny_tokenizer, tmp_path):
    import torch
    from transformers import AutoModelForTokenClassification

    from indoquote.model.modeling import load_model
    from indoquote.text.labels import get_schema

    base = {**TINY_MODEL, "num_layers": 3}
    full = load_model(base, get_schema("pfsa"), tiny_tokenizer, seed=3)
    kept = load_model({**base, "keep_layers": 2, "freeze_layers": 1}, get_schema("pfsa"), tiny_tokenizer, seed=3)
    assert len(kept.bert.encoder.layer) == 2 and kept.config.num_hidden_layers == 2
    # the kept layers are the lowest ones, unchanged
    assert torch.equal(kept.bert.encoder.layer[1].output.dense.weight, full.bert.encoder.layer[1].output.dense.weight)
    assert not any(p.requires_grad for p in kept.bert.encoder.layer[0].parameters())
    kept.save_pretrained(tmp_path / "m")
    again = AutoModelForTokenClassification.from_pretrained(tmp_path / "m")
    ids = torch.tensor([[2, 10, 11, 12, 3]])
    kept.eval()
    assert len(again.bert.encoder.layer) == 2
    assert torch.allclose(again(input_ids=ids).logits, kept(input_ids=ids).logits, atol=1e-6)
    with pytest.raises(ModelLoadError, match="keep_layers=4: the model has only 3 layers"):
        load_model({**base, "keep_layers": 4}, get_schema("pfsa"), tiny_tokenizer)


def test_keep_layers_is_checked_against_freeze_layers():
    with pytest.raises(ConfigError, match=r"model\.freeze_layers=3: must be at most the number of kept layers \(2\)"):
        run(compose(SMOKE_FAST + ["model.keep_layers=2", "model.freeze_layers=3"]), Path("/nonexistent/never-written"))
    with pytest.raises(ConfigError, match=r"model\.keep_layers=0: must be >= 1"):
        run(compose(SMOKE_FAST + ["model.keep_layers=0"]), Path("/nonexistent/never-written"))


def test_frozen_layers_do_not_move_in_training(tmp_path):
    from safetensors.torch import load_file
    from transformers import AutoTokenizer

    from indoquote.model.modeling import load_model
    from indoquote.text.labels import get_schema

    cfg = compose(SMOKE_FAST + ["trainer.max_steps=4", "model.freeze_layers=1"])
    run(cfg, tmp_path / "run")
    best = tmp_path / "run" / "best"
    after = load_file(str(best / "model.safetensors"))
    before = load_model(cfg["model"], get_schema("pfsa"), AutoTokenizer.from_pretrained(str(best)), int(cfg["seed"])).state_dict()
    moved = [k for k in after if not (after[k].float() == before[k].float()).all()]
    assert moved and not any(k.startswith(("bert.embeddings.", "bert.encoder.layer.0.")) for k in moved)


def test_layer_decay_gives_each_lower_layer_a_smaller_rate(tiny_tokenizer):
    from types import SimpleNamespace

    from indoquote.model.modeling import load_model
    from indoquote.text.labels import get_schema
    from indoquote.training.optimization import build_optimizer, layer_of

    model = load_model({**TINY_MODEL, "num_layers": 3}, get_schema("pfsa"), tiny_tokenizer)
    args = SimpleNamespace(learning_rate=1e-4, weight_decay=0.01, adam_beta1=0.9, adam_beta2=0.999, adam_epsilon=1e-8)
    opt = build_optimizer(model, args, 1e-3, layer_decay=0.5)
    rate = {id(p): g["lr"] for g in opt.param_groups for p in g["params"]}
    params = dict(model.named_parameters())
    assert rate[id(params["bert.encoder.layer.2.output.dense.weight"])] == pytest.approx(0.5e-4)
    assert rate[id(params["bert.encoder.layer.0.output.dense.weight"])] == pytest.approx(0.125e-4)
    assert rate[id(params["classifier.weight"])] == 1e-3
    emb = [n for n in params if "embeddings" in n and params[n].requires_grad]
    assert all(rate[id(params[n])] == pytest.approx(0.0625e-4) for n in emb) and layer_of("classifier.bias") is None
    plain = build_optimizer(model, args, None)
    assert {g["lr"] for g in plain.param_groups} == {1e-4}
    with pytest.raises(ConfigError, match=r"trainer\.layer_decay=1\.5: must be in \(0, 1\]"):
        run(compose(SMOKE_FAST + ["trainer.layer_decay=1.5"]), Path("/nonexistent/never-written"))


def test_the_optimizer_is_fused_and_makes_the_same_step(tiny_tokenizer):
    """One fused AdamW kernel on CPU (cheaper than the loop over tensors), with the loop's update."""
    from types import SimpleNamespace

    import torch

    from indoquote.model.modeling import load_model
    from indoquote.text.labels import get_schema
    from indoquote.training.optimization import build_optimizer

    args = SimpleNamespace(learning_rate=1e-3, weight_decay=0.01, adam_beta1=0.9, adam_beta2=0.999, adam_epsilon=1e-8)
    models = [load_model(TINY_MODEL, get_schema("pfsa"), tiny_tokenizer, seed=0) for _ in range(2)]
    fused = build_optimizer(models[0], args, 1e-2)
    assert all(g["fused"] for g in fused.param_groups)
    looped = build_optimizer(models[1], args, 1e-2)
    for g in looped.param_groups:
        g["fused"] = False
    ids = torch.tensor([[2, 5, 6, 7, 3]])
    for model, opt in zip(models, (fused, looped)):
        model.eval()  # no dropout: the same gradients
        model(input_ids=ids, labels=torch.ones_like(ids)).loss.backward()
        opt.step()
    for (name, a), b in zip(models[0].named_parameters(), models[1].parameters()):
        assert torch.allclose(a, b, atol=1e-6), name


def test_training_attention_is_eager_on_cpu_and_never_saved(tiny_tokenizer, tmp_path):
    import json as _json

    from indoquote.model.modeling import load_model
    from indoquote.text.labels import get_schema
    from indoquote.training.optimization import training_attention

    model = load_model(TINY_MODEL, get_schema("pfsa"), tiny_tokenizer)
    assert training_attention(model, "auto", on_gpu=True) == "sdpa"
    assert training_attention(model, "auto", on_gpu=False) == "eager" == model.config._attn_implementation
    model.save_pretrained(tmp_path)
    assert "eager" not in _json.dumps(_json.loads((tmp_path / "config.json").read_text()))
    assert training_attention(model, "sdpa", on_gpu=False) == "sdpa" == model.config._attn_implementation
    with pytest.raises(ConfigError, match="trainer.attention must be auto, sdpa or eager, got 'flash'"):
        training_attention(model, "flash", on_gpu=False)


@pytest.mark.parametrize("native", [True, False])
def test_training_precision_auto_is_bf16_only_where_the_cpu_computes_in_it(monkeypatch, caplog, native):
    from indoquote.training import optimization

    monkeypatch.setattr(optimization, "native_cpu_bf16", lambda: native)
    assert optimization.training_precision("auto", on_gpu=False) == (native, False)
    assert optimization.training_precision("fp32", on_gpu=False) == (False, False)
    with caplog.at_level("WARNING", logger="indoquote.training.optimization"):
        assert optimization.training_precision("bf16", on_gpu=False) == (True, False)  # asked for: kept
    assert ("emulates" in caplog.text) is (not native)
    assert optimization.training_precision("auto", on_gpu=True, gpu_bf16=True) == (True, False)
    assert optimization.training_precision("auto", on_gpu=True, gpu_bf16=False) == (False, True)
    with pytest.raises(ConfigError, match="trainer.precision=fp16 needs a GPU"):
        optimization.training_precision("fp16", on_gpu=False)
    with pytest.raises(ConfigError, match="trainer.precision must be auto, bf16, fp16 or fp32, got 'half'"):
        optimization.training_precision("half", on_gpu=False)


def test_a_cpu_run_trains_with_eager_attention_and_evaluates_with_sdpa(monkeypatch, tmp_path):
    from transformers import Trainer

    seen: dict[str, set] = {"train": set(), "evaluate": set()}
    step, evaluate = Trainer.training_step, Trainer.evaluate

    def spy_step(self, model, *a, **k):
        seen["train"].add(model.config._attn_implementation)
        return step(self, model, *a, **k)

    def spy_evaluate(self, *a, **k):
        seen["evaluate"].add(self.model.config._attn_implementation)
        return evaluate(self, *a, **k)

    monkeypatch.setattr(Trainer, "training_step", spy_step)
    monkeypatch.setattr(Trainer, "evaluate", spy_evaluate)
    run(compose(SMOKE_FAST + ["trainer.epochs=1"]), tmp_path / "run")
    assert seen == {"train": {"eager"}, "evaluate": {"sdpa"}}


# ------------------------------------------------------------ reliability: settings, arguments, resume


def test_bad_settings_fail_before_anything_is_written(tmp_path):
    with pytest.raises(ConfigError, match=r"trainer\.epochs=-1: must be > 0"):
        run(compose(SMOKE_FAST + ["trainer.epochs=-1"]), tmp_path / "r")
    with pytest.raises(ConfigError, match=r"trainer\.lrr: unknown key; did you mean trainer\.lr\?"):
        run(compose(SMOKE_FAST + ["+trainer.lrr=1"]), tmp_path / "r")
    with pytest.raises(ConfigError, match=r"trainer\.epochs='abc': expected a number"):
        run(compose(SMOKE_FAST + ["trainer.epochs=abc"]), tmp_path / "r")
    assert not (tmp_path / "r").exists()  # no run directory, no untrained "best" model


def test_training_arguments_are_passed_as_transformers_5_spells_them(tmp_path):
    from indoquote.training.train import _args, training_arguments

    args = training_arguments(compose(SMOKE_FAST), tmp_path, True)
    assert args.train_sampling_strategy == "group_by_length"  # v5's name for group_by_length=True
    assert args.metric_for_best_model == "micro_f1"
    masked = training_arguments(compose(SMOKE_FAST + ["data.mask_untagged=true"]), tmp_path, True)
    assert masked.metric_for_best_model == "annotated_micro_f1"  # selected where the gold is annotated
    assert args.restore_callback_states_from_checkpoint  # early stopping's count survives a resume
    off = training_arguments(compose(SMOKE_FAST + ["trainer.group_by_length=false"]), tmp_path, True)
    assert off.train_sampling_strategy == "random"

    class OldTrainingArguments:  # a transformers that lacks a keyword: an error, not a setting dropped
        def __init__(self, output_dir):
            pass

    cfg = compose(SMOKE_FAST)
    with pytest.raises(TypeError, match="unexpected keyword"):
        _args(OldTrainingArguments, cfg["trainer"], tmp_path, cfg, "epoch", True, False, False, False)


def test_early_stopping_stops_the_run_and_the_final_evaluation_does_not_warn(tmp_path):
    """Patience 1 on a model that cannot move (lr 1e-9): the second evaluation is no better, training stops there."""
    import logging
    import os

    seen: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = seen.append  # type: ignore[method-assign]
    hf = logging.getLogger("transformers")
    hf.addHandler(handler)
    try:
        over = ["trainer.max_steps=12", "trainer.eval_strategy=steps", "trainer.eval_steps=2",
                "trainer.early_stopping_patience=1", "trainer.lr=1e-9", "trainer.report_to=[tensorboard]"]
        m = run(compose(SMOKE_FAST + over), tmp_path / "run")
    finally:
        hf.removeHandler(handler)
    assert m["train"]["steps"] == 4  # evaluations at steps 2 and 4; 4 is no better: stop
    assert "validation" in m and "test" in m
    messages = [r.getMessage() for r in seen]
    assert not [t for t in messages if "early stopping required metric_for_best_model" in t]
    # TensorBoard logs in the run directory (transformers 5 has no logging_dir argument)
    assert list((tmp_path / "run" / "tensorboard").glob("events.out.tfevents.*"))
    assert not (tmp_path / "run" / "checkpoints" / "runs").exists()
    assert "TENSORBOARD_LOGGING_DIR" not in os.environ


def _fake_checkpoint(path: Path, step: int) -> Path:
    import torch
    from safetensors.torch import save_file

    path.mkdir(parents=True)
    save_file({"w": torch.zeros(4, 4)}, str(path / "model.safetensors"))
    (path / "trainer_state.json").write_text(json.dumps({"global_step": step, "log_history": []}))
    for name in ("optimizer.pt", "scheduler.pt", "rng_state.pth"):
        torch.save({"state": step}, path / name)  # whole torch files: their zip archives are checked
    return path


def test_an_incomplete_latest_checkpoint_falls_back_to_the_previous_one(tmp_path, caplog):
    from indoquote.training.resume import checkpoint_problem, last_complete_checkpoint

    ckpts = tmp_path / "checkpoints"
    good = _fake_checkpoint(ckpts / "checkpoint-4", 4)
    killed = _fake_checkpoint(ckpts / "checkpoint-8", 8)
    (killed / "trainer_state.json").unlink()  # killed while saving: the state is written last
    truncated = _fake_checkpoint(ckpts / "checkpoint-12", 12)
    data = (truncated / "model.safetensors").read_bytes()
    (truncated / "model.safetensors").write_bytes(data[: len(data) // 2])
    assert checkpoint_problem(good) is None
    assert "trainer_state.json" in checkpoint_problem(killed)
    assert "model.safetensors is truncated" in checkpoint_problem(truncated)

    assert last_complete_checkpoint(ckpts) == str(good)
    assert sorted(p.name for p in ckpts.iterdir()) == ["checkpoint-4", "incomplete-checkpoint-12", "incomplete-checkpoint-8"]
    warned = " ".join(r.getMessage() for r in caplog.records if r.levelname == "WARNING")
    assert "checkpoint-12 is incomplete" in warned and "checkpoint-8 is incomplete" in warned
    assert last_complete_checkpoint(ckpts) == str(good)  # and again, without the broken ones in the way

    (good / "optimizer.pt").unlink()
    assert last_complete_checkpoint(ckpts) is None and "no complete checkpoint" in caplog.text


def test_whole_run_loss_weights_the_logged_steps():
    from indoquote.training.resume import whole_run_loss

    history = [{"loss": 2.0, "step": 5}, {"eval_loss": 9.0, "step": 8}, {"loss": 1.0, "step": 8}, {"loss": 0.1, "step": 10}]
    assert whole_run_loss(history, 0, 0.7, 12) == 0.7  # not resumed: the Trainer's own
    # steps 1-5 at 2.0, 6-8 at 1.0 (before the resume), 9-12 at 0.5 (this call's mean)
    assert whole_run_loss(history, 8, 0.5, 12) == pytest.approx((5 * 2.0 + 3 * 1.0 + 4 * 0.5) / 12)


def test_a_local_model_with_truncated_weights_is_one_clear_line(tiny_checkpoint, tmp_path):
    import shutil

    from indoquote.model.modeling import load_model
    from indoquote.text.labels import get_schema

    local = tmp_path / "encoder"
    shutil.copytree(tiny_checkpoint, local)
    data = (local / "model.safetensors").read_bytes()
    (local / "model.safetensors").write_bytes(data[: len(data) // 3])
    cfg = {**TINY_MODEL, "kind": "local", "path": str(local)}
    with pytest.raises(ModelLoadError, match=rf"model.path={local}: model.safetensors is truncated"):
        load_model(cfg, get_schema("pfsa"), None)


def test_validation_also_scores_where_the_gold_is_annotated():
    """A model that tags a quotation the gold left untagged loses strict precision, not annotated F1."""
    import numpy as np

    from indoquote.text.document import Document
    from indoquote.text.labels import get_schema
    from indoquote.training.train import doc_metrics_fn

    words, gold, said = UNTAGGED
    schema = get_schema("pfsa")
    logits = np.full((1, len(words) + 2, len(schema.tags)), -5.0, dtype=np.float32)
    for k, tag in enumerate(said):
        logits[0, k + 1, schema.label2id[tag]] = 5.0
    ds = {"word_ids": [[-1, *range(len(words)), -1]], "doc_id": ["d"]}
    compute = doc_metrics_fn(ds, [Document("d", words, gold, [0, 10])], schema)
    m = compute(type("P", (), {"predictions": logits})())
    assert m["micro_f1"] < 100.0 and m["annotated_micro_f1"] == 100.0
