"""The error-analysis notebook runs end to end on a small evaluation made here (no model)."""

from __future__ import annotations

from pathlib import Path

import pytest

from indoquote.scoring.evaluate import evaluate_tags, write_outputs
from indoquote.text.document import Document
from indoquote.text.labels import get_schema

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "error_analysis.ipynb"
WORDS = "” Kami siap , ” kata Sekjen NATO Jens Stoltenberg di Brussels . ” Itu penting , ” ujarnya .".split()
GOLD = ["B-STATEMENT", "I-STATEMENT", "I-STATEMENT", "I-STATEMENT", "I-STATEMENT", "B-CUE", "B-ROLE",
        "B-AFFILIATION", "B-PERSON", "I-PERSON", "O", "B-LOCATION", "O", "B-STATEMENT", "I-STATEMENT",
        "I-STATEMENT", "I-STATEMENT", "I-STATEMENT", "B-CUECOREF", "O"]  # fmt: skip


@pytest.fixture
def eval_dir(tmp_path) -> Path:
    pred = list(GOLD)
    pred[4] = "O"  # quotation one token short: missed + spurious STATEMENT
    pred[8], pred[9] = "B-PERSONCOREF", "I-PERSONCOREF"  # label confusion
    pred[11] = "O"  # missed LOCATION
    docs = [Document("hand:1", WORDS, GOLD, [0, 13]), Document("hand:2", WORDS[:5], GOLD[:5], [0])]
    about = {"checkpoint": "hand-made", "data": "hand", "split": "test", "command": "test"}
    result = evaluate_tags(docs, [pred, GOLD[:5]], get_schema("pfsa"), about=about)
    write_outputs(tmp_path, result)
    return tmp_path


def test_notebook_runs_on_an_evaluation_dir(eval_dir, monkeypatch):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")

    monkeypatch.setenv("INDOQUOTE_EVAL_DIR", str(eval_dir))
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert any("parameters" in c.metadata.get("tags", []) for c in nb.cells)
    where = {"metadata": {"path": str(NOTEBOOK.parent)}}
    client = nbclient.NotebookClient(nb, timeout=60, kernel_name="python3", resources=where)
    client.execute()
    text = "\n".join(
        o.get("text", "") + o.get("data", {}).get("text/plain", "")
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.outputs
    )
    assert "hand-made" in text and "2 documents" in text
    assert "Spans (strict, pfsa labels)" in text
    assert "PERSONCOREF" in text  # the PERSON -> PERSONCOREF confusion shows
    assert "=== STATEMENT ===" in text and "[[" in text  # error examples in context
    assert "hand:1: " in text  # the document with the most errors
    assert not any(o.get("output_type") == "error" for c in nb.cells if c.cell_type == "code" for o in c.outputs)
