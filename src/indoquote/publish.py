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
import logging
import shutil
import warnings
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, Mapping, Sequence

from .labels import LABEL_DEFINITIONS, split_tag
from .modeling import ModelLoadError, checkpoint_schema, load_checkpoint
from .paths import DATA_DIR
from .train import RUN_INFO, read_run_info
from .windows import WindowConfig

DATA_LICENSE = "cc-by-nc-sa-4.0"
PFSA_URL = "https://github.com/sigit-purnomo/pfsa-id-dl"
OPSET = 17
ONNX_AXES = {0: "batch", 1: "sequence"}
PARITY_FILE = "onnx_parity.json"


# --------------------------------------------------------------- metrics


def load_metrics(path: str | Path | None) -> dict | None:
    """An ``indoquote evaluate`` ``metrics.json`` (or a training run's ``{"test": {...}}``), checked."""
    if path is None:
        return None
    p = Path(path).expanduser()
    try:
        metrics = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as e:
        raise ValueError(f"metrics {p}: cannot read ({e})") from None
    if not isinstance(metrics, dict) or not ("model" in metrics or "test" in metrics or "validation" in metrics):
        raise ValueError(f"metrics {p}: not an `indoquote evaluate` metrics.json (no 'model' scores)")
    return metrics


def _scores(metrics: Mapping[str, Any]) -> tuple[str, dict]:
    """``(split, {"strict": ..., ...})`` from an evaluate metrics.json or a training run's metrics.json."""
    if "model" in metrics:
        return str(metrics.get("split", "test")), dict(metrics["model"])
    split = "test" if "test" in metrics else "validation"
    flat = metrics[split]
    per_label = {k[3:]: {"f1": v} for k, v in flat.items() if k.startswith("f1_")}
    return split, {"strict": {k: flat[k] for k in ("micro_f1", "macro_f1") if k in flat} | {"per_label": per_label}}


def index_metrics(metrics: Mapping[str, Any]) -> list[dict]:
    """The ``model-index`` metric entries (fractions, as the Hub shows them)."""
    _, s = _scores(metrics)
    wanted = [
        ("strict", "micro_f1", "f1", "Span micro F1 (strict, PFSA-ID labels)"),
        ("strict", "micro_precision", "precision", "Span micro precision (strict)"),
        ("strict", "micro_recall", "recall", "Span micro recall (strict)"),
        ("strict", "macro_f1", "f1", "Span macro F1 (strict)"),
        ("quote", "micro_f1", "f1", "Span micro F1 (quote labels)"),
        ("partial", "f1", "f1", "Quotation F1 (partial overlap)"),
        ("attribution", "accuracy", "accuracy", "Attribution accuracy"),
    ]
    out = []
    for group, key, kind, name in wanted:
        value = s.get(group, {}).get(key)
        if isinstance(value, (int, float)):
            out.append({"type": kind, "value": round(value / 100, 4), "name": name})
    return out


def _fmt(x: Any) -> str:
    return f"{x:.2f}" if isinstance(x, float) else ("" if x is None else str(x))


def metrics_markdown(metrics: Mapping[str, Any]) -> str:
    """The card's results: per-label strict scores and the quotation-level measures (percent)."""
    split, s = _scores(metrics)
    rules = (metrics.get("rules") or {}) if "model" in metrics else {}
    lines = []
    if "data" in metrics:
        lines.append(
            f"Data: `{metrics['data']}` / `{split}` ({metrics.get('documents', '?')} documents, "
            f"{metrics.get('tokens', 0):,} tokens); evaluated {metrics.get('date', '')}.\n"
        )
    strict = s.get("strict", {})
    per = strict.get("per_label", {})
    if per:
        lines += ["| label | precision | recall | F1 | support |", "|---|---:|---:|---:|---:|"]
        for label, v in per.items():
            cells = [_fmt(v.get(k)) for k in ("precision", "recall", "f1", "support")]
            lines.append(f"| {label} | " + " | ".join(cells) + " |")
        micro = [_fmt(strict.get(k)) for k in ("micro_precision", "micro_recall", "micro_f1")]
        lines.append(f"| **micro** | {micro[0]} | {micro[1]} | **{micro[2]}** | |")
        lines.append(f"| macro | | | {_fmt(strict.get('macro_f1'))} | |")
    rows = [
        ("span micro F1 (strict)", ("strict", "micro_f1")),
        ("span micro F1 (quote labels)", ("quote", "micro_f1")),
        ("quotation F1 (partial overlap)", ("partial", "f1")),
        ("attribution accuracy", ("attribution", "accuracy")),
    ]
    present = [(name, g, k) for name, (g, k) in rows if k in s.get(g, {})]
    if present:
        lines += ["", "| measure | model | rule baseline |", "|---|---:|---:|"]
        for name, g, k in present:
            lines.append(f"| {name} | {_fmt(s[g][k])} | {_fmt(rules.get(g, {}).get(k))} |")
    lines += [
        "",
        "Strict: exact span boundaries and label (seqeval, IOB2). Partial: a predicted quotation sharing at least "
        "half of a gold quotation's tokens. Attribution: share of gold quotations whose matched predicted "
        "quotation is given to the same speaker. All in percent.",
    ]
    return "\n".join(lines)


# ------------------------------------------------------------ model card


def _front_matter(name: str, metrics: Mapping[str, Any] | None) -> str:
    import yaml

    meta: dict[str, Any] = {
        "language": ["id"],
        "license": DATA_LICENSE,
        "library_name": "transformers",
        "pipeline_tag": "token-classification",
        "tags": ["token-classification", "quotation-attribution", "indonesian", "news", "pfsa-id", "indoquote"],
        "datasets": ["pfsa-id"],
        "metrics": ["f1", "precision", "recall", "accuracy"],
    }
    if metrics:
        split, _ = _scores(metrics)
        meta["model-index"] = [
            {
                "name": name,
                "results": [
                    {
                        "task": {"type": "token-classification", "name": "Quotation and speaker tagging"},
                        "dataset": {
                            "name": f"PFSA-ID ({metrics.get('data', 'pfsa_id')})",
                            "type": "pfsa-id",
                            "split": split,
                        },
                        "metrics": index_metrics(metrics),
                    }
                ],
            }
        ]
    return "---\n" + yaml.safe_dump(meta, sort_keys=False, allow_unicode=True) + "---\n"


def model_card(
    name: str,
    tags: Sequence[str],
    window: WindowConfig,
    metrics: Mapping[str, Any] | None = None,
    parity: Mapping[str, Any] | None = None,
    repo: str | None = None,
) -> str:
    """``README.md`` of a published model: front matter, task, labels, data, results, usage, limitations."""
    labels = list(dict.fromkeys(split_tag(t)[1] for t in tags if t != "O"))
    where = repo or "path/to/this/directory"
    label_rows = "\n".join(f"| `{lab}` | {LABEL_DEFINITIONS.get(lab, '')} |" for lab in labels)
    results = (
        metrics_markdown(metrics)
        if metrics
        else "No evaluation was attached when this model was published (`indoquote publish ... metrics=metrics.json`)."
    )
    onnx = ""
    if parity:
        onnx = f"""
## ONNX (CPU serving)

`model.onnx` (fp32) and `model.int8.onnx` (dynamic int8 quantization) are included. Checked against PyTorch on
{parity["texts"]} sample texts ({parity["words"]:,} words, {parity["windows"]} windows): fp32 logits max abs difference
{parity["fp32_max_abs_diff"]:.2e}, fp32 tag agreement {100 * parity["fp32_tag_agreement"]:.2f}%, int8 tag agreement
{100 * parity["int8_tag_agreement"]:.2f}%.

```python
tagger = QuoteTagger.from_pretrained("{where}", backend="onnx-int8")   # onnxruntime, no torch forward pass
```
"""
    return (
        _front_matter(name, metrics)
        + f"""
# {name}: who said what in Indonesian news

A token classifier that tags **direct quotations, their speakers and speech cues** in Indonesian news text,
trained with [indoquote](https://github.com/indoquote/indoquote) on PFSA-ID. `indoquote` turns the tags into
quote records: each quotation with its speaker (coreferences such as a surname or *katanya* resolved to the full
name), cue, role and affiliation.

## Task and labels

Token classification with IOB2 tags (`B-`/`I-`) over {len(labels)} span labels (PFSA-ID annotation scheme):

| label | definition |
|---|---|
{label_rows}

Long articles are read in overlapping windows of {window.max_length} sub-words (stride {window.stride}),
as in training (`indoquote.json`).

## Training data and license

[PFSA-ID]({PFSA_URL}): Indonesian news articles annotated for quotation attribution (PFSA-ID and PFSA-ID-med).
The data is released under **CC BY-NC-SA 4.0**, so these weights, derived from it, are shared under the same terms:
non-commercial use, attribution, share-alike. (The indoquote code itself is Apache-2.0.)

## Results

{results}

## Usage

With indoquote (tokenizes like PFSA-ID, handles articles of any length, returns quote records):

```python
from indoquote.tagger import QuoteTagger

tagger = QuoteTagger.from_pretrained("{where}")
for r in tagger(open("article.txt", encoding="utf-8").read()):
    print(r.speaker, r.role, r.affiliation, "-", r.quote)
records = tagger.batch(list_of_texts)          # many articles, batched
```

or `indoquote predict article.txt --model {where} --format html -o quotes.html`.

With plain transformers (spans only, at most {window.max_length} sub-words at a time, no speaker resolution):

```python
from transformers import pipeline

tag = pipeline("token-classification", model="{where}", aggregation_strategy="simple")
tag('"Kami siap berdialog," kata Sekjen NATO Jens Stoltenberg.')
```
{onnx}
## Limitations

- Trained on Indonesian online news (PFSA-ID); other genres (social media, transcripts) and other languages are
  out of domain.
- Direct quotations only; indirect speech is tagged only as far as its speaker and cue.
- Speaker resolution in `indoquote.records` is rule-based (nearest cue, earlier full name, role titles); long
  chains of pronouns or several speakers in one paragraph can be misattributed.
- The transformers pipeline sees the model's own sub-word split and one window; use `QuoteTagger` for whole articles.
- Not for automated decisions about people: check attributions before publishing them.
"""
    )


# ------------------------------------------------------------------ files


WEIGHT_GLOBS = ("*.safetensors", "model.safetensors.index.json")


def copy_model_files(checkpoint: Path, out: Path) -> tuple[Any, Any, dict]:
    """Copy the weights byte for byte, write tokenizer, config and ``indoquote.json``; ``(tokenizer, model, info)``."""
    tokenizer, model = load_checkpoint(checkpoint)
    from .tagger import check_labels

    check_labels(model, str(checkpoint))
    out.mkdir(parents=True, exist_ok=True)
    for pattern in WEIGHT_GLOBS:
        for f in checkpoint.glob(pattern):
            shutil.copyfile(f, out / f.name)
    model.config.save_pretrained(out)  # id2label / label2id included
    tokenizer.save_pretrained(out)
    info = read_run_info(checkpoint)
    info.setdefault("tags", checkpoint_schema(model))
    info.setdefault("schema", "pfsa")
    (out / RUN_INFO).write_text(json.dumps(info, indent=2) + "\n")
    return tokenizer, model, info


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
    tokenizer, model, info = copy_model_files(src, dst)
    w = info.get("windows", {})
    window = WindowConfig(int(w.get("max_length", 256)), int(w.get("stride", 64)))
    parity = export_onnx(model, tokenizer, dst, window) if onnx else None
    if scores is not None:
        (dst / "metrics.json").write_text(json.dumps(scores, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    name = hub_id.split("/")[-1] if hub_id else dst.name
    (dst / "README.md").write_text(
        model_card(name, checkpoint_schema(model), window, scores, parity, hub_id), encoding="utf-8"
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


# ------------------------------------------------------------------- ONNX


@contextmanager
def _quiet_root_logger(level: int = logging.ERROR) -> Iterator[None]:
    root = logging.getLogger()
    old = root.level
    root.setLevel(max(level, old))
    try:
        yield
    finally:
        root.setLevel(old)


class _Logits:
    """Wraps a classifier so ``predict_words`` runs it while every batch's logits and mask are kept."""

    def __init__(self, model) -> None:
        self.model, self.config, self.seen = model, model.config, []

    def to(self, device):
        self.model = self.model.to(device)
        return self

    def eval(self):
        self.model = self.model.eval()
        return self

    def __call__(self, input_ids, attention_mask):
        out = self.model(input_ids=input_ids, attention_mask=attention_mask)
        self.seen.append((out.logits.float().cpu().numpy(), attention_mask.cpu().numpy()))
        return out


def sample_texts() -> list[str]:
    """Texts for the parity check: the shipped seed articles, else a built-in paragraph."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((DATA_DIR / "seeds").glob("*.txt"))]
    return texts or ['"Kami siap berdialog dengan Rusia," kata Sekjen NATO Jens Stoltenberg di Brussels, Kamis.']


def export_onnx(model, tokenizer, out: Path, window: WindowConfig, texts: Sequence[str] | None = None) -> dict:
    """``model.onnx`` + ``model.int8.onnx`` in ``out`` and their parity with PyTorch (``onnx_parity.json``)."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    class Logits(torch.nn.Module):  # the graph's one output is named "logits"
        def __init__(self, m):
            super().__init__()
            self.m = m

        def forward(self, input_ids, attention_mask):
            return self.m(input_ids=input_ids, attention_mask=attention_mask).logits

    model = model.to("cpu").eval()
    wrapper = Logits(model).eval()  # eval on the wrapper too: export restores its mode, recursively
    example = tokenizer(["Kata Jens Stoltenberg.", "Kami siap."], padding=True, return_tensors="pt")
    axes = {name: ONNX_AXES for name in ("input_ids", "attention_mask", "logits")}
    fp32, int8 = out / "model.onnx", out / "model.int8.onnx"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with torch.no_grad():
            torch.onnx.export(
                wrapper,
                (example["input_ids"], example["attention_mask"]),
                str(fp32),
                input_names=["input_ids", "attention_mask"],
                output_names=["logits"],
                dynamic_axes=axes,
                opset_version=OPSET,
                dynamo=False,
            )
    with _quiet_root_logger():  # the quantizer logs every tensor on the root logger
        quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8)
    parity = onnx_parity(model, tokenizer, out, window, list(texts) if texts else sample_texts())
    (out / PARITY_FILE).write_text(json.dumps(parity, indent=2) + "\n")
    return parity


def onnx_parity(model, tokenizer, out: Path, window: WindowConfig, texts: Sequence[str]) -> dict:
    """fp32 ONNX vs PyTorch logits (max abs difference over real tokens) and tag agreement of fp32 and int8."""
    import numpy as np

    from .articles import tokenize
    from .predict import predict_words
    from .tagger import OnnxTokenClassifier

    docs = [[t.text for t in tokenize(text)] for text in texts]
    runs = {}
    for name, m in (
        ("torch", model),
        ("onnx", OnnxTokenClassifier(out / "model.onnx", model.config)),
        ("int8", OnnxTokenClassifier(out / "model.int8.onnx", model.config)),
    ):
        rec = _Logits(m)
        runs[name] = (predict_words(rec, tokenizer, docs, window, batch_size=8, device="cpu"), rec.seen)
    diff = 0.0
    for (a, mask), (b, _) in zip(runs["torch"][1], runs["onnx"][1]):
        diff = max(diff, float(np.abs(a - b)[mask.astype(bool)].max()))

    def agreement(name: str) -> float:
        pairs = [(x, y) for d, e in zip(runs["torch"][0], runs[name][0]) for x, y in zip(d, e)]
        return round(sum(x == y for x, y in pairs) / max(len(pairs), 1), 6)

    return {
        "texts": len(texts),
        "words": sum(map(len, docs)),
        "windows": sum(len(a) for a, _ in runs["torch"][1]),
        "fp32_max_abs_diff": diff,
        "fp32_tag_agreement": agreement("onnx"),
        "int8_tag_agreement": agreement("int8"),
        "opset": OPSET,
        "bytes": {f.name: f.stat().st_size for f in (out / "model.onnx", out / "model.int8.onnx")},
    }


# -------------------------------------------------------------------- CLI


def main(cfg: Mapping[str, Any]) -> Path:
    """``indoquote publish`` (Hydra config ``configs/publish.yaml``)."""
    try:
        out = publish(
            cfg["checkpoint"],
            cfg["out"],
            metrics=cfg.get("metrics"),
            onnx=bool(cfg.get("onnx", False)),
            push_to_hub=bool(cfg.get("push_to_hub", False)),
            hub_id=cfg.get("hub_id"),
            private=bool(cfg.get("private", False)),
        )
    except (ModelLoadError, ValueError) as e:
        raise SystemExit(f"indoquote publish: error: {e}") from None
    files = ", ".join(sorted(p.name for p in out.iterdir()))
    print(f"published {cfg['checkpoint']} -> {out}: {files}")
    if cfg.get("push_to_hub"):
        print(f"uploaded to https://huggingface.co/{cfg['hub_id']}")
    return out
