"""The linker's encoder half: span vectors of candidates, a scorer that learns from them, and its storage."""

from __future__ import annotations

import numpy as np
import pytest

from indoquote.errors import ModelLoadError
from indoquote.quotes.context import candidate_context, cue_vector, span_mean
from indoquote.quotes.linker import LINKER_WEIGHTS, Linker, fit, load_linker
from indoquote.quotes.linker_features import FEATURES, Candidate
from indoquote.quotes.speakers import Person


def test_span_vectors_are_means_and_nobody_has_zeros():
    states = np.arange(20, dtype=np.float32).reshape(10, 2)
    assert span_mean(states, 2, 4).tolist() == [5.0, 6.0]
    assert span_mean(states, 9, 12).tolist() == [18.0, 19.0]  # clipped to the article
    assert span_mean(states, 5, 5).tolist() == [0.0, 0.0]
    cue = cue_vector(states, (3, 4), 0, 9)
    assert cue.tolist() == [6.0, 7.0]
    # no cue: the quotation's first two and last two words
    assert cue_vector(states, None, 0, 8).tolist() == states[[0, 1, 6, 7]].mean(axis=0).tolist()
    ctx = candidate_context(states, cue, (1, 2), [(1, 2), (5, 7)])
    assert ctx.shape == (3, 2) and ctx[0].tolist() == [2.0, 3.0] and ctx[1].tolist() == [6.5, 7.5]
    nobody = candidate_context(states, cue, None, [])
    assert nobody[0].tolist() == nobody[1].tolist() == [0.0, 0.0] and nobody[2].tolist() == cue.tolist()


def _examples(n: int, width: int, rng: np.random.Generator) -> list[tuple[list[Candidate], int]]:
    """Quotations whose right candidate is told only by its mention vector agreeing with the cue's."""
    out = []
    for _ in range(n):
        cue = rng.normal(size=width).astype(np.float32)
        y = int(rng.integers(0, 4))
        cands = []
        for k in range(4):
            mention = cue + 0.3 * rng.normal(size=width) if k == y else rng.normal(size=width)
            ctx = np.stack([mention, mention, cue]).astype(np.float32)
            cands.append(Candidate(Person(), None, [0.0] * len(FEATURES), ctx))
        out.append((cands, y))
    return out


def test_the_encoder_scorer_learns_what_the_features_cannot_see():
    rng = np.random.default_rng(0)
    train, test = _examples(300, 16, rng), _examples(100, 16, rng)
    linker = fit(train, epochs=200, proj=8)
    assert linker.width == 16 and linker.proj == 8
    hits = sum(linker.choose(c)[0] is c[y] for c, y in test)
    assert hits >= 85, hits
    blind = fit([([Candidate(x.person, None, x.features) for x in c], y) for c, y in train], epochs=200)
    assert blind.width == 0
    assert sum(blind.choose(c)[0] is c[y] for c, y in test) <= 45  # chance is 25


def test_projected_states_score_as_the_raw_ones():
    """The tagger hands over projected word states; span means commute with the projection."""
    import torch

    rng = np.random.default_rng(1)
    linker = fit(_examples(50, 16, rng), epochs=20, proj=8)
    states = rng.normal(size=(12, 16)).astype(np.float32)
    with torch.no_grad():
        projected = linker.project(torch.from_numpy(states)).numpy()

    def cands(s):
        cue = cue_vector(s, (5, 6), 2, 5)
        return [Candidate(Person(), None, [0.0] * len(FEATURES), candidate_context(s, cue, t, [t]))
                for t in ((0, 2), (7, 9))]

    assert np.allclose(linker.scores(cands(states)), linker.scores(cands(projected)), atol=1e-4)


def test_an_encoder_linker_round_trips_and_old_or_broken_files_are_refused(tmp_path):
    rng = np.random.default_rng(2)
    test = _examples(10, 16, rng)
    linker = fit(_examples(50, 16, rng), epochs=20, proj=8)
    linker.save(tmp_path)
    back = load_linker(tmp_path)
    assert (back.width, back.proj) == (16, 8)
    assert all(np.allclose(linker.scores(c), back.scores(c)) for c, _ in test)
    # without span vectors (a caller with no encoder states) the features alone score
    bare = [Candidate(x.person, None, x.features) for x in test[0][0]]
    assert len(back.scores(bare)) == 4
    old = Linker(8)
    (tmp_path / "old").mkdir()
    old.save(tmp_path / "old")
    assert load_linker(tmp_path / "old").width == 0
    # weights with an encoder part but a description without its width
    import json

    info = json.loads((tmp_path / "linker.json").read_text())
    del info["width"]
    (tmp_path / "linker.json").write_text(json.dumps(info))
    with pytest.raises(ModelLoadError, match=LINKER_WEIGHTS):
        load_linker(tmp_path)


def test_a_projection_as_wide_as_the_states_is_refused():
    with pytest.raises(ValueError, match="narrower"):
        Linker(8, width=16, proj=16)
