"""``indoquote annotate agreement``: span F1 and attribution agreement between two annotators, per label."""

import json

from indoquote.annotate.agreement import agreement, agreement_table

from test_annotate_ingest import task


def two_annotators() -> dict:
    t = task()
    a = t["annotations"][0]
    a.update(completed_by=1, ground_truth=False)
    b = json.loads(json.dumps(a))
    b.update(id=71, completed_by={"id": 2, "email": "b@example.org"})
    res = b["result"]
    # B: no cue for the -nya quotation, and gives the first direct quotation to someone else
    res[:] = [r for r in res if r.get("id") != "c2" and r.get("to_id") != "c2"]
    for r in res:
        if r["type"] == "textarea" and r["id"] == "q1" and r["from_name"] == "speaker":
            r["value"]["text"] = ["Joko Widodo"]
    t["annotations"].append(b)
    return t


def test_agreement_per_label_and_attribution():
    result = agreement([two_annotators(), task(tid=8)])  # the second task has one annotation: not compared
    assert (result.tasks, result.pairs, result.annotators) == (1, 1, ["1", "b@example.org"])
    assert result.spans["Quotation"] == {"a": 2, "b": 2, "agreed": 2}
    assert result.spans["Cue"] == {"a": 3, "b": 2, "agreed": 2}  # F1 = 2*2/5 = 80
    assert result.spans["Speaker"] == {"a": 2, "b": 2, "agreed": 2}
    assert result.attribution["direct"] == {"matched": 2, "same_speaker": 1}
    assert result.attribution["indirect"] == {"matched": 1, "same_speaker": 1}
    out = result.to_json()
    assert out["span_f1"]["Cue"]["f1"] == 80.0 and out["attribution"]["direct"]["agreement"] == 50.0
    table = agreement_table(result)
    assert "80.00" in table and "50.00" in table and "1 tasks annotated more than once" in table


def test_cli_agreement_writes_the_figures(tmp_path, indoquote_cli):
    export = tmp_path / "export.json"
    export.write_text(json.dumps([two_annotators()]))
    r = indoquote_cli("annotate", "agreement", str(export), "--json", str(tmp_path / "a.json"), cwd=tmp_path,
                      check=True)
    assert "span F1" in r.stdout
    assert json.loads((tmp_path / "a.json").read_text())["span_f1"]["Cue"]["f1"] == 80.0
