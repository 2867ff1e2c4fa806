"""Smoke test: bench/invariance.py runs every variant and says what each changed variant lost or gained."""

from __future__ import annotations

import json

from conftest import ROOT, load_bench


def test_invariance_counts_variants_and_lists_what_changed(tiny_checkpoint, tmp_path, capsys):
    bench = load_bench("invariance")
    lines = (ROOT / "data" / "dev-articles" / "part-a.jsonl").read_text(encoding="utf-8").splitlines()[:2]
    (tmp_path / "arts").mkdir()
    (tmp_path / "arts" / "two.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "inv.json"
    assert bench.main(["--model", str(tiny_checkpoint), "--articles", str(tmp_path / "arts"), "--out", str(out)]) == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["checked"]["windows 128"] == report["checked"]["straight marks"] == 2
    changed = sum(len(v) for v in report["changed"].values())
    assert len(report["details"]) == changed
    assert all(d["lost"] or d["gained"] for d in report["details"])  # a change is a quotation lost or gained
    assert f"invariance: {changed} of {sum(report['checked'].values())} article variants changed" in capsys.readouterr().out
