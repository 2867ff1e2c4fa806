"""bench/build_real_archive.py: the real-news archive rebuilt from a git commit, blob ids checked, text and dates
cleaned."""

from __future__ import annotations

import json
import subprocess
from datetime import date, datetime

import pytest
from conftest import load_bench


def test_paragraphs_and_dates_are_read_back():
    b = load_bench("build_real_archive")
    text = ' - Kata dia.,"Kami siap," ujar Budi.,Semua siap, kata dia, pelan.'
    assert b.clean_text(text) == 'Kata dia.\n\n"Kami siap," ujar Budi.\n\nSemua siap, kata dia, pelan.'
    assert b.parse_date("x", "https://bola.kompas.com/read/2019/09/10/23510008/a") == date(2019, 9, 10)
    assert b.parse_date(None, "https://metro.sindonews.com/read/1439870/170/a-1568543504") == date(2019, 9, 15)
    for cell, day in (
        ("10-Sep-19", date(2019, 9, 10)),
        ("31 Juli 2019", date(2019, 7, 31)),
        ("Oktober 19, 2019", date(2019, 10, 19)),
        (" Oct 2, 2019 ", date(2019, 10, 2)),
        ("14/09/2019", date(2019, 9, 14)),
        ("-", None),
    ):
        assert b.parse_date(cell, "https://example.org/a") == day
    cells = [datetime(2019, 9, 17), datetime(2019, 10, 9), datetime(2019, 9, 18)]  # 9 Oct: Excel's 10 Sep
    days = [b.parse_date(c, "u") for c in cells]
    assert b._fix_swaps(days, cells, ["u"] * 3)[1] == date(2019, 9, 10)


def test_build_reads_the_recorded_commit_and_checks_blobs(tmp_path):
    b = load_bench("build_real_archive")
    repo = tmp_path / "repo"
    repo.mkdir()
    csv_text = (
        "title,source,date,time,category,sub-category,content,url\n"
        f'T1,x,10-Sep-19,10:00,News,News,"{"Isi berita pertama. " * 20}",https://x.org/2019/09/10/a\n'
        'T2,x,11-Sep-19,10:00,News,News,"pendek",https://x.org/2019/09/11/b\n'
    )
    (repo / "news.csv").write_text(csv_text, encoding="utf-8")
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@x"]
    subprocess.run([*git[:3], "init", "-q"], check=True)
    subprocess.run([*git, "add", "news.csv"], check=True)
    subprocess.run([*git, "commit", "-qm", "data"], check=True)
    commit = subprocess.run([*git, "rev-parse", "HEAD"], check=True, capture_output=True, text=True).stdout.strip()
    blob = subprocess.run(
        [*git, "rev-parse", "HEAD:news.csv"], check=True, capture_output=True, text=True
    ).stdout.strip()
    sources = {
        "sources": [{"repo": "o/r", "commit": commit, "files": [{"path": "news.csv", "blob": blob, "outlet": "x.org"}]}]
    }
    df = b.build({"o/r": repo}, sources)
    assert len(df) == 1 and df.iloc[0]["date"] == "2019-09-10" and df.iloc[0]["source"].startswith(f"o/r@{commit[:12]}")
    sources["sources"][0]["files"][0]["blob"] = "0" * 40
    with pytest.raises(SystemExit, match="blob"):
        b.build({"o/r": repo}, sources)
    (tmp_path / "m.json").write_text(json.dumps(sources), encoding="utf-8")
    with pytest.raises(SystemExit, match="no local copy of o/r"):
        b.build({}, sources)
