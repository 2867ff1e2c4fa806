"""The whole round trip through a real Label Studio server (slow): tasks in, predictions accepted, export back."""

import json
import os
import subprocess
import time
from pathlib import Path

import pytest

from indoquote.annotate.ingest import import_tasks, read_export
from indoquote.annotate.label_config import label_config
from indoquote.annotate.tasks import gold_task, prediction_task, record_quote

from studio import label_studio, server_binary
from test_annotate_roundtrip import DEV, _breaks_guidelines

DRIVER = Path(__file__).with_name("ls_driver.py")


def lines(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


@pytest.mark.slow
def test_label_studio_round_trip(tiny_checkpoint, tmp_path, indoquote_cli):
    binary = server_binary()
    if binary is None:
        message = "label-studio not installed (.venv-ls/bin/label-studio or $INDOQUOTE_LABEL_STUDIO; see .ci/run)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    from indoquote.pipeline.tagger import QuoteTagger

    gold = lines(DEV[0])  # annotations: the dev set's gold as a person left it
    articles = lines(DEV[1])  # predictions: the model's, to be accepted unchanged
    tagger = QuoteTagger.from_pretrained(tiny_checkpoint, device="cpu", precision="fp32", kinds=("direct", "indirect"))
    tagged = tagger.tag_batch([a["text"] for a in articles], [a["id"] for a in articles])
    tasks = [gold_task(g) for g in gold] + [prediction_task(t.id, t.text, t.records, "tiny") for t in tagged]
    (tmp_path / "tasks.json").write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "label_config.xml").write_text(label_config(), encoding="utf-8")

    started = time.monotonic()
    with label_studio(binary, tmp_path / "ls-data") as ls:
        startup = time.monotonic() - started
        r = subprocess.run([str(ls.python), str(DRIVER), ls.url, ls.token, str(tmp_path / "label_config.xml"),
                            str(tmp_path / "tasks.json"), str(tmp_path / "export.json")],
                           capture_output=True, text=True, timeout=600)
        assert r.returncode == 0, f"{r.stderr[-3000:]}\nserver log:\n{ls.log.read_text()[-2000:]}"
    counts = json.loads(r.stdout.strip().splitlines()[-1])
    assert counts == {**counts, "tasks": len(tasks), "accepted": len(tagged), "exported": len(tasks)}
    print(f"label-studio up in {startup:.0f} s")

    export = read_export(tmp_path / "export.json")
    assert all(len(t["annotations"]) == 1 for t in export)
    result = import_tasks(export)
    flagged = {p.split("(")[1].split(")")[0] for p in result.problems}
    back = {g["id"]: g for g in result.gold}
    assert [back[g["id"]] for g in gold] == gold  # every field and offset of the gold, through Label Studio
    for t in tagged:
        if t.id in flagged:
            assert _breaks_guidelines(t.text, t.records), t.id
        else:
            want = sorted((record_quote(t.text, rec) for rec in t.records), key=lambda q: (q["start"], q["end"]))
            assert back[t.id]["quotes"] == want, t.id
    assert len(flagged) <= len(tagged) // 10

    # the command: gold and training data written, or (a guideline broken) the problems listed and nothing written
    r = indoquote_cli("annotate", "import", str(tmp_path / "export.json"), "-o", str(tmp_path / "out"), cwd=tmp_path)
    if flagged:
        assert r.returncode == 1 and not (tmp_path / "out").exists()
    else:
        assert r.returncode == 0, r.stderr
        assert lines(tmp_path / "out" / "gold.jsonl")[: len(gold)] == gold
        assert len(lines(tmp_path / "out" / "train.jsonl")) == len(tasks)
