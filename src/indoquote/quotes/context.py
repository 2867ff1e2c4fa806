"""What the encoder read around a candidate speaker: the contextual half of the linker's score.

Why: the linker's features (:mod:`indoquote.quotes.linker`) are what the rules can
see: a name at the cue, the previous speaker, a speech verb's subject. Every new way
of naming a speaker (``kata politisi partai itu``, a nickname, a shop named between
two quotations) needs one more of them. The tagger's encoder has already read each
word in its context, so the linker also scores a candidate from span vectors of
those states, as mention-ranking coreference models do:

- ``mention``: the mention that ties the candidate to the quotation;
- ``near``: every mention of the candidate near the quotation (the person as the article builds them up);
- ``cue``: the quotation's cue (``kata``, ``ujarnya``), else the quotation's first and last words.

:class:`ContextScorer` projects them to a few dimensions and scores their products
with a small network. The word states come from the one forward pass that tags the
article (:func:`indoquote.model.decode.predict_words_extra`); the projection is
linear, so the tagger may hand over projected states (``proj`` wide) and the
span means stay the same as on the raw ones (``width`` wide) the linker trained on.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

EDGE = 2
"""Words at each end of a quotation that stand in for a missing cue."""


def span_mean(states: np.ndarray, a: int, b: int) -> np.ndarray:
    """Mean state of words ``[a, b)`` (zeros for an empty or out-of-range span)."""
    a, b = max(a, 0), min(b, len(states))
    if b <= a:
        return np.zeros(states.shape[-1], dtype=np.float32)
    return states[a:b].mean(axis=0)


def cue_vector(states: np.ndarray, cue: tuple[int, int] | None, a: int, b: int) -> np.ndarray:
    """The cue's mean state; without a cue, the mean of the quotation's first and last :data:`EDGE` words."""
    if cue is not None:
        return span_mean(states, *cue)
    words = list(range(a, min(a + EDGE, b))) + list(range(max(b - EDGE, a + EDGE), b))
    return states[words].mean(axis=0) if words and max(words) < len(states) else span_mean(states, a, b)


def candidate_context(
    states: np.ndarray, cue: np.ndarray, tie: tuple[int, int] | None, near: Sequence[tuple[int, int]]
) -> np.ndarray:
    """``[3, d]``: the tie mention, the mean of the near mentions, the cue (zeros where there is none: *nobody*)."""
    mention = span_mean(states, *tie) if tie else np.zeros_like(cue)
    around = np.mean([span_mean(states, a, b) for a, b in near], axis=0) if near else mention
    return np.stack([mention, around, cue]).astype(np.float32)


def scorer(width: int, proj: int, hidden: int, dropout: float = 0.2):
    """A :class:`ContextScorer` (built here so that torch is imported only by those who score)."""
    import torch

    class ContextScorer(torch.nn.Module):
        """``[n, 3, width or proj]`` contexts -> ``[n]`` scores: projected slots, products with the cue, an MLP."""

        def __init__(self) -> None:
            super().__init__()
            self.width, self.proj = width, proj
            self.project = torch.nn.Linear(width, proj, bias=False)
            self.drop = torch.nn.Dropout(dropout)
            self.mlp = torch.nn.Sequential(torch.nn.Linear(5 * proj, hidden), torch.nn.Tanh(),
                                           torch.nn.Linear(hidden, 1))

        def forward(self, ctx: torch.Tensor) -> torch.Tensor:
            if ctx.shape[-1] == self.width:  # raw encoder states (training); projected ones come in as they are
                ctx = self.project(ctx)
            ctx = self.drop(ctx)
            m, n, c = ctx[:, 0], ctx[:, 1], ctx[:, 2]
            return self.mlp(torch.cat([m, n, c, m * c, n * c], dim=-1)).squeeze(-1)

    return ContextScorer()
