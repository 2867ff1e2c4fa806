"""A model trained on imported Label Studio annotations (``data=annotated``) loads and evaluates like any other."""

import json

import pytest

from indoquote.annotate.ingest import import_tasks, write_jsonl
from indoquote.annotate.tasks import gold_task

from conftest import ROOT, SMOKE_FAST, compose, eval_config
from test_annotate_roundtrip import dev_lines


@pytest.mark.slow
def test_smoke_training_on_imported_data_then_evaluate_and_predict(tmp_path):
    from indoquote.pipeline.tagger import QuoteTagger
    from indoquote.scoring.evaluate import main as evaluate
    from indoquote.training.train import run

    imported = import_tasks(json.loads(json.dumps([gold_task(g) for g in dev_lines()])))
    assert imported.problems == []
    data_dir = tmp_path / "annotated"
    data_dir.mkdir()
    write_jsonl(imported.documents, data_dir / "train.jsonl")

    cfg = compose(SMOKE_FAST + ["data=annotated", f"data.dir={data_dir}", "labels=quote", "trainer.epochs=2"])
    assert cfg["data"]["source"] == "articles" and cfg["data"]["files"] == ["train.jsonl"]
    metrics = run(cfg, tmp_path / "run")
    best = tmp_path / "run" / "best"
    assert (best / "model.safetensors").exists() and "test" in metrics
    curve = metrics["train"]["loss_curve"]
    assert curve[-1] < curve[0]

    # span F1 on the imported articles' test split, as `indoquote evaluate checkpoint=... data=annotated`
    ev = evaluate(eval_config(best, tmp_path / "eval", data=cfg["data"], labels={"schema": "quote"}))
    assert ev["documents"] == round(0.1 * len(imported.documents)) and "strict" in ev["model"]
    # quote-level scores on the dev set, as `indoquote evaluate checkpoint=... data=dev_articles`
    data = {"name": "dev_articles", "source": "quotes", "dir": str(ROOT / "data" / "dev-articles"),
            "files": ["*.jsonl"], "part": "all", "kinds": ["direct"], "split": {"test": 1.0}, "cache_dir": None}
    quotes = evaluate(eval_config(best, tmp_path / "dev", data=data))
    assert quotes["model"]["direct"]["all"]["gold"] >= 100
    records = QuoteTagger.from_pretrained(best, device="cpu", precision="fp32")(dev_lines()[0]["text"])
    assert isinstance(records, list)
