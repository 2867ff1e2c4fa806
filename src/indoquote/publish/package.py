"""A shareable model directory: weights, tokenizer, window settings and a model card.

``indoquote publish checkpoint=DIR out=DIR [metrics=metrics.json] [onnx=true]
[push_to_hub=true hub_id=owner/name]`` writes a directory that loads with
:class:`indoquote.pipeline.tagger.QuoteTagger` and with ``transformers.pipeline(
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
import sys
import uuid
from pathlib import Path
from typing import Any, Mapping, Sequence

from ..config import register_resolvers
from ..errors import ModelLoadError, TrimError
from ..model.checkpoint import RUN_INFO, Checkpoint, RunInfo, load_checkpoint
from ..model.onnx import export_onnx
from ..paths import CONFIG_DIR, DATA_DIR
from ..quotes.indirect_head import HEAD_CONFIG
from ..quotes.linker import LINKER_CONFIG
from .card import load_metrics, model_card

WEIGHT_GLOBS = ("*.safetensors", "model.safetensors.index.json", LINKER_CONFIG, HEAD_CONFIG)  # linker and indirect head: safetensors too


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


TRIM_AUTO_PIECES = 100_000
"""``trim_vocab=auto`` trims vocabularies larger than this (multilingual encoders), not IndoBERT's 30k."""
TRIM_FILE = "trim.json"


def trim_documents(info: RunInfo, data: str | None = None) -> list[list[str]]:
    """Word lists whose pieces a trimmed vocabulary keeps.

    The checkpoint's training corpus (every split: ``data`` or the data config
    named in ``indoquote.json``) and the Indonesian texts shipped in ``data/``
    (real-outlet articles, seeds, the tiny corpus).
    """
    from omegaconf import OmegaConf

    from ..data.build import load_documents
    from ..text.articles import tokenize

    name = data or (info.data or {}).get("name")
    docs: list[list[str]] = []
    if name:
        path = CONFIG_DIR / "data" / f"{name}.yaml"
        if not path.exists():
            raise ValueError(f"trim_vocab: no data config {name!r} ({path}); pass trim_data=NAME or trim_vocab=false")
        register_resolvers()
        cfg = OmegaConf.to_container(OmegaConf.load(path), resolve=True)
        docs = [list(d.tokens) for d in load_documents(cfg)]  # type: ignore[arg-type]
    texts = [p.read_text(encoding="utf-8") for p in sorted((DATA_DIR / "seeds").glob("*.txt"))]
    for f in sorted((DATA_DIR / "dev-articles").glob("*.jsonl")):
        texts += [json.loads(line)["text"] for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]
    return docs + [[t.text for t in tokenize(text)] for text in texts]


def trim_checkpoint(ckpt: Checkpoint, documents: list[list[str]]) -> dict:
    """Trim ``ckpt``'s vocabulary in place and check it: same pieces for every document, logits within 1e-4."""
    import torch

    from ..model.windows import document_windows, encode_words
    from .trim import trim_vocabulary

    before = [ckpt.tokenizer.convert_ids_to_tokens(encode_words(ckpt.tokenizer, d).input_ids) for d in documents]
    probe = [w for d in documents[:: max(1, len(documents) // 8)][:8] for w in
             document_windows(ckpt.tokenizer, d, None, ckpt.window)[:1]]

    def logits(model, tokenizer, windows):
        with torch.inference_mode():
            return [model(input_ids=torch.tensor([tokenizer.convert_tokens_to_ids(w)])).logits[0] for w in windows]

    pieces = [ckpt.tokenizer.convert_ids_to_tokens(w["input_ids"]) for w in probe]
    reference = logits(ckpt.model.eval(), ckpt.tokenizer, pieces)
    ckpt.model, ckpt.tokenizer, stats = trim_vocabulary(ckpt.model, ckpt.tokenizer, documents)
    after = [ckpt.tokenizer.convert_ids_to_tokens(encode_words(ckpt.tokenizer, d).input_ids) for d in documents]
    changed = sum(a != b for a, b in zip(before, after))
    if changed:
        raise TrimError(f"vocabulary trimming changed the tokenization of {changed} document(s); publish with trim_vocab=false")
    diff = max((float((a - b).abs().max()) for a, b in zip(reference, logits(ckpt.model, ckpt.tokenizer, pieces))), default=0.0)
    if diff > 1e-4:
        raise TrimError(f"vocabulary trimming changed the logits by {diff:.2e} (> 1e-4); publish with trim_vocab=false")
    return {**stats.to_json(), "documents": len(documents), "words": sum(map(len, documents)),
            "tokenization_identical": True, "windows_checked": len(pieces), "logits_max_abs_diff": diff}


def _wants_trim(trim_vocab: bool | str, tokenizer) -> bool:
    if trim_vocab == "auto":
        model = json.loads(tokenizer.backend_tokenizer.to_str())["model"]
        return model["type"] == "Unigram" and len(model["vocab"]) > TRIM_AUTO_PIECES
    if isinstance(trim_vocab, bool):
        return trim_vocab
    raise ValueError(f"trim_vocab must be true, false or auto, got {trim_vocab!r}")


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
    trim_vocab: bool | str = "auto",
    trim_data: str | None = None,
) -> Path:
    """Write the published directory (see the module docstring); returns it.

    Everything is written to a staging directory beside ``out`` first; ``out``
    is replaced only once all of it is there (``overwrite=True`` needed when
    ``out`` has files already). ``trim_vocab`` (``auto``: vocabularies over
    :data:`TRIM_AUTO_PIECES` pieces) keeps only the pieces of the training
    corpus and the shipped Indonesian texts (:func:`trim_checkpoint`).
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
        if _wants_trim(trim_vocab, ckpt.tokenizer):
            report = trim_checkpoint(ckpt, trim_documents(ckpt.info, trim_data))
            for f in stage.glob("model*.safetensors*"):
                f.unlink()
            ckpt.model.save_pretrained(stage)  # safetensors, the trimmed embedding matrix
            ckpt.tokenizer.save_pretrained(stage)
            (stage / TRIM_FILE).write_text(json.dumps(report, indent=2) + "\n")
        window = ckpt.window
        parity = export_onnx(ckpt.model, ckpt.tokenizer, stage, window) if onnx else None
        if scores is not None:
            text = json.dumps(scores, indent=2, ensure_ascii=False) + "\n"
            (stage / "metrics.json").write_text(text, encoding="utf-8")
        name = hub_id.split("/")[-1] if hub_id else dst.name
        (stage / "README.md").write_text(
            model_card(name, ckpt.tags, window, scores, parity, hub_id, _json(stage / LINKER_CONFIG), _json(stage / TRIM_FILE),
                       _json(stage / HEAD_CONFIG)),
            encoding="utf-8",
        )
        written = published_files(stage)
        swap_in(stage, dst)
    except BaseException as e:
        shutil.rmtree(stage, ignore_errors=True)
        if isinstance(e, OSError) or type(e).__name__ == "SafetensorError":  # a full disk, a read-only target
            raise _publish_error(dst, e) from e
        raise
    if push_to_hub:
        upload(dst, hub_id, private, files=written)  # type: ignore[arg-type]
    return dst


def _publish_error(dst: Path, e: BaseException) -> OSError:
    """One line naming ``out`` and the file being written (``out`` is left as it was)."""
    from ..atomic import OutputError

    if isinstance(e, OutputError):
        return e
    name = getattr(e, "filename2", None) or getattr(e, "filename", None)
    reason = e if isinstance(e, OSError) else " ".join(str(e).split())
    error = OutputError(dst, reason, "publish to")
    if name:
        error.strerror = f"{error.strerror} (writing {Path(name).name}); {dst} is left as it was"
    return error


def _json(path: Path) -> dict | None:
    return json.loads(path.read_text()) if path.exists() else None


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
            trim_vocab=cfg["trim_vocab"],
            trim_data=cfg["trim_data"],
        )
    except (ModelLoadError, ValueError) as e:
        raise SystemExit(f"indoquote publish: error: {e}") from None
    except OSError as e:  # disk full, read-only: one line, exit 2 (as every I/O error of a command)
        print(f"indoquote publish: error: {e}", file=sys.stderr)
        raise SystemExit(2) from None
    files = ", ".join(published_files(out))
    print(f"published {cfg['checkpoint']} -> {out}: {files}")
    if cfg["push_to_hub"]:
        print(f"uploaded to https://huggingface.co/{cfg['hub_id']}")
    return out
