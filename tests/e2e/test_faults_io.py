"""Disk and process faults replayed on the commands: a full disk, a read-only target, SIGKILL, two runs at once.

Each fault must leave the previous output or nothing (never a truncated file
under a final name, never a stray ``.tmp``), and say so in one line that names
the path, with exit 2. The disks are real (a small tmpfs) where the test may
mount one, else the fault is injected at write (:mod:`fault_env`).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from indoquote.archive.engines import TaggerSpec, tag_archive
from indoquote.archive.output import read_output
from indoquote.cli import predict_cli
from indoquote.cli.report import report_cli

from archive_data import articles, write_jsonl, write_parquet
from fault_env import read_only, small_disk, snapshot, stray_temps

pytestmark = pytest.mark.slow  # subprocesses, SIGKILL, a tiny model tagging archives


@pytest.fixture(scope="module")
def archive_out(tmp_path_factory, tiny_checkpoint) -> Path:
    """A small archive run's output (the report's input)."""
    root = tmp_path_factory.mktemp("archive")
    path = write_parquet(articles(40), root / "a.parquet", row_group_size=10)
    tag_archive([str(path)], root / "out", TaggerSpec(str(tiny_checkpoint)), shard_rows=10)
    return root / "out"


def one_line(err: str, command: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in err, err
    assert lines[0].startswith(f"indoquote {command}: error: "), lines[0]
    return lines[0]


# ------------------------------------------------------------------ a full disk


def test_report_on_a_full_disk_keeps_the_previous_report(tmp_path, archive_out, capsys):
    with small_disk(tmp_path / "disk", kib=2048) as disk:
        dest = disk.path / "report"
        assert report_cli([str(archive_out), "-o", str(dest)]) == 0
        before = snapshot(dest)
        assert {"report.html", "report.md", "speakers.csv"} <= set(before)
        capsys.readouterr()
        disk.fill(leave=2 * 1024)
        assert report_cli([str(archive_out), "-o", str(dest), "--title", "a second report"]) == 2
        line = one_line(capsys.readouterr().err, "report")
        assert f"cannot write {dest}" in line and "No space left on device" in line
        assert snapshot(dest) == before and stray_temps(disk.path) == []  # the first report, whole, nothing half-new
        disk.free()
        assert report_cli([str(archive_out), "-o", str(dest), "--title", "a second report"]) == 0
        assert "a second report" in (dest / "report.html").read_text(encoding="utf-8")


def test_an_archive_run_on_a_full_disk_names_the_path_and_finishes_once_there_is_room(
        tmp_path, tiny_checkpoint, capsys):
    path = write_parquet(articles(40), tmp_path / "a.parquet", row_group_size=10)
    with small_disk(tmp_path / "disk", kib=1024) as disk:
        fmt = "parquet" if disk.kind == "tmpfs" else "jsonl"  # injected faults reach Python's writes, not pyarrow's
        args = [str(path), "--model", str(tiny_checkpoint), "--shard-rows", "10", "--output-format", fmt]
        out = disk.path / "out"
        calls = {"n": 0}
        from indoquote.archive import output as shards

        real = shards.write_part

        def fill_after_two(out_dir, shard, table, fmt):  # the disk fills up while the third part is written
            calls["n"] += 1
            if calls["n"] == 3:
                disk.fill(leave=1024)
            return real(out_dir, shard, table, fmt)

        shards.write_part = fill_after_two
        try:
            assert predict_cli([*args, "-o", str(out)]) == 2
        finally:
            shards.write_part = real
        line = one_line(capsys.readouterr().err.split("\n", 1)[1], "predict")  # after the "N shards" line
        assert f"cannot write {out}/" in line and "No space left on device" in line
        assert stray_temps(disk.path) == []
        done = [json.loads(x)["shard"] for x in (out / "_shards.jsonl").read_text().splitlines()]
        assert len(done) == 2 and all((out / f"part-{s}.{fmt}").is_file() for s in done)
        disk.free()
        assert predict_cli([*args, "-o", str(out)]) == 0
        tag_archive([str(path)], tmp_path / "full", TaggerSpec(str(tiny_checkpoint)), shard_rows=10, output_format=fmt)
        assert read_output(out).equals(read_output(tmp_path / "full"))


def test_publish_on_a_full_disk_is_one_line_and_leaves_nothing(tmp_path, tiny_checkpoint, capsys, indoquote_cli):
    from indoquote.publish.package import main

    cfg = {"checkpoint": str(tiny_checkpoint), "metrics": None, "onnx": False, "push_to_hub": False, "hub_id": None,
           "private": False, "overwrite": False, "trim_vocab": False, "trim_data": None}
    with small_disk(tmp_path / "disk", kib=256) as disk:
        disk.fill(leave=16 * 1024)
        with pytest.raises(SystemExit) as e:
            main({**cfg, "out": str(disk.path / "pub")})
        assert e.value.code == 2
        line = one_line(capsys.readouterr().err, "publish")
        assert f"cannot publish to {disk.path / 'pub'}: No space left on device" in line
        assert sorted(p.name for p in disk.path.iterdir()) == ["filler"] or disk.kind == "injected"
        if disk.kind == "tmpfs":  # the command itself: no Hydra traceback
            r = indoquote_cli("publish", f"checkpoint={tiny_checkpoint}", f"out={disk.path / 'pub'}",
                              "trim_vocab=false", cwd=tmp_path)
            assert r.returncode == 2 and "No space left on device" in r.stderr and "Traceback" not in r.stderr
            assert not (disk.path / "pub").exists()


# ------------------------------------------------------------------ a read-only target


def test_predict_onto_a_read_only_file_system_is_refused_before_the_model_loads(tmp_path, tiny_checkpoint,
                                                                                capsys, monkeypatch):
    from indoquote.pipeline.tagger import QuoteTagger

    src = tmp_path / "a.txt"
    src.write_text('"Kami siap berdialog," kata Sekjen NATO Jens Stoltenberg.', encoding="utf-8")

    def must_not_load(*args, **kwargs):
        raise AssertionError("the model was loaded before the output was checked")

    monkeypatch.setattr(QuoteTagger, "from_pretrained", must_not_load)
    with read_only(tmp_path / "ro"):
        dest = tmp_path / "ro" / "out.jsonl"
        assert predict_cli([str(src), "--model", str(tiny_checkpoint), "-o", str(dest)]) == 2
        line = one_line(capsys.readouterr().err, "predict")
        assert str(dest) in line and "Read-only file system" in line


def test_an_archive_run_onto_a_read_only_file_system_is_one_line(tmp_path, tiny_checkpoint, capsys):
    path = write_jsonl(articles(5), tmp_path / "a.jsonl")
    with read_only(tmp_path / "ro"):
        assert predict_cli([str(path), "--model", str(tiny_checkpoint), "-o", str(tmp_path / "ro" / "out"),
                            "--output-format", "jsonl"]) == 2
        line = one_line(capsys.readouterr().err, "predict")
        assert str(tmp_path / "ro" / "out") in line and "Read-only file system" in line


def test_an_evaluation_onto_a_read_only_file_system_is_one_line(tmp_path, tiny_checkpoint, capsys, indoquote_cli):
    from indoquote.cli.jobs import _friendly
    from indoquote.scoring.evaluate import main

    from conftest import eval_config

    with read_only(tmp_path / "ro") as kind:
        with pytest.raises(SystemExit) as e:  # through the handler every Hydra command runs in
            _friendly("evaluate", main)(eval_config(tiny_checkpoint, tmp_path / "ro" / "eval"))
        assert e.value.code == 2
        line = one_line(capsys.readouterr().err.splitlines()[-1], "evaluate")
        assert f"cannot create the folder {tmp_path / 'ro' / 'eval'}: Read-only file system" in line
        if kind == "tmpfs":  # the command itself
            r = indoquote_cli("evaluate", f"checkpoint={tiny_checkpoint}", "data=tiny", "split=test",
                              f"out={tmp_path / 'ro' / 'eval'}", cwd=tmp_path)
            assert r.returncode == 2 and "Read-only file system" in r.stderr and "Traceback" not in r.stderr


# ------------------------------------------------------------------ SIGKILL


KILLED_REPORT = textwrap.dedent(
    """
    import os, signal, sys
    from indoquote.archive import report as who_quoted

    def markdown(*args, **kwargs):  # killed half-way: the CSVs and charts of the new report are written
        os.kill(os.getpid(), signal.SIGKILL)

    who_quoted.markdown = markdown
    options = who_quoted.ReportOptions(outlet_column="section", title="the new report")  # other CSVs than before
    who_quoted.write_report(sys.argv[1], sys.argv[2], options)
    """
)


def test_sigkill_while_a_report_is_written_leaves_the_previous_report(tmp_path, archive_out):
    dest = tmp_path / "report"
    assert report_cli([str(archive_out), "-o", str(dest), "--top", "3"]) == 0
    before = snapshot(dest)
    r = subprocess.run([sys.executable, "-c", KILLED_REPORT, str(archive_out), str(dest)], capture_output=True,
                       text=True, env={**os.environ, "OMP_NUM_THREADS": "1"}, timeout=300)
    assert r.returncode == -signal.SIGKILL, r.stderr[-2000:]
    after = snapshot(dest)  # only hidden .tmp files may stay behind a SIGKILL
    assert {k: v for k, v in after.items() if not Path(k).name.startswith(".")} == before
    assert all(Path(k).name.endswith(".tmp") for k in set(after) - set(before))


# ------------------------------------------------------------------ two runs at once


HOLDER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from indoquote.archive import output as shards
    from indoquote.archive.engines import TaggerSpec, tag_archive

    real, go = shards.write_part, Path(sys.argv[4])

    def write_part(*args):  # holds the folder until told to go on
        Path(sys.argv[4] + ".waiting").touch()
        while not go.exists():
            time.sleep(0.05)
        return real(*args)

    shards.write_part = write_part
    tag_archive([sys.argv[1]], sys.argv[2], TaggerSpec(sys.argv[3]), shard_rows=10)
    """
)


def wait_for(path: Path, proc: subprocess.Popen, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert proc.poll() is None, proc.communicate()[1][-3000:]
        assert time.monotonic() < deadline, "the first run did not start"
        time.sleep(0.05)


def test_two_archive_runs_into_one_folder(tmp_path, tiny_checkpoint, capsys):
    path = write_parquet(articles(30), tmp_path / "a.parquet", row_group_size=10)
    out, go = tmp_path / "out", tmp_path / "go"
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    first = subprocess.Popen([sys.executable, "-c", HOLDER, str(path), str(out), str(tiny_checkpoint), str(go)],
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_for(Path(str(go) + ".waiting"), first)
        args = [str(path), "--model", str(tiny_checkpoint), "--shard-rows", "10", "-o", str(out)]
        assert predict_cli(args) == 2  # the second run is refused, and touches nothing
        line = one_line(capsys.readouterr().err, "predict")
        holder = f"pid {first.pid} on host {socket.gethostname()}"
        assert f"{out} is in use by another indoquote predict run ({holder}" in line
        go.touch()
        assert first.wait(timeout=300) == 0, first.communicate()[1][-3000:]
    finally:
        first.kill()
    entries = [json.loads(x)["shard"] for x in (out / "_shards.jsonl").read_text().splitlines()]
    assert sorted(entries) == ["00000-00000", "00000-00001", "00000-00002"]  # each shard once
    assert not (out / "_indoquote.lock").exists()


def test_a_run_killed_holding_the_lock_is_taken_over_with_a_warning(tmp_path, tiny_checkpoint, capsys):
    path = write_parquet(articles(30), tmp_path / "a.parquet", row_group_size=10)
    out, go = tmp_path / "out", tmp_path / "go"
    first = subprocess.Popen([sys.executable, "-c", HOLDER, str(path), str(out), str(tiny_checkpoint), str(go)],
                             env={**os.environ, "OMP_NUM_THREADS": "1"}, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    wait_for(Path(str(go) + ".waiting"), first)
    first.send_signal(signal.SIGKILL)
    first.wait()
    assert json.loads((out / "_indoquote.lock").read_text())["pid"] == first.pid  # left behind by the kill
    assert predict_cli([str(path), "--model", str(tiny_checkpoint), "--shard-rows", "10", "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert f"warning: {out / '_indoquote.lock'}: took over a stale lock (pid {first.pid} on host" in err
    assert len((out / "_shards.jsonl").read_text().splitlines()) == 3 and not (out / "_indoquote.lock").exists()
