"""``indoquote.training.resume``: any unreadable piece of the latest checkpoint sets it aside, the previous one
is resumed."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from indoquote.training.resume import last_complete_checkpoint

PIECES = ("optimizer.pt", "scheduler.pt", "rng_state.pth", "model.safetensors", "trainer_state.json")


def fake_checkpoint(folder: Path, step: int) -> Path:
    """The files a Trainer checkpoint holds, small: safetensors weights, torch.save states, the trainer state."""
    import torch
    from safetensors.torch import save_file

    d = folder / f"checkpoint-{step}"
    d.mkdir(parents=True)
    save_file({"w": torch.zeros(64, 64)}, str(d / "model.safetensors"))
    layer = torch.nn.Linear(64, 64)
    opt = torch.optim.AdamW(layer.parameters())
    layer(torch.ones(1, 64)).sum().backward()
    opt.step()
    torch.save(opt.state_dict(), d / "optimizer.pt")
    torch.save({"last_epoch": step, "_step_count": step + 1}, d / "scheduler.pt")
    torch.save({"python": [1, 2, 3], "cpu": torch.get_rng_state()}, d / "rng_state.pth")
    (d / "trainer_state.json").write_text(json.dumps({"global_step": step, "log_history": []}))
    return d


CASES = [(piece, how) for piece in PIECES for how in ("truncated", "overwritten")
         if (piece, how) != ("model.safetensors", "overwritten")]
"""Changed bytes inside the weights' tensor data read as other numbers: safetensors has no checksum to tell."""


@pytest.mark.parametrize("piece,how", CASES)
def test_an_unreadable_piece_of_the_latest_checkpoint_falls_back_to_the_previous_one(tmp_path, caplog, piece, how):
    folder = tmp_path / "checkpoints"
    fake_checkpoint(folder, 4)
    latest = fake_checkpoint(folder, 8)
    f = latest / piece
    data = f.read_bytes()
    if how == "truncated":  # a disk that filled up, a copy cut short
        f.write_bytes(data[: len(data) // 2])
    else:  # bytes changed in the middle (a bad sector, a partial overwrite)
        mid = len(data) // 2
        f.write_bytes(data[:mid] + bytes(b ^ 0x5A for b in data[mid : mid + 64]) + data[mid + 64 :])
    with caplog.at_level(logging.WARNING):
        assert last_complete_checkpoint(folder) == str(folder / "checkpoint-4")
    name = "trainer_state.json" if piece == "trainer_state.json" else piece
    assert "checkpoint-8 is incomplete" in caplog.text and name in caplog.text
    assert (folder / "incomplete-checkpoint-8").is_dir() and not latest.exists()


def test_whole_checkpoints_are_resumed_from_the_latest(tmp_path, caplog):
    folder = tmp_path / "checkpoints"
    fake_checkpoint(folder, 4)
    fake_checkpoint(folder, 8)
    with caplog.at_level(logging.WARNING):
        assert last_complete_checkpoint(folder) == str(folder / "checkpoint-8")
    assert caplog.text == ""
