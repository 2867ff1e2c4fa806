"""``indoquote annotate import``: what a person can get wrong in the tool is reported with the task, nothing written."""

import copy
import json

import pytest

from indoquote.annotate.ingest import ExportError, import_tasks, read_export, training_spans
from indoquote.annotate.tasks import gold_task

TEXT = ('JAKARTA - Menteri Keuangan Sri Mulyani mengatakan ekonomi tumbuh lima persen. '
        '"Kami siap menghadapi tahun depan," kata Sri Mulyani. "Belanja akan dijaga hati-hati," katanya.')


def span(s: str, nth: int = 0) -> dict:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(s, start + 1)
    return {"start": start, "end": start + len(s), "text": s}


def article() -> dict:
    q1, q2 = span('"Kami siap menghadapi tahun depan,"'), span('"Belanja akan dijaga hati-hati,"')
    ind = span("ekonomi tumbuh lima persen")
    return {"id": "fixture-1", "meta": {"outlet": "test"}, "text": TEXT, "quotes": [
        {"kind": "indirect", **ind, "cue": span("mengatakan"), "speaker_mention": span("Sri Mulyani"),
         "speaker": "Sri Mulyani", "role": "Menteri Keuangan", "affiliation": None},
        {"kind": "direct", **q1, "cue": span("kata"), "speaker_mention": span("Sri Mulyani", 1),
         "speaker": "Sri Mulyani", "role": "Menteri Keuangan", "affiliation": None},
        {"kind": "direct", **q2, "cue": span("katanya"), "speaker_mention": None, "speaker": "Sri Mulyani",
         "role": "Menteri Keuangan", "affiliation": None, "note": "-nya chain"},
    ]}


def task(mutate=None, tid: int = 7) -> dict:
    t = gold_task(article())
    t["id"] = tid
    t["annotations"][0]["id"] = 70
    if mutate:
        mutate(t["annotations"][0]["result"])
    return json.loads(json.dumps(t))


def region(result, rid):
    return next(r for r in result if r.get("id") == rid and r["type"] == "labels")


def problems(mutate) -> list[str]:
    out = import_tasks([task(mutate)])
    assert out.gold == [] and out.documents == []  # a task with a problem is never written
    assert out.problems and all(p.startswith("task 7 (fixture-1) annotation 70: ") for p in out.problems)
    return out.problems


def test_the_fixture_itself_imports_cleanly_and_as_written():
    out = import_tasks([task()])
    assert out.problems == [] and out.gold == [article()]
    labels = {(s["label"], TEXT[s["start"]:s["end"]]) for s in out.documents[0]["spans"]}
    assert labels == {("PERSON", "Sri Mulyani"), ("STATEMENT", '"Kami siap menghadapi tahun depan,"'),
                      ("CUE", "kata"), ("PERSONCOREF", "Sri Mulyani"),
                      ("STATEMENT", '"Belanja akan dijaga hati-hati,"'),
                      ("CUECOREF", "katanya")}  # the indirect content and its cue carry no PFSA-ID label


def add_region(result, rid, label, s, nth=0):
    result.append({"id": rid, "from_name": "label", "to_name": "text", "type": "labels",
                   "value": {**span(s, nth), "labels": [label]}})


@pytest.mark.parametrize("mutate, says", [
    (lambda r: add_region(r, "x", "Cue", "menghadapi"), "overlapping spans: Quotation"),
    (lambda r: add_region(r, "x", "Quotation", '"Kami siap menghadapi tahun depan,"'), "labelled twice"),
    (lambda r: r.append({"from_id": "q1", "to_id": "gone", "type": "relation", "labels": ["speaker"]}),
     "a relation to nothing (no region gone)"),
    (lambda r: region(r, "q0").__setitem__("value", {**span("ekonomi tumbuh lima persen"), "labels": ["Quotation"]}),
     "without quotation marks"),
    (lambda r: region(r, "q0").__setitem__("value", {**span("ekonomi tumbuh lima persen. "), "labels": ["Indirect"]}),
     "blank space at its edge"),
    (lambda r: region(r, "c1").__setitem__("value", {**span("kat"), "labels": ["Cue"]}), "cuts a word"),
    (lambda r: region(r, "c1")["value"].__setitem__("labels", ["Cue", "Speaker"]), "needs exactly one of"),
    (lambda r: region(r, "c1")["value"].__setitem__("start", 3), "differs from the article's"),
    (lambda r: add_region(r, "x", "Speaker", "Sri Mulyani", 1) or r.remove(
        next(x for x in r if x.get("to_id") == "s1")), "tied to no quotation"),
    (lambda r: r.append({"from_id": "q1", "to_id": "c0", "type": "relation", "labels": ["cue"]}), "two cues"),
    (lambda r: r.append({"from_id": "c0", "to_id": "s0", "type": "relation", "labels": ["cue"]}),
     "a relation ties a quotation to its Cue"),
    (lambda r: r.append({"id": "c0", "from_name": "speaker", "to_name": "text", "type": "textarea",
                         "value": {"text": ["X"]}}), "write it on the quotation"),
    (lambda r: r.append({"id": "q9", "from_name": "note", "to_name": "text", "type": "textarea",
                         "value": {"text": ["X"]}}), "which is not there"),
])
def test_each_tool_error_is_reported_with_the_task(mutate, says):
    found = problems(mutate)
    assert any(says in p for p in found), found


def test_a_relation_drawn_backwards_or_without_a_label_still_ties_the_quotation():
    def redraw(result):
        for r in result:
            if r["type"] == "relation":
                r["from_id"], r["to_id"] = r["to_id"], r["from_id"]
                r.pop("labels")
    out = import_tasks([task(redraw)])
    assert out.problems == [] and out.gold == [article()]


def test_a_cleared_box_is_null_like_one_never_filled():
    def clear(result):
        for r in result:
            if r["type"] == "textarea" and r["id"] == "q0" and r["from_name"] == "role":
                r["value"]["text"] = ["  "]
    out = import_tasks([task(clear)])
    assert out.problems == [] and out.gold[0]["quotes"][0]["role"] is None


def test_unannotated_skipped_and_disputed_tasks():
    blank = task(tid=1)
    blank["annotations"] = []
    skipped = task(tid=2)
    skipped["annotations"][0]["was_cancelled"] = True
    two = task(tid=3)
    two["annotations"][0]["ground_truth"] = False
    other = copy.deepcopy(two["annotations"][0])
    other.update(id=71, updated_at="2026-12-07T01:00:00Z")
    two["annotations"][0]["updated_at"] = "2026-12-06T01:00:00Z"
    two["annotations"].append(other)
    two["data"]["id"] = "fixture-3"
    out = import_tasks([blank, skipped, two])
    assert out.gold == [] and len(out.not_annotated) == 1 and "task 1 (fixture-1)" in out.not_annotated[0]
    assert any("task 2" in p and "id 'fixture-1' is also task 1" in p for p in out.problems)
    assert any("task 3 (fixture-3): 2 annotations and 0 marked ground truth" in p for p in out.problems)
    latest = import_tasks([two], pick="latest")
    assert latest.problems == [] and len(latest.gold) == 1 and "annotation 71" in latest.notes[0]
    two["annotations"][1]["ground_truth"] = True
    assert import_tasks([two]).notes == [] and len(import_tasks([two]).gold) == 1


def test_training_spans_follow_pfsa_id():
    a = article()
    spans = training_spans(TEXT, a["quotes"], [])
    first, second = span("Sri Mulyani"), span("Sri Mulyani", 1)
    assert {"start": first["start"], "end": first["end"], "label": "PERSON"} in spans  # introduced, in indirect speech
    assert {"start": second["start"], "end": second["end"], "label": "PERSONCOREF"} in spans


def test_an_export_that_is_not_label_studio_json_is_one_clear_error(tmp_path):
    bad = tmp_path / "x.json"
    bad.write_text('{"a": 1}')
    with pytest.raises(ExportError, match="Label Studio's JSON export"):
        read_export(bad)
    bad.write_text("[{")
    with pytest.raises(ExportError, match="x.json:1: not JSON"):
        read_export(bad)


def test_cli_import_lists_problems_and_writes_nothing(tmp_path, indoquote_cli):
    export = tmp_path / "export.json"
    export.write_text(json.dumps([task(lambda r: add_region(r, "x", "Cue", "menghadapi"))]))
    r = indoquote_cli("annotate", "import", str(export), "-o", str(tmp_path / "out"), cwd=tmp_path)
    assert r.returncode == 1 and "task 7 (fixture-1)" in r.stderr and "nothing written" in r.stderr
    assert not (tmp_path / "out").exists()
    export.write_text(json.dumps([task()]))
    r = indoquote_cli("annotate", "import", str(export), "-o", str(tmp_path / "out"), cwd=tmp_path, check=True)
    gold = [json.loads(x) for x in (tmp_path / "out" / "gold.jsonl").read_text().splitlines()]
    assert gold == [article()] and (tmp_path / "out" / "train.jsonl").exists()
