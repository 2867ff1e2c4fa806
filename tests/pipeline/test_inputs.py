"""iter_inputs(): bad inputs become Skipped records (or InputError), suffixes in any case, unique ids."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from indoquote.errors import InputError
from indoquote.pipeline.inputs import Skipped, input_files, iter_inputs
from indoquote.text.articles import MAX_ARTICLE_CHARS

GOOD = '"Kami siap," kata Jens Stoltenberg.'


def read(names, stdin: bytes | None = None) -> tuple[list[tuple[str, str]], list[Skipped], list[str]]:
    skipped: list[Skipped] = []
    warnings: list[str] = []
    stream = io.BytesIO(stdin) if stdin is not None else None
    got = list(iter_inputs([str(n) for n in names], stream, on_skip=skipped.append, on_warning=warnings.append))
    return got, skipped, warnings


def jsonl(*objs) -> str:
    return "".join((o if isinstance(o, str) else json.dumps(o)) + "\n" for o in objs)


def test_bad_files_and_lines_are_skipped_with_file_line_and_reason(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00 binary")
    (tmp_path / "c.jsonl").write_text(
        jsonl({"id": "c1", "text": GOOD}, "{not json", {"id": "c3"}, {"id": "c4", "text": GOOD}), encoding="utf-8"
    )
    (tmp_path / "d.txt").write_text(GOOD, encoding="utf-8")
    got, skipped, _ = read([tmp_path])
    assert [i for i, _ in got] == ["a", "c1", "c4", "d"]
    c = tmp_path / "c.jsonl"
    assert [s.where for s in skipped] == [str(tmp_path / "b.txt"), f"{c}:2", f"{c}:3"]
    assert "not UTF-8" in skipped[0].reason and "bad JSON" in skipped[1].reason and '"text"' in skipped[2].reason
    assert str(skipped[0]).startswith(f"{tmp_path / 'b.txt'}: not UTF-8")


def test_without_on_skip_the_first_bad_input_raises(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"\xff\xfe broken")
    it = iter_inputs([str(tmp_path)])
    assert next(it)[0] == "a"
    with pytest.raises(InputError, match=r"b\.txt: not UTF-8"):
        next(it)


def test_empty_and_over_long_articles_are_skipped(tmp_path):
    (tmp_path / "empty.txt").write_text(" \n\u200b\n", encoding="utf-8")
    (tmp_path / "huge.txt").write_text("a" * (MAX_ARTICLE_CHARS + 1), encoding="utf-8")
    (tmp_path / "lines.jsonl").write_text(
        jsonl({"id": "e", "text": ""}, {"id": "h", "text": "b" * (MAX_ARTICLE_CHARS + 1)}, {"id": "ok", "text": GOOD}),
        encoding="utf-8",
    )
    got, skipped, _ = read([tmp_path])
    assert [i for i, _ in got] == ["ok"]
    reasons = {Path(s.where).name: s.reason for s in skipped}
    assert "empty article" in reasons["empty.txt"] and "empty article" in reasons["lines.jsonl:1"]
    assert "MAX_ARTICLE_CHARS" in reasons["huge.txt"] and "MAX_ARTICLE_CHARS" in reasons["lines.jsonl:2"]


def test_huge_file_is_refused_without_reading_it(tmp_path, monkeypatch):
    big = tmp_path / "big.txt"
    with open(big, "wb") as f:
        f.truncate(4 * MAX_ARTICLE_CHARS + 1)
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("read a file that cannot be an article"))
    _, skipped, _ = read([big])
    assert len(skipped) == 1 and "bytes, over the article limit" in skipped[0].reason


def test_suffixes_in_any_case_and_directories_read_txt_and_jsonl(tmp_path):
    (tmp_path / "b.JSONL").write_text(jsonl({"id": "upper", "text": GOOD}), encoding="utf-8")
    (tmp_path / "c.Jsonl").write_text(jsonl({"id": "mixed", "text": GOOD}), encoding="utf-8")
    (tmp_path / "a.TXT").write_text(GOOD, encoding="utf-8")
    (tmp_path / "notes.md").write_text("no article", encoding="utf-8")
    (tmp_path / "sub.txt").mkdir()  # a directory named like an article is no article
    got, skipped, _ = read([tmp_path])
    assert [i for i, _ in got] == ["a", "upper", "mixed"] and skipped == []
    assert all(t == GOOD for _, t in got)  # JSONL files were parsed, not read as raw text
    got, _, _ = read([tmp_path / "b.JSONL"])
    assert got == [("upper", GOOD)]


def test_duplicate_ids_are_made_unique_with_one_warning_each(tmp_path):
    for folder in ("x", "y"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "j.jsonl").write_text(
        jsonl(*({"id": "j", "text": GOOD} for _ in range(3)), {"id": "a#2", "text": GOOD}), encoding="utf-8"
    )
    got, _, warnings = read([tmp_path / "x", tmp_path / "y", tmp_path / "j.jsonl"])
    assert [i for i, _ in got] == ["a", "a#2", "j", "j#2", "j#3", "a#2#2"]
    assert len(warnings) == 4 and str(tmp_path / "y" / "a.txt") in warnings[0] and "'a#2'" in warnings[0]
    assert f"{tmp_path / 'j.jsonl'}:2" in warnings[1]


def test_stdin_jsonl_with_a_bad_line_and_a_bom(tmp_path):
    data = ("\ufeff" + jsonl({"id": "a", "text": GOOD})).encode() + b'{"id": "b", "text": "\xff"}\n' + jsonl(
        {"id": "c", "text": GOOD}
    ).encode()
    got, skipped, _ = read(["-"], stdin=data)
    assert [i for i, _ in got] == ["a", "c"] and [s.where for s in skipped] == ["<stdin>:2"]
    got, skipped, _ = read(["-"], stdin=b"\xff\xfe not text")
    assert got == [] and skipped[0].where == "<stdin>" and "UTF-8" in skipped[0].reason


def test_missing_paths_and_empty_directories_are_bad_arguments(tmp_path):
    with pytest.raises(InputError, match="no such file or directory"):
        input_files([str(tmp_path / "missing.txt")])
    with pytest.raises(InputError, match=r"no \*\.txt or \*\.jsonl files"):
        input_files([str(tmp_path)])
    assert input_files([]) == [None] and input_files(["-"]) == [None]
