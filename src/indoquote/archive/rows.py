"""One shard's rows: read from the input, checked, tagged, and turned into rows of the quotation table.

- **Input.** ``--text-column`` (default ``text``) holds the article; the id comes
  from ``--id-column`` (default ``id``) or, where that column is missing or
  empty, from :func:`stable_id` (a hash of the text, the same on every run and
  machine). Every other column is carried through unchanged (Parquet keeps its
  types; CSV values are strings; nested JSON values become JSON strings).
- **Rows.** :func:`quotation_table`: one row per quotation (:data:`QUOTE_FIELDS`)
  plus one row per article with no quotation (``quote_index`` null), so no
  article silently disappears from the table.
- **Bad rows** (no text, empty, over :data:`~indoquote.text.articles.MAX_ARTICLE_CHARS`,
  bad JSON, a CSV record with the wrong number of fields, bytes that are not
  UTF-8, a tagging error) become :class:`~indoquote.archive.BadRow` (shard, row,
  reason): left out of the table, reported, and kept in ``_shards.jsonl``.

:func:`tag_shard` is the same function on every engine (:mod:`indoquote.archive.engines`),
so every engine gives the same rows.
"""

from __future__ import annotations

import csv
import hashlib
import json
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Sequence

from ..text.articles import MAX_ARTICLE_CHARS, article_problem
from .plan import BadRow, Columns, CsvLines, Shard, csv_reader

if TYPE_CHECKING:  # pyarrow comes with `datasets`; imported where used so `import indoquote` stays light
    import pyarrow as pa

    from ..quotes.records import QuoteRecord

QUOTE_FIELDS: tuple[tuple[str, str], ...] = (
    ("quote_index", "int32"),
    ("quote", "string"),
    ("start", "int64"),
    ("end", "int64"),
    ("speaker", "string"),
    ("speaker_mention", "string"),
    ("speaker_mention_start", "int64"),
    ("speaker_mention_end", "int64"),
    ("cue", "string"),
    ("cue_start", "int64"),
    ("cue_end", "int64"),
    ("role", "string"),
    ("affiliation", "string"),
    ("confidence", "float64"),
    ("kind", "string"),
    ("speaker_reason", "string"),
    ("speaker_forms", "string"),
    ("role_forms", "string"),
)
"""Columns of a quotation after ``article_id`` and the carried columns; all null on an article's no-quotation row."""
ID_FIELD = "article_id"
RESERVED = frozenset([ID_FIELD, *(name for name, _ in QUOTE_FIELDS)])
"""Output names a carried column may not take: it is renamed ``input_<name>``."""


@dataclass
class ShardResult:
    """One tagged shard: its output table and its accounting."""

    shard: Shard
    table: pa.Table
    articles: int  # non-blank rows: tagged + bad
    tagged: int
    quotations: int
    no_quotation: int  # tagged articles without a quotation (one row each in the table)
    bad: list[BadRow] = field(default_factory=list)
    seconds: float = 0.0

    def entry(self) -> dict:
        """The ``_shards.jsonl`` line of this shard."""
        return {
            "shard": self.shard.id,
            "rows": self.shard.rows,
            "articles": self.articles,
            "tagged": self.tagged,
            "quotations": self.quotations,
            "no_quotation": self.no_quotation,
            "bad": [[b.row, b.kind, b.reason] for b in self.bad],
            "seconds": round(self.seconds, 3),
        }


# ------------------------------------------------------------------ ids and checks


def stable_id(text: str) -> str:
    """The id of an article without one: 16 hex digits of the SHA-1 of its text (stable across runs and machines)."""
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _id_value(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and value != value) or value == "":
        return None
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return value if isinstance(value, str) else str(value)


def _text_problem(value: Any) -> tuple[str, str] | tuple[None, str]:
    """``(kind, reason)`` when ``value`` is no article to tag, else ``(None, text)``."""
    if value is None or (isinstance(value, float) and value != value):
        return "no text", "no text (null or missing)"
    if isinstance(value, bytes):
        try:
            value = value.decode("utf-8")
        except UnicodeDecodeError:
            return "not UTF-8", "the text is not UTF-8"
    if not isinstance(value, str):
        return "no text", f"the text is a {type(value).__name__}, not a string"
    if _has_escapes(value):
        return "not UTF-8", "the text is not UTF-8"
    problem = article_problem(value, MAX_ARTICLE_CHARS)
    if problem is not None:
        return ("empty" if problem == "empty article" else "too long"), problem
    return None, value


def _has_escapes(text: str) -> bool:
    """Does ``text`` carry bytes that were not UTF-8 (decoded with ``surrogateescape``)?"""
    try:
        text.encode("utf-8")
        return False
    except UnicodeEncodeError:
        return True


# ------------------------------------------------------------------ reading a shard


@dataclass
class ShardRows:
    """The good articles of a shard (row, id, text), their carried columns (one table row each), the bad rows."""

    rows: list[int]
    ids: list[str]
    texts: list[str]
    carried: pa.Table
    bad: list[BadRow]

    def keep(self, mask: Sequence[bool]) -> ShardRows:
        """These rows with only the articles where ``mask`` holds."""
        idx = [i for i, m in enumerate(mask) if m]
        return ShardRows(
            [self.rows[i] for i in idx],
            [self.ids[i] for i in idx],
            [self.texts[i] for i in idx],
            self.carried.take(idx),
            self.bad,
        )


def read_shard(shard: Shard, columns: Columns) -> ShardRows:
    """The articles of ``shard``, checked; blank rows are passed over, bad ones are :class:`BadRow` s.

    Rows whose id an earlier row of the archive has take the unique id the plan gave them (``shard.renamed``).
    """
    if shard.format == "parquet":
        out = _read_parquet(shard, columns)
    else:
        rows = _iter_csv(shard) if shard.format == "csv" else _iter_jsonl(shard, columns)
        out = _from_records(shard, columns, rows)
    if shard.renamed:
        renamed = dict(shard.renamed)
        out.ids = [renamed.get(row, id) for row, id in zip(out.rows, out.ids)]
    return out


def _read_parquet(shard: Shard, columns: Columns) -> ShardRows:
    import pyarrow.parquet as pq

    table = pq.ParquetFile(shard.path).read_row_groups(list(shard.groups))
    texts = table.column(columns.text).to_pylist()
    ids = table.column(columns.id).to_pylist() if columns.id in table.column_names else [None] * len(texts)
    carried = table.drop_columns([c for c in (columns.text, columns.id) if c in table.column_names])
    good, out_ids, out_texts, bad = [], [], [], []
    for i, (value, id) in enumerate(zip(texts, ids)):
        kind, text = _text_problem(value)
        if kind is not None:
            bad.append(BadRow(shard.id, shard.start + i, kind, text))
            continue
        good.append(i)
        out_ids.append(_id_value(id) or stable_id(text))
        out_texts.append(text)
    return ShardRows([shard.start + i for i in good], out_ids, out_texts, _rename(carried.take(good)), bad)


def _iter_csv(shard: Shard) -> Iterator[tuple[int, Any]]:
    """``(row, fields or BadRow or None)`` for each record of a CSV shard (None: a blank line)."""
    header = list(shard.header)
    with open(shard.path, "rb") as fh:
        fh.seek(shard.offset)
        reader = csv_reader(CsvLines(fh, shard.offset))
        for i in range(shard.rows):
            row = shard.start + i
            try:
                fields = next(reader)
            except StopIteration:
                return
            except csv.Error as e:
                yield row, BadRow(shard.id, row, "bad CSV row", f"bad CSV row: {e}")
                continue
            if not fields or (len(fields) == 1 and not fields[0].strip() and len(header) > 1):
                yield row, None
            elif len(fields) != len(header):
                yield row, BadRow(shard.id, row, "bad CSV row", f"bad CSV row: {len(fields)} fields for {len(header)} columns")
            elif any(_has_escapes(f) for f in fields):
                yield row, BadRow(shard.id, row, "not UTF-8", "not UTF-8; convert the file to UTF-8")
            else:
                yield row, dict(zip(header, fields))


def _iter_jsonl(shard: Shard, columns: Columns) -> Iterator[tuple[int, Any]]:
    with open(shard.path, "rb") as fh:
        fh.seek(shard.offset)
        for i in range(shard.rows):
            row = shard.start + i
            line = fh.readline()
            if not line:
                return
            if not line.strip():
                yield row, None
                continue
            try:
                obj = json.loads(line.decode("utf-8").removeprefix("\ufeff"))
            except UnicodeDecodeError:
                yield row, BadRow(shard.id, row, "not UTF-8", "not UTF-8; convert the file to UTF-8")
                continue
            except ValueError as e:
                yield row, BadRow(shard.id, row, "bad JSON", f"bad JSON: {getattr(e, 'msg', e)}")
                continue
            if not isinstance(obj, dict):
                yield row, BadRow(shard.id, row, "bad JSON", f"bad JSON: expected an object, got {type(obj).__name__}")
                continue
            yield row, obj


def _from_records(shard: Shard, columns: Columns, records: Iterable[tuple[int, Any]]) -> ShardRows:
    rows, ids, texts, carried, bad = [], [], [], [], []
    for row, rec in records:
        if rec is None:
            continue
        if isinstance(rec, BadRow):
            bad.append(rec)
            continue
        kind, text = _text_problem(rec.get(columns.text))
        if kind is not None:
            bad.append(BadRow(shard.id, row, kind, text))
            continue
        rows.append(row)
        ids.append(_id_value(rec.get(columns.id)) or stable_id(text))
        texts.append(text)
        carried.append({k: v for k, v in rec.items() if k not in (columns.text, columns.id)})
    order = [h for h in shard.header if h not in (columns.text, columns.id)]
    return ShardRows(rows, ids, texts, _rename(_table_of(carried, order)), bad)


def _table_of(records: list[dict], order: Sequence[str] = ()) -> pa.Table:
    """Carried values as columns (in header or first-seen order); nested values as JSON, mixed types as strings."""
    import pyarrow as pa

    names = list(dict.fromkeys([*order, *(k for r in records for k in r)]))
    arrays = {}
    for name in names:
        values = [_scalar(r.get(name)) for r in records]
        try:
            arrays[name] = pa.array(values)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            arrays[name] = pa.array([None if v is None else str(v) for v in values], pa.string())
    return pa.table(arrays)


def _scalar(value: Any) -> Any:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, (dict, list)) else value


def _rename(carried: pa.Table) -> pa.Table:
    """Carried columns named like an output column become ``input_<name>``."""
    names = [f"input_{n}" if n in RESERVED else n for n in carried.column_names]
    return carried.rename_columns(names) if names != carried.column_names else carried


# ------------------------------------------------------------------ tagging a shard


def quotation_table(ids: Sequence[str], records: Sequence[Sequence[QuoteRecord]], carried: pa.Table) -> pa.Table:
    """One row per quotation, one per article without any: ``article_id``, the carried columns, :data:`QUOTE_FIELDS`."""
    import pyarrow as pa

    take: list[int] = []
    cols: dict[str, list] = {ID_FIELD: [], **{name: [] for name, _ in QUOTE_FIELDS}}
    for i, (id, recs) in enumerate(zip(ids, records)):
        for k, rec in list(enumerate(recs)) or [(None, None)]:
            take.append(i)
            cols[ID_FIELD].append(id)
            for name, value in _quote_fields(k, rec).items():
                cols[name].append(value)
    out = carried.take(take) if carried.num_columns else pa.table({})
    table = pa.table({ID_FIELD: pa.array(cols[ID_FIELD], pa.string())})
    for name in out.column_names:
        table = table.append_column(out.schema.field(name), out.column(name))
    for name, kind in QUOTE_FIELDS:
        table = table.append_column(name, pa.array(cols[name], getattr(pa, kind)()))
    return table


def _quote_fields(k: int | None, rec: QuoteRecord | None) -> dict[str, Any]:
    if rec is None:
        return {name: None for name, _ in QUOTE_FIELDS}
    sm, cue = rec.speaker_mention, rec.cue
    confidence = getattr(rec, "confidence", None)
    return {
        "quote_index": k,
        "quote": rec.quote,
        "start": rec.start,
        "end": rec.end,
        "speaker": rec.speaker,
        "speaker_mention": sm.text if sm else None,
        "speaker_mention_start": sm.start if sm else None,
        "speaker_mention_end": sm.end if sm else None,
        "cue": cue.text if cue else None,
        "cue_start": cue.start if cue else None,
        "cue_end": cue.end if cue else None,
        "role": rec.role,
        "affiliation": rec.affiliation,
        "confidence": None if confidence is None else float(confidence),
        "kind": getattr(rec, "kind", "direct"),
        "speaker_reason": getattr(rec, "speaker_reason", None),
        "speaker_forms": " | ".join(getattr(rec, "speaker_forms", None) or []) or None,
        "role_forms": " | ".join(getattr(rec, "role_forms", None) or []) or None,
    }


def tag_shard(tagger, shard: Shard, columns: Columns, on_article: Callable[[int], None] | None = None) -> ShardResult:
    """Read, check and tag one shard: the same function on every engine, so every engine gives the same rows.

    The shard's articles go through ``tagger.iter_tag`` together (batched across
    articles); should that fail, they are tagged one by one and only the
    articles that still fail become bad rows.
    """
    t0 = time.perf_counter()
    rows = read_shard(shard, columns)
    bad = list(rows.bad)
    records: list[list] | None = []
    try:
        for art in tagger.iter_tag(zip(rows.ids, rows.texts)):
            records.append(art.records)
            if on_article:
                on_article(1)
    except Exception:  # noqa: BLE001 - retried one by one below, the culprit is reported
        records = None
    if records is None:
        records, ok = [], []
        for row, id, text in zip(rows.rows, rows.ids, rows.texts):
            try:
                (art,) = tagger.tag_batch([text], [id])
                records.append(art.records)
                ok.append(True)
            except Exception as e:  # noqa: BLE001
                bad.append(BadRow(shard.id, row, "tagging failed", f"tagging failed: {type(e).__name__}: {e}"))
                ok.append(False)
        rows = rows.keep(ok)
        bad.sort(key=lambda b: b.row)
    table = quotation_table(rows.ids, records, rows.carried)
    return ShardResult(
        shard,
        table,
        articles=len(rows.ids) + len(bad),
        tagged=len(rows.ids),
        quotations=sum(len(r) for r in records),
        no_quotation=sum(1 for r in records if not r),
        bad=bad,
        seconds=time.perf_counter() - t0,
    )


__all__ = [
    "ID_FIELD",
    "QUOTE_FIELDS",
    "ShardResult",
    "ShardRows",
    "quotation_table",
    "read_shard",
    "stable_id",
    "tag_shard",
]
