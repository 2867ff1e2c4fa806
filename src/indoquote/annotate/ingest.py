"""A Label Studio JSON export back into quote-level gold and token-level training data.

Every task is checked before anything is written, and every problem a person can make in the
tool is reported with the task (``id`` of the article and Label Studio's task number): a span
with two labels or none, offsets that do not match the text, blank space at a span's edge, a span
cutting a word, overlapping spans (only a cue, speaker, role or affiliation inside the indirect
speech it interrupts may overlap: ``Menurut X, ...`` / ``..., kata dia, ...``), a direct quotation
without quotation marks at its edges, a relation to a region that is not there or between the
wrong kinds of span, two cues or two speakers for one quotation, a cue or speaker mention tied to
no quotation, a text box on something that is not a quotation. A box left or cleared blank is ``null``.

Nothing is dropped or made up: with any problem nothing is written (the lead fixes the task in
Label Studio and exports again); a task nobody annotated, or whose annotations were all skipped,
is listed as not annotated, never written as an article without quotations. Several annotations
of one task need a decision: the one marked ground truth in Label Studio is taken, else the
import stops (``pick="latest"`` takes the latest instead, and says so).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Sequence

from ..atomic import atomic_open
from ..scoring.metrics import same_speaker
from ..text.articles import QUOTE_MARKS, article_from_text, spans_to_tags, tags_to_char_spans
from ..text.lexicon import PRONOUNS
from .label_config import (AFFILIATION, CUE, DIRECT, FROM_LABELS, INDIRECT, KIND_OF, LABELS, QUOTE_FIELDS, REL_CUE,
                           REL_SPEAKER, ROLE, SPEAKER)
from .tasks import GOLD_KEYS, span_dict

MARKS = "".join(QUOTE_MARKS) + "‘’'«»„‚"
"""Characters a direct quotation may start and end with."""
NESTED = frozenset({CUE, SPEAKER, ROLE, AFFILIATION})
"""Labels that may sit inside an Indirect span (the attribution that interrupts it)."""
PICKS = ("ground_truth", "latest")


class ExportError(ValueError):
    """The file is no Label Studio JSON export (not the annotators' problems: those are listed)."""


@dataclass
class Region:
    id: str
    label: str
    start: int
    end: int


@dataclass
class Imported:
    """What an export gives: gold lines, training documents, the problems and what was left out, and why."""

    gold: list[dict] = field(default_factory=list)
    documents: list[dict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    not_annotated: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def read_export(path: str | Path) -> list[dict]:
    """The tasks of a Label Studio "JSON" export (a list of tasks with ``data`` and ``annotations``)."""
    try:
        tasks = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as e:
        raise ExportError(f"{path}: unreadable: {e}") from None
    except json.JSONDecodeError as e:
        raise ExportError(f"{path}:{e.lineno}: not JSON: {e.msg}") from None
    if not isinstance(tasks, list) or not all(isinstance(t, dict) and isinstance(t.get("data"), dict) for t in tasks):
        raise ExportError(f"{path}: expected Label Studio's JSON export, a list of tasks with \"data\" "
                          "(JSON-MIN and CSV exports lose the relations)")
    return tasks


def task_name(task: Mapping[str, Any], n: int) -> str:
    """How a problem names a task: the article id and Label Studio's task number."""
    data = task.get("data") or {}
    ls = f"task {task['id']}" if "id" in task else f"task #{n + 1} of the file"
    return f"{ls} ({data.get('id', 'no id')})"


def choose_annotation(task: Mapping[str, Any], pick: str) -> tuple[dict | None, str | None]:
    """``(annotation, note)``: the annotation to write for a task, or ``None`` with the reason."""
    done = [a for a in task.get("annotations") or [] if not a.get("was_cancelled")]
    if not done:
        return None, None
    if len(done) == 1:
        return done[0], None
    truth = [a for a in done if a.get("ground_truth")]
    if len(truth) == 1:
        return truth[0], None
    if pick == "latest":
        latest = max(done, key=lambda a: (str(a.get("updated_at") or a.get("created_at") or ""), a.get("id") or 0))
        return latest, f"{len(done)} annotations, none ground truth: the latest (annotation {latest.get('id')}) taken"
    return None, (f"{len(done)} annotations and {len(truth)} marked ground truth: mark one as ground truth in "
                  "Label Studio (or import with --pick latest)")


def _regions(text: str, result: Sequence[Mapping[str, Any]], problems: list[str]) -> dict[str, Region]:
    regions: dict[str, Region] = {}
    for item in result:
        if item.get("type") != "labels":
            continue
        rid, value = str(item.get("id")), item.get("value") or {}
        labels, start, end = value.get("labels") or [], value.get("start"), value.get("end")
        where = f"region {rid}"
        if item.get("from_name") != FROM_LABELS:
            problems.append(f"{where}: from labels {item.get('from_name')!r}, not this project's {FROM_LABELS!r}")
            continue
        if len(labels) != 1 or labels[0] not in LABELS:
            problems.append(f"{where} {str(value.get('text', ''))[:40]!r}: needs exactly one of {list(LABELS)}, "
                            f"has {labels}")
            continue
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
            problems.append(f"{where} ({labels[0]}): offsets {start}-{end} are not a span of the text (0-{len(text)})")
            continue
        got = text[start:end]
        where = f"{where} {labels[0]} {start}-{end} {got[:40]!r}"
        if "text" in value and value["text"] != got:
            problems.append(f"{where}: its text {value['text'][:40]!r} differs from the article's at these offsets")
            continue
        if got != got.strip():
            problems.append(f"{where}: blank space at its edge (select the words only)")
            continue
        if rid in regions:
            problems.append(f"{where}: region id used twice")
            continue
        regions[rid] = Region(rid, labels[0], start, end)
    return regions


def _describe(r: Region, text: str) -> str:
    return f"{r.label} {r.start}-{r.end} {text[r.start : r.end][:40]!r}"


def _check_spans(text: str, regions: Mapping[str, Region], problems: list[str]) -> None:
    """Overlaps, duplicates, spans cutting a token, direct quotations without marks."""
    ordered = sorted(regions.values(), key=lambda r: (r.start, -r.end))
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 :]:
            if b.start >= a.end:
                break
            if (a.start, a.end, a.label) == (b.start, b.end, b.label):
                problems.append(f"{_describe(a, text)}: labelled twice (regions {a.id}, {b.id})")
            elif not (a.label == INDIRECT and b.label in NESTED and b.end <= a.end):
                problems.append(f"overlapping spans: {_describe(a, text)} and {_describe(b, text)}")
    tokens = article_from_text(text, "task").tokens
    starts, ends = {t.start for t in tokens}, {t.end for t in tokens}
    for r in ordered:
        if r.start not in starts or r.end not in ends:
            problems.append(f"{_describe(r, text)}: cuts a word (a span starts and ends on word edges)")
        if r.label == DIRECT:
            s = text[r.start : r.end]
            if s[0] not in MARKS or s[-1] not in MARKS:
                problems.append(f"{_describe(r, text)}: labelled {DIRECT} (direct) without quotation marks at both "
                                f"edges: include the marks, or label it {INDIRECT}")


def _links(text: str, regions: Mapping[str, Region], result: Sequence[Mapping[str, Any]],
           problems: list[str]) -> dict[str, dict[str, Region]]:
    """``{quotation id: {"cue": Region, "speaker": Region}}`` from the relations, checked."""
    links: dict[str, dict[str, Region]] = {r.id: {} for r in regions.values() if r.label in KIND_OF}
    linked: set[str] = set()
    want = {REL_CUE: CUE, REL_SPEAKER: SPEAKER}
    for item in result:
        if item.get("type") != "relation":
            continue
        a, b = str(item.get("from_id")), str(item.get("to_id"))
        missing = [x for x in (a, b) if x not in regions]
        if missing:
            problems.append(f"relation {a} -> {b}: a relation to nothing (no region {', '.join(missing)})")
            continue
        ra, rb = regions[a], regions[b]
        quote, other = (ra, rb) if ra.label in KIND_OF else (rb, ra)
        names = item.get("labels") or []
        kind = names[0] if len(names) == 1 else None
        if quote.label not in KIND_OF or other.label not in want.values() or len(names) > 1 or (
            kind is not None and want.get(kind) != other.label
        ):
            problems.append(f"relation {_describe(ra, text)} -> {_describe(rb, text)} {names or ''}: a relation ties "
                            f"a quotation to its {CUE} ({REL_CUE}) or its {SPEAKER} ({REL_SPEAKER})")
            continue
        kind = REL_CUE if other.label == CUE else REL_SPEAKER
        if kind in links[quote.id] and links[quote.id][kind].id != other.id:
            problems.append(f"{_describe(quote, text)}: two {kind}s ({_describe(links[quote.id][kind], text)} and "
                            f"{_describe(other, text)})")
            continue
        links[quote.id][kind] = other
        linked.add(other.id)
    for r in regions.values():
        if r.label in want.values() and r.id not in linked:
            problems.append(f"{_describe(r, text)}: tied to no quotation (draw a relation from the quotation)")
    return links


def _fields(text: str, regions: Mapping[str, Region], result: Sequence[Mapping[str, Any]],
            problems: list[str]) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for item in result:
        if item.get("type") != "textarea":
            continue
        rid, name = str(item.get("id")), item.get("from_name")
        values = (item.get("value") or {}).get("text") or []
        if name not in QUOTE_FIELDS:
            problems.append(f"text box {name!r}: not one of this project's {list(QUOTE_FIELDS)}")
        elif rid not in regions:
            problems.append(f"{name} {values!r}: written for region {rid}, which is not there (deleted?)")
        elif regions[rid].label not in KIND_OF:
            problems.append(f"{name} {values!r}: written on {_describe(regions[rid], text)}: write it on the quotation")
        elif len(values) != 1 or not isinstance(values[0], str):
            problems.append(f"{name} of {_describe(regions[rid], text)}: {len(values)} values {values!r}, one expected")
        elif name in out.get(rid, {}):
            problems.append(f"{name} of {_describe(regions[rid], text)}: given twice")
        elif values[0].strip():  # a box cleared in the tool is null, as one never filled
            out.setdefault(rid, {})[name] = values[0]
    for item in result:
        if item.get("type") not in ("labels", "relation", "textarea"):
            problems.append(f"result {item.get('id')}: type {item.get('type')!r} is not part of this project's config")
    return out


def annotation_quotes(text: str, result: Sequence[Mapping[str, Any]], problems: list[str]
                      ) -> tuple[list[dict], list[Region]]:
    """Gold quotations (``docs/annotation-format.md``) and every region of one annotation; problems appended."""
    regions = _regions(text, result, problems)
    _check_spans(text, regions, problems)
    links = _links(text, regions, result, problems)
    fields = _fields(text, regions, result, problems)
    quotes = []
    for r in sorted((r for r in regions.values() if r.label in KIND_OF), key=lambda r: (r.start, r.end)):
        link, f = links[r.id], fields.get(r.id, {})
        q: dict[str, Any] = {"kind": KIND_OF[r.label], "start": r.start, "end": r.end, "text": text[r.start : r.end]}
        q["cue"] = span_dict(text, link[REL_CUE].start, link[REL_CUE].end) if REL_CUE in link else None
        q["speaker_mention"] = span_dict(text, link[REL_SPEAKER].start, link[REL_SPEAKER].end) \
            if REL_SPEAKER in link else None
        q.update({k: f.get(k) for k in GOLD_KEYS if k in QUOTE_FIELDS})
        if "note" in f:
            q["note"] = f["note"]
        quotes.append(q)
    return quotes, list(regions.values())


def training_spans(text: str, quotes: Sequence[Mapping[str, Any]], regions: Sequence[Region]) -> list[dict]:
    """PFSA-ID spans (``docs/annotation-format.md``) of an annotated article, for ``source: articles``.

    STATEMENT: direct quotations. CUE / CUECOREF (``-nya``): cues of direct quotations (PFSA-ID leaves
    the cues of indirect speech untagged). PERSON: the first mention of a speaker that names them (its
    words are in the speaker's name); PERSONCOREF: a later mention at a direct quotation's cue (later
    mentions in indirect speech stay untagged). ROLE / AFFILIATION as labelled. Indirect content has no
    PFSA-ID label.
    """
    spans: dict[tuple[int, int], str] = {}
    for r in regions:
        if r.label == ROLE or r.label == AFFILIATION:
            spans[(r.start, r.end)] = r.label.upper()
    named: list[str] = []
    for q in sorted(quotes, key=lambda q: (q["speaker_mention"] or q)["start"]):
        direct = q["kind"] == "direct"
        if direct:
            spans[(q["start"], q["end"])] = "STATEMENT"
            if q["cue"]:
                cue = q["cue"]
                spans[(cue["start"], cue["end"])] = "CUECOREF" if cue["text"].casefold().endswith("nya") else "CUE"
        m = q["speaker_mention"]
        if m is None or (m["start"], m["end"]) in spans:
            continue
        name = q["speaker"] or ""
        words = m["text"].split()
        names = bool(words) and words[0][:1].isupper() and m["text"].casefold() not in PRONOUNS \
            and same_speaker(m["text"], name)
        if names and not any(same_speaker(name, n) for n in named):
            spans[(m["start"], m["end"])] = "PERSON"
            named.append(name)
        elif direct:
            spans[(m["start"], m["end"])] = "PERSONCOREF"
    return [{"start": a, "end": b, "label": lab} for (a, b), lab in sorted(spans.items())]


def import_tasks(tasks: Sequence[Mapping[str, Any]], pick: str = "ground_truth") -> Imported:
    """Check every task of an export; gold lines and training documents for the annotated ones."""
    if pick not in PICKS:
        raise ValueError(f"pick must be one of {PICKS}, got {pick!r}")
    out = Imported()
    seen: dict[str, str] = {}
    for n, task in enumerate(tasks):
        name = task_name(task, n)
        data = task.get("data") or {}
        text, aid = data.get("text"), data.get("id")
        if not isinstance(text, str) or not text.strip() or not isinstance(aid, (str, int)) or isinstance(aid, bool):
            out.problems.append(f"{name}: data needs a non-empty \"text\" and an \"id\" (exported by indoquote?)")
            continue
        aid = str(aid)
        if aid in seen:
            out.problems.append(f"{name}: article id {aid!r} is also {seen[aid]}")
            continue
        seen[aid] = name
        annotation, note = choose_annotation(task, pick)
        if annotation is None:
            (out.problems if note else out.not_annotated).append(f"{name}: {note or 'not annotated'}")
            continue
        if note:
            out.notes.append(f"{name}: {note}")
        problems: list[str] = []
        quotes, regions = annotation_quotes(text, annotation.get("result") or [], problems)
        ann = f" annotation {annotation['id']}" if "id" in annotation else ""
        out.problems += [f"{name}{ann}: {p}" for p in problems]
        if problems:
            continue
        out.gold.append({"id": aid, "meta": data.get("meta") or {}, "text": text, "quotes": quotes})
        spans = training_spans(text, quotes, regions)
        art = article_from_text(text, aid)
        try:  # the spans as read back by `source: articles` (indoquote.text.articles.read_jsonl)
            spans = tags_to_char_spans(art.tokens, spans_to_tags(art.tokens, spans, text))
        except ValueError as e:
            out.problems.append(f"{name}: training spans: {e}")
            continue
        out.documents.append({"id": aid, "text": text, "spans": spans})
    return out


def write_jsonl(rows: Sequence[Mapping[str, Any]], path: Path) -> None:
    """One JSON object a line, UTF-8, written whole or not at all (:func:`indoquote.atomic.atomic_open`)."""
    with atomic_open(path) as f:
        f.write(jsonl_text(rows))


def jsonl_text(rows: Sequence[Mapping[str, Any]]) -> str:
    """The JSONL text of ``rows``: one JSON object a line, non-ASCII kept."""
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
