"""Indirect speech by a head with its own copy of the encoder's top layer, fine-tuned on reported speech.

Why this design (issue #26: the encoder learns reported speech, at nearly no extra inference cost):

- A frozen feature extractor (:class:`indoquote.quotes.indirect_head.IndirectHead`) can only read what the
  tagger's final layer kept, and that layer was trained to find quotation marks and their speakers; reported
  speech has no marks. Here the head owns a copy of the top encoder layer, initialised from the tagger's weights
  and fine-tuned with the BiGRU on the indirect labels, so attention is re-learnt for cues, clauses and subjects.
- The tagger's own path is untouched: the copy reads the hidden states going INTO the tagger's top layer, caught by
  a forward pre-hook on that layer in the same forward pass (:func:`indoquote.model.decode.predict_words_extra`),
  so direct-quotation tags cannot move, and PFSA-ID's labels stay as annotated.
- The cost is one encoder layer more (about 1/8 of an 8-layer encoder) plus the BiGRU over words: within the 1.2x
  of ``--kinds direct`` the issue allows. Fine-tuning the whole encoder as a second task would move the direct
  tags; a second full encoder would double the cost.

Training (:mod:`indoquote.training.fit_indirect_layer`) caches the hidden states below the top layer once, so
only the copied layer, the projection and the GRU run in each epoch.
"""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from typing import Any, Callable

import numpy as np

from ..errors import ModelLoadError
from .indirect_head import FLAGS, HEAD_CONFIG, HEAD_WEIGHTS, TAGS, IndirectHead, load_indirect_head

KIND = "layer"
"""``indirect.json``'s ``kind`` for this head (the frozen-feature head has none)."""


def encoder_layers(model):
    """The encoder's list of layers (BERT, RoBERTa, XLM-R: ``base_model.encoder.layer``), or a clear error."""
    layers = getattr(getattr(getattr(model, "base_model", None), "encoder", None), "layer", None)
    if layers is None or len(layers) == 0:
        raise ValueError(f"{type(model).__name__} has no `base_model.encoder.layer` list for the indirect head's layer")
    return layers


def layer_inputs(args: tuple, kwargs: dict) -> tuple[Any, Any]:
    """``(hidden states, attention mask)`` as an encoder layer receives them, in fp32 (a bf16 or int8 tagger too)."""
    import torch

    hidden = args[0] if args else kwargs["hidden_states"]
    mask = args[1] if len(args) > 1 else kwargs.get("attention_mask")
    if isinstance(mask, torch.Tensor) and mask.is_floating_point():
        mask = mask.float()
    return hidden.float(), mask


def additive_mask(attention_mask):
    """``[B, L]`` 0/1 -> the ``[B, 1, 1, L]`` additive mask an encoder layer takes (eager and sdpa attention)."""
    import torch

    return (1.0 - attention_mask.float())[:, None, None, :] * torch.finfo(torch.float32).min


def run_layer(layer, hidden, mask):
    """The layer's output hidden states (transformers returns a tensor or a tuple, by version)."""
    out = layer(hidden, mask)
    return out[0] if isinstance(out, tuple) else out


class LayerHead(IndirectHead):
    """:class:`IndirectHead` whose inputs come from its own copy of encoder layer ``layer_index``.

    ``__call__`` takes what :meth:`catch` caught (the layer's inputs) and gives ``[B, L, inner]`` projections, which
    ``predict_words_extra`` averages per word as it does the tag logits; the GRU then reads them per article.
    """

    def __init__(self, hidden_size: int, inner: int = 64, layer=None, layer_index: int = -1,
                 info: dict[str, Any] | None = None, rules: bool = False) -> None:
        super().__init__(hidden_size, inner, info, rules)
        self.layer, self.layer_index = layer, layer_index
        self._pending: dict[str, Any] | None = None  # the copied layer's weights until bind() has a model

    def bind(self, model) -> LayerHead:
        """Build the copied layer from ``model``'s own layer (its type and config), then load the stored weights."""
        layers = encoder_layers(model)
        if not -len(layers) <= self.layer_index < len(layers):
            raise ModelLoadError(f"the indirect head copies encoder layer {self.layer_index}, "
                                 f"but the model has {len(layers)}")
        if self.layer is None:
            self.layer = copy.deepcopy(layers[self.layer_index]).float()
        if self._pending is not None:
            try:
                self.layer.load_state_dict(self._pending)
            except (RuntimeError, KeyError) as e:
                raise ModelLoadError(f"the indirect head's layer does not fit this model's layers: {e}") from e
            self._pending = None
        self.layer.eval()
        return self

    def catch(self, model, sink: Callable[[Any], None]):
        """Register a forward pre-hook on ``model``'s layer ``layer_index`` that gives its inputs to ``sink``."""
        layer = encoder_layers(model)[self.layer_index]
        return layer.register_forward_pre_hook(lambda _m, args, kwargs: sink(layer_inputs(args, kwargs)),
                                               with_kwargs=True)

    def __call__(self, caught):
        """``(hidden, mask)`` going into the top layer -> ``[B, L, inner]`` projections of the copied layer's output."""
        import torch

        if self.layer is None:
            raise RuntimeError("LayerHead.bind(model) must run before the head is used")
        hidden, mask = caught
        with torch.no_grad():
            return self.net.project(run_layer(self.layer, hidden, mask))

    def save(self, directory: str | os.PathLike) -> None:
        from safetensors.torch import save_file

        from ..atomic import atomic_path, write_text

        d = Path(directory)
        state = {f"net.{k}": v for k, v in self.net.state_dict().items()}
        state.update({f"layer.{k}": v for k, v in self.layer.state_dict().items()})
        with atomic_path(d / HEAD_WEIGHTS) as tmp:
            save_file({k: v.detach().contiguous() for k, v in state.items()}, str(tmp))
        about = {"kind": KIND, "tags": list(TAGS), "flags": list(FLAGS), "hidden_size": self.hidden_size,
                 "inner": self.inner, "rules": self.rules, "layer_index": self.layer_index, **self.info}
        write_text(d / HEAD_CONFIG, json.dumps(about, indent=2, ensure_ascii=False) + "\n")


def load_head(directory: str | os.PathLike | None) -> IndirectHead | None:
    """The checkpoint's indirect-speech head of either design, or None; a :class:`LayerHead` still needs ``bind``."""
    if directory is None or not (Path(directory) / HEAD_WEIGHTS).is_file():
        return None
    d = Path(directory)
    try:
        info = json.loads((d / HEAD_CONFIG).read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise ModelLoadError(f"{d / HEAD_CONFIG}: cannot read the indirect-speech head's description: {e}") from e
    if info.get("kind") != KIND:
        return load_indirect_head(d)
    from safetensors.torch import load_file

    try:
        tags, flags = list(info["tags"]), list(info["flags"])
        hidden, inner, index = int(info["hidden_size"]), int(info["inner"]), int(info["layer_index"])
        rules = bool(info["rules"])
    except (KeyError, TypeError, ValueError) as e:
        raise ModelLoadError(f"{d / HEAD_CONFIG}: cannot read the indirect-speech head's description: {e}") from e
    if tags != list(TAGS) or flags != list(FLAGS):
        raise ModelLoadError(f"{d / HEAD_CONFIG}: the head was fitted on other tags or inputs ({tags}, {flags}); "
                             "refit it with `indoquote indirect`")
    rest = {k: v for k, v in info.items()
            if k not in ("kind", "tags", "flags", "hidden_size", "inner", "rules", "layer_index")}
    head = LayerHead(hidden, inner, None, index, rest, rules)
    try:
        state = load_file(str(d / HEAD_WEIGHTS))
        head.net.load_state_dict({k[4:]: v for k, v in state.items() if k.startswith("net.")})
    except Exception as e:  # safetensors raises its own error type for a damaged file
        raise ModelLoadError(f"{d / HEAD_WEIGHTS}: cannot read the indirect-speech head: {e}") from e
    head._pending = {k[6:]: v for k, v in state.items() if k.startswith("layer.")}
    return head


def word_projections(head: LayerHead, windows: list, n_words: int):
    """``[n_words, inner]`` projections of one document from its cached windows (see
    :func:`indoquote.training.fit_indirect_layer.cache_windows`), with gradients when the head is training: the
    mean over windows of each word's first sub-word, as ``predict_words_extra`` averages at inference."""
    return window_word_means(windows, n_words, head.hidden_size, head.inner,
                             lambda hidden, mask: head.net.project(run_layer(head.layer, hidden, mask)))


def window_word_means(windows: list, n_words: int, hidden_size: int, width: int, fn: Callable[[Any, Any], Any]):
    """``[n_words, width]``: ``fn(hidden [W, L, hidden_size], additive mask)`` run over a document's cached windows at
    once, then each word's first sub-word averaged over the windows that hold it."""
    import torch

    if n_words == 0 or not windows:
        return torch.zeros(n_words, width)
    longest = max(len(w.hidden) for w in windows)
    hidden = torch.zeros(len(windows), longest, hidden_size)
    mask = torch.zeros(len(windows), longest)
    for r, w in enumerate(windows):
        hidden[r, : len(w.hidden)] = torch.as_tensor(np.asarray(w.hidden, dtype=np.float32))
        mask[r, : len(w.hidden)] = 1
    values = fn(hidden, additive_mask(mask))
    total = torch.zeros(n_words, width)
    count = torch.zeros(n_words)
    for r, w in enumerate(windows):
        pos, words = torch.as_tensor(w.positions), torch.as_tensor(w.words)
        total = total.index_add(0, words, values[r, pos])
        count = count.index_add(0, words, torch.ones(len(words)))
    return total / count.clamp(min=1)[:, None]
