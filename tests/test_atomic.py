"""``indoquote.atomic``: files whole or absent, a failed write leaves the previous file, errors name their path."""

from __future__ import annotations

import errno
import os

import pytest

from indoquote.atomic import OutputError, append_line, atomic_open, check_writable, file_set, write_bytes, write_text

from fault_env import read_only, small_disk, stray_temps


def test_a_file_appears_whole_and_no_temporary_file_stays(tmp_path):
    write_text(tmp_path / "a.txt", "one\n")
    write_bytes(tmp_path / "b.bin", b"\x00\x01")
    with atomic_open(tmp_path / "c.csv", newline="") as f:
        f.write("x,y\r\n")
    assert (tmp_path / "a.txt").read_text() == "one\n" and (tmp_path / "b.bin").read_bytes() == b"\x00\x01"
    assert (tmp_path / "c.csv").read_bytes() == b"x,y\r\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.bin", "c.csv"]


def test_an_error_half_way_leaves_the_previous_file(tmp_path):
    path = tmp_path / "out.jsonl"
    path.write_text("previous\n")
    with pytest.raises(RuntimeError):
        with atomic_open(path) as f:
            f.write("half of a new")
            raise RuntimeError("the writer failed")
    assert path.read_text() == "previous\n" and stray_temps(tmp_path) == []


def test_a_full_disk_is_one_line_naming_the_path_and_keeps_the_previous_file(tmp_path):
    with small_disk(tmp_path / "disk", kib=256) as disk:
        path = disk.path / "report.html"
        write_text(path, "the previous report\n")
        disk.fill(leave=8 * 1024)
        with pytest.raises(OutputError) as e:
            write_text(path, "x" * 200_000)
        assert e.value.errno == errno.ENOSPC
        assert str(e.value).startswith(f"cannot write {path}: ") and "\n" not in str(e.value)
        assert path.read_text() == "the previous report\n" and stray_temps(disk.path) == []
        with pytest.raises(OutputError):  # a set of files: none of them lands
            with file_set() as files:
                files.write_text(disk.path / "a.csv", "small\n")
                files.write_text(disk.path / "b.html", "y" * 200_000)
        assert not (disk.path / "a.csv").exists() and stray_temps(disk.path) == []


def test_a_failed_append_leaves_no_torn_line(tmp_path):
    with small_disk(tmp_path / "disk", kib=256) as disk:
        log = disk.path / "_shards.jsonl"
        append_line(log, '{"shard": "00000-00000"}')
        disk.fill(leave=0 if disk.kind == "injected" else 4 * 1024)
        with pytest.raises(OutputError) as e:
            append_line(log, '{"shard": "' + "z" * 300_000 + '"}')
        assert str(log) in str(e.value)
        assert log.read_text() == '{"shard": "00000-00000"}\n'


def test_a_read_only_target_is_found_before_any_work(tmp_path):
    with read_only(tmp_path / "ro"):
        problem = check_writable(tmp_path / "ro" / "out.jsonl")
        assert problem is not None and "out.jsonl" in problem and "Read-only file system" in problem
        with pytest.raises(OutputError, match="cannot write .*out.jsonl: Read-only file system"):
            write_text(tmp_path / "ro" / "out.jsonl", "x")
    assert check_writable(tmp_path / "missing" / "x") == f"no such directory {tmp_path / 'missing'}"
    assert check_writable(tmp_path) == f"{tmp_path} is a directory; name a file"
    assert check_writable(tmp_path / "fine.txt") is None and os.listdir(tmp_path) == ["ro"]
