"""Where ``indoquote predict`` reads articles from: text files, folders, JSONL files and standard input.

Every input becomes ``(id, text)`` pairs, read lazily, so a folder of thousands
of articles is never held at once. Bytes that are not UTF-8 are refused with
the file (and line) named.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import IO, Iterable, Iterator, Sequence


def _decode(data: bytes, where: str) -> str:
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as e:
        raise ValueError(
            f"{where}: not UTF-8 (byte {e.start}: {data[e.start : e.start + 1]!r}); convert it to UTF-8"
        ) from None


def _jsonl_article(line: str, where: str, default_id: str) -> tuple[str, str]:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as e:
        raise ValueError(f"{where}: bad JSON: {e.msg} (column {e.colno})") from None
    if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
        raise ValueError(f'{where}: expected an object with a string "text" (and "id")')
    return str(obj.get("id", default_id)), obj["text"]


def _iter_jsonl_lines(lines: Iterable[bytes], name: str, stem: str) -> Iterator[tuple[str, str]]:
    for n, raw in enumerate(lines, 1):
        where = f"{name}:{n}"
        line = _decode(raw, where)
        if line.strip():
            yield _jsonl_article(line, where, f"{stem}-{n}")


def _iter_stdin(stream: IO[bytes]) -> Iterator[tuple[str, str]]:
    """Standard input: JSONL when its first line is a JSON object with ``"text"``, else one article."""
    data = stream.read()
    text = _decode(data, "<stdin>")
    first = next((line for line in text.splitlines() if line.strip()), "")
    try:
        is_jsonl = first.lstrip().startswith("{") and "text" in json.loads(first)
    except json.JSONDecodeError:
        is_jsonl = False
    if is_jsonl:
        yield from _iter_jsonl_lines(data.split(b"\n"), "<stdin>", "stdin")
    else:
        yield "stdin", text


def iter_inputs(names: Sequence[str], stdin: IO[bytes] | None = None) -> Iterator[tuple[str, str]]:
    """``(id, text)`` of every article named: text files, directories (``*.txt``), JSONL files, ``-`` (stdin)."""
    for name in names or ["-"]:
        if name == "-":
            yield from _iter_stdin(stdin if stdin is not None else sys.stdin.buffer)
            continue
        path = Path(name)
        if path.is_dir():
            files = sorted(path.glob("*.txt"))
            if not files:
                raise ValueError(f"{path}: no *.txt files in this directory")
        else:
            files = [path]
        for f in files:
            if f.suffix == ".jsonl":
                with open(f, "rb") as fh:
                    yield from _iter_jsonl_lines(fh, str(f), f.stem)
            else:
                yield f.stem, _decode(f.read_bytes(), str(f))


