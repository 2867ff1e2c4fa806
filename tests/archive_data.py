"""A small news archive for the archive, engine and report tests: short articles cut from the seed, with metadata;
and a run stopped part way, as a kill would stop it."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path
from typing import Callable

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "seeds" / "antara-nato-russia-2021.txt"
PEOPLE = [("Jens", "Stoltenberg"), ("Retno", "Marsudi"), ("Sergei", "Lavrov"), ("Joko", "Widodo"), ("Sri", "Mulyani")]
OUTLETS = ["ANTARA", "Kompas", "Tempo"]


def articles(n: int = 300) -> list[dict]:
    """``n`` short articles: one to three seed paragraphs, rotated, with the speaker renamed; outlet, date, section, url."""
    paras = [p for p in SEED.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    out = []
    for i in range(n):
        start, k = i % len(paras), 1 + i % 3
        text = "\n\n".join((paras + paras)[start : start + k])
        given, family = PEOPLE[i % len(PEOPLE)]
        text = text.replace("Jens", given).replace("Stoltenberg", family).replace("delapan", str(2 + i % 9))
        out.append(
            {
                "id": f"art-{i:04d}",
                "text": text,
                "outlet": OUTLETS[i % len(OUTLETS)],
                "date": dt.datetime(2021, 1 + i % 12, 1 + i % 28, 9, 30),
                "section": ["dunia", "politik"][i % 2],
                "url": f"https://example.org/berita/{i}",
            }
        )
    return out


def write_parquet(rows: list[dict], path: Path, row_group_size: int = 20, drop: tuple[str, ...] = ()) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.Table.from_pylist([{k: v for k, v in r.items() if k not in drop} for r in rows]), path, row_group_size=row_group_size)
    return path


def write_jsonl(rows: list[dict], path: Path, extra_lines: dict[int, str] | None = None) -> Path:
    """One object a line (dates as ISO strings); ``extra_lines`` puts raw lines at the given (final) line numbers."""
    lines = [json.dumps({**r, "date": r["date"].isoformat()} if "date" in r else r, ensure_ascii=False) for r in rows]
    for at, line in sorted((extra_lines or {}).items()):
        lines.insert(at, line)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_csv(rows: list[dict], path: Path) -> Path:
    names = list(rows[0])
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(names)
        for r in rows:
            w.writerow([r[k].isoformat() if isinstance(r[k], dt.datetime) else r[k] for k in names])
    return path


def stop_after(shards: int, run: Callable[[], object]) -> list[str]:
    """Call ``run`` and stop it once ``shards`` shards are written, as Ctrl-C would; the ids of the written shards."""
    from indoquote.archive.output import Output

    real, written = Output.complete, []

    def complete(self, result):
        if len(written) == shards:
            raise KeyboardInterrupt
        written.append(result.shard.id)
        real(self, result)

    with pytest.MonkeyPatch.context() as m:
        m.setattr(Output, "complete", complete)
        with pytest.raises(KeyboardInterrupt):
            run()
    return written
