"""The `indoquote` command as users run it: help, data stats, config errors (sweeps and DDP: tests/e2e)."""

import json

import pytest

from conftest import SMOKE_FAST

FAST = SMOKE_FAST + ["trainer.epochs=2"]


@pytest.fixture
def indoquote(indoquote_cli):
    return indoquote_cli


def test_help_and_unknown_command(tmp_path, indoquote):
    assert "indoquote train" in indoquote("--help", cwd=tmp_path).stdout
    r = indoquote("fly", cwd=tmp_path)
    assert r.returncode == 2 and "unknown command 'fly'" in r.stderr


def test_data_prints_stats_and_writes_json(tmp_path, indoquote):
    r = indoquote("data", "experiment=smoke", f"output_root={tmp_path}", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "documents" in r.stdout and "STATEMENT" in r.stdout
    [stats] = tmp_path.glob("smoke/*/data_stats.json")
    s = json.loads(stats.read_text())
    assert sum(s["documents"].values()) == 60 and s["spans"]["train"]["STATEMENT"] > 0


def test_wrong_config_key_fails_with_the_key(tmp_path, indoquote):
    r = indoquote("train", "experiment=smoke", "trainer.learning_rate=1", cwd=tmp_path)
    assert r.returncode != 0 and "learning_rate" in r.stderr

