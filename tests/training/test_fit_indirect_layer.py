"""Fitting the layer head: cached windows, the fit itself, silver where head and rules agree, the command."""

from __future__ import annotations

import json

import numpy as np

from indoquote.quotes.indirect_layer import KIND, LayerHead, load_head
from indoquote.quotes.indirect_rules import find_indirect
from indoquote.text.articles import article_from_text
from indoquote.text.document import Document
from indoquote.training.fit_indirect import IGNORED, document_data, spans_to_tags
from indoquote.training.fit_indirect_layer import (
    agreed_tags,
    cache_windows,
    fit_layer_head,
    frozen_features,
    layer_head_tags,
    main,
    warm_start,
)

SENTENCES = [
    "Gubernur Ani Lestari mengatakan bahwa jalan desa akan diperbaiki tahun depan.",
    "Anggaran perbaikan sudah disiapkan sejak Maret, kata Ani.",
    "Menurut Joko Susilo, warga sudah lama menunggu perbaikan itu.",
    "Hujan turun deras di kota itu sepanjang sore.",
    "Joko berencana membuka warung kopi baru tahun depan.",
]


def docs(n: int) -> list[Document]:
    out = []
    for i in range(n):
        art = article_from_text(" ".join(np.random.default_rng(i).permutation(SENTENCES)), f"d{i}")
        out.append(Document(f"d{i}", art.words, ["O"] * len(art.words), list(art.sentence_starts)))
    return out


def test_cached_windows_hold_every_word_once_per_window(make_checkpoint):
    from indoquote.pipeline.tagger import QuoteTagger

    tagger = QuoteTagger.from_pretrained(make_checkpoint("cache", max_length=16, stride=4), precision="fp32",
                                         linker=False)
    words = article_from_text(" ".join(SENTENCES), "a").words
    [windows, empty] = cache_windows(tagger, [words, []])
    assert empty == [] and len(windows) > 1  # 16 sub-words a window: the article needs several
    seen = np.concatenate([w.words for w in windows])
    assert set(seen.tolist()) == set(range(len(words)))
    assert all(w.hidden.dtype == np.float16 and w.hidden.shape[1] == tagger.model.config.hidden_size for w in windows)


def test_the_layer_head_learns_the_silver_spans_and_is_seeded(make_checkpoint):
    from indoquote.pipeline.tagger import QuoteTagger
    from indoquote.training.fit_indirect_layer import featurize

    tagger = QuoteTagger.from_pretrained(make_checkpoint("fit-layer"), precision="fp32", linker=False)
    data = document_data(tagger, docs(8), featurize=featurize)
    assert isinstance(data.features[0], list)  # windows, not per-word arrays
    before = {k: v.clone() for k, v in LayerHead(data.features[0][0].hidden.shape[1], 16).bind(tagger.model)
              .layer.state_dict().items()}
    head = fit_layer_head(data, tagger.model, seed=0, epochs=30, inner=16, lr=1e-2, layer_lr=1e-3, batch=4, rules=True)
    predicted = layer_head_tags(head, data)
    right = sum(p == t for ps, ts in zip(predicted, data.tags) for p, t in zip(ps, ts))
    assert right / sum(len(t) for t in data.tags) > 0.9
    moved = [k for k, v in head.layer.state_dict().items() if not np.allclose(v.numpy(), before[k].numpy())]
    assert moved  # the copied layer itself was fine-tuned
    again = fit_layer_head(data, tagger.model, seed=0, epochs=2, inner=16, batch=4)
    twice = fit_layer_head(data, tagger.model, seed=0, epochs=2, inner=16, batch=4)
    assert layer_head_tags(again, data) == layer_head_tags(twice, data)


def test_frozen_features_are_what_the_classifier_reads_and_the_warm_start_is_the_layer_heads_start(make_checkpoint):
    from indoquote.pipeline.tagger import QuoteTagger
    from indoquote.training.fit_indirect import head_tags
    from indoquote.training.fit_indirect_layer import featurize

    tagger = QuoteTagger.from_pretrained(make_checkpoint("warm", max_length=16, stride=4), precision="fp32",
                                         linker=False)
    windows = document_data(tagger, docs(4), featurize=featurize)
    per_word = document_data(tagger, docs(4))  # the frozen-feature head's inputs: the classifier's input per word
    untuned = LayerHead(per_word.features[0].shape[1], 16).bind(tagger.model)
    frozen = frozen_features(untuned, windows)
    for a, b in zip(frozen.features, per_word.features):
        assert a.shape == b.shape and np.allclose(a, b, atol=2e-2)  # the cache holds fp16 states
    gru = warm_start(windows, tagger.model, seed=0, epochs=3, inner=16)
    start = fit_layer_head(windows, tagger.model, seed=0, epochs=0, inner=16, init=gru)
    assert start.info["warm_start"] and start.info["epoch_seconds"] == []
    assert layer_head_tags(start, windows) == head_tags(gru, frozen)  # fine-tuning starts where the BiGRU is
    import torch

    from indoquote.quotes.indirect_head import word_flags
    from indoquote.quotes.indirect_layer import word_projections

    flags = word_flags(windows.tokens[0], windows.starts[0], windows.direct[0], False)
    n = len(windows.tags[0])
    with torch.no_grad():
        mine = start.word_logits(word_projections(start, windows.features[0], n).numpy(), flags)
        theirs = gru.word_logits(gru(torch.from_numpy(frozen.features[0])).numpy(), flags)
    assert np.allclose(mine, theirs, atol=1e-4) and np.abs(mine).max() > 0
    try:
        fit_layer_head(windows, tagger.model, epochs=0, inner=8, init=gru)
    except ValueError as e:
        assert "width 16" in str(e)
    else:
        raise AssertionError("a warm start of another width was taken")


def test_agreed_tags_keep_what_head_and_rules_both_find_and_ignore_where_they_differ():
    art = article_from_text(" ".join(SENTENCES[:3]), "a")
    rules = find_indirect(art.tokens, art.sentence_starts)
    assert len(rules) == 3
    head = spans_to_tags([(s.a, s.b) for s in rules[:2]], len(art.tokens), [s.cue for s in rules[:2]])
    tags = agreed_tags(art.tokens, art.sentence_starts, [], head)
    assert tags[rules[0].a] == "B-INDIRECT" and tags[rules[1].a] == "B-INDIRECT"
    third = range(art.sentence_starts[2], len(art.tokens))
    assert {tags[k] for k in third} == {IGNORED}  # only the rules found speech here: no loss either way
    assert tags[0] == "O"


def test_the_command_fits_and_stores_the_layer_head(make_checkpoint, tmp_path):
    from conftest import ROOT

    path = make_checkpoint("cmd-layer")
    text = tmp_path / "raw.jsonl"
    text.write_text(json.dumps({"id": "r1", "text": " ".join(SENTENCES)}) + "\n", encoding="utf-8")
    articles = {"name": "dev_articles", "source": "quotes", "dir": str(ROOT / "data" / "dev-articles"),
                "files": ["*.jsonl"], "part": "all", "kinds": ["direct"], "split": {"test": 1.0}, "cache_dir": None}
    cfg = {"checkpoint": str(path), "head": "layer", "data": None, "articles": articles, "articles_part": "tune",
           "unlabelled": str(text), "split": "train", "seed": None, "device": "cpu", "batch_size": 8, "progress": False,
           "augment": None, "dequote": 0.0, "reported": 0.0, "gold_weight": 5.0, "head_seed": 0, "layer_epochs": 1,
           "inner": 8, "lr": 3e-3, "layer_lr": 5e-5, "layer_batch": 8, "rules_input": False, "layer_init": "gru",
           "epochs": 1}
    head = main(cfg)
    assert head.info["gold_articles"] > 10 and head.info["unlabelled_articles"] == 1
    assert head.info["warm_start"] and len(head.info["epoch_seconds"]) == 1
    assert json.loads((path / "indirect.json").read_text())["kind"] == KIND
    assert isinstance(load_head(path), LayerHead)
