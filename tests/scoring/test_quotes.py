"""Quote-level gold and scoring of real articles (the real-outlet development set)."""

from __future__ import annotations

import json

import pytest

from indoquote.data.gold import Quote, read_gold, read_gold_files
from indoquote.errors import GoldError
from indoquote.scoring.quotes import MIN_WORDS, n_words, score_quotes

from conftest import ROOT

TEXT = '"Kami siap berdialog dengan Rusia," kata Sekjen NATO Jens Stoltenberg. Ia mengatakan NATO waspada.'


def gold_line(**over) -> str:
    q = {"kind": "direct", "start": 0, "end": 35, "text": TEXT[:35], "speaker": "Jens Stoltenberg",
         "cue": {"start": 36, "end": 40, "text": "kata"}}
    obj = {"id": "a1", "meta": {"outlet": "ANTARA"}, "text": TEXT, "quotes": [q]}
    obj.update(over)
    return json.dumps(obj, ensure_ascii=False)


def test_read_and_check_offsets(tmp_path):
    p = tmp_path / "g.jsonl"
    p.write_text(gold_line() + "\n\n", encoding="utf-8")
    [art] = read_gold(p)
    assert art.outlet == "ANTARA" and art.quotes[0].cue == (36, 40) and art.quotes[0].speaker == "Jens Stoltenberg"
    bad = json.loads(gold_line())
    bad["quotes"][0]["text"] = "oops"
    p.write_text(json.dumps(bad) + "\n", encoding="utf-8")
    with pytest.raises(GoldError, match=r"g.jsonl:1 \(a1\) quote 0: quotation text 'oops' differs"):
        read_gold(p)
    p.write_text(gold_line() + "\n" + gold_line() + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="g.jsonl:2: article 'a1' repeats the id of line 1"):
        read_gold(p)
    p.write_text(gold_line(quotes=[{"kind": "said", "start": 0, "end": 3}]) + "\n", encoding="utf-8")
    with pytest.raises(GoldError, match="kind must be one of"):
        read_gold(p)


def test_match_needs_half_of_the_longer_span_and_the_same_person(tmp_path):
    p = tmp_path / "g.jsonl"
    p.write_text(gold_line() + "\n", encoding="utf-8")
    arts = read_gold(p)
    exact = {"a1": [Quote("direct", 0, 35, "Stoltenberg")]}
    s = score_quotes(arts, exact)["direct"]["all"]
    assert (s["quote_f1"], s["attribution_accuracy"], s["e2e_f1"]) == (100.0, 100.0, 100.0)
    too_long = {"a1": [Quote("direct", 0, 80, "Jens Stoltenberg")]}  # covers the gold but is over twice as long
    assert score_quotes(arts, too_long)["direct"]["all"]["quote_f1"] == 0.0
    wrong = {"a1": [Quote("direct", 1, 34, "Sekjen NATO")]}
    s = score_quotes(arts, wrong)["direct"]["all"]
    assert (s["quote_f1"], s["attribution_accuracy"], s["e2e_f1"]) == (100.0, 0.0, 0.0)
    assert score_quotes(arts, {})["direct"]["outlets"]["ANTARA"]["quote_recall"] == 0.0


def test_the_shipped_dev_set_is_valid():
    files = sorted((ROOT / "data" / "dev-articles").glob("*.jsonl"))
    arts = read_gold_files(files)
    outlets = {a.outlet for a in arts}
    assert len(arts) >= 40 and len(outlets) >= 6 and "Kompas" not in outlets
    assert all(a.meta.get("repo") and len(a.meta.get("commit", "")) == 40 for a in arts)
    kinds = [q.kind for a in arts for q in a.quotes]
    assert kinds.count("direct") >= 100 and kinds.count("indirect") >= 150
    assert sum(1 for a in arts if not a.quotes) >= 2  # articles with no quotation at all


def test_a_third_is_held_out_by_id():
    from indoquote.data.gold import select_part

    files = sorted((ROOT / "data" / "dev-articles").glob("*.jsonl"))
    arts = read_gold_files(files)
    held, tune = select_part(arts, "heldout"), select_part(arts, "tune")
    assert len(held) + len(tune) == len(arts) and 0.2 < len(held) / len(arts) < 0.45
    assert sum(q.kind == "indirect" for a in held for q in a.quotes) >= 40
    with pytest.raises(ValueError, match="data.part must be one of"):
        select_part(arts, "dev")


def test_predictions_shorter_than_the_gold_minimum_are_not_scored(tmp_path):
    """The gold annotates quotations of at least 4 words: a 1-3 word prediction is neither right nor wrong."""
    p = tmp_path / "g.jsonl"
    p.write_text(gold_line() + "\n", encoding="utf-8")
    arts = read_gold(p)
    short = Quote("direct", 44, 52)  # two words of the article
    assert n_words(arts[0].text[44:52]) < MIN_WORDS
    s = score_quotes(arts, {"a1": [Quote("direct", 0, 35, "Jens Stoltenberg"), short]})["direct"]["all"]
    assert s["quote_precision"] == 100.0 and s["short_unscored"] == 1 and s["predicted"] == 1
    longer = Quote("direct", 41, len(arts[0].text))
    assert n_words(arts[0].text[41:]) >= MIN_WORDS
    s = score_quotes(arts, {"a1": [Quote("direct", 0, 35, "Jens Stoltenberg"), longer]})["direct"]["all"]
    assert s["quote_precision"] == 50.0 and s["short_unscored"] == 0


def test_attribution_errors_list_only_wrong_speakers_with_their_context():
    from indoquote.data.gold import GoldArticle
    from indoquote.scoring.quotes import attribution_errors

    text = "“Harga naik hari ini juga,” kata Budi. “Kami menolak rencana itu sama sekali,” ujar Ani."
    kata, ujar = text.index("kata"), text.index("ujar")
    gold = GoldArticle("a", text, "X", [Quote("direct", 0, 27, "Budi", cue=(kata, kata + 4)),
                                        Quote("direct", 39, 79, "Ani", cue=(ujar, ujar + 4))])
    pred = {"a": [Quote("direct", 0, 27, "Budi Santoso", confidence=0.9),
                  Quote("direct", 39, 79, "Budi", confidence=0.97)]}
    [err] = attribution_errors([gold], pred)
    assert (err["gold"], err["predicted"], err["confidence"], err["cue"]) == ("Ani", "Budi", 0.97, "ujar")
    assert err["article"] == "a" and err["outlet"] == "X" and "menolak" in err["quote"] and "Harga" in err["context"]
    assert attribution_errors([gold], {"a": []}) == []  # a missed quotation is not an attribution error
