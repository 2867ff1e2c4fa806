"""Which checkpoints a command means, and how they were trained to be run.

``checkpoint=`` of ``evaluate``, ``link``, ``indirect`` and the bench scripts names one model
directory, several, or a sweep; a checkpoint's ``indoquote.json`` says its windows and the seed
of its document split. Resolving them here keeps training and bench from importing evaluation.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any, Mapping, Sequence

from ..errors import ModelLoadError
from .checkpoint import read_run_info
from .windows import WindowConfig

log = logging.getLogger(__name__)


CHECKPOINT_HINT = (
    "pass checkpoint= a model directory (a training run's best/, e.g. outputs/NAME/RUN/best, or a published "
    "model), several separated by commas (checkpoint=[A,B]), or a sweep directory holding such runs"
)


def resolve_checkpoints(spec: str | os.PathLike | Sequence[str | os.PathLike]) -> list[Path]:
    """The checkpoint directories named by ``checkpoint=``.

    Accepts one path, several (a list or a comma-separated string) and sweep
    directories: a run directory stands for its ``best/``, a directory that is
    neither a model nor a run stands for the models and runs directly inside it.
    A path that matches nothing is kept, so loading it reports what is wrong.
    """
    items = [s.strip() for s in spec.split(",")] if isinstance(spec, str) else [str(s) for s in spec]
    out: list[Path] = []
    for item in filter(None, items):
        path = Path(item).expanduser()
        found = _model_dir(path)
        if found is None and path.is_dir():
            children = sorted((c for c in path.iterdir() if c.is_dir()), key=_natural_key)
            found_children = [m for m in map(_model_dir, children) if m is not None]
            if found_children:
                out.extend(found_children)
                continue
        out.append(found or path)
    if not out:
        raise ModelLoadError(f"no checkpoint given; {CHECKPOINT_HINT}")
    return out


def _model_dir(path: Path) -> Path | None:
    if (path / "config.json").is_file():
        return path
    if (path / "best" / "config.json").is_file():
        return path / "best"
    return None


def _natural_key(path: Path) -> tuple:
    """Sweep job folders ``0, 1, ..., 10`` in numeric order."""
    return (0, int(path.name), "") if path.name.isdigit() else (1, 0, path.name)


def window_for(checkpoint: str | os.PathLike, override: Mapping[str, Any] | WindowConfig | None = None) -> WindowConfig:
    """The checkpoint's training windows (``indoquote.json``), each setting overridable."""
    if isinstance(override, WindowConfig):
        return override
    saved = read_run_info(checkpoint).window
    override = override or {}
    pick = {k: int(override[k]) if override.get(k) is not None else getattr(saved, k) for k in ("max_length", "stride")}
    return WindowConfig(**pick)


def split_seed(checkpoints: Sequence[Path], seed: int | None) -> int:
    """The seed of the document split: as given, else the one the (first) checkpoint's run used."""
    if seed is not None:
        return int(seed)
    seeds = [(read_run_info(p).data or {}).get("seed") for p in checkpoints]
    known = [s for s in seeds if s is not None]
    if len(set(known)) > 1:
        log.warning("the checkpoints were trained on different splits (seeds %s); using %s", sorted(set(known)), known[0])
    if not known:
        log.warning("%s does not say how its run split the data; using seed=42 (set seed=N)", checkpoints[0])
        return 42
    return int(known[0])
