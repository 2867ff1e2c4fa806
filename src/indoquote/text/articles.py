"""Raw articles: tokenization, sentence starts, standoff (JSONL) and CoNLL I/O.

Models are trained on PFSA-ID, which ships pre-tokenized text, so raw input has
to be cut into tokens the way the corpus was, or the models see token shapes
they never saw in training. :func:`tokenize` writes that convention down.
Tokens keep character offsets, so annotations can live as standoff character
spans next to the untouched article text (see ``docs/annotation-format.md``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Iterable, Iterator, Sequence

from ..errors import TagError
from .document import Document
from .labels import PFSA_LABELS, Span, iob2_spans, iob2_to_bilou, spans_to_iob2
from .normalize import is_blank

MAX_ARTICLE_CHARS = 1_000_000
"""Longest article accepted; longer input is almost surely not one news article."""

QUOTE_MARKS = frozenset({'"', "“", "”"})
"""Double quotation marks; PFSA-ID (Kompas) uses ``”`` to open as well as to close."""

SENTENCE_END = frozenset({".", "?", "!"})
CLAUSE_MARKS = frozenset({",", ";", ":"})
"""Punctuation that closes a clause but not the sentence (trimmed off the end of reported content)."""

KEEP_HYPHENATED = frozenset({"PDI-P"})
"""Hyphenated words kept whole although they are no reduplication (corpus: 60 x ``PDI-P``)."""


@dataclass(frozen=True)
class Token:
    """One token; ``text == article_text[start:end]``."""

    text: str
    start: int
    end: int


@dataclass
class Article:
    """An article's text, its tokens and (when annotated) IOB2 tags over the tokens."""

    id: str
    text: str
    tokens: list[Token]
    tags: list[str] | None = None
    sentence_starts: list[int] = field(default_factory=list)

    @property
    def words(self) -> list[str]:
        return [t.text for t in self.tokens]


# ---------------------------------------------------------------- tokenize

_ALNUM = r"[^\W_]"
# Joiners kept inside a word: "600.000", "Kompas.id", "B.1.1.7" (a dot between
# letters/digits, except "kata.Dia" - a missing space after a sentence end);
# "9,2" (a comma between digits); "Ma’ruf" (an apostrophe between letters,
# except an English possessive "’s", which the corpus splits off).
_JOINER = r"(?:\.(?!(?<=[a-z]{2}\.)[A-Z][a-z])|(?<=\d),(?=\d)|[’'](?!s\b))"
_TOKEN_RE = re.compile(
    "|".join(
        [
            r"(?:https?://|www\.)[^\s\"“”‘’()<>]*[^\s\"“”‘’()<>.,;:!?]",  # URL
            r"\w[\w.+-]{0,63}@[\w-]+(?:\.[\w-]+)+",  # e-mail (local part bounded: no quadratic scans)
            r"[#@]\w+",  # hashtag, handle
            r"Rp(?=\d)",  # "Rp600" -> "Rp" "600" (corpus: always a separate "Rp")
            r"(?<![^\W_])(?:[A-Z]|No)\.(?=\s|$)",  # initial "P." and "No." keep their dot
            rf"{_ALNUM}+(?:{_JOINER}(?={_ALNUM}){_ALNUM}+)*",  # word or number
            r"[’']s\b",  # possessive
            r"\.{2,}",  # ellipsis
            r"\S",  # any other character is a token of its own
        ]
    )
)


def _common_suffix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


def is_reduplication(left: str, right: str) -> bool:
    """Do the halves of ``left-right`` share a stem (``negara-negara``, ``sehari-hari``,
    ``berbeda-beda``, ``kehati-hatian``, ``terus-menerus``)?"""
    a, b = left.lower(), right.lower()
    if not (a.isalpha() and b.isalpha()) or min(len(a), len(b)) < 2:
        return False
    return a in b or b in a or b[:3] in a or _common_suffix(a, b) >= 3


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into PFSA-ID-style tokens with character offsets.

    The rules, each checked against the corpus (dev-40 + med-dev-20):

    - Punctuation is split off: ``, . ( ) ? ! ; :``, the em dash ``—`` and the
      en dash ``–`` are tokens of their own; so is ``/`` (3,383 standalone ``/``:
      dates are ``19 / 4 / 2022``, ``kabupaten / kota``); URLs, e-mail addresses,
      hashtags and @handles stay whole.
    - Quotation marks ``" “ ” ‘ ’`` are tokens of their own, but an apostrophe
      between letters stays in the word (``Ma’ruf``: 19 x whole); ``’s`` is split off.
    - Numbers stay whole: ``600.000``, ``9,2``, ``19.00``; ``Rp600`` -> ``Rp 600``.
    - A hyphen is kept only inside a reduplication (``masing-masing``,
      ``negara-negara``, ``sehari-hari``: about 2,700 whole vs 500 split) and in
      ``PDI-P``; everything else is split: ``Covid - 19`` (3,073 x), ``ke - 13``,
      ``NATO - Rusia`` / ``Soekarno - Hatta``, ``e - dagang``, ``non - PNS``.
    - A single capital followed by a dot stays one token (``Teguh P. Nugroho``,
      the corpus does this even at a sentence end: ``Formula E.``), and ``No.``.
    """
    tokens = [Token(m.group(), m.start(), m.end()) for m in _TOKEN_RE.finditer(text)]
    return _join_hyphenated(tokens)


def _join_hyphenated(tokens: list[Token]) -> list[Token]:
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if (
            tok.text == "-"
            and out
            and i + 1 < len(tokens)
            and out[-1].end == tok.start
            and tokens[i + 1].start == tok.end
        ):
            left, right = out[-1], tokens[i + 1]
            joined = left.text + "-" + right.text
            last_part = left.text.rsplit("-", 1)[-1]
            if joined in KEEP_HYPHENATED or is_reduplication(last_part, right.text):
                out[-1] = Token(joined, left.start, right.end)
                i += 2
                continue
        out.append(tok)
        i += 1
    return out


# ------------------------------------------------------ sentences, paragraphs

_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n")
_GLUED_TO_END = SENTENCE_END | QUOTE_MARKS | {")", "’"}  # ``waspada."`` ends after the mark


def paragraph_starts(text: str, tokens: Sequence[Token]) -> list[int]:
    """Indices of tokens that begin a paragraph (first token, and after blank lines)."""
    breaks = [m.end() for m in _PARAGRAPH_BREAK.finditer(text)]
    starts: list[int] = [0] if tokens else []
    b = 0
    for i, tok in enumerate(tokens[1:], 1):
        moved = False
        while b < len(breaks) and breaks[b] <= tok.start:
            b += 1
            moved = True
        if moved and tokens[i - 1].end < breaks[b - 1]:
            starts.append(i)
    return starts


def _glued_closer(tokens: Sequence[Token], j: int) -> bool:
    """Is ``tokens[j]`` a mark glued to the sentence end before it and not to the word after it?"""
    glued_before = tokens[j].start == tokens[j - 1].end
    glued_after = j + 1 < len(tokens) and tokens[j + 1].start == tokens[j].end
    return tokens[j].text in _GLUED_TO_END and glued_before and not glued_after


def sentence_starts(text: str, tokens: Sequence[Token]) -> list[int]:
    """Indices of tokens that begin a sentence.

    A sentence ends at a ``.``/``?``/``!`` token (a quotation mark or bracket glued
    to it, as in ``waspada."``, still belongs to the ending sentence) and at a
    paragraph break.
    """
    starts = set(paragraph_starts(text, tokens))
    i = 0
    while i < len(tokens):
        if tokens[i].text in SENTENCE_END:
            j = i + 1
            while j < len(tokens) and _glued_closer(tokens, j):
                j += 1
            if j < len(tokens):
                starts.add(j)
            i = j
        else:
            i += 1
    return sorted(starts)


def sentences(article: Article) -> list[tuple[int, int]]:
    """``(start, end)`` token ranges of the article's sentences."""
    bounds = article.sentence_starts + [len(article.tokens)]
    return [(a, b) for a, b in zip(bounds, bounds[1:]) if a < b]


# ---------------------------------------------------------------- articles


def article_problem(text: str, max_chars: int = MAX_ARTICLE_CHARS) -> str | None:
    """Why ``text`` is no article to tag (empty, or over ``max_chars``), or ``None``: the one check, so every
    reader (files, JSONL, archives) refuses the same inputs with the same words before any model work."""
    if len(text) > max_chars:
        return f"{len(text):,} characters, over the limit of {max_chars:,} (MAX_ARTICLE_CHARS); split it"
    if is_blank(text):
        return "empty article"
    return None


def article_from_text(
    text: str, id: str, tags: list[str] | None = None, max_chars: int = MAX_ARTICLE_CHARS
) -> Article:
    """Tokenize ``text`` into an :class:`Article`; empty or over-long text raises ``ValueError``."""
    problem = article_problem(text, max_chars)
    if problem is not None:
        raise ValueError(f"article {id!r} is {problem}" if len(text) > max_chars else f"article {id!r}: {problem}")
    tokens = tokenize(text)
    if tags is not None and len(tags) != len(tokens):
        raise ValueError(f"article {id!r}: {len(tags)} tags for {len(tokens)} tokens")
    return Article(id, text, tokens, tags, sentence_starts(text, tokens))


def article_from_words(
    id: str, words: Sequence[str], tags: Sequence[str] | None = None, starts: Sequence[int] | None = None
) -> Article:
    """A pre-tokenized document (PFSA-ID has no raw text) as an article: its words joined by single spaces.

    This and :func:`article_to_document` are the one conversion between the
    corpus's :class:`~indoquote.text.document.Document` and an :class:`Article`.
    ``starts`` (sentence starts) are read from the text when not given.
    """
    tokens: list[Token] = []
    pos = 0
    for w in words:
        tokens.append(Token(w, pos, pos + len(w)))
        pos += len(w) + 1
    text = " ".join(words)
    found = list(starts) if starts is not None else sentence_starts(text, tokens)
    return Article(id, text, tokens, list(tags) if tags is not None else None, found)


def article_to_document(article: Article) -> Document:
    """An annotated article as a corpus document (tokens and IOB2 tags)."""
    if article.tags is None:
        raise ValueError(f"article {article.id!r} has no span annotation")
    return Document(article.id, list(article.words), list(article.tags), list(article.sentence_starts))


def decode_utf8(data: bytes, offset: int = 0) -> str:
    """``data`` as UTF-8; otherwise ``ValueError`` naming the first bad byte (``offset``: where ``data`` starts)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ValueError(
            f"not UTF-8 (byte {offset + e.start}: {data[e.start:e.start + 1]!r}); convert it to UTF-8"
        ) from None


def _decode(data: bytes, where: str, offset: int = 0) -> str:
    try:
        return decode_utf8(data, offset)
    except ValueError as e:
        raise ValueError(f"{where}: {e}") from None


def read_text(path: str | Path, max_chars: int = MAX_ARTICLE_CHARS) -> Article:
    """Read a plain-text article (UTF-8, a BOM is dropped); its id is the file stem."""
    path = Path(path)
    text = _decode(path.read_bytes(), str(path)).removeprefix("\ufeff")
    try:
        return article_from_text(text, path.stem, max_chars=max_chars)
    except ValueError as e:
        raise ValueError(f"{path}: {e}") from None


# ------------------------------------------------- standoff character spans


def spans_to_tags(
    tokens: Sequence[Token], char_spans: Iterable[dict], text: str | None = None
) -> list[str]:
    """IOB2 tags from character spans ``{"start", "end", "label"}`` (end exclusive).

    A span may begin or end in the whitespace around tokens but not inside one.
    Raises ``ValueError`` naming the span for: an unknown label, offsets outside
    the text (``text`` given) or the tokens, a span cutting a token, a span
    covering no token, overlapping spans.
    """
    limit = len(text) if text is not None else (tokens[-1].end if tokens else 0)
    spans: list[Span] = []
    for n, sp in enumerate(char_spans):
        try:
            start, end, label = sp["start"], sp["end"], sp["label"]
        except (KeyError, TypeError):
            raise ValueError(f"span {n}: needs start, end and label, got {sp!r}") from None
        what = f"span {n} ({label} {start}-{end})"
        if label not in PFSA_LABELS:
            raise ValueError(f"{what}: unknown label {label!r} (expected one of {', '.join(PFSA_LABELS)})")
        if not (isinstance(start, int) and isinstance(end, int)) or isinstance(start, bool) or isinstance(end, bool):
            raise ValueError(f"{what}: offsets must be integers")
        if not 0 <= start < end <= limit:
            raise ValueError(f"{what}: offsets outside the text (0-{limit}) or empty")
        for tok in tokens:
            if tok.start < start < tok.end or tok.start < end < tok.end:
                raise ValueError(f"{what}: cuts through token {tok.text!r} at {tok.start}-{tok.end}")
        covered = [i for i, tok in enumerate(tokens) if start <= tok.start and tok.end <= end]
        if not covered:
            raise ValueError(f"{what}: covers no token")
        spans.append(Span(label, covered[0], covered[-1] + 1))
    try:
        return spans_to_iob2(spans, len(tokens))
    except TagError as e:
        raise ValueError(f"overlapping spans: {e}") from None


def tags_to_char_spans(tokens: Sequence[Token], tags: Sequence[str]) -> list[dict]:
    """Character spans of IOB2 tags (inverse of :func:`spans_to_tags`)."""
    return [
        {"start": tokens[s.start].start, "end": tokens[s.end - 1].end, "label": s.label}
        for s in iob2_spans(tags)
    ]


# -------------------------------------------------------------------- JSONL


def read_jsonl(path: str | Path, max_chars: int = MAX_ARTICLE_CHARS) -> list[Article]:
    """Read articles from standoff JSONL, one ``{"id", "text", "spans"}`` object a line.

    Blank lines are skipped; a missing ``"spans"`` key means unannotated
    (``tags=None``); ids must be unique. Every error names ``file:line`` and,
    once it is known, the article id.
    """
    articles: list[Article] = []
    for where, obj in iter_json_articles(path):
        try:
            articles.append(_article_from_json(obj, max_chars))
        except ValueError as e:
            raise ValueError(f"{where}: {e}") from None
    return articles


def iter_json_articles(path: str | Path) -> Iterator[tuple[str, dict]]:
    """``(file:line, object)`` for each article line of a JSONL file: UTF-8, JSON, string ``id`` and ``text``,
    unique ids; every error names ``file:line``."""
    path = Path(path)
    first_line: dict[str, int] = {}
    offset = 0
    for lineno, raw in enumerate(path.read_bytes().split(b"\n"), 1):
        where = f"{path}:{lineno}"
        line = _decode(raw, where, offset)
        offset += len(raw) + 1
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            raise ValueError(f"{where}: bad JSON: {e.msg} (column {e.colno})") from None
        if not isinstance(obj, dict) or not isinstance(obj.get("id"), str) or not isinstance(obj.get("text"), str):
            raise ValueError(f'{where}: expected an object with string "id" and "text"')
        if obj["id"] in first_line:
            raise ValueError(f"{where}: article {obj['id']!r} repeats the id of line {first_line[obj['id']]}")
        first_line[obj["id"]] = lineno
        yield where, obj


def _article_from_json(obj: dict, max_chars: int) -> Article:
    article = article_from_text(obj["text"], obj["id"], max_chars=max_chars)
    if "spans" in obj:
        try:
            if not isinstance(obj["spans"], list):
                raise ValueError('"spans" must be a list')
            article.tags = spans_to_tags(article.tokens, obj["spans"], article.text)
        except ValueError as e:
            raise ValueError(f"article {article.id!r}: {e}") from None
    return article


def article_to_json(article: Article) -> dict:
    obj: dict = {"id": article.id, "text": article.text}
    if article.tags is not None:
        obj["spans"] = tags_to_char_spans(article.tokens, article.tags)
    return obj


def write_jsonl(articles: Iterable[Article], path: str | Path) -> None:
    """Write articles as standoff JSONL (UTF-8, one article a line), whole or not at all."""
    from ..atomic import atomic_open

    with atomic_open(path, "w") as f:
        for article in articles:
            f.write(json.dumps(article_to_json(article), ensure_ascii=False) + "\n")


# -------------------------------------------------------------------- CoNLL


def write_conll(article: Article, path_or_file: str | Path | IO[str]) -> None:
    """Write ``TOKEN<TAB>BILOU-TAG`` lines, a blank line after every sentence (PFSA-ID format).

    Unannotated articles get ``O`` tags. Spans may run across sentences, as in the corpus.
    """
    tags = iob2_to_bilou(article.tags) if article.tags is not None else ["O"] * len(article.tokens)
    lines: list[str] = []
    for start, end in sentences(article):
        lines += [f"{article.tokens[i].text}\t{tags[i]}\n" for i in range(start, end)]
        lines.append("\n")
    if isinstance(path_or_file, (str, Path)):
        from ..atomic import write_text

        write_text(path_or_file, "".join(lines))
    else:
        path_or_file.write("".join(lines))
