"""Where ``indoquote predict`` reads articles from: text files, folders, JSONL files and standard input.

Every input becomes ``(id, text)`` pairs, read lazily, so a folder of thousands
of articles is never held at once. Suffixes are read in any case (``.JSONL`` is
JSONL); a directory gives its ``*.txt`` and ``*.jsonl`` files, sorted.

A bad input (bytes that are not UTF-8, a bad JSONL line, an unreadable file, an
empty or over-long article) becomes a :class:`Skipped` record naming the file
(and line) and the reason. With ``on_skip`` it is handed over and reading goes
on, so one bad file does not cost a batch its good articles; without, it is
raised as :class:`InputError` (fail fast). Ids are made unique: a repeated id
becomes ``id#2``, ``id#3``... with one warning each. Paths that do not exist and
directories without articles are bad arguments: :func:`input_files` raises
:class:`InputError` for them before anything is read.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Callable, Iterable, Iterator, Sequence, Union

from ..errors import InputError
from ..text.articles import MAX_ARTICLE_CHARS, article_problem, decode_utf8

SUFFIXES = (".txt", ".jsonl")
"""What a directory contributes (compared in lower case); a file named on its own is JSONL or raw text by suffix."""

STDIN_NAME = "<stdin>"


@dataclass(frozen=True)
class Skipped:
    """An input that was not read as an article: ``where`` is ``FILE`` or ``FILE:LINE``."""

    where: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


_Item = Union[tuple[str, str, str], Skipped]  # (id, text, where) or a skipped input


def _warn_stderr(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr)


def _decode(data: bytes) -> str:
    return decode_utf8(data).removeprefix("\ufeff")


def _jsonl_article(line: str, default_id: str) -> tuple[str, str]:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as e:
        raise ValueError(f"bad JSON: {e.msg} (column {e.colno})") from None
    if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
        raise ValueError('expected an object with a string "text" (and "id")')
    id = obj.get("id", default_id)
    if isinstance(id, bool) or not isinstance(id, (str, int)) or id == "":
        raise ValueError(f'"id" must be a non-empty string (or a number), got {id!r}')
    return str(id), obj["text"]


def _jsonl_lines(lines: Iterable[bytes], name: str, stem: str) -> Iterator[_Item]:
    n = 0
    try:
        for n, raw in enumerate(lines, 1):
            try:
                line = _decode(raw)
                if not line.strip():
                    continue
                id, text = _jsonl_article(line, f"{stem}-{n}")
            except ValueError as e:
                yield Skipped(f"{name}:{n}", str(e))
                continue
            yield id, text, f"{name}:{n}"
    except OSError as e:  # the rest of the file is lost, the lines read so far are not
        yield Skipped(f"{name}:{n + 1}", f"unreadable: {e.strerror or e}")


def _read_file(path: Path, max_chars: int) -> Iterator[_Item]:
    where = str(path)
    if path.suffix.lower() == ".jsonl":
        try:
            fh = open(path, "rb")
        except OSError as e:
            yield Skipped(where, f"unreadable: {e.strerror or e}")
            return
        with fh:
            yield from _jsonl_lines(fh, where, path.stem)
        return
    try:
        size = path.stat().st_size
        if path.is_file() and size > 4 * max_chars:  # no UTF-8 character is longer than 4 bytes: not read at all
            limit = f"over the article limit of {max_chars:,} characters (MAX_ARTICLE_CHARS)"
            yield Skipped(where, f"{size:,} bytes, {limit}")
            return
        data = path.read_bytes()
    except OSError as e:
        yield Skipped(where, f"unreadable: {e.strerror or e}")
        return
    try:
        yield path.stem, _decode(data), where
    except ValueError as e:
        yield Skipped(where, str(e))


def _looks_like_jsonl(first: bytes) -> bool:
    line = first.decode("utf-8", errors="replace").strip().removeprefix("\ufeff")
    if not line.startswith("{"):
        return False
    try:
        obj = json.loads(line)
    except json.JSONDecodeError:
        return False
    return isinstance(obj, dict) and "text" in obj


def _read_stdin(stream: IO[bytes]) -> Iterator[_Item]:
    """Standard input: JSONL when its first line is a JSON object with ``"text"``, else one article."""
    data = stream.read()
    lines = data.split(b"\n")
    if _looks_like_jsonl(next((line for line in lines if line.strip()), b"")):
        yield from _jsonl_lines(lines, STDIN_NAME, "stdin")
        return
    try:
        yield "stdin", _decode(data), STDIN_NAME
    except ValueError as e:
        yield Skipped(STDIN_NAME, str(e))


def input_files(names: Sequence[str]) -> list[Path | None]:
    """The files ``names`` stand for, in order; ``None`` is standard input (``-``, or no names at all).

    A directory gives its ``*.txt`` and ``*.jsonl`` files (any case), sorted.
    A path that does not exist, or a directory without such files, raises :class:`InputError`.
    """
    files: list[Path | None] = []
    for name in names or ["-"]:
        if name == "-":
            files.append(None)
            continue
        path = Path(name)
        if path.is_dir():
            found = sorted(f for f in path.iterdir() if f.suffix.lower() in SUFFIXES and f.is_file())
            if not found:
                raise InputError(f"{path}: no *.txt or *.jsonl files in this directory")
            files += found
        elif path.exists():
            files.append(path)
        else:
            raise InputError(f"{path}: no such file or directory")
    return files


class _UniqueIds:
    def __init__(self) -> None:
        self.seen: set[str] = set()
        self.next: dict[str, int] = {}

    def claim(self, id: str) -> str:
        new, n = id, self.next.get(id, 2)
        while new in self.seen:
            new, n = f"{id}#{n}", n + 1
        self.next[id] = n
        self.seen.add(new)
        return new


def iter_inputs(
    names: Sequence[str],
    stdin: IO[bytes] | None = None,
    *,
    on_skip: Callable[[Skipped], None] | None = None,
    on_warning: Callable[[str], None] | None = None,
    max_chars: int = MAX_ARTICLE_CHARS,
) -> Iterator[tuple[str, str]]:
    """``(id, text)`` of every article named: text files, directories, JSONL files, ``-`` (stdin).

    Each bad input goes to ``on_skip`` (and is left out), or, without one, is
    raised as :class:`InputError`. A repeated id is renamed ``id#2``... and
    reported to ``on_warning`` (default: a line on standard error).
    """
    warn = on_warning or _warn_stderr
    ids = _UniqueIds()
    for f in input_files(names):
        items = _read_stdin(stdin if stdin is not None else sys.stdin.buffer) if f is None else _read_file(f, max_chars)
        for item in items:
            if not isinstance(item, Skipped):
                id, text, where = item
                problem = article_problem(text, max_chars)
                if problem is not None:
                    item = Skipped(where, f"article {id!r}: {problem}")
            if isinstance(item, Skipped):
                if on_skip is None:
                    raise InputError(str(item))
                on_skip(item)
                continue
            unique = ids.claim(id)
            if unique != id:
                warn(f"{where}: id {id!r} was used before; this article is {unique!r}")
            yield unique, text


