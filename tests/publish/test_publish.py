"""``indoquote publish`` on the tiny checkpoint: files, model card, round trips, ONNX parity."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from indoquote.errors import ModelLoadError
from indoquote.pipeline.tagger import QuoteTagger
from indoquote.publish.package import load_metrics, main, publish

from conftest import compose

SEED = Path(__file__).resolve().parents[2] / "data" / "seeds" / "antara-nato-russia-2021.txt"

METRICS = {  # the shape of `indoquote evaluate`'s metrics.json
    "checkpoint": "runs/x/best",
    "data": "pfsa_id",
    "split": "test",
    "schema": "pfsa",
    "documents": 12,
    "tokens": 9876,
    "date": "2026-01-01T00:00:00+00:00",
    "model": {
        "strict": {
            "micro_f1": 71.25,
            "micro_precision": 70.0,
            "micro_recall": 72.5,
            "macro_f1": 60.5,
            "per_label": {
                "STATEMENT": {"precision": 80.0, "recall": 82.0, "f1": 81.0, "support": 40},
                "PERSON": {"precision": 75.0, "recall": 70.0, "f1": 72.41, "support": 30},
            },
        },
        "quote": {"micro_f1": 74.0},
        "partial": {"precision": 90.0, "recall": 88.0, "f1": 88.99, "support": 40, "predicted": 39, "matched": 35},
        "attribution": {"accuracy": 83.33, "correct": 25, "found": 28, "total": 30, "unattributed": 2},
    },
    "rules": {"strict": {"micro_f1": 40.0}, "attribution": {"accuracy": 55.0}, "partial": {"f1": 61.0}},
}


@pytest.fixture(scope="module")
def published(tiny_checkpoint, tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("run") / "best"
    shutil.copytree(tiny_checkpoint, src)
    for leftover in ("optimizer.pt", "training_args.bin", "trainer_state.json"):
        (src / leftover).write_bytes(b"training state")
    metrics = src.parent / "metrics.json"
    metrics.write_text(json.dumps(METRICS))
    return publish(src, tmp_path_factory.mktemp("published") / "indoquote-tiny", metrics=metrics, onnx=True)


def front_matter(out: Path) -> tuple[dict, str]:
    import yaml

    text = (out / "README.md").read_text(encoding="utf-8")
    assert text.startswith("---\n")
    head, body = text[4:].split("\n---\n", 1)
    return yaml.safe_load(head), body


def test_files(published):
    names = {p.name for p in published.iterdir()}
    assert {
        "model.safetensors",
        "config.json",
        "tokenizer.json",
        "indoquote.json",
        "README.md",
        "metrics.json",
        "model.int8.onnx",
        "onnx_parity.json",
    } <= names
    assert not names & {"optimizer.pt", "training_args.bin", "trainer_state.json", "model.onnx"}  # no fp32 ONNX copy
    config = json.loads((published / "config.json").read_text())
    assert config["id2label"]["0"] == "O" and config["label2id"]["B-STATEMENT"] == 13
    assert json.loads((published / "indoquote.json").read_text())["windows"] == {"max_length": 32, "stride": 8}


def test_model_card(published):
    meta, body = front_matter(published)
    assert meta["language"] == ["id"] and meta["license"] == "cc-by-nc-sa-4.0"
    assert meta["pipeline_tag"] == "token-classification" and "pfsa-id" in meta["datasets"] and meta["tags"]
    (result,) = meta["model-index"][0]["results"]
    assert result["dataset"]["split"] == "test"
    values = {m["name"]: m["value"] for m in result["metrics"]}
    assert values["Span micro F1 (strict, PFSA-ID labels)"] == 0.7125 and values["Attribution accuracy"] == 0.8333
    assert "CC BY-NC-SA 4.0" in body and "| `CUECOREF` | a cue with an enclitic pronoun" in body
    assert "| STATEMENT | 80.00 | 82.00 | 81.00 | 40 |" in body
    assert "| attribution accuracy | 83.33 | 55.00 |" in body
    assert "QuoteTagger.from_pretrained" in body and 'pipeline("token-classification"' in body
    assert "## Limitations" in body and "int8 tag agreement" in body


def test_round_trip_through_quote_tagger(published, tiny_checkpoint):
    text = SEED.read_text(encoding="utf-8")
    original = QuoteTagger.from_pretrained(tiny_checkpoint, device="cpu").tag(text)
    again = QuoteTagger.from_pretrained(published, device="cpu").tag(text)
    assert again.tags == original.tags and again.records == original.records


def test_round_trip_through_transformers_pipeline(published):
    from transformers import pipeline

    tag = pipeline("token-classification", model=str(published), aggregation_strategy="simple", device="cpu")
    out = tag('"Kami siap berdialog," kata Sekjen NATO Jens Stoltenberg.')
    labels = {t[2:] for t in json.loads((published / "config.json").read_text())["label2id"] if t != "O"}
    assert out and all(o["entity_group"] in labels for o in out)


def test_onnx_parity_and_backends(published):
    parity = json.loads((published / "onnx_parity.json").read_text())
    assert parity["texts"] >= 1 and parity["windows"] > 0
    assert parity["fp32_max_abs_diff"] < 1e-4 and parity["fp32_tag_agreement"] == 1.0
    assert parity["int8_tag_agreement"] > 0.8
    text = SEED.read_text(encoding="utf-8")
    torch_tags = QuoteTagger.from_pretrained(published, device="cpu").tag(text).tags
    with pytest.raises(ModelLoadError, match="model.onnx: missing"):  # only int8 is published
        QuoteTagger.from_pretrained(published, backend="onnx")
    int8 = QuoteTagger.from_pretrained(published, backend="onnx-int8", threads=1).tag(text).tags
    assert len(int8) == len(torch_tags)


def publish_config(checkpoint, out, **extra) -> dict:
    """``configs/publish.yaml`` composed as the command does."""
    return compose([f"checkpoint={checkpoint}", f"out={out}", *(f"{k}={v}" for k, v in extra.items())], "publish")


def test_main_without_metrics_and_hub_upload(tiny_checkpoint, tmp_path, monkeypatch, capsys):
    calls = {}

    class FakeApi:
        def create_repo(self, repo_id, **kw):
            calls["create"] = repo_id

        def upload_folder(self, folder_path, repo_id, **kw):
            calls["upload"] = (Path(folder_path).name, repo_id)

    import huggingface_hub

    monkeypatch.setattr(huggingface_hub, "HfApi", FakeApi)
    out = main(publish_config(tiny_checkpoint, tmp_path / "pub", push_to_hub=True, hub_id="someone/indoquote-tiny"))
    assert calls == {"create": "someone/indoquote-tiny", "upload": ("pub", "someone/indoquote-tiny")}
    meta, body = front_matter(out)
    assert "model-index" not in meta and "No evaluation was attached" in body
    assert 'from_pretrained("someone/indoquote-tiny")' in body
    assert "published" in capsys.readouterr().out


def test_errors(tiny_checkpoint, tmp_path):
    with pytest.raises(SystemExit, match="hub_id"):
        main(publish_config(tiny_checkpoint, tmp_path / "o", push_to_hub=True))
    with pytest.raises(SystemExit, match="not a model directory"):
        main(publish_config(tmp_path, tmp_path / "o"))
    bad = tmp_path / "m.json"
    bad.write_text('{"accuracy": 1}')
    with pytest.raises(ValueError, match="metrics"):
        load_metrics(bad)


# ------------------------------------------------------------ publishing over an existing directory


def _dirty(out: Path) -> Path:
    out.mkdir(parents=True)
    (out / "model.onnx").write_bytes(b"another model")  # backend=onnx would serve it
    (out / ".env").write_text("HF_TOKEN=secret\n")  # would be listed and uploaded
    (out / "notes").mkdir()
    return out


def test_a_non_empty_out_is_refused_without_overwrite(tiny_checkpoint, tmp_path):
    out = _dirty(tmp_path / "pub")
    with pytest.raises(ValueError, match=r"pub is not empty \(3 entries: \.env, model\.onnx, notes\); pass overwrite=true"):
        publish(tiny_checkpoint, out)
    assert sorted(p.name for p in out.iterdir()) == [".env", "model.onnx", "notes"]  # untouched
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pub"]  # no staging left behind
    with pytest.raises(SystemExit, match="not empty"):
        main(publish_config(tiny_checkpoint, out))


def test_overwrite_replaces_the_directory_and_leaves_no_stale_file(tiny_checkpoint, tmp_path, capsys):
    out = _dirty(tmp_path / "pub")
    main(publish_config(tiny_checkpoint, out, overwrite="true"))
    names = sorted(p.name for p in out.iterdir())
    assert names == ["README.md", "config.json", "indoquote.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pub"]  # the staging and old directories are gone
    printed = capsys.readouterr().out
    assert ".env" not in printed and "model.onnx" not in printed and "README.md" in printed
    assert publish(tiny_checkpoint, tmp_path / "empty-out") == tmp_path / "empty-out"  # a new out needs no overwrite
    (tmp_path / "empty").mkdir()
    publish(tiny_checkpoint, tmp_path / "empty")  # nor does an empty one


def test_a_failed_publish_leaves_out_as_it_was(tiny_checkpoint, tmp_path, monkeypatch):
    import indoquote.publish.package as pub

    out = _dirty(tmp_path / "pub")

    def broken_card(*a, **kw):
        raise RuntimeError("disk full")

    monkeypatch.setattr(pub, "model_card", broken_card)
    with pytest.raises(RuntimeError, match="disk full"):
        publish(tiny_checkpoint, out, overwrite=True)
    assert sorted(p.name for p in out.iterdir()) == [".env", "model.onnx", "notes"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pub"]


def test_out_that_holds_the_checkpoint_is_refused(tiny_checkpoint, tmp_path):
    run = tmp_path / "run"
    shutil.copytree(tiny_checkpoint, run / "best")
    with pytest.raises(ValueError, match="holds the checkpoint"):
        publish(run / "best", run, overwrite=True)
    assert (run / "best" / "model.safetensors").exists()


def test_push_to_hub_uploads_only_the_published_files(tiny_checkpoint, tmp_path, monkeypatch):
    calls = {}

    class FakeApi:
        def create_repo(self, repo_id, **kw):
            pass

        def upload_folder(self, folder_path, repo_id, **kw):
            calls.update(kw, folder=Path(folder_path))

    import huggingface_hub

    monkeypatch.setattr(huggingface_hub, "HfApi", FakeApi)
    out = _dirty(tmp_path / "pub")
    publish(tiny_checkpoint, out, push_to_hub=True, hub_id="someone/x", overwrite=True)
    assert calls["folder"] == out
    assert calls["allow_patterns"] == sorted(p.name for p in out.iterdir())
    assert ".env" not in calls["allow_patterns"] and "model.onnx" not in calls["allow_patterns"]


def test_the_publish_config_has_overwrite_off():
    assert compose(["checkpoint=x", "out=y"], "publish")["overwrite"] is False


def test_card_shows_the_score_where_the_gold_is_annotated():
    from indoquote.publish.card import metrics_markdown

    strict = {"micro_f1": 85.0, "per_label": {}}
    m = {"model": {"strict": strict, "strict_annotated": {"micro_f1": 89.5}},
         "rules": {"strict": {"micro_f1": 70.0}, "strict_annotated": {"micro_f1": 71.0}}}
    body = metrics_markdown(m)
    assert "| span micro F1 where the gold is annotated | 89.50 | 71.00 |" in body
    assert "| span micro F1 where" not in metrics_markdown({"model": {"strict": strict}})


def test_onnx_serves_a_linker_trained_with_the_encoder_from_its_features(published, tmp_path):
    """ONNX gives logits only, no hidden states: a linker that also reads span vectors falls back to its feature
    half there (it crashed asking ONNX for the classifier's input), and the torch backend still feeds it states."""
    import numpy as np

    from indoquote.quotes.linker import fit
    from indoquote.quotes.linker_features import FEATURES, Candidate
    from indoquote.quotes.speakers import Person

    copy = Path(shutil.copytree(published, tmp_path / "pub"))
    width = json.loads((copy / "config.json").read_text())["hidden_size"]
    rng = np.random.default_rng(0)
    examples = [([Candidate(Person(), None, [float(k == y)] + [0.0] * (len(FEATURES) - 1),
                            rng.normal(size=(3, width)).astype(np.float32)) for k in range(3)], y)
                for y in (0, 1, 2, 0, 1, 2)]
    linker = fit(examples, epochs=2, proj=4)
    assert linker.width == width
    linker.save(copy)
    text = SEED.read_text(encoding="utf-8")
    onnx = QuoteTagger.from_pretrained(copy, backend="onnx-int8", threads=1)
    assert onnx.linker.width == width and onnx._extras() == []
    assert len(onnx.tag(text).tags) > 0
    torch_tagger = QuoteTagger.from_pretrained(copy, device="cpu")
    assert [name for name, _ in torch_tagger._extras()] == ["states"]
    assert len(torch_tagger.tag(text).tags) > 0
