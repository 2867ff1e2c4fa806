"""``indoquote predict``: every input kind, JSONL and HTML output, clean errors."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from indoquote.cli import predict_cli

SEED = Path(__file__).resolve().parents[1] / "data" / "seeds" / "antara-nato-russia-2021.txt"
SHORT = '"Kami siap berdialog," kata Sekjen NATO Jens Stoltenberg di Brussels.'


@pytest.fixture
def inputs(tmp_path) -> Path:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "one.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "docs" / "two.txt").write_text(SHORT, encoding="utf-8")
    (tmp_path / "docs" / "skip.md").write_text("not an article", encoding="utf-8")
    lines = [json.dumps({"id": "j1", "text": SHORT}), "", json.dumps({"id": "j2", "text": "Tanpa kutipan."})]
    (tmp_path / "batch.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tmp_path


def run(argv: list[str], capsys, stdin: bytes | None = None, monkeypatch=None) -> tuple[int, str, str]:
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
    code = predict_cli(argv)
    out, err = capsys.readouterr()
    return code, out, err


def lines_of(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


def test_text_file(tiny_checkpoint, inputs, capsys):
    code, out, _ = run([str(inputs / "docs" / "two.txt"), "--model", str(tiny_checkpoint)], capsys)
    assert code == 0
    (line,) = lines_of(out)
    assert line["id"] == "two" and isinstance(line["quotes"], list)
    for q in line["quotes"]:
        assert set(q) >= {"quote", "start", "end", "speaker", "cue", "role", "affiliation", "spans"}


def test_directory_reads_its_txt_files(tiny_checkpoint, inputs, capsys):
    code, out, _ = run([str(inputs / "docs"), "--model", str(tiny_checkpoint)], capsys)
    assert code == 0 and [d["id"] for d in lines_of(out)] == ["one", "two"]


def test_jsonl_and_output_file(tiny_checkpoint, inputs, capsys):
    dest = inputs / "out.jsonl"
    code, out, err = run(
        [str(inputs / "batch.jsonl"), "--model", str(tiny_checkpoint), "--output", str(dest), "--batch-size", "4"],
        capsys,
    )
    assert code == 0 and out == "" and "2 article(s)" in err
    assert [d["id"] for d in lines_of(dest.read_text(encoding="utf-8"))] == ["j1", "j2"]


def test_stdin_text_and_jsonl(tiny_checkpoint, capsys, monkeypatch):
    code, out, _ = run(["--model", str(tiny_checkpoint)], capsys, SHORT.encode(), monkeypatch)
    assert code == 0 and [d["id"] for d in lines_of(out)] == ["stdin"]
    jsonl = (json.dumps({"id": "a", "text": SHORT}) + "\n" + json.dumps({"id": "b", "text": "Halo."}) + "\n").encode()
    code, out, _ = run(["-", "--model", str(tiny_checkpoint)], capsys, jsonl, monkeypatch)
    assert code == 0 and [d["id"] for d in lines_of(out)] == ["a", "b"]


def test_model_from_environment(tiny_checkpoint, inputs, capsys, monkeypatch):
    monkeypatch.setenv("INDOQUOTE_MODEL", str(tiny_checkpoint))
    code, out, _ = run([str(inputs / "docs" / "two.txt")], capsys)
    assert code == 0 and lines_of(out)[0]["id"] == "two"


def test_html_page_has_legend_and_escapes(tiny_checkpoint, tmp_path, capsys):
    src = tmp_path / "x<y>.txt"
    src.write_text('Kata Jens: "<script>alert(1)</script> & lainnya," katanya.', encoding="utf-8")
    code, out, _ = run([str(src), "--model", str(tiny_checkpoint), "--format", "html"], capsys)
    assert code == 0
    assert out.startswith("<!DOCTYPE html>") and 'class="legend"' in out and "STATEMENT" in out
    assert "<script" not in out and "&lt;" in out and "&amp;" in out and "alert(1)" in out
    assert "x&lt;y&gt;" in out  # the article id is escaped too


def test_html_renderer_on_fixed_tags():
    """Exact markup for hand-made tags: marks, numbered quotation, who-said-what entry, escaping."""
    from indoquote.articles import spans_to_tags, tokenize
    from indoquote.html import render_page
    from indoquote.records import quote_records
    from indoquote.tagger import TaggedArticle

    text = '"Harga <naik> & turun," kata Menteri Keuangan Sri Mulyani.'
    tokens = tokenize(text)
    spans = [(0, 23, "STATEMENT"), (24, 28, "CUE"), (29, 36, "ROLE"), (37, 45, "AFFILIATION"), (46, 57, "PERSON")]
    tags = spans_to_tags(tokens, [{"start": a, "end": b, "label": lab} for a, b, lab in spans], text)
    records = quote_records(text, tokens, tags)
    page = render_page([TaggedArticle("doc<1>", text, tokens, tags, records=records)])
    assert "<naik>" not in page and "&lt;naik&gt; &amp; turun" in page
    assert '<mark class="e PERSON speaker"' in page and "Sri Mulyani" in page
    assert 'href="#a1-doc-1-q1"' in page and 'id="a1-doc-1-q1"' in page  # text <-> list links
    assert "Menteri · Keuangan · cue: <i>kata</i>" in page
    assert "<blockquote>Harga &lt;naik&gt; &amp; turun</blockquote>" in page
    assert "doc&lt;1&gt;" in page and "<script" not in page


def test_non_utf8_file_is_named_with_exit_code_2(tiny_checkpoint, tmp_path, capsys):
    bad = tmp_path / "latin1.txt"
    bad.write_bytes('Kata Menteri: "Sudah cukup," ujarnya. Caf\xe9'.encode("latin-1"))
    code, out, err = run([str(bad), "--model", str(tiny_checkpoint)], capsys)
    assert code == 2 and str(bad) in err and "UTF-8" in err and "Traceback" not in err


def test_errors_in_jsonl_name_the_line(tiny_checkpoint, tmp_path, capsys):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "ok", "text": "Halo."}\n{"id": "x"}\n', encoding="utf-8")
    code, _, err = run([str(bad), "--model", str(tiny_checkpoint), "-o", str(tmp_path / "o.jsonl")], capsys)
    assert code == 2 and f"{bad}:2" in err
    assert not (tmp_path / "o.jsonl").exists() and not (tmp_path / "o.jsonl.part").exists()


def test_missing_model_and_bad_paths(tiny_checkpoint, tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("INDOQUOTE_MODEL", raising=False)
    code, _, err = run([str(tmp_path / "a.txt")], capsys)
    assert code == 2 and "--model" in err
    code, _, err = run([str(tmp_path / "a.txt"), "--model", str(tmp_path / "no-model")], capsys)
    assert code == 2 and "no such directory" in err
    code, _, err = run([str(tmp_path / "missing.txt"), "--model", str(tiny_checkpoint)], capsys)
    assert code == 2 and "missing.txt" in err
    assert run(["--format", "pdf"], capsys)[0] == 2


def test_console_script_end_to_end(tiny_checkpoint, tmp_path):
    """Through ``indoquote predict`` itself: the error path prints one line, no traceback."""
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe broken")
    proc = subprocess.run(
        [sys.executable, "-m", "indoquote", "predict", str(bad), "--model", str(tiny_checkpoint)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2 and str(bad) in proc.stderr and "Traceback" not in proc.stderr
