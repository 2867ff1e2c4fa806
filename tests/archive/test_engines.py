"""``--engine ray`` against ``--engine local``: a local Ray cluster (2 CPUs) over a few hundred articles.

These run in CI (``.[dev]`` installs ``ray[data]``) and are kept short: one Ray
for the module, tiny checkpoint, short articles cut from the seed.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from indoquote.archive.engines import EngineOptions, TaggerSpec, ray_workers, tag_archive
from indoquote.archive.output import read_done_entries, read_output

from archive_data import articles, stop_after, write_jsonl, write_parquet


@pytest.fixture(scope="module")
def ray_local():
    import ray

    ray.init(num_cpus=2, include_dashboard=False, logging_level="warning",
             runtime_env={"env_vars": {"OMP_NUM_THREADS": "1", "TOKENIZERS_PARALLELISM": "false"}})
    yield ray
    ray.shutdown()


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    data = articles(300)
    data[17] = {**data[17], "text": None}  # a bad row, reported by both engines alike
    data[123] = {**data[123], "text": "  "}
    return data


def _entries(out) -> list[dict]:
    return sorted(({k: v for k, v in e.items() if k != "seconds"} for e in read_done_entries(out)), key=lambda e: e["shard"])


def test_ray_gives_the_rows_of_local(tmp_path, rows, tiny_checkpoint, ray_local):
    path = write_parquet(rows, tmp_path / "archive.parquet", row_group_size=25)
    spec = TaggerSpec(str(tiny_checkpoint))
    local = tag_archive([path], tmp_path / "local", spec, shard_rows=25)
    bad = []
    ray = tag_archive([path], tmp_path / "ray", spec, shard_rows=25, options=EngineOptions("ray", num_workers=2),
                      on_bad=lambda b, s: bad.append((b.shard, b.row, b.reason)))
    assert ray.workers == 2 and ray.shards == local.shards == 12 and ray.finished
    table = read_output(tmp_path / "ray")
    assert table.equals(read_output(tmp_path / "local"))  # same rows, same order, same types
    assert table.column_names[:5] == ["article_id", "outlet", "date", "section", "url"]  # metadata carried
    assert _entries(tmp_path / "ray") == _entries(tmp_path / "local")
    assert sorted(bad) == [("00000-00000", 17, "no text (null or missing)"), ("00000-00004", 123, "empty article")]
    assert (ray.articles, ray.tagged, ray.quotations, ray.bad) == (local.articles, local.tagged, local.quotations, local.bad)
    assert "ray, 2 workers" in ray.text()


def test_ray_finishes_a_killed_local_run(tmp_path, rows, tiny_checkpoint, ray_local):
    lines = write_jsonl([{k: v for k, v in r.items() if k != "date"} for r in rows], tmp_path / "archive.jsonl",
                        extra_lines={40: "{not json"})
    spec = TaggerSpec(str(tiny_checkpoint))
    stop_after(4, lambda: tag_archive([lines], tmp_path / "out", spec, shard_rows=30))
    done = tag_archive([lines], tmp_path / "out", spec, shard_rows=30, options=EngineOptions("ray", num_workers=1))
    assert done.resumed == 4 and done.shards == 11 and done.workers == 1
    assert done.rows == sum(30 for _ in range(6)) + 1  # the 7 shards left: 301 lines in all
    tag_archive([lines], tmp_path / "full", spec, shard_rows=30)
    assert read_output(tmp_path / "out").equals(read_output(tmp_path / "full"))
    bad = [(e["shard"], row, kind) for e in read_done_entries(tmp_path / "out") for row, kind, _ in e["bad"]]
    assert sorted(bad) == [("00000-00000", 17, "no text"), ("00000-00001", 40, "bad JSON"),
                           ("00000-00004", 124, "empty")]


def test_worker_sizing(ray_local):
    assert ray_workers(EngineOptions("ray"), pending=10) == (2, 0.0)  # one per CPU, no GPU here
    assert ray_workers(EngineOptions("ray"), pending=1) == (1, 0.0)  # never more workers than shards
    with pytest.raises(RuntimeError, match="need 3 CPUs"):
        ray_workers(EngineOptions("ray", num_workers=3), pending=10)
    with pytest.raises(RuntimeError, match="GPUs"):
        ray_workers(EngineOptions("ray", num_gpus_per_worker=1), pending=10)


def test_ray_is_imported_only_for_the_ray_engine():
    code = "import sys, indoquote.archive.engines, indoquote.archive, indoquote.archive.report; print('ray' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"

