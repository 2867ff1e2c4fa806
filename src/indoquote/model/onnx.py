"""ONNX serving: the onnxruntime classifier, the export of ``indoquote publish onnx=true`` and its parity check.

The export uses the TorchScript exporter with dynamic batch and sequence axes
(the ``torch.export`` one needs ``onnxscript``) and a dynamic int8 quantization
of the weights. :class:`OnnxTokenClassifier` answers like a torch token
classifier, so the decoding code runs it unchanged
(``load_checkpoint(..., backend="onnx-int8")``). The parity check compares the
logits of every window of sample texts and the word tags read from them (the
arg-max of each word's first sub-word), before any decoding.
"""

from __future__ import annotations

import json
import logging
import warnings
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace
from typing import Iterator, Sequence

from ..paths import DATA_DIR
from .windows import WindowConfig, document_windows

OPSET = 17
ONNX_AXES = {0: "batch", 1: "sequence"}
PARITY_FILE = "onnx_parity.json"


class OnnxTokenClassifier:
    """An onnxruntime session that answers like a torch token classifier."""

    def __init__(self, path: str | Path, config, threads: int | None = None) -> None:
        import onnxruntime as ort

        opts = ort.SessionOptions()
        if threads:
            opts.intra_op_num_threads = threads
        self.session = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
        self.input_names = {i.name for i in self.session.get_inputs()}
        self.config = config

    def to(self, device) -> OnnxTokenClassifier:
        return self

    def eval(self) -> OnnxTokenClassifier:
        return self

    def __call__(self, input_ids, attention_mask):
        import numpy as np
        import torch

        feed = {"input_ids": input_ids.cpu().numpy(), "attention_mask": attention_mask.cpu().numpy()}
        if "token_type_ids" in self.input_names:
            feed["token_type_ids"] = np.zeros_like(feed["input_ids"])
        (logits,) = self.session.run(["logits"], feed)
        return SimpleNamespace(logits=torch.from_numpy(logits))


@contextmanager
def _quiet_root_logger(level: int = logging.ERROR) -> Iterator[None]:
    root = logging.getLogger()
    old = root.level
    root.setLevel(max(level, old))
    try:
        yield
    finally:
        root.setLevel(old)


def sample_texts() -> list[str]:
    """Texts for the parity check: the shipped seed articles, else a built-in paragraph."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((DATA_DIR / "seeds").glob("*.txt"))]
    return texts or ['"Kami siap berdialog dengan Rusia," kata Sekjen NATO Jens Stoltenberg di Brussels, Kamis.']


def export_onnx(
    model, tokenizer, out: Path, window: WindowConfig, texts: Sequence[str] | None = None, keep_fp32: bool = False
) -> dict:
    """``model.int8.onnx`` in ``out`` and its parity with PyTorch (``onnx_parity.json``).

    The fp32 graph is exported first (the int8 one is quantized from it and
    checked against it) and then deleted unless ``keep_fp32``: the torch
    weights serve fp32, so a second fp32 copy only doubles the download.
    """
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
    if not keep_fp32:
        fp32.unlink()
        parity["fp32_onnx_kept"] = False
    from ..atomic import write_text

    write_text(out / PARITY_FILE, json.dumps(parity, indent=2) + "\n")
    return parity


def _window_logits(model, windows: Sequence[dict]) -> list:
    """Each window's logits ``[L, T]``, one window per forward pass (no padding to compare)."""
    import torch

    out = []
    with torch.inference_mode():
        for w in windows:
            ids = torch.tensor([w["input_ids"]])
            out.append(model(input_ids=ids, attention_mask=torch.ones_like(ids)).logits[0].float().cpu().numpy())
    return out


def onnx_parity(model, tokenizer, out: Path, window: WindowConfig, texts: Sequence[str]) -> dict:
    """fp32 ONNX vs PyTorch logits (max abs difference) and the word-tag agreement of fp32 and int8."""
    import numpy as np

    from ..text.articles import tokenize

    windows = [w for text in texts for w in document_windows(tokenizer, [t.text for t in tokenize(text)], None, window)]
    firsts = [
        [i for i, wid in enumerate(w["word_ids"]) if wid >= 0 and (i == 0 or w["word_ids"][i - 1] != wid)]
        for w in windows
    ]
    runs = {
        "torch": _window_logits(model.to("cpu").eval(), windows),
        "onnx": _window_logits(OnnxTokenClassifier(out / "model.onnx", model.config), windows),
        "int8": _window_logits(OnnxTokenClassifier(out / "model.int8.onnx", model.config), windows),
    }
    diff = max((float(np.abs(a - b).max()) for a, b in zip(runs["torch"], runs["onnx"])), default=0.0)

    def agreement(name: str) -> float:
        pairs = [(a[i].argmax(), b[i].argmax()) for a, b, fs in zip(runs["torch"], runs[name], firsts) for i in fs]
        return round(sum(int(x == y) for x, y in pairs) / max(len(pairs), 1), 6)

    return {
        "texts": len(texts),
        "words": sum(map(len, firsts)),
        "windows": len(windows),
        "fp32_max_abs_diff": diff,
        "fp32_tag_agreement": agreement("onnx"),
        "int8_tag_agreement": agreement("int8"),
        "opset": OPSET,
        "bytes": {f.name: f.stat().st_size for f in (out / "model.onnx", out / "model.int8.onnx")},
    }
