"""Resuming a killed training run: which run to continue, which checkpoint is whole, what the loss was.

``indoquote train`` started again with the same config continues the newest
unfinished run of that config (same :func:`fingerprint`, no ``DONE`` marker) from
its newest complete checkpoint; checkpoints cut short by a kill are set aside.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
from pathlib import Path
from typing import Any, Mapping, Sequence

from ..model.checkpoint import weights_problem

log = logging.getLogger(__name__)

DONE = "DONE"
"""Marker file of a finished run."""


def fingerprint(cfg: Mapping[str, Any]) -> str:
    """Identifies a run's settings (not its resume flag) to find it again after a crash."""
    clean = {k: v for k, v in cfg.items() if k not in {"hydra"}}
    clean["train"] = {k: v for k, v in dict(clean.get("train", {})).items() if k != "resume"}
    return hashlib.sha1(json.dumps(clean, sort_keys=True, default=str).encode()).hexdigest()[:12]


def find_unfinished(root: Path, fp: str, exclude: Path) -> Path | None:
    """The newest run under ``root`` with the same fingerprint, a checkpoint, and no DONE marker."""
    if not root.is_dir():
        return None
    cands = []
    for d in root.iterdir():
        if d.resolve() == exclude.resolve() or not (d / "fingerprint.txt").exists() or (d / DONE).exists():
            continue
        if (d / "fingerprint.txt").read_text().strip() == fp and any((d / "checkpoints").glob("checkpoint-*")):
            cands.append(d)
    return max(cands, key=lambda d: d.stat().st_mtime) if cands else None


def whole_run_loss(log_history: Sequence[Mapping[str, Any]], resumed_from: int, loss: float, global_step: int) -> float:
    """The mean training loss over every step of a run, the steps before a resume included.

    ``loss`` is the Trainer's ``training_loss``, the mean over the steps of this
    call only (``resumed_from`` to ``global_step``); the earlier steps' losses come
    from the checkpoint's log history, weighted by the steps each entry covers.
    """
    if resumed_from <= 0:
        return loss
    total, covered, prev = 0.0, 0, 0
    for h in log_history:
        if "loss" in h and prev < h.get("step", 0) <= resumed_from:
            total += float(h["loss"]) * (h["step"] - prev)
            covered += h["step"] - prev
            prev = h["step"]
    steps = max(global_step - resumed_from, 0)
    return (total + loss * steps) / max(covered + steps, 1)


CHECKPOINT_RE = re.compile(r"checkpoint-(\d+)")


def checkpoint_problem(ckpt: Path) -> str | None:
    """Why a Trainer checkpoint cannot be resumed from (``None``: it is complete).

    ``trainer_state.json`` is the last file the Trainer writes to a checkpoint; the
    weights must be whole safetensors, and the optimizer, scheduler and RNG states
    present and whole (:func:`torch_file_problem`; without them a resumed run
    crashes, or silently differs from an uninterrupted one).
    """
    try:
        int(json.loads((ckpt / "trainer_state.json").read_text(encoding="utf-8"))["global_step"])
    except FileNotFoundError:
        return "no trainer_state.json: killed while saving"
    except (OSError, ValueError, KeyError, TypeError) as e:
        return f"unreadable trainer_state.json ({type(e).__name__}: {e})"
    problem = weights_problem(ckpt)
    if problem:
        return problem
    for name in ("optimizer.pt", "scheduler.pt"):
        f = ckpt / name
        if not f.is_file() or f.stat().st_size == 0:
            return f"no {name}"
    rng = sorted(ckpt.glob("rng_state*.pth"))
    if not rng:
        return "no rng_state.pth"
    for f in [ckpt / "optimizer.pt", ckpt / "scheduler.pt", *rng]:
        problem = torch_file_problem(f)
        if problem:
            return problem
    return None


def torch_file_problem(f: Path) -> str | None:
    """Why a ``torch.save`` file (optimizer, scheduler, RNG state) is not whole (``None``: it is).

    Such a file is a zip archive; every member's CRC is checked, and nothing is
    unpickled (the Trainer loads it itself, weights-only): a truncated or
    overwritten file is found here instead of crashing the resumed run.
    """
    import zipfile

    try:
        with zipfile.ZipFile(f) as z:
            names = z.namelist()
            bad = z.testzip()
    except (OSError, EOFError, zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, RuntimeError) as e:
        return f"{f.name} is truncated or not a torch file ({type(e).__name__}: {' '.join(str(e).split())})"
    if bad is not None:
        return f"{f.name} is corrupt ({bad} fails its checksum)"
    if not any(n == "data.pkl" or n.endswith("/data.pkl") for n in names):
        return f"{f.name} is not a torch file (no data.pkl)"
    return None


def last_complete_checkpoint(folder: Path) -> str | None:
    """The newest ``checkpoint-N`` in ``folder`` that a run can resume from.

    Newer incomplete ones (a kill while saving, a truncated file) are set aside as
    ``incomplete-checkpoint-N`` (the Trainer would otherwise write into them or
    pick them again) with a warning, and the previous complete one is used.
    """
    if not folder.is_dir():
        return None
    found = sorted(
        ((int(m.group(1)), p) for p in folder.iterdir() if p.is_dir() and (m := CHECKPOINT_RE.fullmatch(p.name))),
        reverse=True,
    )
    for _, ckpt in found:
        problem = checkpoint_problem(ckpt)
        if problem is None:
            return str(ckpt)
        aside = ckpt.with_name(f"incomplete-{ckpt.name}")
        log.warning("checkpoint %s is incomplete (%s); set aside as %s, falling back to the previous checkpoint",
                    ckpt, problem, aside.name)
        if int(os.environ.get("RANK", "0")) == 0:  # one process of a data-parallel run moves it
            shutil.rmtree(aside, ignore_errors=True)
            try:
                ckpt.rename(aside)
            except OSError as e:  # another process got there first
                log.debug("could not set %s aside: %s", ckpt, e)
    if found:
        log.warning("no complete checkpoint in %s: training starts from the beginning", folder)
    return None
