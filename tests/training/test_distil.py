"""Distillation (indoquote.training.distil): a student with fewer layers learns a teacher's tags."""

import json
from pathlib import Path

import numpy as np
import pytest
import torch

from indoquote.errors import ConfigError, ModelLoadError
from indoquote.training.distil import (
    HIDDEN, INDEX, MASK, SOFT, DistilCollator, DistilSettings, Target, distil_loss, hidden_loss, load_teacher,
    word_starts,
)
from indoquote.training.train import run

from conftest import ROOT, SMOKE_FAST, TINY_MODEL, compose

PLAIN = ["experiment=smoke", "trainer.progress=false", "trainer.report_to=[]", "linker.enabled=false"]


@pytest.fixture(scope="module")
def teacher(tmp_path_factory) -> Path:
    """A 3-layer tiny tagger trained on the embedded data: the teacher."""
    root = tmp_path_factory.mktemp("teacher")
    run(compose(SMOKE_FAST + ["trainer.epochs=4", "model.num_layers=3", "linker.enabled=false"]), root / "run")
    return root / "run" / "best"


def test_word_starts_marks_the_first_sub_word_of_each_word():
    assert word_starts([-1, 0, 0, 1, 2, 2, 2, -1, -1]).tolist() == [0, 1, 0, 1, 1, 0, 0, 0, 0]


def test_distil_loss_is_zero_when_the_student_agrees_and_counts_only_masked_positions():
    teacher = torch.randn(2, 5, 7)
    soft = torch.log_softmax(teacher / 2.0, dim=-1)
    mask = torch.tensor([[0, 1, 1, 0, 0], [0, 1, 0, 0, 0]], dtype=torch.bool)
    assert distil_loss(teacher, soft, mask, 2.0).item() == pytest.approx(0.0, abs=1e-6)
    other = teacher.clone()
    other[:, 3:] = torch.randn(2, 2, 7)  # differs only where the mask is off
    assert distil_loss(other, soft, mask, 2.0).item() == pytest.approx(0.0, abs=1e-6)
    other[0, 1] = -teacher[0, 1]
    assert distil_loss(other, soft, mask, 2.0).item() > 0.01


def test_hidden_loss_counts_real_positions_only():
    student = torch.zeros(1, 2, 4, 3)  # [batch, layers, positions, hidden]
    layer = [[1.0, 1.0, 1.0], [0.0, 0.0, 0.0], [9.0, 9.0, 9.0], [9.0, 9.0, 9.0]]
    teacher = torch.tensor([[layer, [[0.0] * 3] * 4]])
    # layer 0: 3 + 0 over 2 positions x 3 dims; layer 1: 0; the padded positions (9s) do not count
    assert hidden_loss(student, teacher, torch.tensor([[1, 1, 0, 0]])).item() == pytest.approx(3 / 12)


def test_collator_pads_the_teacher_outputs_to_the_batch_and_leaves_evaluation_alone():
    from transformers import DataCollatorForTokenClassification

    from indoquote.model.modeling import build_tiny_tokenizer

    tok = build_tiny_tokenizer(["kata Budi hari ini"], vocab_size=100)
    targets = [
        Target(np.full((3, 4), -1.0, dtype=np.float16), np.array([False, True, False]),
               np.ones((2, 3, 6), np.float16)),  # [layers, positions, hidden]
        Target(np.full((5, 4), -2.0, dtype=np.float16), np.array([False, True, True, False, False]),
               np.ones((2, 5, 6), np.float16)),
    ]
    collate = DistilCollator(DataCollatorForTokenClassification(tok), targets)
    rows = [{"input_ids": [2, 7, 3], "attention_mask": [1, 1, 1], "labels": [-100, 1, -100], INDEX: 0},
            {"input_ids": [2, 7, 8, 9, 3], "attention_mask": [1] * 5, "labels": [-100, 1, 0, -100, -100], INDEX: 1}]
    batch = collate(rows)
    assert batch[SOFT].shape == (2, 5, 4) and batch["input_ids"].shape == (2, 5)
    assert batch[SOFT][0, :3].eq(-1.0).all() and batch[SOFT][0, 3:].eq(0.0).all()
    assert batch[MASK].tolist() == [[False, True, False, False, False], [False, True, True, False, False]]
    assert batch[HIDDEN].shape == (2, 2, 5, 6) and batch[HIDDEN][0, :, 3:].eq(0.0).all()
    assert batch[HIDDEN][0, :, :3].eq(1.0).all() and batch[HIDDEN][1].eq(1.0).all()
    plain = collate([{k: v for k, v in r.items() if k != INDEX} for r in rows])
    assert SOFT not in plain and MASK not in plain


def test_keep_layers_as_a_list_picks_those_layers(tiny_tokenizer):
    from indoquote.model.modeling import load_model
    from indoquote.text.labels import get_schema

    base = {**TINY_MODEL, "num_layers": 4}
    full = load_model(base, get_schema("pfsa"), tiny_tokenizer, seed=3)
    picked = load_model({**base, "keep_layers": [0, 3]}, get_schema("pfsa"), tiny_tokenizer, seed=3)
    assert len(picked.bert.encoder.layer) == 2 and picked.config.num_hidden_layers == 2
    assert torch.equal(picked.bert.encoder.layer[1].output.dense.weight, full.bert.encoder.layer[3].output.dense.weight)
    for bad in ([3, 0], [0, 0], [0, 4], []):
        with pytest.raises(ModelLoadError, match="keep_layers"):
            load_model({**base, "keep_layers": bad}, get_schema("pfsa"), tiny_tokenizer)


def test_config_checks_the_distillation_keys(tmp_path):
    with pytest.raises(ConfigError, match=r"distil\.alpha=1\.5: must be in \[0, 1\]"):
        run(compose(SMOKE_FAST + ["distil.alpha=1.5"]), tmp_path / "r")
    with pytest.raises(ConfigError, match=r"distil\.teacher=.*nowhere.*no config\.json"):
        run(compose(SMOKE_FAST + [f"distil.teacher={tmp_path / 'nowhere'}"]), tmp_path / "r")
    with pytest.raises(ConfigError, match=r"model\.keep_layers=\[2, 1\]: a list must name distinct"):
        run(compose(SMOKE_FAST + ["model.keep_layers=[2,1]"]), tmp_path / "r")


def test_a_teacher_with_other_labels_or_another_vocabulary_is_refused(teacher, tmp_path):
    from indoquote.model.modeling import build_tiny_tokenizer
    from indoquote.text.labels import get_schema
    from transformers import AutoTokenizer

    with pytest.raises(ConfigError, match="it tags"):
        load_teacher(teacher, get_schema("quote"), AutoTokenizer.from_pretrained(str(teacher)))
    with pytest.raises(ConfigError, match="tokenizer differs"):
        load_teacher(teacher, get_schema("pfsa"), build_tiny_tokenizer(["lain sekali"], vocab_size=50))
    (tmp_path / "config.json").write_text("{}")
    with pytest.raises(ConfigError, match="distil.teacher"):
        load_teacher(tmp_path, get_schema("pfsa"), None)


def _distance(student: Path, teacher: Path, cfg: dict) -> float:
    """Mean KL divergence of the student's tag distribution from the teacher's over the validation sub-words."""
    from transformers import AutoModelForTokenClassification, AutoTokenizer

    from indoquote.scoring.evaluate import load_eval_documents

    texts = [" ".join(d.tokens) for d in load_eval_documents(cfg["data"], "validation", cfg["seed"])]
    tok = AutoTokenizer.from_pretrained(str(teacher))
    batch = tok(texts, truncation=True, max_length=128, padding=True, return_tensors="pt")
    with torch.no_grad():
        t, s = (torch.log_softmax(AutoModelForTokenClassification.from_pretrained(str(m)).eval()(**batch).logits, -1)
                for m in (teacher, student))
    kl = (t.exp() * (t - s)).sum(-1)
    return float((kl * batch["attention_mask"]).sum() / batch["attention_mask"].sum())


def test_student_with_half_the_layers_starts_from_the_teacher(teacher, tmp_path):
    student = PLAIN + ["trainer.epochs=2", "model=local", f"model.path={teacher}", "model.keep_layers=[0,2]"]
    cfg = compose(student + [f"distil.teacher={teacher}", "distil.hidden=1.0",
                             f"distil.articles={ROOT / 'data' / 'unlabelled' / 'articles.jsonl'}", "distil.articles_max=4"])
    m = run(cfg, tmp_path / "student")
    best = tmp_path / "student" / "best"
    assert json.loads((best / "config.json").read_text())["num_hidden_layers"] == 2
    info = m["train"]["distil"]
    assert info["teacher"] == str(teacher) and info["alpha"] == 0.5 and info["hidden"] == 1.0
    assert info["article_windows"] >= 4  # four unlabelled articles, at least a window each
    assert DistilSettings.from_config(cfg["distil"]).with_layers([0, 2], 3).layers == (0, 2)


def test_a_student_learns_the_teachers_tags_from_the_teacher_alone(teacher, tmp_path):
    """A random one-layer student taught by the teacher's soft tags only (alpha=1) comes much closer to them."""
    student = SMOKE_FAST + ["linker.enabled=false", "model.num_layers=1", f"distil.teacher={teacher}", "distil.alpha=1.0"]
    cfg = compose(student + ["trainer.epochs=4"])
    run(cfg, tmp_path / "taught")
    run(compose(student + ["trainer.max_steps=1", "trainer.lr=1e-9"]), tmp_path / "start")
    before, after = _distance(tmp_path / "start" / "best", teacher, cfg), _distance(tmp_path / "taught" / "best", teacher, cfg)
    assert after < 0.5 * before


def test_unlabelled_articles_leave_out_the_gold_and_skip_what_cannot_be_read(tmp_path, tiny_tokenizer, caplog):
    from indoquote.model.windows import WindowConfig
    from indoquote.training.distil import article_windows

    gold = "Presiden itu berkata bahwa harga beras akan turun pekan depan menurut laporan yang diterima kantor berita"
    rows = [{"id": "fresh", "text": "Menteri Budi mengatakan hal itu di Jakarta pada hari Senin."},
            {"id": "copied", "text": "Kata dia: " + gold},
            {"id": "huge", "text": "kata " * 250_000}]
    path = tmp_path / "a.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    settings = DistilSettings(Path("teacher"), articles=path)
    cols = article_windows(settings, tiny_tokenizer, WindowConfig(64, 0), exclude=[gold])
    assert set(cols["doc_id"]) == {"unlabelled:fresh"}
    assert all(lab == -100 for labels in cols["labels"] for lab in labels)  # no gold label: the teacher alone
    assert "huge" in caplog.text and "skipped" in caplog.text
