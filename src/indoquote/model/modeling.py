"""Tokenizers and token-classification models: hub ids, local directories, tiny random ones.

Everything loads safetensors only and never runs remote code. The ``tiny`` model
(a few-layer BERT with a WordPiece vocabulary trained on the data at hand) makes
smoke runs and tests work offline in seconds.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from ..errors import ModelLoadError
from ..text.labels import LabelSchema
from .checkpoint import weights_problem

log = logging.getLogger(__name__)

SPECIAL = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]


def build_tiny_tokenizer(texts: Iterable[str], vocab_size: int = 2000):
    """A cased WordPiece tokenizer for ``texts`` (offline stand-in for a hub tokenizer).

    The vocabulary is chosen deterministically (characters, then the most frequent
    words, ties by spelling), unlike the `tokenizers` trainer, so that the same seed
    gives the same model and metrics.
    """
    from collections import Counter

    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors
    from transformers import PreTrainedTokenizerFast

    normalizer = normalizers.BertNormalizer(lowercase=False)
    pre = pre_tokenizers.BertPreTokenizer()
    words: Counter[str] = Counter()
    for text in texts:
        words.update(w for w, _ in pre.pre_tokenize_str(normalizer.normalize_str(text)))
    chars = sorted({c for w in words for c in w})
    vocab = SPECIAL + chars + [f"##{c}" for c in chars]
    room = max(0, vocab_size - len(vocab))
    vocab += [w for w, _ in sorted(words.items(), key=lambda kv: (-kv[1], kv[0])) if len(w) > 1][:room]
    tok = Tokenizer(models.WordPiece({w: i for i, w in enumerate(vocab)}, unk_token="[UNK]"))
    tok.normalizer = normalizer
    tok.pre_tokenizer = pre
    cls, sep = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B [SEP]", special_tokens=[("[CLS]", cls), ("[SEP]", sep)]
    )
    return PreTrainedTokenizerFast(
        tokenizer_object=tok,
        unk_token="[UNK]",
        pad_token="[PAD]",
        cls_token="[CLS]",
        sep_token="[SEP]",
        mask_token="[MASK]",
        model_max_length=512,
    )


def _source(model_cfg: Mapping[str, Any]) -> str:
    kind = model_cfg["kind"]
    if kind == "local":
        path = model_cfg["path"]
        if not path:
            raise ModelLoadError("model=local needs model.path=DIR (a directory with config.json and weights)")
        p = Path(str(path)).expanduser()
        if not (p / "config.json").exists():
            raise ModelLoadError(f"{p}: not a model directory (no config.json)")
        problem = weights_problem(p)
        if problem:
            raise ModelLoadError(f"model.path={p}: {problem}")
        return str(p)
    if kind == "hub":
        return str(model_cfg["name_or_path"])
    raise ModelLoadError(f"model.kind must be hub, local or tiny, got {kind!r}")


def _offline_hint(name: str, err: Exception) -> ModelLoadError:
    if not isinstance(err, (OSError, ValueError)):  # a file that is there but broken: no network advice
        text = " ".join(str(err).split())
        return ModelLoadError(f"cannot load {name!r} ({type(err).__name__}: {text[:400]})")
    return ModelLoadError(
        f"cannot load {name!r} ({type(err).__name__}: {err}). If this machine is offline, the model must be in the "
        "Hugging Face cache already (HF_HOME); otherwise train with model=local model.path=DIR (for example the "
        "offline stand-in encoder) or model=tiny for a smoke run."
    )


def load_tokenizer(model_cfg: Mapping[str, Any], texts: Iterable[str] | None = None):
    """The tokenizer named by a model config (``tiny`` trains one on ``texts``)."""
    from transformers import AutoTokenizer

    if model_cfg["kind"] == "tiny":
        if texts is None:
            raise ModelLoadError("model=tiny builds its tokenizer from the training text; none given")
        return build_tiny_tokenizer(texts, int(model_cfg["vocab_size"]))
    name = _source(model_cfg)
    try:
        tok = AutoTokenizer.from_pretrained(name, trust_remote_code=False, revision=model_cfg["revision"])
    except Exception as e:  # OSError (not found, offline), ValueError, a broken tokenizer file...
        raise _offline_hint(name, e) from None
    if not tok.is_fast:
        raise ModelLoadError(f"{name}: no fast tokenizer; word alignment needs one")
    return tok


def load_model(model_cfg: Mapping[str, Any], schema: LabelSchema, tokenizer, seed: int = 0):
    """A token-classification model with ``schema``'s labels, from hub/local weights or at random."""
    import torch
    from transformers import AutoModelForTokenClassification, BertConfig, BertForTokenClassification

    labels = dict(id2label=schema.id2label, label2id=schema.label2id, num_labels=len(schema.tags))
    if model_cfg["attention_dropout"] is not None:
        # Attention dropout sends CPU attention down a slow path (a step costs about 1.4x);
        # 0.0 is a common fine-tuning choice.
        labels["attention_probs_dropout_prob"] = float(model_cfg["attention_dropout"])
    if model_cfg["kind"] == "tiny":
        torch.manual_seed(seed)
        config = BertConfig(
            vocab_size=len(tokenizer),
            hidden_size=int(model_cfg["hidden_size"]),
            num_hidden_layers=int(model_cfg["num_layers"]),
            num_attention_heads=int(model_cfg["num_heads"]),
            intermediate_size=int(model_cfg["intermediate_size"]),
            max_position_embeddings=512,
            pad_token_id=tokenizer.pad_token_id,
            **labels,
        )
        model = BertForTokenClassification(config)
    else:
        name = _source(model_cfg)
        try:
            model = AutoModelForTokenClassification.from_pretrained(
                name,
                trust_remote_code=False,
                use_safetensors=True,
                revision=model_cfg["revision"],
                ignore_mismatched_sizes=True,
                **labels,
            )
        except Exception as e:  # OSError (not found, offline), ValueError, SafetensorError (truncated)...
            raise _offline_hint(name, e) from None
    if model_cfg.get("keep_layers") is not None:
        keep_layers(model, model_cfg["keep_layers"])
    if model_cfg["freeze_embeddings"]:
        model.get_input_embeddings().requires_grad_(False)
    freeze_layers(model, int(model_cfg["freeze_layers"]))
    return model


def _encoder_layers(model, key: str, n: int):
    layers = getattr(getattr(model.base_model, "encoder", None), "layer", None)
    if layers is None:
        raise ModelLoadError(f"model.{key}={n}: {type(model).__name__} has no encoder.layer list")
    if n > len(layers):
        raise ModelLoadError(f"model.{key}={n}: the model has only {len(layers)} layers")
    return layers


def kept_layers(keep: int | Sequence[int] | None, depth: int) -> list[int]:
    """The indices of the encoder layers ``model.keep_layers`` keeps of ``depth``: the ``keep`` lowest (an int),
    these (a list), or all (None); a list that is not increasing or leaves the range is a :class:`ModelLoadError`."""
    if keep is None:
        return list(range(depth))
    if isinstance(keep, int):
        if keep > depth:
            raise ModelLoadError(f"model.keep_layers={keep}: the model has only {depth} layers")
        return list(range(keep))
    index = [int(i) for i in keep]
    bad = [i for i in index if not 0 <= i < depth]
    if bad or not index or index != sorted(set(index)):
        raise ModelLoadError(
            f"model.keep_layers={index}: a list must name distinct encoder layers in increasing order, "
            f"each in [0, {depth})" + (f" ({bad} out of range)" if bad else "")
        )
    return index


def keep_layers(model, keep: int | Sequence[int]) -> None:
    """Keep the ``keep`` lowest encoder layers (an int), or the layers at these indices (a list),
    and drop the rest (the saved config says how many are left).

    A tagger needs the lower and middle layers' word-level features more than the top
    layers, which pretraining shaped for its own objective: dropping the top third costs
    a token tagger little and makes every step, in training and inference, cheaper by
    about that third. A list picks layers across the depth of a fine-tuned teacher
    (``[0, 2, 4, 7]``): the start a distilled student learns from (:mod:`indoquote.training.distil`),
    the top layer kept so that the classifier still reads the states it was trained on.
    """
    import torch

    layers = _encoder_layers(model, "keep_layers", 0)
    picked = [layers[i] for i in kept_layers(keep, len(layers))]
    model.base_model.encoder.layer = torch.nn.ModuleList(picked)
    model.config.num_hidden_layers = len(picked)
    for depth, layer in enumerate(picked):  # attention layers that carry their index (caches) stay consistent
        attn = getattr(getattr(layer, "attention", None), "self", None)
        if attn is not None and hasattr(attn, "layer_idx"):
            attn.layer_idx = depth


def freeze_layers(model, n: int) -> None:
    """Freeze the embeddings and the ``n`` lowest encoder layers.

    Backpropagation then stops at layer ``n``: on a CPU this is the cheapest way to
    train a 12-layer encoder, and the lower layers change little in fine-tuning anyway.
    """
    if n <= 0:
        return
    layers = _encoder_layers(model, "freeze_layers", n)
    model.base_model.embeddings.requires_grad_(False)
    for layer in layers[:n]:
        layer.requires_grad_(False)
