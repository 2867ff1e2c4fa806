"""precision=auto: measure the numeric paths once, keep the fastest that agrees with fp32, cache the choice."""

from __future__ import annotations

import pytest

from indoquote.model import precision as P
from indoquote.pipeline.tagger import QuoteTagger


def test_convert_paths_keep_the_model_usable(tiny_checkpoint):
    import torch

    from indoquote.model.checkpoint import load_checkpoint

    for path in ("fp32", "bf16", "int8"):
        ckpt = load_checkpoint(tiny_checkpoint)
        model = P.convert(ckpt.model, path)
        ids = torch.tensor([[2, 5, 6, 3]])
        logits = model(input_ids=ids, attention_mask=torch.ones_like(ids)).logits
        assert logits.shape[-1] == len(ckpt.tags)
    with pytest.raises(ValueError, match="no numeric path"):
        P.convert(ckpt.model, "fp8")


def fake_measure(table):
    def measure(model, tokenizer, window, device, batch_size, documents, paths):
        return {p: table[p] for p in paths if p in table}

    return measure


@pytest.mark.parametrize(
    "table, expected",
    [
        ({"fp32": {"seconds": 3.0, "agreement": 1.0}, "bf16": {"seconds": 1.0, "agreement": 0.999},
          "int8": {"seconds": 1.5, "agreement": 1.0}}, "bf16"),
        # bf16 disagrees too often: the next fastest that agrees wins
        ({"fp32": {"seconds": 3.0, "agreement": 1.0}, "bf16": {"seconds": 1.0, "agreement": 0.99},
          "int8": {"seconds": 1.5, "agreement": 0.998}}, "int8"),
        # nothing is worth it: fp32
        ({"fp32": {"seconds": 3.0, "agreement": 1.0}, "bf16": {"seconds": 2.9, "agreement": 1.0},
          "int8": {"seconds": 4.0, "agreement": 1.0}}, "fp32"),
    ],
)
def test_auto_picks_the_fastest_path_that_agrees(monkeypatch, tmp_path, table, expected):
    monkeypatch.setenv("INDOQUOTE_CACHE", str(tmp_path))
    monkeypatch.setattr(P, "MIN_PARAMETERS", 0)
    monkeypatch.setattr(P, "measure", fake_measure(table))
    monkeypatch.setattr(P, "candidate_paths", lambda device: ["fp32", "bf16", "int8"])
    import torch

    model = torch.nn.Linear(2, 2)
    choice = P.choose_precision(model, None, None, "some-model", "cpu", 16)
    assert choice.precision == expected and not choice.cached and choice.reason
    again = P.choose_precision(model, None, None, "some-model", "cpu", 16)
    assert again.precision == expected and again.cached  # measured once per model and machine
    assert P.choose_precision(model, None, None, "other-model", "cpu", 16).cached is False


def test_small_models_stay_fp32_unmeasured(tiny_checkpoint, monkeypatch, tmp_path):
    monkeypatch.setenv("INDOQUOTE_CACHE", str(tmp_path))
    choice = QuoteTagger.from_pretrained(tiny_checkpoint, device="cpu").precision
    assert choice.precision == "fp32" and not choice.measured and "not worth measuring" in choice.reason
    assert not (tmp_path / "precision.json").exists()


def test_tagger_auto_measures_really_and_reports(tiny_checkpoint, monkeypatch, tmp_path):
    monkeypatch.setenv("INDOQUOTE_CACHE", str(tmp_path))
    monkeypatch.setattr(P, "MIN_PARAMETERS", 0)
    tagger = QuoteTagger.from_pretrained(tiny_checkpoint, device="cpu")
    choice = tagger.precision
    assert choice.precision in P.candidate_paths("cpu")
    assert set(choice.measured) == set(P.candidate_paths("cpu")) and choice.measured["fp32"]["agreement"] == 1.0
    assert (tmp_path / "precision.json").exists()
    forced = QuoteTagger.from_pretrained(tiny_checkpoint, device="cpu", precision="fp32")
    assert forced.precision.precision == "fp32"
    fp32 = [r.to_dict() for r in forced("Kata dia, \"Kami siap bekerja keras untuk rakyat,\" di Jakarta.")]
    assert isinstance(fp32, list)
    with pytest.raises(ValueError, match="precision must be one of"):
        QuoteTagger.from_pretrained(tiny_checkpoint, precision="fast")


def test_predict_cli_reports_the_path(indoquote_cli, tiny_checkpoint, tmp_path):
    src = tmp_path / "a.txt"
    src.write_text('"Kami siap bekerja keras untuk rakyat," kata Budi Santoso.', encoding="utf-8")
    r = indoquote_cli("predict", str(src), "--model", str(tiny_checkpoint), "--precision", "int8", "--progress",
                      cwd=tmp_path, check=True)
    assert "precision int8" in r.stderr and "speakers by" in r.stderr
