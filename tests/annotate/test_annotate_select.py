"""``--select uncertain``: the articles with the most doubt first; ``--select random``: a seeded sample."""

import json
from types import SimpleNamespace

import pytest

from indoquote.annotate.select import Uncertainty, select, uncertainty
from indoquote.quotes.records import Mention, QuoteRecord
from indoquote.text.articles import article_from_text

TEXT = ('"Kami siap menghadapi tahun depan," kata Sri Mulyani. Dia juga bicara soal pajak. '
        '"Belanja negara akan kami jaga dengan hati-hati," ujarnya kepada wartawan.')


def tagged(records, tags=None):
    art = article_from_text(TEXT, "a")
    return SimpleNamespace(id="a", text=TEXT, tokens=art.tokens, tags=tags or ["O"] * len(art.tokens),
                           sentence_starts=art.sentence_starts, records=records)


def test_signs_of_doubt_low_confidence_disagreement_and_silence():
    end = TEXT.index(",\"") + 2
    rec = QuoteRecord("Kami siap", 0, end, "Sri Mulyani", confidence=0.7)
    u = uncertainty(tagged([rec]))
    # the rules see both quotations in the text; the model found only the first: one silent
    # the rules, given the model's (all O) tags, attribute nothing: no quotation to compare
    assert (u.low_confidence, u.disagreements, u.silent) == (0.3, 0, 1) and u.score == 1.3


def test_disagreement_between_the_linker_and_the_rules_on_the_same_tags():
    art = article_from_text(TEXT, "a")
    words = [t.text for t in art.tokens]
    tags = ["O"] * len(words)
    q_end = words.index("kata")
    tags[0] = "B-STATEMENT"
    tags[1:q_end] = ["I-STATEMENT"] * (q_end - 1)
    tags[q_end] = "B-CUE"
    tags[q_end + 1 : q_end + 3] = ["B-PERSON", "I-PERSON"]
    end = art.tokens[q_end - 1].end
    cue = Mention("kata", art.tokens[q_end].start, art.tokens[q_end].end, "CUE")
    linker_says = QuoteRecord("x", 0, end, "Joko Widodo", cue=cue, confidence=0.55)
    u = uncertainty(tagged([linker_says], tags))
    assert u.disagreements == 1 and u.low_confidence == 0.45
    agrees = QuoteRecord("x", 0, end, "Sri Mulyani", cue=cue, confidence=0.9)
    assert uncertainty(tagged([agrees], tags)).disagreements == 0


def test_select_uncertain_takes_the_highest_scores_and_random_is_seeded():
    scores = [Uncertainty("a", 0.1, 0, 0), Uncertainty("b", 0.5, 1, 0), Uncertainty("c", 0.0, 0, 2),
              Uncertainty("d", 0.0, 0, 0)]
    assert select(scores, 2) == ["c", "b"]
    assert select(scores, 10) == ["c", "b", "a", "d"]
    r1, r2 = select(scores, 2, "random", seed=3), select(scores, 2, "random", seed=3)
    assert r1 == r2 and len(set(r1)) == 2
    assert {tuple(select(scores, 2, "random", seed=s)) for s in range(20)} != {tuple(r1)}
    with pytest.raises(ValueError, match="--select must be one of"):
        select(scores, 2, "smart")


def test_cli_export_uncertain_writes_n_tasks_most_doubtful_first_and_the_config(tiny_checkpoint, tmp_path,
                                                                                indoquote_cli):
    from conftest import ROOT

    dev = ROOT / "data" / "dev-articles" / "part-a.jsonl"
    out = tmp_path / "tasks.json"
    indoquote_cli("annotate", "export", str(dev), "--model", str(tiny_checkpoint), "-o", str(out), "--select",
                  "uncertain", "--n", "5", "--device", "cpu", cwd=tmp_path, check=True)
    tasks = json.loads(out.read_text())
    scores = [t["data"]["uncertainty"]["score"] for t in tasks]
    assert len(tasks) == 5 and scores == sorted(scores, reverse=True)
    assert all(t["predictions"][0]["model_version"] for t in tasks)
    assert (tmp_path / "label_config.xml").read_text().startswith("<View>")
    indoquote_cli("annotate", "export", str(dev), "--model", str(tiny_checkpoint), "-o", str(out), "--select",
                  "random", "--n", "5", "--seed", "1", "--device", "cpu", cwd=tmp_path, check=True)
    assert len(json.loads(out.read_text())) == 5


def test_cli_export_gold_and_bad_arguments(tmp_path, indoquote_cli):
    from conftest import ROOT

    dev = ROOT / "data" / "dev-articles" / "part-b.jsonl"
    out = tmp_path / "gold.json"
    indoquote_cli("annotate", "export", "--gold", str(dev), "-o", str(out), cwd=tmp_path, check=True)
    tasks = json.loads(out.read_text())
    assert len(tasks) == len(dev.read_text().splitlines()) and all("annotations" in t for t in tasks)
    r = indoquote_cli("annotate", "export", str(dev), "-o", str(out), cwd=tmp_path, env={"INDOQUOTE_MODEL": ""})
    assert r.returncode == 2 and "--model DIR is needed" in r.stderr
