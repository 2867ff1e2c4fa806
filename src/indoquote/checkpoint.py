"""One way to load a trained tagger: a checkpoint or published directory, a hub id, or its ONNX export.

Everything that serves or scores a model (``QuoteTagger``, ``indoquote evaluate``,
``indoquote publish``) loads it through :func:`load_checkpoint`, which returns the
model, its tokenizer, its IOB2 tags, the windows it was trained with and how its
run split the data. That run information lives in one sidecar file,
``indoquote.json``, written by training and by publish alike; a plain token
classifier without it loads with the default windows. Weights are safetensors
only and no remote code runs.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Sequence

from .labels import LabelSchema, TagError, split_tag
from .windows import WindowConfig

RUN_INFO = "indoquote.json"
BACKENDS = ("torch", "onnx", "onnx-int8")
ONNX_FILES = {"onnx": "model.onnx", "onnx-int8": "model.int8.onnx"}
DEFAULT_WINDOW = WindowConfig(max_length=256, stride=64)


class ModelLoadError(RuntimeError):
    """A model or tokenizer that cannot be loaded, with what to do instead."""


@dataclass(frozen=True)
class RunInfo:
    """What inference needs to know about a run: its labels, its windows, how it split its data."""

    schema: str | None = None
    tags: list[str] | None = None
    window: WindowConfig = DEFAULT_WINDOW
    data: dict[str, Any] | None = None  # {"name", "seed", "split"}: the document split training used

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> RunInfo:
        w = obj.get("windows") or {}
        window = WindowConfig(
            int(w.get("max_length", DEFAULT_WINDOW.max_length)), int(w.get("stride", DEFAULT_WINDOW.stride))
        )
        return cls(obj.get("schema"), obj.get("tags"), window, obj.get("data"))

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "schema": self.schema,
            "tags": self.tags,
            "windows": {"max_length": self.window.max_length, "stride": self.window.stride},
        }
        if self.data is not None:
            out["data"] = self.data
        return out


def write_run_info(
    directory: str | os.PathLike, schema: LabelSchema, window: WindowConfig, data: Mapping[str, Any] | None = None
) -> None:
    """``indoquote.json`` beside the weights: how to window and read the model, and how its data was split."""
    info = RunInfo(schema.name, list(schema.tags), window, dict(data) if data is not None else None)
    (Path(directory) / RUN_INFO).write_text(json.dumps(info.to_json(), indent=2))


def read_run_info(directory: str | os.PathLike) -> RunInfo:
    """The directory's ``indoquote.json``; defaults for a plain token-classification model."""
    p = Path(directory) / RUN_INFO
    return RunInfo.from_json(json.loads(p.read_text(encoding="utf-8"))) if p.exists() else RunInfo()


def checkpoint_tags(path: str | os.PathLike, hint: str = "") -> list[str]:
    """The tags a checkpoint predicts, from its ``config.json`` (cheap: no weights loaded)."""
    p = Path(path).expanduser()
    more = f"; {hint}" if hint else ""
    if not p.is_dir():
        raise ModelLoadError(f"checkpoint {p}: no such directory{more}")
    config = p / "config.json"
    if not config.is_file():
        raise ModelLoadError(f"checkpoint {p}: not a model directory (no config.json){more}")
    try:
        id2label = json.loads(config.read_text(encoding="utf-8"))["id2label"]
        return [id2label[str(i)] for i in range(len(id2label))]
    except (ValueError, KeyError, TypeError) as e:
        raise ModelLoadError(
            f"checkpoint {p}: config.json has no usable id2label ({type(e).__name__}: {e}); "
            "it is not a token-classification checkpoint of this project"
        ) from None


def model_tags(model) -> list[str]:
    """The tag list a loaded model predicts, in id order."""
    id2label = model.config.id2label
    return [id2label[i] for i in range(len(id2label))]


def check_labels(tags: Sequence[str], where: str) -> None:
    """Refuse labels that are not IOB2 quotation tags (records would be empty or wrong)."""
    try:
        for t in tags:
            split_tag(t)
    except TagError as e:
        raise ModelLoadError(f"{where}: labels are not IOB2 tags ({e}); is this an indoquote token classifier?") from None
    if "B-STATEMENT" not in tags and "B-QUOTE" not in tags:
        raise ModelLoadError(f"{where}: no STATEMENT/QUOTE label among {list(tags)[:6]}...; not a quotation tagger")


@dataclass
class Checkpoint:
    """A loaded tagger and everything needed to run it as it was trained."""

    model: Any
    tokenizer: Any
    tags: list[str]
    info: RunInfo = field(default_factory=RunInfo)
    source: str = ""
    backend: str = "torch"

    @property
    def window(self) -> WindowConfig:
        return self.info.window


def looks_like_path(name: str) -> bool:
    """A hub id is ``name`` or ``owner/name``; anything else is meant as a local path."""
    return Path(name).expanduser().exists() or name.startswith((".", "/", "~")) or name.count("/") > 1 or "\\" in name


def load_checkpoint(
    name_or_path: str | os.PathLike, backend: str = "torch", threads: int | None = None, check: bool = True
) -> Checkpoint:
    """Load a checkpoint directory, a published directory or a hub id; bad input raises :class:`ModelLoadError`.

    ``backend`` ``"onnx"`` / ``"onnx-int8"`` (local directories only) serves the
    export of ``indoquote publish onnx=true`` on onnxruntime with ``threads``
    intra-op threads. ``check`` refuses models whose labels are not quotation tags.
    """
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {BACKENDS}, got {backend!r}")
    name = str(name_or_path)
    if backend != "torch":
        ckpt = _load_onnx(name, backend, threads)
    elif looks_like_path(name):
        ckpt = _load_dir(Path(name).expanduser())
    else:
        ckpt = _load_hub(name)
    if check:
        check_labels(ckpt.tags, name)
    return ckpt


def _load_dir(p: Path) -> Checkpoint:
    from transformers import AutoModelForTokenClassification, AutoTokenizer

    if not p.is_dir():
        raise ModelLoadError(f"checkpoint {p}: no such directory")
    if not (p / "config.json").exists() or not any(p.glob("*.safetensors")):
        raise ModelLoadError(f"checkpoint {p}: not a model directory (needs config.json and *.safetensors weights)")
    try:
        tok = AutoTokenizer.from_pretrained(str(p), trust_remote_code=False)
        model = AutoModelForTokenClassification.from_pretrained(str(p), trust_remote_code=False, use_safetensors=True)
    except (OSError, ValueError) as e:
        raise ModelLoadError(f"checkpoint {p}: cannot load ({e})") from None
    return Checkpoint(model, tok, model_tags(model), read_run_info(p), str(p), "torch")


def _load_hub(hub_id: str) -> Checkpoint:
    """Tokenizer, model and run info from the Hugging Face Hub (safetensors only, no remote code)."""
    from transformers import AutoModelForTokenClassification, AutoTokenizer

    try:
        tok = AutoTokenizer.from_pretrained(hub_id, trust_remote_code=False)
        model = AutoModelForTokenClassification.from_pretrained(hub_id, use_safetensors=True, trust_remote_code=False)
    except (OSError, ValueError) as e:
        raise ModelLoadError(
            f"{hub_id!r} is not a local directory and cannot be loaded from the Hugging Face Hub ({e}). "
            "Pass a checkpoint directory (with config.json and *.safetensors), or a hub id while online."
        ) from None
    info = RunInfo()
    try:
        from huggingface_hub import hf_hub_download

        info = RunInfo.from_json(json.loads(Path(hf_hub_download(hub_id, RUN_INFO)).read_text()))
    except Exception:  # no indoquote.json: a plain token classifier, default windows
        pass
    return Checkpoint(model, tok, model_tags(model), info, hub_id, "torch")


def _load_onnx(name: str, backend: str, threads: int | None) -> Checkpoint:
    """An ONNX export beside its tokenizer and config; the torch weights are not loaded."""
    from transformers import AutoConfig, AutoTokenizer

    from .onnx_backend import OnnxTokenClassifier

    path = Path(name).expanduser()
    if not looks_like_path(name) or not path.is_dir():
        raise ModelLoadError(f"backend={backend} needs a local directory with {ONNX_FILES[backend]}, got {name!r}")
    onnx_path = path / ONNX_FILES[backend]
    if not onnx_path.exists():
        raise ModelLoadError(f"{onnx_path}: missing; export it with `indoquote publish checkpoint=... out={path} onnx=true`")
    try:
        config = AutoConfig.from_pretrained(str(path), trust_remote_code=False)
        tok = AutoTokenizer.from_pretrained(str(path), trust_remote_code=False)
    except (OSError, ValueError) as e:
        raise ModelLoadError(f"{path}: cannot load the tokenizer or config.json ({e})") from None
    model = OnnxTokenClassifier(onnx_path, config, threads)
    return Checkpoint(model, tok, model_tags(model), read_run_info(path), str(path), backend)
