"""Archives in, quotation tables out: shards, carried columns, ids, bad rows, resume after a kill (local engine)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from indoquote.archive import plan
from indoquote.archive import rows as shard_rows
from indoquote.archive.engines import TaggerSpec, tag_archive
from indoquote.archive.output import read_done_entries, read_output
from indoquote.archive.plan import Columns, plan_shards
from indoquote.archive.rows import read_shard, stable_id
from indoquote.errors import ArchiveError

from archive_data import articles, stop_after, write_csv, write_jsonl, write_parquet


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    return articles(120)


@pytest.fixture
def spec(tiny_checkpoint) -> TaggerSpec:
    return TaggerSpec(str(tiny_checkpoint))


def run(inputs, out, spec, **kw):
    kw.setdefault("shard_rows", 15)
    return tag_archive([str(p) for p in inputs], out, spec, **kw)


# ------------------------------------------------------------------ shards


@pytest.mark.parametrize("fmt", ["parquet", "csv", "jsonl"])
def test_shards_cover_every_row_once(tmp_path, rows, fmt):
    path = {"parquet": lambda p: write_parquet(rows, p, row_group_size=10), "csv": lambda p: write_csv(rows, p),
            "jsonl": lambda p: write_jsonl(rows, p)}[fmt](tmp_path / f"a.{fmt}")
    shards = plan_shards(plan.archive_files([path]), Columns(), shard_rows=25)
    assert [s.start for s in shards] == [sum(s.rows for s in shards[:i]) for i in range(len(shards))]
    assert sum(s.rows for s in shards) == len(rows)
    if fmt == "parquet":  # whole row groups: 30 rows a shard (three groups of 10)
        assert {s.rows for s in shards[:-1]} == {30}
    read = [r for s in shards for r in read_shard(s, Columns()).ids]
    assert read == [r["id"] for r in rows]  # each shard read from its own offset, in order, nothing twice


def test_missing_text_column_is_refused_before_any_work(tmp_path, rows, spec):
    path = write_parquet(rows, tmp_path / "a.parquet")
    with pytest.raises(ArchiveError, match="no column 'body'.*--text-column"):
        run([path], tmp_path / "out", spec, columns=Columns(text="body"))
    assert not (tmp_path / "out").exists()


def test_ids_from_column_or_a_stable_hash(tmp_path, rows, spec):
    path = write_parquet(rows[:10], tmp_path / "a.parquet", drop=("id",))
    run([path], tmp_path / "out", spec)
    table = read_output(tmp_path / "out")
    assert set(table.column("article_id").to_pylist()) == {stable_id(r["text"]) for r in rows[:10]}
    run([path], tmp_path / "again", spec)  # the same text, the same id, every run
    assert read_output(tmp_path / "again").column("article_id").equals(table.column("article_id"))
    named = write_parquet(rows[:10], tmp_path / "b.parquet")
    run([named], tmp_path / "named", spec, columns=Columns(id="url"))
    ids = read_output(tmp_path / "named").column("article_id").to_pylist()
    assert set(ids) == {r["url"] for r in rows[:10]}


# ------------------------------------------------------------------ rows and carried columns


def test_metadata_columns_survive_with_their_types(tmp_path, rows, spec):
    path = write_parquet(rows, tmp_path / "a.parquet")
    summary = run([path], tmp_path / "out", spec)
    table = read_output(tmp_path / "out")
    assert table.column_names[:5] == ["article_id", "outlet", "date", "section", "url"]
    assert table.schema.field("date").type == pa.timestamp("us")
    by_id = {r["id"]: r for r in rows}
    for row in table.to_pylist():
        src = by_id[row["article_id"]]
        assert (row["outlet"], row["date"], row["section"], row["url"]) == (
            src["outlet"], src["date"], src["section"], src["url"])
    # every article is in the table: one row per quotation, or one row saying it has none
    assert set(table.column("article_id").to_pylist()) == set(by_id)
    none = [r for r in table.to_pylist() if r["quote_index"] is None]
    assert len(none) == summary.no_quotation and all(r["quote"] is None for r in none)
    assert table.num_rows == summary.quotations + summary.no_quotation


def test_quotation_rows_match_the_tagger(tmp_path, rows, tiny_checkpoint, spec):
    from indoquote.pipeline.tagger import QuoteTagger

    path = write_jsonl(rows[:12], tmp_path / "a.jsonl")
    run([path], tmp_path / "out", spec)
    table = read_output(tmp_path / "out")
    tagger = QuoteTagger.from_pretrained(tiny_checkpoint)
    expected = []
    for r in rows[:12]:
        recs = tagger(r["text"])
        expected += [(r["id"], k, q.quote, q.start, q.end, q.speaker, q.role) for k, q in enumerate(recs)] or [
            (r["id"], None, None, None, None, None, None)]
    got = [tuple(d[c] for c in ("article_id", "quote_index", "quote", "start", "end", "speaker", "role"))
           for d in table.to_pylist()]
    assert got == expected


def test_csv_and_jsonl_carry_their_columns(tmp_path, rows, spec):
    run([write_csv(rows[:20], tmp_path / "a.csv")], tmp_path / "csv", spec)
    run([write_jsonl(rows[:20], tmp_path / "a.jsonl")], tmp_path / "jsonl", spec)
    a, b = read_output(tmp_path / "csv"), read_output(tmp_path / "jsonl")
    assert a.column_names == b.column_names
    assert a.column("date").to_pylist() == b.column("date").to_pylist()  # ISO strings from both
    assert a.column("date").to_pylist()[0] == rows[0]["date"].isoformat()


def test_jsonl_output_has_the_same_rows(tmp_path, rows, spec):
    path = write_parquet(rows[:30], tmp_path / "a.parquet")
    run([path], tmp_path / "pq", spec)
    run([path], tmp_path / "js", spec, output_format="jsonl")
    assert sorted(p.name for p in (tmp_path / "js").glob("part-*")) == [
        p.name.replace(".parquet", ".jsonl") for p in sorted((tmp_path / "pq").glob("part-*"))]
    a, b = read_output(tmp_path / "pq"), read_output(tmp_path / "js")
    drop = ["date"]  # a timestamp in Parquet, an ISO string in JSONL
    assert a.drop_columns(drop).to_pylist() == b.drop_columns(drop).to_pylist()
    assert b.column("date").to_pylist()[0] == rows[0]["date"].isoformat()


def test_nested_and_clashing_columns(tmp_path, spec):
    lines = [{"id": "a", "text": '"Kami siap," kata Retno.', "quote": "x", "meta": {"outlet": "ANTARA"}},
             {"id": "b", "text": "Tanpa kutipan.", "meta": None}]
    path = tmp_path / "a.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    run([path], tmp_path / "out", spec, shard_rows=1)  # one shard has "quote", the other not
    table = read_output(tmp_path / "out")
    assert "input_quote" in table.column_names  # never overwrites the quotation's own column
    assert table.column("meta").to_pylist()[0] == '{"outlet": "ANTARA"}'


# ------------------------------------------------------------------ bad rows


def test_bad_rows_are_reported_and_skipped(tmp_path, rows, spec):
    good = rows[:20]
    bad_text = [{**good[3], "text": "   "}, {**good[4], "text": None}]
    path = write_jsonl(good[:3] + bad_text + good[5:], tmp_path / "a.jsonl", extra_lines={7: "{not json", 9: "[1, 2]"})
    raw = path.read_bytes().replace(b'"id": "art-0010"', b'"id": "art-0010", "x": "\xff"')
    path.write_bytes(raw)
    seen = []
    summary = run([path], tmp_path / "out", spec, shard_rows=5, on_bad=lambda b, s: seen.append((b.shard, b.row, b.kind)))
    assert [(row, kind) for _, row, kind in seen] == [(3, "empty"), (4, "no text"), (7, "bad JSON"), (9, "bad JSON"),
                                                      (12, "not UTF-8")]
    assert seen[0][0] == "00000-00000" and seen[2][0] == "00000-00001"  # (shard, row) of the JSONL line
    assert summary.bad == {"bad JSON": 2, "empty": 1, "no text": 1, "not UTF-8": 1}
    table = read_output(tmp_path / "out")
    assert len(set(table.column("article_id").to_pylist())) == summary.tagged == 20 - 2 - 1
    entries = read_done_entries(tmp_path / "out")
    assert sorted(row for e in entries for row, _, _ in e["bad"]) == [3, 4, 7, 9, 12]
    assert "5 skipped" in summary.text() and "2 bad JSON" in summary.text()


def test_bad_csv_rows_and_over_long_articles(tmp_path, rows, spec, monkeypatch):
    path = write_csv(rows[:6], tmp_path / "a.csv")
    with open(path, "a", encoding="utf-8") as f:
        f.write("only,three,fields\n")
    monkeypatch.setattr(shard_rows, "MAX_ARTICLE_CHARS", 400)
    summary = run([path], tmp_path / "out", spec)
    long = sum(len(r["text"]) > 400 for r in rows[:6])
    assert summary.bad == {"bad CSV row": 1, **({"too long": long} if long else {})}


def test_a_tagging_error_costs_only_its_article(tmp_path, rows, spec, monkeypatch):
    from indoquote.pipeline.tagger import QuoteTagger

    real = QuoteTagger._tag_chunk

    def fragile(self, chunk, progress):
        if any("BOOM" in text for _, text in chunk):
            raise RuntimeError("cannot tag BOOM")
        return real(self, chunk, progress)

    monkeypatch.setattr(QuoteTagger, "_tag_chunk", fragile)
    data = rows[:6]
    data[2] = {**data[2], "text": data[2]["text"] + " BOOM"}
    summary = run([write_parquet(data, tmp_path / "a.parquet")], tmp_path / "out", spec)
    assert summary.bad == {"tagging failed": 1} and summary.tagged == 5
    assert data[2]["id"] not in read_output(tmp_path / "out").column("article_id").to_pylist()


# ------------------------------------------------------------------ resume


def test_rerun_skips_complete_shards(tmp_path, rows, spec, monkeypatch):
    path = write_parquet(rows, tmp_path / "a.parquet", row_group_size=15)
    full = run([path], tmp_path / "full", spec)
    calls = stop_after(3, lambda: run([path], tmp_path / "out", spec))
    tagged = []
    import indoquote.archive.engines as engines

    original = engines.tag_shard
    monkeypatch.setattr(engines, "tag_shard", lambda t, s, c, cb=None: tagged.append(s.id) or original(t, s, c, cb))
    again = run([path], tmp_path / "out", spec)
    assert again.resumed == 3 and not set(tagged) & set(calls)
    assert len(tagged) == full.shards - 3 and again.finished
    assert read_output(tmp_path / "out").equals(read_output(tmp_path / "full"))
    done = run([path], tmp_path / "out", spec)  # nothing left: nothing tagged
    assert done.resumed == done.shards and done.articles == 0


KILL_SCRIPT = textwrap.dedent(
    """
    import os, signal, sys
    import torch
    torch.set_num_threads(1)
    from indoquote.archive import output as shards
    from indoquote.archive.engines import TaggerSpec, tag_archive

    real, n = shards.write_part, [0]

    def write_part(out, shard, table, fmt):
        n[0] += 1
        if n[0] == 4:  # killed while the fourth part is half written: a .tmp file, no manifest line
            import pyarrow.parquet as pq
            pq.write_table(table, out / f".{shard.part}.{fmt}.tmp")
            os.kill(os.getpid(), signal.SIGKILL)
        return real(out, shard, table, fmt)

    shards.write_part = write_part
    tag_archive([sys.argv[1]], sys.argv[2], TaggerSpec(sys.argv[3]), shard_rows=15)
    """
)


def test_resume_after_a_kill(tmp_path, rows, spec, tiny_checkpoint):
    path = write_parquet(rows, tmp_path / "a.parquet", row_group_size=15)
    out = tmp_path / "out"
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    r = subprocess.run([sys.executable, "-c", KILL_SCRIPT, str(path), str(out), str(tiny_checkpoint)],
                       capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == -signal.SIGKILL, r.stderr[-2000:]
    assert len((out / "_shards.jsonl").read_text().splitlines()) == 3 and list(out.glob(".*.tmp"))
    again = run([path], out, spec)
    assert again.resumed == 3 and again.shards - again.resumed == len(rows) // 15 - 3
    assert not list(out.glob(".*.tmp"))
    run([path], tmp_path / "full", spec)
    assert read_output(out).equals(read_output(tmp_path / "full"))


def test_an_output_of_another_run_is_refused(tmp_path, rows, spec, make_checkpoint):
    path = write_parquet(rows[:20], tmp_path / "a.parquet")
    run([path], tmp_path / "out", spec)
    with pytest.raises(ArchiveError, match="another run.*text_column"):
        run([path], tmp_path / "out", spec, columns=Columns(text="url"))
    with pytest.raises(ArchiveError, match="another run.*model"):
        run([path], tmp_path / "out", TaggerSpec(str(make_checkpoint("other", seed=5))))
    write_parquet(rows[:21], path)
    with pytest.raises(ArchiveError, match="input files"):
        run([path], tmp_path / "out", spec)


def test_bad_output_directories(tmp_path, rows, spec):
    data = tmp_path / "data"
    data.mkdir()
    path = write_parquet(rows[:5], data / "a.parquet")
    with pytest.raises(ArchiveError, match="holds the input"):
        run([data], data, spec)
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("x")
    with pytest.raises(ArchiveError, match="not empty"):
        run([path], tmp_path / "busy", spec)
    with pytest.raises(ArchiveError, match="no such file"):
        run([tmp_path / "missing.csv"], tmp_path / "o", spec)


def test_directories_are_read_recursively_without_hidden_files(tmp_path, rows):
    (tmp_path / "in" / "2021").mkdir(parents=True)
    write_parquet(rows[:5], tmp_path / "in" / "2021" / "a.parquet")
    write_jsonl(rows[5:9], tmp_path / "in" / "b.jsonl")
    (tmp_path / "in" / "_SUCCESS").write_text("")
    (tmp_path / "in" / ".x.csv").write_text("text\nx\n")
    files = plan.archive_files([tmp_path / "in"])
    assert [f.name for f in files] == ["a.parquet", "b.jsonl"]
    assert pq.read_table(files[0]).num_rows == 5


# ------------------------------------------------------------------ indoquote predict on archives


def test_predict_routes_tables_to_sharded_output(tmp_path, rows, tiny_checkpoint, capsys):
    from indoquote.cli.predict import predict_cli

    data = [dict(r) for r in rows[:30]]
    data[4]["text"] = None
    path = write_parquet(data, tmp_path / "a.parquet", row_group_size=10)
    out = tmp_path / "out"
    args = [str(path), "--model", str(tiny_checkpoint), "-o", str(out)]
    assert predict_cli(args) == 1  # done, one bad row skipped
    err = capsys.readouterr().err
    assert "skipped a.parquet row 4 (shard 00000-00000): no text" in err
    assert "30 read, 29 tagged, 1 skipped (1 no text" in err and "-> " in err and "(parquet)" in err
    assert predict_cli(args) == 0 and "nothing to do" in capsys.readouterr().err
    assert read_output(out).num_rows >= 29


def test_predict_archive_options_and_errors(tmp_path, rows, tiny_checkpoint, capsys):
    from indoquote.cli.predict import predict_cli

    jsonl = write_jsonl(rows[:5], tmp_path / "a.jsonl")
    model = ["--model", str(tiny_checkpoint)]
    assert predict_cli([str(jsonl), *model]) == 0  # plain JSONL to standard output: predict as before
    lines = capsys.readouterr().out.splitlines()
    assert [json.loads(x)["id"] for x in lines] == [r["id"] for r in rows[:5]]
    assert predict_cli([str(jsonl), *model, "--text-column", "text", "-o", str(tmp_path / "q.jsonl")]) == 0
    assert sorted(p.name for p in (tmp_path / "q.jsonl").iterdir())[:2] == ["_manifest.json", "_shards.jsonl"]
    assert (tmp_path / "q.jsonl" / "part-00000-00000.jsonl").is_file()  # -o ending in .jsonl: JSONL shards
    capsys.readouterr()
    assert predict_cli([str(jsonl), *model, "--engine", "local"]) == 2
    assert "pass -o DIR" in capsys.readouterr().err
    assert predict_cli([str(jsonl), *model, "--engine", "local", "-o", str(tmp_path / "h"), "--format", "html"]) == 2
    assert predict_cli([str(jsonl), *model, "--text-column", "body", "-o", str(tmp_path / "b")]) == 2
    assert "no 'body'" in capsys.readouterr().err


def test_colliding_ids_are_made_unique_with_a_warning(tmp_path, rows, spec):
    """Two files numbering their rows alike, a repeated id within a file, two rows with one text and no id."""
    a = write_jsonl(rows[:6], tmp_path / "a.jsonl")
    b = write_jsonl([*rows[:3], rows[3]], tmp_path / "b.jsonl")  # art-0000..art-0003 again, art-0003 twice in all
    c = write_jsonl([{"text": rows[7]["text"]}, {"text": rows[7]["text"]}], tmp_path / "c.jsonl")  # no ids: one hash
    warnings: list[str] = []
    summary = run([a, b, c], tmp_path / "out", spec, shard_rows=4, on_warning=warnings.append)
    ids = read_output(tmp_path / "out", columns=["article_id", "quote_index"]).to_pandas().drop_duplicates("article_id")
    assert summary.tagged == 12 and len(ids) == 12  # no two articles merged
    assert {"art-0000#2", "art-0003#2", f"{stable_id(rows[7]['text'])}#2"} <= set(ids["article_id"])
    assert "b.jsonl row 0: id 'art-0000' was used before; this article is 'art-0000#2'" in warnings
    assert len(warnings) == 5
    again: list[str] = []  # a rerun resumes with the same ids, from the plan
    assert run([a, b, c], tmp_path / "out", spec, shard_rows=4, on_warning=again.append).resumed == summary.shards
    from indoquote.archive.report import build_report, load_table

    report = build_report(load_table(tmp_path / "out"))
    assert dict((r[0], r[1]) for r in report.tables["summary"].rows)["articles"] == 12
