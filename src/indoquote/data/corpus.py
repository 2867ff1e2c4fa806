"""PFSA-ID reader: CoNLL sentences -> deduplicated documents -> document-level splits.

The corpus is a stream of sentences with no document marker. A document starts
at its lead (the sentence where an ISSUE span begins), together with a dateline
sentence just before it. Quotations run across sentences, so everything
downstream works on whole documents, and splits are made by document, never by
sentence, so no article leaks between train and test.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence, TextIO

from ..errors import CorpusError, TagError
from ..text.document import Document
from ..text.labels import PFSA_LABELS, Repair, bilou_to_iob2, iob2_to_bilou

log = logging.getLogger(__name__)

UPSTREAM_REPO = "https://raw.githubusercontent.com/sigit-purnomo/pfsa-id-dl"
UPSTREAM_COMMIT = "63ec04929744d3efaf2613fde49196afa8f082f5"
_DATELINE = re.compile(r"^[A-Z][A-Z .,'’()-]*(,\s*KOMPAS(\.com|\.id)?)?\s*[—–-]?$")


@dataclass
class Sentence:
    tokens: list[str]
    tags: list[str]  # as read (BILOU); converted to IOB2 per document
    line: int  # 1-based line of the first token


@dataclass
class ReadStats:
    """What reading cost: repairs made to broken BILOU sequences, duplicates dropped."""

    files: int = 0
    sentences: int = 0
    repairs: list[tuple[str, int, str]] = field(default_factory=list)  # (file, line, problem)
    duplicates: int = 0
    conflicting_duplicates: int = 0  # same lead, different text (near duplicates)


def read_conll(path: str | Path, stats: ReadStats | None = None) -> list[Sentence]:
    """Read ``TOKEN<TAB>TAG`` lines into sentences, tags as read.

    Malformed lines, unknown labels and undecodable bytes raise :class:`CorpusError`
    naming ``file:line``. Tag sequences are checked per document (quotations cross
    sentence breaks) by :func:`segment_documents`.
    """
    path = Path(path)
    stats = stats if stats is not None else ReadStats()
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise CorpusError(f"{path}: file not found") from None
    except UnicodeDecodeError as e:
        line = path.read_bytes()[: e.start].count(b"\n") + 1
        raise CorpusError(f"{path}:{line}: not UTF-8 (byte {e.start}: {e.reason})") from None
    sentences: list[Sentence] = []
    tokens: list[str] = []
    tags: list[str] = []
    first_line = 0
    for n, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip("\r")
        if not line.strip():
            if tokens:
                sentences.append(Sentence(tokens, tags, first_line))
                tokens, tags = [], []
            continue
        parts = line.split("\t")
        if len(parts) != 2 or not parts[0] or not parts[1]:
            raise CorpusError(f"{path}:{n}: expected 'TOKEN<TAB>TAG', got {line!r}")
        try:
            _check_tag(parts[1])
        except TagError as e:
            raise CorpusError(f"{path}:{n}: {e}") from None
        if not tokens:
            first_line = n
        tokens.append(parts[0])
        tags.append(parts[1])
    if tokens:
        sentences.append(Sentence(tokens, tags, first_line))
    if not sentences:
        raise CorpusError(f"{path}: empty corpus file (no token lines)")
    stats.files += 1
    stats.sentences += len(sentences)
    return sentences


def _check_tag(tag: str) -> None:
    bilou_to_iob2([tag], PFSA_LABELS)


def _is_lead(sentence: Sentence) -> bool:
    return any(t in ("B-ISSUE", "U-ISSUE") for t in sentence.tags)


def _is_dateline(sentence: Sentence) -> bool:
    return len(sentence.tokens) <= 8 and all(t == "O" for t in sentence.tags) and bool(
        _DATELINE.match(" ".join(sentence.tokens))
    )


def segment_documents(
    sentences: Sequence[Sentence], source: str, stats: ReadStats | None = None
) -> list[Document]:
    """Group a sentence stream into documents, each starting at its lead (plus dateline).

    BILOU is converted to IOB2 over the whole document; repairs are recorded in
    ``stats`` as ``(source, line, problem)``.
    """
    groups: list[list[Sentence]] = []
    for sent in sentences:
        if _is_lead(sent) and groups and groups[-1]:
            prev = groups[-1]
            carry = [prev.pop()] if len(prev) > 1 and _is_dateline(prev[-1]) else []
            groups.append(carry + [sent])
        elif not groups:
            groups.append([sent])
        else:
            groups[-1].append(sent)
    docs = []
    for group in groups:
        toks: list[str] = []
        raw: list[str] = []
        lines: list[int] = []
        starts: list[int] = []
        for s in group:
            starts.append(len(toks))
            toks.extend(s.tokens)
            raw.extend(s.tags)
            lines.extend(range(s.line, s.line + len(s.tokens)))
        iob2, repairs = bilou_to_iob2(raw, PFSA_LABELS)
        if stats is not None:
            for r in repairs:
                stats.repairs.append((source, lines[min(r.index, len(lines) - 1)], r.problem))
        docs.append(Document(f"{source}:{group[0].line}", toks, iob2, starts))
    return docs


def read_documents(paths: Iterable[str | Path], stats: ReadStats | None = None) -> list[Document]:
    """Documents from several CoNLL files, each article kept once (same lead), first seen wins."""
    stats = stats if stats is not None else ReadStats()
    seen: dict[str, Document] = {}
    for path in paths:
        for doc in segment_documents(read_conll(path, stats), Path(path).name, stats):
            key = doc.dedup_key()
            if key in seen:
                stats.duplicates += 1
                if seen[key].content_key() != doc.content_key():
                    stats.conflicting_duplicates += 1
                continue
            seen[key] = doc
    return list(seen.values())


def split_documents(
    docs: Sequence[Document], ratios: dict[str, float], seed: int
) -> dict[str, list[Document]]:
    """Deterministic seeded document-level split; order by a hash of seed and content."""
    total = sum(ratios.values())
    if total <= 0 or any(r < 0 for r in ratios.values()):
        raise ValueError(f"split ratios must be non-negative and sum > 0, got {ratios}")
    ordered = sorted(docs, key=lambda d: hashlib.sha1(f"{seed}:{d.content_key()}".encode()).hexdigest())
    out: dict[str, list[Document]] = {}
    start = 0
    names = list(ratios)
    for i, name in enumerate(names):
        end = len(ordered) if i == len(names) - 1 else start + round(len(ordered) * ratios[name] / total)
        out[name] = ordered[start:end]
        start = end
    return out


def write_conll(docs: Iterable[Document], out: TextIO, bilou: bool = True) -> None:
    """Write documents back as CoNLL (BILOU by default, as PFSA-ID ships)."""
    for doc in docs:
        tags = iob2_to_bilou(doc.tags) if bilou else doc.tags  # spans cross sentence breaks
        breaks = set(doc.sentence_starts[1:])
        for i, (tok, tag) in enumerate(zip(doc.tokens, tags)):
            if i in breaks:
                out.write("\n")
            out.write(f"{tok}\t{tag}\n")
        out.write("\n")


def label_counts(docs: Iterable[Document]) -> Counter[str]:
    from ..text.labels import iob2_spans

    return Counter(sp.label for d in docs for sp in iob2_spans(d.tags))


def download(files: Iterable[str], cache_dir: str | Path, commit: str = UPSTREAM_COMMIT) -> list[Path]:
    """Fetch upstream corpus files (paths inside the upstream repo) into ``cache_dir`` once."""
    cache = Path(cache_dir).expanduser()
    out = []
    for rel in files:
        target = cache / commit[:12] / rel
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            url = f"{UPSTREAM_REPO}/{commit}/{rel}"
            log.info("downloading %s", url)
            try:
                with urllib.request.urlopen(url, timeout=60) as r:  # noqa: S310 - fixed https URL
                    data = r.read()
            except OSError as e:
                raise CorpusError(
                    f"cannot download {url} ({e}); set data.dir to a local copy of the PFSA-ID files"
                ) from None
            tmp = target.with_suffix(".part")
            tmp.write_bytes(data)
            tmp.replace(target)
        out.append(target)
    return out


__all__ = [
    "CorpusError",
    "Document",
    "ReadStats",
    "Repair",
    "Sentence",
    "download",
    "label_counts",
    "read_conll",
    "read_documents",
    "read_predictions",
    "segment_documents",
    "split_documents",
    "write_conll",
    "write_predictions",
]


# ------------------------------------------------ predictions (CoNLL)


def write_predictions(
    path: Path, docs: Sequence[Document], gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]]
) -> None:
    """``# doc_id`` then ``TOKEN<TAB>GOLD<TAB>PRED`` lines, a blank line after each sentence."""
    with open(path, "w", encoding="utf-8") as f:
        for doc, g, p in zip(docs, gold, pred, strict=True):
            f.write(f"# {doc.doc_id}\n")
            bounds = list(doc.sentence_starts) + [len(doc.tokens)]
            for a, b in zip(bounds, bounds[1:]):
                if a < b:
                    f.writelines(f"{doc.tokens[i]}\t{g[i]}\t{p[i]}\n" for i in range(a, b))
                    f.write("\n")


def read_predictions(path: str | os.PathLike) -> list[Document]:
    """Read :func:`write_predictions`' file back (for the error-analysis notebook)."""
    docs: list[Document] = []
    new_sentence = True
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith("# "):
            docs.append(Document(line[2:], [], [], [], []))
            new_sentence = True
        elif not line.strip():
            new_sentence = True
        else:
            parts = line.split("\t")
            if len(parts) != 3 or not docs:
                raise ValueError(f"{path}:{n}: expected 'TOKEN<TAB>GOLD<TAB>PRED' after a '# doc_id' line")
            d = docs[-1]
            if new_sentence:
                d.sentence_starts.append(len(d.tokens))
                new_sentence = False
            d.tokens.append(parts[0])
            d.tags.append(parts[1])
            d.pred.append(parts[2])  # type: ignore[union-attr]
    return docs
