"""``indoquote indirect head=layer``: fit the indirect-speech head that fine-tunes its own copy of the top layer.

The head (:class:`indoquote.quotes.indirect_layer.LayerHead`) learns from the same data as the frozen-feature head
(:mod:`indoquote.training.fit_indirect`: the rules' silver over PFSA-ID's training texts, some quotations written
without marks, the dev set's tune gold), plus PFSA-ID's direct quotations rewritten as reported speech
(:mod:`indoquote.data.reported`) and, with ``unlabelled=FILE``, silver from real articles kept only where a first
head and the rules agree (:func:`agreed_tags`).

The tagger runs once: each window's hidden states going into the top layer are cached (fp16), so an epoch runs only
the copied layer, the projection and the GRU. Seeded; the weights are stored as safetensors.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Mapping, Sequence

import numpy as np

from ..quotes.indirect_head import IndirectHead, model_spans, word_flags
from ..quotes.indirect_layer import (
    LayerHead,
    encoder_layers,
    layer_inputs,
    run_layer,
    window_word_means,
    word_projections,
)
from ..quotes.indirect_rules import find_indirect
from ..scoring.metrics import match_ranges
from ..text.articles import Token
from .fit_indirect import (
    IGNORED,
    HeadData,
    article_data,
    document_data,
    fit_head,
    fit_indirect,
    load_inputs,
    raw_data,
    spans_to_tags,
    tag_ids,
)


@dataclass(frozen=True)
class Window:
    """One window of a document as the copied layer reads it: the hidden states going into the top layer (fp16),
    and where each word's first sub-word sits (``positions``) and which word it is (``words``)."""

    hidden: np.ndarray
    positions: np.ndarray
    words: np.ndarray


class _Stop(Exception):
    """Raised by the caching hook once the top layer's inputs are caught: the rest of the forward pass is not needed."""


def cache_windows(tagger, documents: Sequence[Sequence[str]], progress: bool = False,
                  layer_index: int = -1) -> list[list[Window]]:
    """Every document's windows, as :func:`indoquote.model.decode.predict_words_extra` cuts and runs them."""
    import torch

    from ..model.windows import document_windows, encode_words

    model, tok = tagger.model, tagger.tokenizer
    model.eval()
    items = [(d, w) for d, words in enumerate(documents) if words
             for w in document_windows(tok, words, None, tagger.window, encoded=encode_words(tok, words))]
    order = sorted(range(len(items)), key=lambda i: len(items[i][1]["input_ids"]))
    out: list[list[Window]] = [[] for _ in documents]
    caught: list = []

    def hook(_m, args, kwargs):
        caught.append(layer_inputs(args, kwargs)[0])
        raise _Stop

    handle = encoder_layers(model)[layer_index].register_forward_pre_hook(hook, with_kwargs=True)
    batches = [order[i : i + tagger.batch_size] for i in range(0, len(order), tagger.batch_size)]
    if progress:
        from tqdm.auto import tqdm

        batches = tqdm(batches, desc="caching windows", unit="batch")
    try:
        with torch.inference_mode():
            for batch in batches:
                feats = [{k: items[i][1][k] for k in ("input_ids", "attention_mask")} for i in batch]
                enc = tok.pad(feats, padding=True, padding_side="right", return_tensors="pt")
                caught.clear()
                try:
                    model(input_ids=enc["input_ids"].to(model.device), attention_mask=enc["attention_mask"].to(model.device))
                except _Stop:
                    pass
                hidden = caught[0].cpu().numpy()
                for r, i in enumerate(batch):
                    d, w = items[i]
                    ids = w["word_ids"]
                    first = [p for p, x in enumerate(ids) if x >= 0 and (p == 0 or ids[p - 1] != x)]
                    out[d].append(Window(hidden[r, : len(w["input_ids"])].astype(np.float16),
                                         np.array(first, dtype=np.int64), np.array([ids[p] for p in first], dtype=np.int64)))
    finally:
        handle.remove()
    return out


def featurize(tagger, documents: Sequence[Sequence[str]], progress: bool = False) -> list[list[Window]]:
    """:func:`cache_windows` in the shape :mod:`indoquote.training.fit_indirect`'s data builders take."""
    return cache_windows(tagger, documents, progress)


def frozen_features(head: LayerHead, data: HeadData) -> HeadData:
    """``data`` with each document's per-word hidden states out of the head's (untuned) copied layer in place of its
    cached windows: what the frozen-feature BiGRU reads, as the tagger's classifier reads it, so the BiGRU of
    :func:`indoquote.training.fit_indirect.fit_head` can be fitted on the same cache (:func:`warm_start`)."""
    import torch

    with torch.no_grad():
        out = [window_word_means(windows, len(tags), head.hidden_size, head.hidden_size,
                                 lambda hidden, mask: run_layer(head.layer, hidden, mask)).numpy()
               for windows, tags in zip(data.features, data.tags)]
    return replace(data, features=out)


def warm_start(data: HeadData, model, seed: int = 0, epochs: int = 10, inner: int = 64, lr: float = 3e-3,
               layer_index: int = -1, rules: bool = False) -> IndirectHead:
    """The frozen-feature BiGRU head fitted on the cached windows' top-layer outputs.

    Why: the copied layer starts as the tagger's own, so a :class:`LayerHead` whose BiGRU and projection start as
    this head's predicts exactly what the frozen-feature head predicts; fine-tuning then starts from the present
    design's quality instead of from a random BiGRU (3 epochs of that left the layer head at about half the recall).
    """
    hidden = next(w.hidden.shape[1] for doc in data.features for w in doc)
    copy_of_layer = LayerHead(hidden, inner, None, layer_index, rules=rules).bind(model)
    return fit_head(frozen_features(copy_of_layer, data), seed, epochs, inner, lr, rules=rules)


def fit_layer_head(data: HeadData, model, seed: int = 0, epochs: int = 3, inner: int = 64, lr: float = 3e-3,
                   layer_lr: float = 5e-5, batch: int = 4, layer_index: int = -1, rules: bool = False,
                   progress: bool = False, init: IndirectHead | None = None) -> LayerHead:
    """Fit a :class:`LayerHead` whose layer starts as ``model``'s layer ``layer_index`` (weighted cross-entropy,
    AdamW with a small rate for the copied layer, seeded); its projection and BiGRU start as ``init``'s (a
    :func:`warm_start` head) when given, else at random."""
    import torch

    torch.manual_seed(seed)
    hidden = next(w.hidden.shape[1] for doc in data.features for w in doc)
    head = LayerHead(hidden, inner, None, layer_index, rules=rules).bind(model)
    if init is not None:
        if (init.hidden_size, init.inner, init.rules) != (hidden, inner, rules):
            raise ValueError(f"the warm start head has width {init.inner}, hidden size {init.hidden_size}, rules "
                             f"{init.rules}; the layer head needs {inner}, {hidden}, {rules}")
        head.net.load_state_dict(init.net.state_dict())
    head.layer.train()
    head.net.train()
    opt = torch.optim.AdamW([{"params": head.net.parameters(), "lr": lr},
                             {"params": head.layer.parameters(), "lr": layer_lr}], weight_decay=0.01)
    docs = [i for i, f in enumerate(data.features) if f and len(data.tags[i])]
    inputs = {i: (torch.from_numpy(word_flags(data.tokens[i], data.starts[i], data.direct[i], rules)),
                  torch.from_numpy(tag_ids(data.tags[i]))) for i in docs}
    rng = np.random.default_rng(seed)
    steps = range(epochs)
    if progress:
        from tqdm.auto import tqdm

        steps = tqdm(steps, desc="fitting the layer head", unit="epoch")
    seconds = []
    for _ in steps:
        began = time.perf_counter()
        order = [docs[k] for k in rng.permutation(len(docs))]
        for start in range(0, len(order), batch):
            part = order[start : start + batch]
            n = max(len(data.tags[i]) for i in part)
            x = torch.zeros(len(part), n, inner)
            fl = torch.zeros(len(part), n, len(inputs[part[0]][0][0]))
            y = torch.full((len(part), n), -100, dtype=torch.long)
            w = torch.zeros(len(part), n)
            for r, i in enumerate(part):
                m = len(data.tags[i])
                x[r, :m] = word_projections(head, data.features[i], m)
                fl[r, :m], y[r, :m], w[r, :m] = inputs[i][0], inputs[i][1], data.weights[i]
            logits = head.net(x, fl)
            loss = torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1),
                                                     reduction="none")
            w = w.reshape(-1) * (y.reshape(-1) != -100)
            loss = (loss * w).sum() / w.sum().clamp(min=1e-9)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_([*head.net.parameters(), *head.layer.parameters()], 1.0)
            opt.step()
        seconds.append(round(time.perf_counter() - began, 1))
    head.layer.eval()
    head.net.eval()
    head.info = {"words": sum(len(t) for t in data.tags), "indirect_words": sum(t not in ("O", IGNORED)
                 for tags in data.tags for t in tags), "epochs": epochs, "seed": seed, "layer_lr": layer_lr,
                 "warm_start": init is not None, "epoch_seconds": seconds}
    return head


def layer_head_tags(head: LayerHead, data: HeadData) -> list[list[str]]:
    """The head's decoded tags of documents given as cached windows."""
    import torch

    out = []
    with torch.no_grad():
        for f, tok, st, dr, tags in zip(data.features, data.tokens, data.starts, data.direct, data.tags):
            n = len(tags)
            out.append(head.tag(word_projections(head, f, n).numpy(), tok, st, dr) if n and f else ["O"] * n)
    return out


def agreed_tags(tokens: Sequence[Token], starts: Sequence[int], direct: Sequence[tuple[int, int]],
                head_tags: Sequence[str]) -> list[str]:
    """Silver tags of an unlabelled article where a head and the rules agree.

    A span both find (half of the longer span shared) is kept with the rules' boundaries and cue; a sentence where
    only one of them finds speech gets :data:`~indoquote.training.fit_indirect.IGNORED` words (no loss); every other
    word is ``O``: both say nothing is reported there.
    """
    rules = find_indirect(tokens, starts, direct)
    mine = model_spans(tokens, starts, head_tags, direct)
    both = match_ranges([(s.a, s.b) for s in rules], [(s.a, s.b) for s in mine], 0.5, longer=True)
    kept = [rules[i] for i in both]
    tags = spans_to_tags([(s.a, s.b) for s in kept], len(tokens), [s.cue for s in kept])
    bounds = [*starts, len(tokens)]
    alone = [s for i, s in enumerate(rules) if i not in both] + [s for j, s in enumerate(mine) if j not in both.values()]
    for sp in alone:
        k = int(np.searchsorted(bounds, sp.a, side="right")) - 1
        lo, hi = bounds[k], bounds[k + 1]
        tags[lo:hi] = [IGNORED if t == "O" else t for t in tags[lo:hi]]
    return tags


def fit_layer_indirect(tagger, documents: Sequence[Any], articles: Sequence[Any], cfg: Mapping[str, Any],
                       progress: bool = False, unlabelled: Sequence[tuple[str, str]] = ()) -> LayerHead:
    """The layer head of ``tagger``'s checkpoint from PFSA-ID ``documents`` (silver and rewritten), the tune gold
    ``articles`` and ``unlabelled`` real articles (silver where a first head and the rules agree)."""
    from ..data.augment import AugmentConfig

    start = time.perf_counter()
    seed = int(cfg["head_seed"])
    augment = AugmentConfig(**cfg["augment"]) if cfg.get("augment") else None
    data = HeadData()
    if documents:
        data = data + document_data(tagger, documents, progress, float(cfg.get("dequote", 0.0)), augment, seed,
                                    featurize, float(cfg.get("reported", 0.0)))
    if articles:
        data = data + article_data(tagger, articles, float(cfg["gold_weight"]), progress, featurize)
    if not data.features:
        raise ValueError("indoquote indirect: no documents and no articles to learn from")
    knobs = dict(seed=seed, epochs=int(cfg["layer_epochs"]), inner=int(cfg["inner"]), lr=float(cfg["lr"]),
                 layer_lr=float(cfg["layer_lr"]), batch=int(cfg["layer_batch"]), rules=bool(cfg["rules_input"]),
                 progress=progress)
    warm = str(cfg.get("layer_init") or "") == "gru"
    init = warm_start(data, tagger.model, seed, int(cfg["epochs"]), knobs["inner"], knobs["lr"],
                      rules=knobs["rules"]) if warm else None
    head = fit_layer_head(data, tagger.model, **knobs, init=init)
    agreed = 0
    if unlabelled:  # silver from real articles where this first head and the rules agree, then one more fit
        raw = raw_data(tagger, unlabelled, progress, featurize)
        tags = [agreed_tags(tok, st, dr, t)
                for tok, st, dr, t in zip(raw.tokens, raw.starts, raw.direct, layer_head_tags(head, raw))]
        agreed = sum(t == "B-INDIRECT" for ts in tags for t in ts)
        data = data + replace(raw, tags=tags)
        init = warm_start(data, tagger.model, seed + 1, int(cfg["epochs"]), knobs["inner"], knobs["lr"],
                          rules=knobs["rules"]) if warm else None
        head = fit_layer_head(data, tagger.model, **{**knobs, "seed": seed + 1}, init=init)
    head.info.update({
        "documents": len(data.features), "silver_documents": len(documents), "gold_articles": len(articles), "unlabelled_articles": len(unlabelled),
        "agreed_unlabelled_spans": agreed, "spans": sum(t == "B-INDIRECT" for ts in data.tags for t in ts),
        "gold_weight": float(cfg["gold_weight"]),
        "dequote": 0.0 if float(cfg.get("reported", 0.0)) > 0 else float(cfg.get("dequote", 0.0)),  # reported replaces it
        "reported": float(cfg.get("reported", 0.0)), "seconds": round(time.perf_counter() - start, 1),
    })
    return head


def main(cfg: Mapping[str, Any]) -> Any:
    """``indoquote indirect checkpoint=DIR [head=gru|layer]``: fit the chosen head and store it in the checkpoint
    (``gru``: :func:`indoquote.training.fit_indirect.fit_indirect`; ``layer``: :func:`fit_layer_indirect`)."""
    tagger, path, docs, arts, raw = load_inputs(cfg)
    layer = str(cfg.get("head", "gru")) == "layer"
    head = (fit_layer_indirect if layer else fit_indirect)(tagger, docs, arts, cfg, bool(cfg["progress"]), raw)
    head.save(path)
    print(json.dumps(head.info, indent=2))
    print(f"indirect-speech head ({'own top layer' if layer else 'BiGRU'}): {Path(path) / 'indirect.safetensors'}")
    return head
