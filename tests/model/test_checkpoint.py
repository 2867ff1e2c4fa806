"""One checkpoint loader: run info, labels, backends, old checkpoints, bad input."""

from __future__ import annotations

import json

import pytest

from indoquote.errors import ModelLoadError
from indoquote.model.checkpoint import (
    DEFAULT_WINDOW,
    RUN_INFO,
    checkpoint_tags,
    load_checkpoint,
    looks_like_path,
    read_run_info,
)
from indoquote.model.resolve import split_seed
from indoquote.text.labels import get_schema


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


# ------------------------------------------------------------ broken checkpoints, typos, devices: one line, at once


def _copy(src, dst):
    import shutil

    shutil.copytree(src, dst)
    return dst


def test_a_config_without_id2label_is_one_clear_line(tiny_checkpoint, tmp_path):
    ckpt = _copy(tiny_checkpoint, tmp_path / "ckpt")
    config = json.loads((ckpt / "config.json").read_text())
    del config["id2label"], config["label2id"]
    (ckpt / "config.json").write_text(json.dumps(config))
    with pytest.raises(ModelLoadError, match=rf"checkpoint {ckpt}: config.json has no usable id2label") as e:
        load_checkpoint(ckpt)
    assert "\n" not in str(e.value)


@pytest.mark.parametrize("keep", [0.5, 0.0001])
def test_truncated_weights_are_one_clear_line(tiny_checkpoint, tmp_path, keep):
    ckpt = _copy(tiny_checkpoint, tmp_path / "ckpt")
    weights = ckpt / "model.safetensors"
    data = weights.read_bytes()
    weights.write_bytes(data[: int(len(data) * keep)])
    with pytest.raises(ModelLoadError, match=rf"checkpoint {ckpt}: model.safetensors is truncated or not safetensors") as e:
        load_checkpoint(ckpt)
    assert "\n" not in str(e.value)


def test_a_mistyped_relative_path_fails_at_once(tiny_checkpoint, tmp_path, monkeypatch):
    import time

    _copy(tiny_checkpoint, tmp_path / "smoke" / "best")
    monkeypatch.chdir(tmp_path)
    start = time.perf_counter()
    with pytest.raises(ModelLoadError, match=r"checkpoint smoke/bset: no such directory \(smoke exists, bset does not\)"):
        load_checkpoint("smoke/bset")  # not a hub id: its first part is a local directory
    assert time.perf_counter() - start < 5  # no hub retries
    assert load_checkpoint("smoke/best").tags  # the right spelling loads
    assert looks_like_path("smoke/bset") and looks_like_path("a b/c") and looks_like_path("owner--x/name")
    assert not looks_like_path("indobenchmark/indobert-base-p1") and not looks_like_path("bert-base-cased")


@pytest.mark.parametrize("bad", [None, 3, ["a"]])
def test_a_checkpoint_that_is_no_name_fails_at_once(bad):
    with pytest.raises(TypeError, match="a checkpoint is a directory or a hub id"):
        load_checkpoint(bad)
    with pytest.raises(ModelLoadError, match="empty checkpoint name"):
        load_checkpoint("  ")


def test_quote_tagger_from_none_fails_at_once():
    from indoquote.pipeline.tagger import QuoteTagger

    with pytest.raises(TypeError, match="got None"):
        QuoteTagger.from_pretrained(None)  # type: ignore[arg-type]


def test_check_device():
    import torch

    from indoquote.model.checkpoint import check_device

    assert check_device(None) == ("cuda" if torch.cuda.is_available() else "cpu")
    assert check_device("cpu") == "cpu"
    with pytest.raises(ModelLoadError, match="device 'gpu': not a torch device"):
        check_device("gpu")
    if not torch.cuda.is_available():
        with pytest.raises(ModelLoadError, match="device 'cuda': CUDA is not available on this machine"):
            check_device("cuda")
        with pytest.raises(ModelLoadError, match="CUDA is not available on this machine"):
            check_device("cuda:1")
    else:
        assert check_device("cuda") == "cuda"
        with pytest.raises(ModelLoadError, match="CUDA device"):
            check_device(f"cuda:{torch.cuda.device_count()}")
