"""``indoquote predict``: every input kind, JSONL and HTML output, clean errors."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from indoquote.cli.predict import predict_cli

SEED = Path(__file__).resolve().parents[2] / "data" / "seeds" / "antara-nato-russia-2021.txt"
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
    from indoquote.pipeline.html import render_page
    from indoquote.pipeline.tagger import TaggedArticle
    from indoquote.quotes.attribute import quote_records
    from indoquote.text.articles import spans_to_tags, tokenize

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


def test_non_utf8_file_is_named_and_skipped(tiny_checkpoint, tmp_path, capsys):
    bad = tmp_path / "latin1.txt"
    bad.write_bytes('Kata Menteri: "Sudah cukup," ujarnya. Caf\xe9'.encode("latin-1"))
    code, out, err = run([str(bad), "--model", str(tiny_checkpoint)], capsys)
    assert code == 1 and out == "" and "Traceback" not in err
    assert f"skipped {bad}: not UTF-8" in err and "tagged 0 article(s), skipped 1 (see above)" in err
    code, out, err = run([str(bad), "--model", str(tiny_checkpoint), "--strict"], capsys)
    assert code == 2 and str(bad) in err and "UTF-8" in err and "--strict" in err and "Traceback" not in err


def test_errors_in_jsonl_name_the_line(tiny_checkpoint, tmp_path, capsys):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "ok", "text": "Halo."}\n{"id": "x"}\n', encoding="utf-8")
    dest = tmp_path / "o.jsonl"
    code, _, err = run([str(bad), "--model", str(tiny_checkpoint), "-o", str(dest), "--strict"], capsys)
    assert code == 2 and f"{bad}:2" in err
    assert not dest.exists() and not (tmp_path / "o.jsonl.part").exists()
    code, _, err = run([str(bad), "--model", str(tiny_checkpoint), "-o", str(dest)], capsys)
    assert code == 1 and f"skipped {bad}:2: expected an object" in err
    assert [d["id"] for d in lines_of(dest.read_text(encoding="utf-8"))] == ["ok"]
    assert "tagged 1 article(s), skipped 1 (see above)" in err


def test_missing_model_and_bad_paths(tiny_checkpoint, tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("INDOQUOTE_MODEL", raising=False)
    (tmp_path / "a.txt").write_text(SHORT, encoding="utf-8")
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
        [sys.executable, "-m", "indoquote", "predict", str(bad), "--model", str(tiny_checkpoint), "--strict"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2 and str(bad) in proc.stderr and "Traceback" not in proc.stderr


# ------------------------------------------------------------ reliability: bad inputs, output safety


def jsonl(*objs) -> str:
    return "".join((o if isinstance(o, str) else json.dumps(o)) + "\n" for o in objs)


@pytest.fixture
def mixed(tmp_path) -> Path:
    """A folder of good articles with bad inputs among them: binary file, bad JSONL line, empty article."""
    docs = tmp_path / "mixed"
    docs.mkdir()
    (docs / "a.txt").write_text(SHORT, encoding="utf-8")
    (docs / "b.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\xff binary")
    (docs / "c.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    lines = jsonl({"id": "d1", "text": SHORT}, "{oops", {"id": "d3", "text": SHORT})
    (docs / "d.jsonl").write_text(lines, encoding="utf-8")
    (docs / "e.txt").write_text("  \n", encoding="utf-8")
    return docs


def test_bad_inputs_in_a_batch_are_reported_and_skipped(tiny_checkpoint, mixed, tmp_path, capsys):
    dest = tmp_path / "out.jsonl"
    code, out, err = run([str(mixed), "--model", str(tiny_checkpoint), "-o", str(dest)], capsys)
    assert code == 1 and out == "" and "Traceback" not in err
    assert [d["id"] for d in lines_of(dest.read_text(encoding="utf-8"))] == ["a", "c", "d1", "d3"]
    assert f"skipped {mixed / 'b.txt'}: not UTF-8 (byte 0: b'\\x89')" in err
    assert f"skipped {mixed / 'd.jsonl'}:2: bad JSON" in err
    assert f"skipped {mixed / 'e.txt'}: article 'e': empty article" in err
    assert err.rstrip().splitlines()[-1] == f"tagged 4 article(s), skipped 3 (see above) -> {dest}"
    assert not Path(str(dest) + ".part").exists()


def test_strict_stops_at_the_first_bad_input(tiny_checkpoint, mixed, tmp_path, capsys):
    dest = tmp_path / "out.jsonl"
    code, _, err = run([str(mixed), "--model", str(tiny_checkpoint), "-o", str(dest), "--strict"], capsys)
    assert code == 2 and str(mixed / "b.txt") in err and "tagged" not in err
    assert not dest.exists() and not Path(str(dest) + ".part").exists()


def test_over_long_article_is_skipped_before_tagging(tiny_checkpoint, tmp_path, capsys):
    from indoquote.text.articles import MAX_ARTICLE_CHARS

    (tmp_path / "huge.txt").write_text("kata " * (MAX_ARTICLE_CHARS // 5 + 1), encoding="utf-8")
    (tmp_path / "ok.txt").write_text(SHORT, encoding="utf-8")
    code, out, err = run([str(tmp_path), "--model", str(tiny_checkpoint)], capsys)
    assert code == 1 and [d["id"] for d in lines_of(out)] == ["ok"]
    assert f"skipped {tmp_path / 'huge.txt'}: article 'huge':" in err and "MAX_ARTICLE_CHARS" in err


def test_output_onto_an_input_is_refused(tiny_checkpoint, inputs, capsys):
    article = inputs / "docs" / "two.txt"
    before = article.read_text(encoding="utf-8")
    cases = [
        [str(article), "-o", str(article)],  # the file itself
        [str(article), "-o", str(inputs / "docs" / ".." / "docs" / "two.txt")],  # another spelling of it
        [str(inputs / "docs"), "-o", str(article)],  # a file inside an input directory
        [str(inputs / "batch.jsonl"), str(inputs / "docs"), "-o", str(inputs / "batch.jsonl")],
    ]
    link = inputs / "link.txt"
    link.symlink_to(article)
    cases.append([str(article), "-o", str(link)])  # a symbolic link to it
    for argv in cases:
        code, out, err = run([*argv, "--model", str(tiny_checkpoint)], capsys)
        assert code == 2 and "is the input" in err and "write somewhere else" in err, argv
    assert article.read_text(encoding="utf-8") == before and link.is_symlink()
    assert not list(inputs.rglob("*.part"))


def _interrupt_second_article(monkeypatch, action) -> None:
    """Run ``action`` when the tagger is asked for its second article (the first is written by then)."""
    from indoquote.pipeline.tagger import QuoteTagger

    real = QuoteTagger.iter_tag

    def iter_tag(self, items, progress=False):
        for n, art in enumerate(real(self, items, progress)):
            if n == 1:
                action()
            yield art

    monkeypatch.setattr(QuoteTagger, "iter_tag", iter_tag)


def test_sigterm_while_writing_removes_the_part_file(tiny_checkpoint, inputs, capsys, monkeypatch):
    import os
    import signal

    before = signal.getsignal(signal.SIGTERM)

    def terminate():
        # the command must have its own handler now: the default one would end this test process
        assert signal.getsignal(signal.SIGTERM) not in (before, signal.SIG_DFL, signal.SIG_IGN), "no SIGTERM handler"
        assert (inputs / "out.jsonl.part").exists()
        os.kill(os.getpid(), signal.SIGTERM)

    _interrupt_second_article(monkeypatch, terminate)
    dest = inputs / "out.jsonl"
    code, _, err = run([str(inputs / "docs"), "--model", str(tiny_checkpoint), "-o", str(dest)], capsys)
    assert code == 143 and "terminated" in err
    assert not dest.exists() and not (inputs / "out.jsonl.part").exists()
    assert signal.getsignal(signal.SIGTERM) == before  # the handler is put back


def test_keyboard_interrupt_while_writing_removes_the_part_file(tiny_checkpoint, inputs, capsys, monkeypatch):
    def interrupt():
        raise KeyboardInterrupt

    _interrupt_second_article(monkeypatch, interrupt)
    dest = inputs / "out.jsonl"
    try:
        code, _, err = run([str(inputs / "docs"), "--model", str(tiny_checkpoint), "-o", str(dest)], capsys)
    except KeyboardInterrupt:  # escaping would stop the whole test session
        pytest.fail(f"KeyboardInterrupt escaped predict_cli; .part left: {(inputs / 'out.jsonl.part').exists()}")
    assert code == 130 and "interrupted" in err
    assert not dest.exists() and not (inputs / "out.jsonl.part").exists()


def test_upper_case_jsonl_is_read_as_jsonl(tiny_checkpoint, inputs, capsys):
    upper = inputs / "BATCH.JSONL"
    upper.write_bytes((inputs / "batch.jsonl").read_bytes())
    code, out, _ = run([str(upper), "--model", str(tiny_checkpoint)], capsys)
    assert code == 0 and [d["id"] for d in lines_of(out)] == ["j1", "j2"]
    (inputs / "docs" / "more.Jsonl").write_text(jsonl({"id": "m", "text": SHORT}), encoding="utf-8")
    (inputs / "docs" / "THREE.TXT").write_text(SHORT, encoding="utf-8")
    code, out, _ = run([str(inputs / "docs"), "--model", str(tiny_checkpoint)], capsys)
    assert code == 0 and [d["id"] for d in lines_of(out)] == ["THREE", "m", "one", "two"]  # sorted file names


def test_duplicate_ids_are_suffixed_with_a_warning(tiny_checkpoint, inputs, capsys):
    other = inputs / "other"
    other.mkdir()
    (other / "two.txt").write_text(SHORT, encoding="utf-8")
    (inputs / "dups.jsonl").write_text(jsonl(*({"id": "j1", "text": SHORT} for _ in range(2))), encoding="utf-8")
    argv = [str(inputs / "docs"), str(other), str(inputs / "batch.jsonl"), str(inputs / "dups.jsonl")]
    code, out, err = run([*argv, "--model", str(tiny_checkpoint)], capsys)
    assert code == 0
    assert [d["id"] for d in lines_of(out)] == ["one", "two", "two#2", "j1", "j2", "j1#2", "j1#3"]
    warnings = [line for line in err.splitlines() if "warning" in line]
    assert len(warnings) == 3 and str(other / "two.txt") in warnings[0] and "'two#2'" in warnings[0]


def test_archive_option_defaults_match_the_archive():
    """``predict`` declares the archive options without importing the archive: the values must agree."""
    from indoquote.archive import DEFAULT_SHARD_ROWS, OUTPUT_FORMATS
    from indoquote.cli import predict

    assert predict.SHARD_FORMATS == OUTPUT_FORMATS and predict.SHARD_ROWS == DEFAULT_SHARD_ROWS
