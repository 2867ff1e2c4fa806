"""Vocabulary trimming at publish time: keep the pieces Indonesian news uses, drop the rest of the embedding matrix.

Why: a multilingual encoder's vocabulary is mostly other languages. The
stand-in has 250k pieces (384 MB of its 470 MB of fp32 weights); PFSA-ID uses
about 15k. Trimming keeps every piece that the given texts are tokenized into,
every single-character piece (so no character of a new text turns into
``<unk>``) and the special tokens, then rebuilds ``tokenizer.json`` and the
embedding rows in the same order.

Tokenization of the given texts is unchanged: a Unigram tokenizer picks the
best segmentation among the pieces it has, and every piece of that best
segmentation is kept. Other text may segment differently (into shorter
pieces), never into ``<unk>`` where the full vocabulary had none.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

from ..errors import TrimError

METASPACE = "▁"


@dataclass(frozen=True)
class TrimStats:
    pieces_before: int
    pieces_after: int
    used: int  # pieces the texts are tokenized into
    characters: int  # single-character pieces kept for unseen text

    def to_json(self) -> dict[str, int]:
        return dict(vars(self))


def pieces_used(tokenizer: Any, documents: Iterable[Sequence[str]]) -> set[int]:
    """Ids of the pieces that pre-tokenized ``documents`` (word lists) are encoded into, as the tagger encodes them."""
    used: set[int] = set()
    batch: list[list[str]] = []
    for words in documents:
        if words:
            batch.append(list(words))
        if len(batch) == 64:
            used.update(i for ids in tokenizer(batch, is_split_into_words=True)["input_ids"] for i in ids)
            batch = []
    if batch:
        used.update(i for ids in tokenizer(batch, is_split_into_words=True)["input_ids"] for i in ids)
    return used


def _remap_json(tok: dict[str, Any], keep: list[int]) -> dict[str, Any]:
    new_id = {old: new for new, old in enumerate(keep)}
    model = tok["model"]
    model["vocab"] = [model["vocab"][i] for i in keep]
    if model.get("unk_id") is not None:
        model["unk_id"] = new_id[model["unk_id"]]
    for added in tok.get("added_tokens") or []:
        added["id"] = new_id[added["id"]]
    post = tok.get("post_processor") or {}
    for processor in [post, *post.get("processors", [])]:
        for special in (processor.get("special_tokens") or {}).values():
            special["ids"] = [new_id[i] for i in special["ids"]]
    return tok


def trim_vocabulary(model: Any, tokenizer: Any, documents: Iterable[Sequence[str]]) -> tuple[Any, Any, TrimStats]:
    """``model`` and ``tokenizer`` with only the pieces ``documents`` use, single characters and special tokens.

    Returns new objects (the model's word embedding rows gathered in the kept
    order, ``config.vocab_size`` and special token ids updated).
    """
    import torch
    from transformers import AutoTokenizer

    tok = json.loads(tokenizer.backend_tokenizer.to_str())
    if tok["model"]["type"] != "Unigram":
        raise TrimError(f"vocabulary trimming handles Unigram tokenizers (sentencepiece), not {tok['model']['type']}")
    vocab = tok["model"]["vocab"]
    used = pieces_used(tokenizer, documents)
    specials = {a["id"] for a in tok.get("added_tokens") or []} | {tok["model"].get("unk_id") or 0}
    chars = {i for i, (piece, _) in enumerate(vocab) if len(piece.replace(METASPACE, "")) <= 1}
    keep = sorted(used | specials | chars)
    new_id = {old: new for new, old in enumerate(keep)}

    with tempfile.TemporaryDirectory() as tmp:
        tokenizer.save_pretrained(tmp)
        (Path(tmp) / "tokenizer.json").write_text(json.dumps(_remap_json(tok, keep), ensure_ascii=False), encoding="utf-8")
        trimmed_tok = AutoTokenizer.from_pretrained(tmp, trust_remote_code=False)

    embeddings = model.get_input_embeddings()
    rows = embeddings.weight.data[torch.tensor(keep)]
    new_emb = torch.nn.Embedding(len(keep), rows.shape[1], padding_idx=new_id.get(model.config.pad_token_id))
    new_emb.weight.data.copy_(rows)
    model.set_input_embeddings(new_emb)
    model.config.vocab_size = len(keep)
    for name in ("pad_token_id", "bos_token_id", "eos_token_id"):
        old = getattr(model.config, name, None)
        if old is not None and old in new_id:
            setattr(model.config, name, new_id[old])
    return model, trimmed_tok, TrimStats(len(vocab), len(keep), len(used), len(chars))
