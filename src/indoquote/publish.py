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
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any, Mapping

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


def publish(
    checkpoint: str | Path,
    out: str | Path,
    metrics: str | Path | None = None,
    onnx: bool = False,
    push_to_hub: bool = False,
    hub_id: str | None = None,
    private: bool = False,
) -> Path:
    """Write the published directory (see the module docstring); returns it."""
    src, dst = Path(checkpoint).expanduser(), Path(out).expanduser()
    if push_to_hub and not hub_id:
        raise ValueError("push_to_hub=true needs hub_id=OWNER/NAME")
    if dst.resolve() == src.resolve():
        raise ValueError(f"out must differ from the checkpoint directory ({src})")
    scores = load_metrics(metrics)
    ckpt = copy_model_files(src, dst)
    window = ckpt.window
    parity = export_onnx(ckpt.model, ckpt.tokenizer, dst, window) if onnx else None
    if scores is not None:
        (dst / "metrics.json").write_text(json.dumps(scores, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    name = hub_id.split("/")[-1] if hub_id else dst.name
    (dst / "README.md").write_text(
        model_card(name, ckpt.tags, window, scores, parity, hub_id), encoding="utf-8"
    )
    if push_to_hub:
        upload(dst, hub_id, private)  # type: ignore[arg-type]
    return dst


def upload(folder: Path, hub_id: str, private: bool = False) -> str:
    """Upload the directory to the Hugging Face Hub (token from ``hf auth login`` or ``HF_TOKEN``)."""
    from huggingface_hub import HfApi

    api = HfApi()
    api.create_repo(hub_id, repo_type="model", private=private, exist_ok=True)
    info = api.upload_folder(
        folder_path=str(folder), repo_id=hub_id, repo_type="model", commit_message="indoquote publish"
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
        )
    except (ModelLoadError, ValueError) as e:
        raise SystemExit(f"indoquote publish: error: {e}") from None
    files = ", ".join(sorted(p.name for p in out.iterdir()))
    print(f"published {cfg['checkpoint']} -> {out}: {files}")
    if cfg["push_to_hub"]:
        print(f"uploaded to https://huggingface.co/{cfg['hub_id']}")
    return out
