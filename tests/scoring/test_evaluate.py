"""``indoquote evaluate`` on random tiny checkpoints: files, scores, errors, compare mode."""

from __future__ import annotations

import json
import shutil

import pytest

from indoquote.errors import EvaluationError, ModelLoadError
from indoquote.model.resolve import resolve_checkpoints
from indoquote.scoring.evaluate import as_pfsa, checkpoint_names, find_errors, main, read_predictions, write_predictions
from indoquote.scoring.metrics import span_scores
from indoquote.text.document import Document
from indoquote.text.labels import iob2_spans

from conftest import SEED_ARTICLES, UNTAGGED, eval_config


@pytest.fixture(scope="module")
def evaluated(tiny_checkpoint, tmp_path_factory):
    """One evaluation of the pfsa fixture checkpoint on the tiny test split, through ``main``."""
    out = tmp_path_factory.mktemp("eval")
    metrics = main(eval_config(tiny_checkpoint, out, command="indoquote evaluate checkpoint=CKPT data=tiny"))
    return out, metrics


def test_writes_the_evaluation_files(evaluated, capsys):
    out, metrics = evaluated
    assert sorted(p.name for p in out.iterdir()) == ["errors.jsonl", "metrics.json", "predictions.conll", "report.md"]
    assert json.loads((out / "metrics.json").read_text()) == metrics
    assert metrics["documents"] == 9 and metrics["split"] == "test" and metrics["schema"] == "pfsa"
    assert metrics["windows"] == {"max_length": 32, "stride": 8}  # the checkpoint's own
    report = (out / "report.md").read_text()
    needed = ["indoquote evaluate checkpoint=CKPT data=tiny", "| label | P | R | F1 | rules P", "| STATEMENT |",
              "| micro |", "Spans (strict, quote labels)", "attribution accuracy", "## Worst errors", metrics["date"]]
    assert [n for n in needed if n not in report] == []


def test_scores_agree_with_the_written_predictions(evaluated):
    out, metrics = evaluated
    docs = read_predictions(out / "predictions.conll")
    assert len(docs) == metrics["documents"] and sum(len(d.tokens) for d in docs) == metrics["tokens"]
    assert span_scores([d.gold for d in docs], [d.pred for d in docs]) == metrics["model"]["strict"]
    # the rule baseline labels the synthetic corpus it was written for well; the random model does not
    assert metrics["rules"]["strict"]["per_label"]["STATEMENT"]["f1"] > 50
    assert metrics["rules"]["attribution"]["accuracy"] > 50
    assert metrics["model"]["strict"]["micro_f1"] < metrics["rules"]["strict"]["micro_f1"]
    assert set(metrics["model"]["quote"]["per_label"]) <= {"QUOTE", "SPEAKER", "CUE", "ROLE", "AFFILIATION"}


def test_errors_file_lists_every_wrong_span(evaluated):
    out, metrics = evaluated
    errors = [json.loads(line) for line in (out / "errors.jsonl").read_text().splitlines()]
    docs = read_predictions(out / "predictions.conll")
    gold = {(d.doc_id, s) for d in docs for s in iob2_spans(d.gold)}
    pred = {(d.doc_id, s) for d in docs for s in iob2_spans(d.pred)}
    assert sum(e["kind"] == "missed" for e in errors) == len(gold - pred) == metrics["errors"]["missed"]
    assert sum(e["kind"] == "spurious" for e in errors) == len(pred - gold) == metrics["errors"]["spurious"]
    assert [e["uncovered"] for e in errors] == sorted((e["uncovered"] for e in errors), reverse=True)
    assert all("[[" in e["context"] for e in errors)
    report = (out / "report.md").read_text()
    assert report.count("- **missed**") + report.count("- **spurious**") == 5  # worst_errors=5


def test_predictions_file_round_trip(tmp_path):
    docs = [Document("a:1", ["Kata", "dia", ".", "Ya", "."], ["B-CUE", "B-PERSONCOREF", "O", "O", "O"], [0, 3]),
            Document("b:9", ["x"], ["O"], [0])]  # fmt: skip
    pred = [["O", "B-PERSON", "O", "O", "O"], ["B-CUE"]]
    write_predictions(tmp_path / "p.conll", docs, [d.tags for d in docs], pred)
    text = (tmp_path / "p.conll").read_text()
    assert text.startswith("# a:1\nKata\tB-CUE\tO\n") and "\n.\tO\tO\n\nYa\t" in text
    back = read_predictions(tmp_path / "p.conll")
    assert [(d.doc_id, d.tokens, d.gold, d.pred, d.sentence_starts) for d in back] == [
        (d.doc_id, d.tokens, d.tags, p, d.sentence_starts) for d, p in zip(docs, pred)
    ]


def test_find_errors_boundary_and_label_mistakes():
    words = "a b c d e f g h".split()
    doc = Document("d", words, [], [0])
    gold = [["B-STATEMENT", "I-STATEMENT", "I-STATEMENT", "I-STATEMENT", "O", "B-PERSON", "O", "O"]]
    pred = [["O", "B-STATEMENT", "I-STATEMENT", "I-STATEMENT", "O", "B-PERSONCOREF", "O", "B-CUE"]]
    errors = find_errors([doc], gold, pred, width=2)
    by = {(e.kind, e.label): e for e in errors}
    assert set(by) == {("missed", "STATEMENT"), ("spurious", "STATEMENT"), ("missed", "PERSON"),
                       ("spurious", "PERSONCOREF"), ("spurious", "CUE")}  # fmt: skip
    assert by["missed", "STATEMENT"].uncovered == 1  # only "a" is not predicted as STATEMENT
    assert by["missed", "PERSON"].nearest == {"label": "PERSONCOREF", "start": 5, "end": 6}
    assert by["spurious", "CUE"].nearest is None
    assert by["missed", "PERSON"].context == "… d e [[ f ]] g h"
    assert errors[0].uncovered == 1 and errors[-1].uncovered <= errors[0].uncovered


def test_hydra_config_composes_and_windows_override(tiny_checkpoint, tmp_path):
    from hydra import compose, initialize_config_dir
    from omegaconf import OmegaConf

    from indoquote.config import register_resolvers
    from indoquote.paths import CONFIG_DIR

    register_resolvers()
    overrides = [f"checkpoint={tiny_checkpoint}", "data=tiny", f"out={tmp_path}", "progress=false"]
    overrides.append("windows.max_length=48")
    with initialize_config_dir(str(CONFIG_DIR), version_base="1.3"):
        cfg = OmegaConf.to_container(compose("evaluate", overrides=overrides), resolve=True)
    metrics = main(cfg)
    assert metrics["windows"] == {"max_length": 48, "stride": 8}  # stride still the checkpoint's
    assert metrics["data"] == "tiny" and (tmp_path / "report.md").exists()


def test_default_out_is_inside_the_checkpoint(tiny_checkpoint, tmp_path):
    ckpt = tmp_path / "run" / "best"
    shutil.copytree(tiny_checkpoint, ckpt)
    main(eval_config(ckpt, None))
    assert (ckpt / "eval-tiny-test" / "metrics.json").exists()


def test_missing_checkpoint_is_a_clear_error(tmp_path):
    missing = tmp_path / "nope"
    with pytest.raises(ModelLoadError, match=rf"{missing}: no such directory; pass checkpoint="):
        main(eval_config(missing, tmp_path / "out"))
    assert not (tmp_path / "out").exists()


def test_a_folder_that_is_not_a_model_is_a_clear_error(tmp_path):
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(ModelLoadError, match=rf"{tmp_path}: not a model directory"):
        main(eval_config(tmp_path, None))


def test_a_model_without_weights_is_a_clear_error(tiny_checkpoint, tmp_path):
    shutil.copy(tiny_checkpoint / "config.json", tmp_path / "config.json")
    with pytest.raises(ModelLoadError, match=rf"{tmp_path}: not a model directory .*safetensors"):
        main(eval_config(tmp_path, tmp_path / "out"))


def test_incompatible_labels_are_a_clear_error(quote_checkpoint, tmp_path):
    message = rf"{quote_checkpoint}: its labels .* do not fit labels=pfsa.*evaluate it with labels=quote"
    with pytest.raises(ModelLoadError, match=message):
        main(eval_config(quote_checkpoint, tmp_path))
    odd = tmp_path / "odd"
    shutil.copytree(quote_checkpoint, odd)
    config = json.loads((odd / "config.json").read_text())
    config["id2label"] = {"0": "O", "1": "B-X", "2": "I-X"}
    (odd / "config.json").write_text(json.dumps(config))
    with pytest.raises(ModelLoadError, match="train a checkpoint with labels=pfsa or labels=quote"):
        main(eval_config(odd, tmp_path, labels={"schema": "quote"}))


def test_unknown_split_is_a_clear_error(tiny_checkpoint, tmp_path):
    with pytest.raises(EvaluationError, match="no split 'dev'.*train, validation, test"):
        main(eval_config(tiny_checkpoint, tmp_path, split="dev"))


def test_compare_mode_ranks_checkpoints(tiny_checkpoint, quote_checkpoint, tmp_path, capsys):
    summary = main(eval_config(f"{tiny_checkpoint},{quote_checkpoint}", tmp_path, labels={"schema": "quote"}))
    rows = summary["ranking"]
    assert rows[-1]["checkpoint"] == "(rules)"
    f1 = [r["micro_f1"] for r in rows[:-1]]
    assert f1 == sorted(f1, reverse=True) and len(f1) == 2
    assert {r["path"] for r in rows[:-1]} == {str(tiny_checkpoint), str(quote_checkpoint)}
    assert json.loads((tmp_path / "compare.json").read_text()) == summary
    assert "| rank | checkpoint | micro F1 |" in (tmp_path / "compare.md").read_text()
    for name in checkpoint_names([tiny_checkpoint, quote_checkpoint]):
        m = json.loads((tmp_path / name / "metrics.json").read_text())
        assert m["schema"] == "quote"
        assert set(m["model"]["strict"]["per_label"]) <= {"QUOTE", "SPEAKER", "CUE", "ROLE", "AFFILIATION"}
    assert "(rules)" in capsys.readouterr().out


def test_sweep_directories_resolve_to_their_runs(sweep_dir, tiny_checkpoint):
    found = resolve_checkpoints(str(sweep_dir))
    assert found == [sweep_dir / "0" / "best", sweep_dir / "10" / "best"]  # numeric order, unfinished run skipped
    assert resolve_checkpoints(f"{sweep_dir / '0'}, {tiny_checkpoint}") == [sweep_dir / "0" / "best", tiny_checkpoint]
    assert resolve_checkpoints([str(tiny_checkpoint)]) == [tiny_checkpoint]
    assert checkpoint_names(found) == ["0", "10"]


def test_compare_a_sweep_into_the_working_directory(sweep_dir, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    summary = main(eval_config(sweep_dir, None))
    assert [r["checkpoint"] for r in summary["ranking"]][-1] == "(rules)" and len(summary["ranking"]) == 3
    assert (tmp_path / "compare.md").exists()
    assert (sweep_dir / "0" / "best" / "eval-tiny-test" / "report.md").exists()


def test_annotated_articles_as_data(tiny_checkpoint, tmp_path):
    metrics = main(eval_config(tiny_checkpoint, tmp_path, data=dict(SEED_ARTICLES)))
    assert metrics["data"] == "seeds" and metrics["documents"] == 1
    assert metrics["model"]["strict"]["per_label"]  # gold spans were read from the standoff annotation


def test_as_pfsa_reads_quote_tags_back():
    words = ["”", "Ya", "”", "katanya", ",", "kata", "Jens", "Stoltenberg", "dan", "dia", "Presiden"]
    tags = ["B-QUOTE", "I-QUOTE", "I-QUOTE", "B-CUE", "O", "B-CUE", "B-SPEAKER", "I-SPEAKER", "O", "B-SPEAKER",
            "B-SPEAKER"]  # fmt: skip
    assert as_pfsa(words, tags) == ["B-STATEMENT", "I-STATEMENT", "I-STATEMENT", "B-CUECOREF", "O", "B-CUE",
                                    "B-PERSON", "I-PERSON", "O", "B-PERSONCOREF", "B-PERSONCOREF"]  # fmt: skip


def test_attached_only_is_the_default_and_can_be_turned_off(evaluated, tiny_checkpoint, tmp_path):
    from indoquote.quotes.attribute import attached_tags
    from indoquote.quotes.records import ATTRIBUTION_LABELS

    out, metrics = evaluated
    assert metrics["attached_only"] is True
    assert "- decoding: attribution spans kept where a quotation uses them" in (out / "report.md").read_text()
    raw = main(eval_config(tiny_checkpoint, tmp_path / "raw", attached_only=False))
    assert raw["attached_only"] is False
    raw_docs = read_predictions(tmp_path / "raw" / "predictions.conll")
    kept_docs = read_predictions(out / "predictions.conll")
    assert [attached_tags(d.tokens, d.pred) for d in raw_docs] == [d.pred for d in kept_docs]
    count = lambda docs: sum(sp.label in ATTRIBUTION_LABELS for d in docs for sp in iob2_spans(d.pred))  # noqa: E731
    assert count(raw_docs) > count(kept_docs)  # the random model tags attribution spans with no quotation


def test_quote_level_evaluation_of_real_articles(tiny_checkpoint, tmp_path):
    from conftest import ROOT

    data = {"name": "dev_articles", "source": "quotes", "dir": str(ROOT / "data" / "dev-articles"),
            "files": ["*.jsonl"], "part": "all", "kinds": ["direct"], "split": {"test": 1.0}, "cache_dir": None}
    metrics = main(eval_config(tiny_checkpoint, tmp_path, data=data))
    rules = metrics["rules"]["direct"]
    assert rules["all"]["gold"] >= 100 and rules["all"]["quote_f1"] > 80  # the marks show most quotations
    assert set(rules["outlets"]) == set(metrics["model"]["direct"]["outlets"]) and len(rules["outlets"]) >= 6
    report = (tmp_path / "report.md").read_text()
    assert "| all | model |" in report and "| all | rules |" in report
    assert "genres" not in metrics and "by genre" not in report  # the dev set has no genre field
    titles = metrics["titles"]["rules"]
    assert titles["all"]["speaker_right"] > 50 and set(titles["outlets"]) == set(rules["outlets"])
    assert "## Role and affiliation (direct quotations whose speaker is right)" in report
    assert (tmp_path / "title_errors.jsonl").exists()


def test_genre_articles_are_scored_per_genre_on_their_fixed_part(tiny_checkpoint, tmp_path):
    from conftest import ROOT

    data = {"name": "genre_articles", "source": "quotes", "dir": str(ROOT / "data" / "genre-articles"),
            "files": ["*.jsonl"], "part": "heldout", "kinds": ["direct", "indirect"], "split": {"test": 1.0},
            "cache_dir": None}
    metrics = main(eval_config(tiny_checkpoint, tmp_path, data=data))
    assert metrics["articles"] == 25 and set(metrics["genres"]) == {"model", "rules"}
    genres = metrics["genres"]["rules"]["direct"]
    assert {"celebrity", "sports", "regional"} <= set(genres)
    assert sum(g["gold"] for g in genres.values()) == metrics["rules"]["direct"]["all"]["gold"]
    report = (tmp_path / "report.md").read_text()
    assert "### Direct quotations by genre" in report and "| celebrity | rules |" in report
    # strict and partial spans, recall per verb class, and the indirect scores without the borderline class
    spans = metrics["spans"]["rules"]["indirect"]
    assert spans["strict_matched"] <= metrics["rules"]["indirect"]["all"]["matched"] <= spans["overlap_matched"]
    classes = metrics["verb_classes"]["rules"]["indirect"]
    assert sum(c["gold"] for c in classes.values()) == metrics["rules"]["indirect"]["all"]["gold"]
    assert classes["say"]["gold"] > classes["question"]["gold"] > 0
    assert metrics["without_borderline"]["rules"]["indirect"]["all"]["gold"] < metrics["rules"]["indirect"]["all"]["gold"]
    assert "## Quotation spans: strict" in report and "| question |" in report and "without the borderline" in report


def test_marks_option_snaps_quotations_before_scoring(tiny_checkpoint, tmp_path):
    snapped = main(eval_config(tiny_checkpoint, tmp_path / "m", marks=True))
    assert snapped["marks"] is True and "strict" in snapped["model"]


# ------------------------------------------------------------ scoring a whole file: split=all


def test_split_all_scores_every_document(tiny_checkpoint, tmp_path, capsys):
    metrics = main(eval_config(tiny_checkpoint, tmp_path, split="all"))
    assert metrics["documents"] == 60 and metrics["split"] == "all"  # every document of data/tiny, no split
    assert "scored 60 of 60 documents of data tiny (split=all)" in capsys.readouterr().out


def test_the_default_split_says_how_much_of_the_data_it_scored(tiny_checkpoint, tmp_path, capsys):
    main(eval_config(tiny_checkpoint, tmp_path))
    assert "scored 9 of 60 documents of data tiny (split=test)" in capsys.readouterr().out


def test_a_half_applied_split_override_is_refused(tiny_checkpoint, tmp_path):
    from indoquote.scoring.evaluate import load_eval_documents

    from conftest import TINY_DATA

    merged = {**TINY_DATA, "split": {"train": 0.7, "validation": 0.15, "test": 1.0}}  # 'data.split={test: 1.0}' merged
    with pytest.raises(EvaluationError, match=r"sum to 1\.85, not 1.*use split=all"):
        main(eval_config(tiny_checkpoint, tmp_path / "out", data=merged))
    assert not (tmp_path / "out").exists()
    assert len(load_eval_documents({**TINY_DATA, "split": {"test": 1.0}}, "test", 42)) == 60
    with pytest.raises(EvaluationError, match="split=all to score every document"):
        load_eval_documents(TINY_DATA, "dev", 42)


def test_split_all_through_hydra(tiny_checkpoint, tmp_path):
    from conftest import compose

    cfg = compose([f"checkpoint={tiny_checkpoint}", "data=tiny", "split=all", f"out={tmp_path}", "progress=false"], "evaluate")
    assert main(cfg)["documents"] == 60
    cfg = compose([f"checkpoint={tiny_checkpoint}", "data=tiny", "data.split={test: 1.0}", f"out={tmp_path}"], "evaluate")
    with pytest.raises(EvaluationError, match="split=all"):
        main(cfg)


def test_scores_where_the_gold_is_annotated_beside_the_strict_ones():
    """A quotation the gold left untagged (marks and cue, no tag) is not a false positive there."""
    from indoquote.scoring.evaluate import evaluate_tags
    from indoquote.scoring.report import result_sections
    from indoquote.text.labels import get_schema

    words, gold, pred = UNTAGGED
    m = evaluate_tags([Document("d", words, gold, [0, 10])], [pred], get_schema("pfsa"), baseline=False).metrics
    assert m["untagged"] == {"quotations": 1, "words": 9}
    assert m["model"]["strict"]["micro_precision"] < 100.0
    assert m["model"]["strict_annotated"]["micro_f1"] == 100.0
    titles = [title for title, _, _ in result_sections(m)]
    assert any("where the gold is annotated (1 marked, cued" in t for t in titles)
