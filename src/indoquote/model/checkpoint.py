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
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from ..errors import ModelLoadError, TagError
from ..text.labels import LabelSchema, split_tag
from .windows import WindowConfig

RUN_INFO = "indoquote.json"
BACKENDS = ("torch", "onnx", "onnx-int8")
ONNX_FILES = {"onnx": "model.onnx", "onnx-int8": "model.int8.onnx"}
DEFAULT_WINDOW = WindowConfig(max_length=256, stride=64)


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
    from ..atomic import write_text

    write_text(Path(directory) / RUN_INFO, json.dumps(info.to_json(), indent=2))


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


_HUB_PART = r"[A-Za-z0-9](?:[A-Za-z0-9._-]{0,94}[A-Za-z0-9])?"
HUB_ID = re.compile(rf"{_HUB_PART}(?:/{_HUB_PART})?")
"""A Hugging Face repository id: ``name`` or ``owner/name``, letters, digits, ``-``, ``_``, ``.``."""


def looks_like_path(name: str) -> bool:
    """Whether ``name`` means a local path rather than a hub id (``name`` or ``owner/name``).

    A path: anything that exists, starts with ``.``, ``/`` or ``~``, has two slashes or
    a backslash, is no legal hub id (``--``, ``..``, spaces...), or whose first part
    is a local directory (``smoke/bset`` beside ``smoke/``: a typo, not a hub id).
    """
    if Path(name).expanduser().exists() or name.startswith((".", "/", "~")) or name.count("/") > 1 or "\\" in name:
        return True
    if not HUB_ID.fullmatch(name) or "--" in name or ".." in name:
        return True
    return "/" in name and Path(name.split("/", 1)[0]).is_dir()


def weights_problem(directory: str | os.PathLike) -> str | None:
    """Why a directory's safetensors weights cannot be read (``None``: they can).

    Reads each file's header only (cheap): a missing file, a truncated file or a
    file that is not safetensors is named, with the reason.
    """
    d = Path(directory)
    index = d / "model.safetensors.index.json"
    if index.is_file():
        try:
            names = sorted(set(json.loads(index.read_text(encoding="utf-8"))["weight_map"].values()))
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as e:
            return f"{index.name} is unreadable ({type(e).__name__}: {e})"
    elif (d / "model.safetensors").is_file():
        names = ["model.safetensors"]
    else:
        names = sorted(p.name for p in d.glob("*.safetensors"))
        if not names:
            return "no model.safetensors"
    from safetensors import safe_open

    for name in names:
        f = d / name
        if not f.is_file():
            return f"no {name}"
        try:
            with safe_open(str(f), framework="pt") as st:
                st.keys()
        except Exception as e:  # SafetensorError: truncated, not safetensors at all
            return f"{name} is truncated or not safetensors ({_one_line(e)})"
    return None


def check_device(device: str | None) -> str:
    """The torch device to run on: ``device`` checked, or ``cuda`` when there is one (``None``).

    ``cuda`` / ``cuda:N`` / ``mps`` that this machine does not have raise
    :class:`ModelLoadError` at once, instead of a traceback at the first batch.
    """
    import torch

    if device is None or str(device).strip() == "":
        return "cuda" if torch.cuda.is_available() else "cpu"
    name = str(device).strip()
    try:
        dev = torch.device(name)
    except (RuntimeError, ValueError, TypeError) as e:
        raise ModelLoadError(f"device {name!r}: not a torch device ({_one_line(e)}); use cpu, cuda or cuda:N") from None
    if dev.type == "cuda":
        if not torch.cuda.is_available():
            build = "a CPU-only torch build" if torch.version.cuda is None else "no GPU visible"
            raise ModelLoadError(
                f"device {name!r}: CUDA is not available on this machine ({build}); use cpu or leave the device unset"
            )
        count = torch.cuda.device_count()
        if dev.index is not None and dev.index >= count:
            raise ModelLoadError(f"device {name!r}: this machine has {count} CUDA device(s) (cuda:0..cuda:{count - 1})")
    elif dev.type == "mps" and not (getattr(torch.backends, "mps", None) and torch.backends.mps.is_available()):
        raise ModelLoadError(f"device {name!r}: MPS is not available on this machine; use cpu")
    return name


def _one_line(e: BaseException) -> str:
    """An exception's message on one line (transformers' load reports span many)."""
    text = " ".join(str(e).split())
    return text if len(text) <= 400 else text[:397] + "..."


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
    if not isinstance(name_or_path, (str, os.PathLike)):
        raise TypeError(
            f"a checkpoint is a directory or a hub id (str or os.PathLike), got {name_or_path!r} "
            f"({type(name_or_path).__name__})"
        )
    name = os.fspath(name_or_path)
    if isinstance(name, bytes):
        name = os.fsdecode(name)
    if not name.strip():
        raise ModelLoadError("empty checkpoint name: pass a checkpoint directory or a hub id")
    if backend != "torch":
        ckpt = _load_onnx(name, backend, threads)
    elif looks_like_path(name):
        ckpt = _load_dir(Path(name).expanduser())
    else:
        ckpt = _load_hub(name)
    if check:
        check_labels(ckpt.tags, name)
    return ckpt


def load_sidecar(name_or_path: str | os.PathLike, config: str, weights: str, load: Callable[[Any], Any]) -> Any:
    """A model stored beside the weights (``config`` + ``weights`` files, read by ``load``), or None.

    The quote-speaker linker and the indirect-speech head are such sidecars; their
    owners (:class:`indoquote.pipeline.tagger.QuoteTagger`, evaluation) load them, so
    loading the tagger knows nothing of them. A local directory goes to ``load``
    as is; a hub checkpoint without the files (older ones) gives None: the rules stand in.
    """
    name = os.fspath(name_or_path)
    if looks_like_path(name):
        return load(name)
    try:
        from huggingface_hub import hf_hub_download

        hf_hub_download(name, config)
        return load(Path(hf_hub_download(name, weights)).parent)
    except ModelLoadError:
        raise
    except Exception:  # no such files, or offline
        return None


def _load_dir(p: Path) -> Checkpoint:
    from transformers import AutoModelForTokenClassification, AutoTokenizer

    if not p.is_dir():
        parent = next((a for a in p.parents if a.is_dir()), None)
        where = ""
        if parent is not None and parent not in (Path("."), Path.cwd()):
            where = f" ({parent} exists, {p.relative_to(parent)} does not)"
        raise ModelLoadError(f"checkpoint {p}: no such directory{where}")
    if not (p / "config.json").exists() or not any(p.glob("*.safetensors")):
        raise ModelLoadError(f"checkpoint {p}: not a model directory (needs config.json and *.safetensors weights)")
    checkpoint_tags(p)  # a config.json without id2label: say so, not a size-mismatch traceback
    problem = weights_problem(p)
    if problem:
        raise ModelLoadError(f"checkpoint {p}: {problem}; copy or train it again")
    try:
        tok = AutoTokenizer.from_pretrained(str(p), trust_remote_code=False)
        model = AutoModelForTokenClassification.from_pretrained(str(p), trust_remote_code=False, use_safetensors=True)
    except Exception as e:  # OSError, ValueError, RuntimeError (size mismatch), SafetensorError...
        raise ModelLoadError(f"checkpoint {p}: cannot load ({type(e).__name__}: {_one_line(e)})") from None
    return Checkpoint(model, tok, model_tags(model), read_run_info(p), str(p), "torch")


def _load_hub(hub_id: str) -> Checkpoint:
    """Tokenizer, model and run info from the Hugging Face Hub (safetensors only, no remote code)."""
    from transformers import AutoModelForTokenClassification, AutoTokenizer

    try:
        tok = AutoTokenizer.from_pretrained(hub_id, trust_remote_code=False)
        model = AutoModelForTokenClassification.from_pretrained(hub_id, use_safetensors=True, trust_remote_code=False)
    except Exception as e:  # OSError, ValueError, RuntimeError, network errors...
        raise ModelLoadError(
            f"{hub_id!r} is not a local directory and cannot be loaded from the Hugging Face Hub ({_one_line(e)}). "
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

    from .onnx import OnnxTokenClassifier

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
