"""One checkpoint loader: run info, labels, backends, old checkpoints, bad input."""

from __future__ import annotations

import json

import pytest

from indoquote.checkpoint import (
    DEFAULT_WINDOW,
    RUN_INFO,
    ModelLoadError,
    checkpoint_tags,
    load_checkpoint,
    looks_like_path,
    read_run_info,
)
from indoquote.evaluate import split_seed
from indoquote.labels import get_schema


def test_load_returns_model_tokenizer_tags_window_and_split(tiny_checkpoint):
    ckpt = load_checkpoint(tiny_checkpoint)
    assert ckpt.tags == get_schema("pfsa").tags == checkpoint_tags(tiny_checkpoint)
    assert (ckpt.window.max_length, ckpt.window.stride) == (32, 8)
    assert ckpt.info.data == {"name": "tiny", "seed": 42, "split": {"train": 0.7, "validation": 0.15, "test": 0.15}}
    assert ckpt.backend == "torch" and ckpt.tokenizer.is_fast


def test_an_old_checkpoint_without_split_info_still_loads(tiny_checkpoint, tmp_path, caplog):
    import shutil

    old = tmp_path / "old"
    shutil.copytree(tiny_checkpoint, old)
    info = json.loads((old / RUN_INFO).read_text())
    del info["data"]
    (old / RUN_INFO).write_text(json.dumps(info))
    assert load_checkpoint(old).info.data is None
    assert split_seed([old], None) == 42 and "does not say how its run split" in caplog.text
    (old / RUN_INFO).unlink()  # a plain token classifier: default windows
    assert read_run_info(old).window == DEFAULT_WINDOW and load_checkpoint(old).window == DEFAULT_WINDOW


def test_split_seed_comes_from_the_checkpoint_unless_given(tiny_checkpoint):
    assert split_seed([tiny_checkpoint], None) == 42
    assert split_seed([tiny_checkpoint], 7) == 7


def test_labels_that_are_no_quotation_tagger_are_refused(tmp_path, tiny_tokenizer):
    from transformers import BertConfig, BertForTokenClassification

    cfg = BertConfig(vocab_size=len(tiny_tokenizer), hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
                     intermediate_size=16, id2label={0: "O", 1: "B-PER", 2: "I-PER"}, label2id={"O": 0, "B-PER": 1, "I-PER": 2})
    BertForTokenClassification(cfg).save_pretrained(tmp_path)
    tiny_tokenizer.save_pretrained(tmp_path)
    with pytest.raises(ModelLoadError, match="not a quotation tagger"):
        load_checkpoint(tmp_path)
    assert load_checkpoint(tmp_path, check=False).tags == ["O", "B-PER", "I-PER"]


def test_bad_names_and_backends(tmp_path, tiny_checkpoint):
    with pytest.raises(ModelLoadError, match="no such directory"):
        load_checkpoint(tmp_path / "missing")
    with pytest.raises(ModelLoadError, match="not a model directory"):
        load_checkpoint(tmp_path)
    with pytest.raises(ValueError, match="backend must be one of"):
        load_checkpoint(tiny_checkpoint, backend="tflite")
    with pytest.raises(ModelLoadError, match="model.int8.onnx: missing"):
        load_checkpoint(tiny_checkpoint, backend="onnx-int8")
    assert looks_like_path("./runs/best") and looks_like_path("a/b/c") and not looks_like_path("owner/name")
