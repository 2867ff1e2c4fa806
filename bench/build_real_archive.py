"""Rebuild the real-news archive of the report (issue 30) from public scraped data sets, outside the repository.

The articles are never committed: ``bench/real_archive_sources.json`` records each
source (repository, commit, file path, git blob id, outlet) and this script reads
the files straight from a local clone or snapshot of the repository at that commit
(``git show COMMIT:PATH``), checks the blob ids, and writes one Parquet table:

    id, text, outlet, date (YYYY-MM-DD), url, title, category, source (repo@commit:path#row)

Usage::

    git clone https://github.com/andikawilliam/CLICK-ID /tmp/CLICK-ID
    python bench/build_real_archive.py --repo andikawilliam/CLICK-ID=/tmp/CLICK-ID -o /data/real-news/articles.parquet
    # a sample to tag (every outlet, the days they share first): --sample 5000 -o sample.parquet

Cleaning is light and recorded here: the scrapers joined paragraphs with a comma
(``...penting.","Semua``), which becomes a blank line; a leading `` - `` (the
dateline the scraper cut) is dropped; the scrapers also dropped the words of some
links (``Pelatih ,, Gareth``), which stay as they are. Dates come from the URL where
it holds one (``/2019/09/10/``, or the Unix time ending a sindonews URL), else from
the date column; Excel read some ``dd/mm`` dates as ``mm/dd``, and such a date is
swapped back when the swapped one is nearer the file's other dates. Empty articles,
articles under 200 characters and repeated URLs are left out (counted on stderr).
Needs ``openpyxl`` for the ``.xlsx`` files (``pip install -e ".[bench]"``).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import re
import subprocess
import sys
from datetime import date, datetime, timezone
from pathlib import Path

import pandas as pd

from indoquote.atomic import atomic_path

SOURCES = Path(__file__).with_name("real_archive_sources.json")
MIN_CHARS = 200
MONTHS = {
    "jan": 1,
    "januari": 1,
    "january": 1,
    "feb": 2,
    "februari": 2,
    "february": 2,
    "mar": 3,
    "maret": 3,
    "march": 3,
    "apr": 4,
    "april": 4,
    "mei": 5,
    "may": 5,
    "jun": 6,
    "juni": 6,
    "june": 6,
    "jul": 7,
    "juli": 7,
    "july": 7,
    "agu": 8,
    "agt": 8,
    "agustus": 8,
    "aug": 8,
    "august": 8,
    "sep": 9,
    "sept": 9,
    "september": 9,
    "okt": 10,
    "oktober": 10,
    "oct": 10,
    "october": 10,
    "nov": 11,
    "november": 11,
    "nopember": 11,
    "des": 12,
    "desember": 12,
    "dec": 12,
    "december": 12,
}
_PARAGRAPH = re.compile(r"([.!?][\"”]?)\s*,\s*(?=[\"“A-Z0-9])")
_URL_DATE = re.compile(r"/(20\d\d)/(\d\d)/(\d\d)/")
_URL_UNIX = re.compile(r"-(1[3-7]\d{8})$")


def git_blob(repo_dir: Path, commit: str, path: str) -> tuple[str, bytes]:
    """The blob id and bytes of ``path`` at ``commit`` in a clone or bare snapshot."""

    def git(*args: str) -> bytes:
        return subprocess.run(["git", f"--git-dir={_git_dir(repo_dir)}", *args], check=True, capture_output=True).stdout

    blob = git("rev-parse", f"{commit}:{path}").decode().strip()
    return blob, git("cat-file", "blob", blob)


def _git_dir(repo_dir: Path) -> Path:
    return repo_dir / ".git" if (repo_dir / ".git").exists() else repo_dir


def clean_text(text: str) -> str:
    """Paragraphs the scraper joined with commas split again; the leading `` - `` dropped."""
    text = re.sub(r"^\s*-\s+", "", str(text))
    return _PARAGRAPH.sub(lambda m: m.group(1) + "\n\n", text).strip()


def parse_date(value, url: str) -> date | None:
    """The publication day: from the URL when it holds one, else the date cell (see :func:`_fix_swaps`)."""
    m = _URL_DATE.search(url)
    if m:
        return date(int(m[1]), int(m[2]), int(m[3]))
    m = _URL_UNIX.search(url)
    if m:
        return datetime.fromtimestamp(int(m[1]), timezone.utc).date()
    if isinstance(value, (datetime, pd.Timestamp)):
        return value.date()
    return _date_text(str(value))


def _date_text(text: str) -> date | None:
    """``10-Sep-19``, ``31 Juli 2019``, ``Oktober 19, 2019``, ``Oct 2, 2019``, ``14/09/2019``, ``2019-09-14``."""
    text = text.strip().replace(",", " ")
    if m := re.match(r"^(\d{4})-(\d\d)-(\d\d)", text):
        return date(int(m[1]), int(m[2]), int(m[3]))
    if m := re.match(r"^(\d{1,2})/(\d{1,2})/(\d{4})$", text):
        return date(int(m[3]), int(m[2]), int(m[1]))
    words = re.split(r"[\s\-]+", text.casefold())
    day = month = year = None
    for w in words:
        if w in MONTHS:
            month = MONTHS[w]
        elif w.isdigit() and len(w) == 4:
            year = int(w)
        elif w.isdigit() and day is None and int(w) <= 31:
            day = int(w)
        elif w.isdigit() and len(w) == 2 and year is None:
            year = 2000 + int(w)
    try:
        return date(year, month, day) if day and month and year else None
    except ValueError:
        return None


def _fix_swaps(days: list[date | None], cells: list, urls: list[str]) -> list[date | None]:
    """Excel turned some ``dd/mm/yyyy`` cells into ``mm/dd``: a day read from a cell is swapped back when the
    swapped day is nearer the median."""
    known = sorted(d for d in days if d is not None)
    if not known:
        return days
    median = known[len(known) // 2]
    out = []
    for d, cell, url in zip(days, cells, urls):
        if d is not None and isinstance(cell, (datetime, pd.Timestamp)) and d.day <= 12 and not _URL_DATE.search(url):
            try:
                swapped = date(d.year, d.day, d.month)
            except ValueError:
                swapped = d
            d = swapped if abs((swapped - median).days) < abs((d - median).days) else d
        out.append(d)
    return out


def read_source_file(data: bytes, path: str) -> pd.DataFrame:
    if path.endswith(".csv"):
        return pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)
    return pd.read_excel(io.BytesIO(data))


def build(repo_dirs: dict[str, Path], sources: dict) -> pd.DataFrame:
    frames = []
    for src in sources["sources"]:
        repo, commit = src["repo"], src["commit"]
        if repo not in repo_dirs:
            raise SystemExit(f"no local copy of {repo}: pass --repo {repo}=DIR (a clone holding commit {commit})")
        for f in src["files"]:
            blob, data = git_blob(repo_dirs[repo], commit, f["path"])
            if blob != f["blob"]:
                raise SystemExit(f"{repo}@{commit}:{f['path']}: blob {blob}, the manifest records {f['blob']}")
            raw = read_source_file(data, f["path"])
            urls = raw["url"].fillna("").astype(str).str.strip().tolist()
            cells = raw["date"].tolist()
            days = _fix_swaps([parse_date(c, u) for c, u in zip(cells, urls)], cells, urls)
            texts = [clean_text(t) if isinstance(t, str) else "" for t in raw["content"].tolist()]
            frame = pd.DataFrame(
                {
                    "text": texts,
                    "outlet": f["outlet"],
                    "date": [d.isoformat() if d else None for d in days],
                    "url": urls,
                    "title": raw["title"].fillna("").astype(str).str.strip(),
                    "category": raw["category"].fillna("").astype(str).str.strip(),
                    "source": [f"{repo}@{commit[:12]}:{f['path']}#{i}" for i in range(len(raw))],
                }
            )
            frames.append(frame)
    df = pd.concat(frames, ignore_index=True)
    n = len(df)
    short = df["text"].str.len() < MIN_CHARS
    df = df[~short]
    dup = df["url"].ne("") & df.duplicated("url")
    df = df[~dup].copy()
    df.insert(
        0,
        "id",
        [
            hashlib.sha1(u.encode()).hexdigest()[:16] if u else hashlib.sha1(t.encode()).hexdigest()[:16]
            for u, t in zip(df["url"], df["text"])
        ],
    )
    print(
        f"{n:,} rows read; {int(short.sum()):,} empty or under {MIN_CHARS} characters and {int(dup.sum()):,} repeated "
        f"URLs left out; {len(df):,} articles from {df['outlet'].nunique()} outlets",
        file=sys.stderr,
    )
    return df.reset_index(drop=True)


def sample(df: pd.DataFrame, n: int, seed: int = 0) -> pd.DataFrame:
    """``n`` articles: the days most outlets share first (where a quotation can travel between them), outlets mixed."""
    if n >= len(df):
        return df
    per_day = df.dropna(subset=["date"]).groupby("date")["outlet"].nunique()
    df = df.assign(
        _shared=df["date"].map(per_day).fillna(0),
        _r=df["id"].map(lambda i: hashlib.sha1(f"{seed}:{i}".encode()).hexdigest()),
    )
    out = df.sort_values(["_shared", "_r"], ascending=[False, True]).head(n)
    return out.drop(columns=["_shared", "_r"]).sort_values(["date", "outlet", "id"]).reset_index(drop=True)


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument(
        "--repo",
        action="append",
        default=[],
        metavar="OWNER/NAME=DIR",
        help="a local clone or snapshot of a source repository (repeat for each)",
    )
    p.add_argument("--sources", type=Path, default=SOURCES)
    p.add_argument("--sample", type=int, metavar="N", help="keep N articles (see sample())")
    p.add_argument("--row-group", type=int, default=500, help="Parquet rows per row group (indoquote shards by them)")
    p.add_argument("-o", "--output", type=Path, required=True)
    args = p.parse_args(argv)
    repo_dirs = {}
    for item in args.repo:
        name, _, d = item.partition("=")
        repo_dirs[name] = Path(d)
    df = build(repo_dirs, json.loads(args.sources.read_text(encoding="utf-8")))
    if args.sample:
        df = sample(df, args.sample)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(args.output) as tmp:  # whole or not at all
        df.to_parquet(tmp, index=False, row_group_size=args.row_group)
    counts = df.groupby("outlet").size().sort_values(ascending=False)
    print(f"{len(df):,} articles -> {args.output}; dates {df['date'].min()} .. {df['date'].max()}", file=sys.stderr)
    print(counts.to_string(), file=sys.stderr)


if __name__ == "__main__":
    main()
