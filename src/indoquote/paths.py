"""Where the shipped configs and data live (repo checkout or installed wheel)."""

from __future__ import annotations

from pathlib import Path

_PKG = Path(__file__).resolve().parent


def _first(*candidates: Path) -> Path:
    for c in candidates:
        if c.is_dir():
            return c
    return candidates[-1]


CONFIG_DIR = _first(_PKG / "_configs", _PKG.parents[1] / "configs")
DATA_DIR = _first(_PKG / "_data", _PKG.parents[1] / "data")
