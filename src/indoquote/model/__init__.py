"""The tagger model: windows, training-time models, checkpoints, decoding, numeric precision, ONNX.

Knows tags, never quote records: :mod:`~indoquote.model.decode` turns logits into word tags
(:mod:`~indoquote.model.decode` and :mod:`~indoquote.model.precision` import torch, so they are
not re-exported here); :mod:`~indoquote.model.checkpoint` loads a checkpoint but not the models
stored beside it (:func:`load_sidecar` lets their owners do that).
"""

from .checkpoint import Checkpoint, RunInfo, load_checkpoint, load_sidecar, read_run_info
from .resolve import resolve_checkpoints, split_seed, window_for
from .windows import WindowConfig

__all__ = [
    "Checkpoint",
    "RunInfo",
    "WindowConfig",
    "load_checkpoint",
    "load_sidecar",
    "read_run_info",
    "resolve_checkpoints",
    "split_seed",
    "window_for",
]
