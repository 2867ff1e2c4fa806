"""The whole pipeline as a user runs it, on the tiny model: train -> evaluate -> publish -> predict."""

import json
from pathlib import Path

import pytest

from conftest import SEED_DIR, SMOKE_FAST


@pytest.mark.slow
def test_train_evaluate_publish_predict(tmp_path, indoquote_cli):
    def cli(*args: str, cwd: Path):
        return indoquote_cli(*args, cwd=cwd, check=True)

    cli("train", *SMOKE_FAST, "trainer.epochs=8", f"output_root={tmp_path}", cwd=tmp_path)
    [best] = tmp_path.glob("smoke/*/best")
    trained = json.loads((best.parent / "metrics.json").read_text())
    assert trained["test"]["micro_f1"] > 60  # the tiny corpus is learnable; random is near 0
    assert trained["linker"]["fitted"] and (best / "linker.safetensors").exists()  # one checkpoint: tagger + linker

    raw = SEED_DIR / "antara-nato-russia-2021.jsonl"  # an unlabelled real article: the rules' silver too
    cli("indirect", f"checkpoint={best}", "data=tiny", "epochs=2", "rounds=1", "progress=false", f"unlabelled={raw}",
        cwd=tmp_path)
    head = json.loads((best / "indirect.json").read_text())
    assert head["silver_documents"] > 0 and head["gold_articles"] > 0 and head["self_training_rounds"] == 1
    assert head["unlabelled_articles"] == 1 and head["dequote"] == 0.3

    cli("evaluate", f"checkpoint={best}", "data=tiny", "split=test", f"out={tmp_path / 'eval'}", cwd=tmp_path)
    metrics = json.loads((tmp_path / "eval" / "metrics.json").read_text())
    assert metrics["model"]["strict"]["micro_f1"] == trained["test"]["micro_f1"]  # one scoring code path
    assert "rules" in metrics and (tmp_path / "eval" / "report.md").exists()

    cli("publish", f"checkpoint={best}", f"out={tmp_path / 'pub'}", f"metrics={tmp_path / 'eval' / 'metrics.json'}", cwd=tmp_path)
    card = (tmp_path / "pub" / "README.md").read_text()
    assert "model-index" in card and str(metrics["model"]["strict"]["micro_f1"]) in card
    assert metrics["linker"] and "attribution_rules" in metrics["model"]  # linker scored against the rules
    assert (tmp_path / "pub" / "linker.json").exists() and (tmp_path / "pub" / "linker.safetensors").exists()
    assert "## Speakers: the quote-speaker linker" in card
    assert (tmp_path / "pub" / "indirect.json").exists() and "## Indirect speech: the second head" in card

    seed = SEED_DIR / "antara-nato-russia-2021.txt"
    out = cli("predict", str(seed), "--model", str(tmp_path / "pub"), cwd=tmp_path).stdout
    [line] = out.strip().splitlines()
    record = json.loads(line)
    assert record["id"] == "antara-nato-russia-2021" and isinstance(record["quotes"], list)

    from indoquote import QuoteTagger

    tagger = QuoteTagger.from_pretrained(tmp_path / "pub")
    assert tagger.linker is not None and tagger.indirect_head is not None
    text = seed.read_text(encoding="utf-8")
    quotes = tagger(text)
    assert [q.to_dict() for q in quotes] == record["quotes"]
    for q in quotes:
        assert text[q.start : q.end].strip().strip('"“”').strip() != "" and q.start < q.end
        assert 0 < q.confidence <= 1 and (q.speaker is not None or q.speaker_reason)
