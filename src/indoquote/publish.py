"""A shareable model directory: weights, tokenizer, window settings and a model card.

``indoquote publish checkpoint=DIR out=DIR [metrics=metrics.json] [onnx=true]
[push_to_hub=true hub_id=owner/name]`` writes a directory that loads with
:class:`indoquote.tagger.QuoteTagger` and with ``transformers.pipeline(
"token-classification", model=out, aggregation_strategy="simple")``. Training
leftovers (optimizer state, pickled training arguments) are never copied: only
safetensors weights, the tokenizer, ``config.json`` and ``indoquote.json``.

With ``onnx=true`` the token classifier is also exported to ``model.onnx``
(TorchScript exporter, dynamic batch and sequence axes: the ``torch.export``
one needs ``onnxscript``) and quantized to ``model.int8.onnx`` (dynamic int8
weights), and both are checked against PyTorch on sample texts
(``onnx_parity.json``); ``QuoteTagger.from_pretrained(out, backend="onnx-int8")``
serves them on onnxruntime.

The directory is written into a fresh staging directory beside ``out`` and
swapped in at the end, so ``out`` never mixes a new model with files of an old
one (a stale ``model.onnx``, a ``.env``). An ``out`` that exists and is not
empty is refused unless ``overwrite=true``; ``push_to_hub`` uploads only the
files publish wrote.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from pathlib import Path
from typing import Any, Mapping, Sequence

from .card import load_metrics, model_card
from .checkpoint import RUN_INFO, Checkpoint, ModelLoadError, RunInfo, load_checkpoint
from .onnx_backend import export_onnx

WEIGHT_GLOBS = ("*.safetensors", "model.safetensors.index.json")


def copy_model_files(checkpoint: Path, out: Path) -> Checkpoint:
    """Copy the weights byte for byte, write tokenizer, config and ``indoquote.json``; returns the loaded checkpoint."""
    ckpt = load_checkpoint(checkpoint)
    out.mkdir(parents=True, exist_ok=True)
    for pattern in WEIGHT_GLOBS:
        for f in checkpoint.glob(pattern):
            shutil.copyfile(f, out / f.name)
    ckpt.model.config.save_pretrained(out)  # id2label / label2id included
    ckpt.tokenizer.save_pretrained(out)
    info = ckpt.info
    info = RunInfo(info.schema or "pfsa", info.tags or list(ckpt.tags), info.window, info.data)
    (out / RUN_INFO).write_text(json.dumps(info.to_json(), indent=2) + "\n")
    return ckpt


def check_out_dir(src: Path, dst: Path, overwrite: bool) -> None:
    """Refuse an ``out`` that would lose or mix files.

    That is: the checkpoint itself or a folder holding it, a file, or a non-empty
    folder without ``overwrite``.
    """
    if dst.resolve() == src.resolve():
        raise ValueError(f"out must differ from the checkpoint directory ({src})")
    if src.resolve().is_relative_to(dst.resolve()):
        raise ValueError(f"out={dst} holds the checkpoint {src}; publishing there would replace it: choose another out")
    if dst.exists() and not dst.is_dir():
        raise ValueError(f"out={dst} is a file, not a directory")
    if dst.is_dir() and not overwrite:
        present = sorted(p.name for p in dst.iterdir())
        if present:
            shown = ", ".join(present[:5]) + (", ..." if len(present) > 5 else "")
            raise ValueError(
                f"out={dst} is not empty ({len(present)} entries: {shown}); pass overwrite=true to replace it "
                "(everything in it is deleted), or choose another out"
            )


def publish(
    checkpoint: str | Path,
    out: str | Path,
    metrics: str | Path | None = None,
    onnx: bool = False,
    push_to_hub: bool = False,
    hub_id: str | None = None,
    private: bool = False,
    overwrite: bool = False,
) -> Path:
    """Write the published directory (see the module docstring); returns it.

    Everything is written to a staging directory beside ``out`` first; ``out``
    is replaced only once all of it is there (``overwrite=True`` needed when
    ``out`` has files already).
    """
    src, dst = Path(checkpoint).expanduser(), Path(out).expanduser()
    if push_to_hub and not hub_id:
        raise ValueError("push_to_hub=true needs hub_id=OWNER/NAME")
    check_out_dir(src, dst, overwrite)
    scores = load_metrics(metrics)
    dst.parent.mkdir(parents=True, exist_ok=True)
    stage = dst.with_name(f".{dst.name}.staging-{uuid.uuid4().hex[:8]}")
    stage.mkdir()
    try:
        ckpt = copy_model_files(src, stage)
        window = ckpt.window
        parity = export_onnx(ckpt.model, ckpt.tokenizer, stage, window) if onnx else None
        if scores is not None:
            text = json.dumps(scores, indent=2, ensure_ascii=False) + "\n"
            (stage / "metrics.json").write_text(text, encoding="utf-8")
        name = hub_id.split("/")[-1] if hub_id else dst.name
        (stage / "README.md").write_text(
            model_card(name, ckpt.tags, window, scores, parity, hub_id), encoding="utf-8"
        )
        written = published_files(stage)
        swap_in(stage, dst)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    if push_to_hub:
        upload(dst, hub_id, private, files=written)  # type: ignore[arg-type]
    return dst


def published_files(folder: Path) -> list[str]:
    """The files of a published directory, as paths relative to it."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def swap_in(stage: Path, dst: Path) -> None:
    """Replace ``dst`` with ``stage`` (two renames on one file system); the old ``dst`` is deleted after."""
    old = None
    if dst.exists():
        old = dst.with_name(f".{dst.name}.old-{uuid.uuid4().hex[:8]}")
        os.replace(dst, old)
    try:
        os.replace(stage, dst)
    except BaseException:
        if old is not None:  # put the previous directory back
            os.replace(old, dst)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def upload(folder: Path, hub_id: str, private: bool = False, files: Sequence[str] | None = None) -> str:
    """Upload the directory to the Hugging Face Hub (token from ``hf auth login`` or ``HF_TOKEN``).

    ``files`` (default: the files of ``folder``) are the only ones uploaded
    (``allow_patterns``): nothing else that lands in ``folder`` goes to the Hub.
    """
    from huggingface_hub import HfApi

    api = HfApi()
    api.create_repo(hub_id, repo_type="model", private=private, exist_ok=True)
    allow = list(files) if files is not None else published_files(folder)
    info = api.upload_folder(
        folder_path=str(folder),
        repo_id=hub_id,
        repo_type="model",
        commit_message="indoquote publish",
        allow_patterns=allow,
    )
    return str(info)


# -------------------------------------------------------------------- CLI


def main(cfg: Mapping[str, Any]) -> Path:
    """``indoquote publish`` (Hydra config ``configs/publish.yaml``)."""
    try:
        out = publish(
            cfg["checkpoint"],
            cfg["out"],
            metrics=cfg["metrics"],
            onnx=bool(cfg["onnx"]),
            push_to_hub=bool(cfg["push_to_hub"]),
            hub_id=cfg["hub_id"],
            private=bool(cfg["private"]),
            overwrite=bool(cfg.get("overwrite", False)),
        )
    except (ModelLoadError, ValueError) as e:
        raise SystemExit(f"indoquote publish: error: {e}") from None
    files = ", ".join(published_files(out))
    print(f"published {cfg['checkpoint']} -> {out}: {files}")
    if cfg["push_to_hub"]:
        print(f"uploaded to https://huggingface.co/{cfg['hub_id']}")
    return out
