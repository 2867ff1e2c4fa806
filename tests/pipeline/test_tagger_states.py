"""A linker trained with the encoder gets each article's word states from the tagger's one forward pass."""

from __future__ import annotations

import shutil

import numpy as np
import torch
from conftest import ROOT

import indoquote.pipeline.tagger as tagger_module
from indoquote.pipeline.tagger import QuoteTagger
from indoquote.quotes.linker import fit
from indoquote.quotes.linker_features import FEATURES, Candidate
from indoquote.quotes.speakers import Person


def test_the_linker_reads_the_projection_of_the_states_the_classifier_reads(tmp_path, tiny_checkpoint, monkeypatch):
    ckpt = shutil.copytree(tiny_checkpoint, tmp_path / "ckpt")
    width = QuoteTagger.from_pretrained(ckpt, linker=False, precision="fp32").model.config.hidden_size
    rng = np.random.default_rng(0)
    examples = [([Candidate(Person(), None, [0.0] * len(FEATURES), rng.normal(size=(3, width)).astype(np.float32))
                  for _ in range(3)], 0) for _ in range(10)]
    fit(examples, epochs=2).save(ckpt)

    tagger = QuoteTagger.from_pretrained(ckpt, precision="fp32")
    assert tagger.linker.width == width and [n for n, _ in tagger._extras()] == ["states"]
    given = []
    real = tagger_module.quote_records
    monkeypatch.setattr(tagger_module, "quote_records", lambda *a: given.append(a[-1]) or real(*a))
    text = (ROOT / "data" / "seeds" / "antara-nato-russia-2021.txt").read_text(encoding="utf-8")
    tagger.tag(text)
    tagger.keep_states = True
    raw = tagger.tag(text)
    projected, states = given
    assert raw.states is states and states.shape == (len(raw.tokens), width)
    assert projected.shape == (len(raw.tokens), tagger.linker.proj)
    with torch.no_grad():
        expected = tagger.linker.project(torch.from_numpy(states)).numpy()
    assert np.allclose(projected, expected, atol=1e-4)
