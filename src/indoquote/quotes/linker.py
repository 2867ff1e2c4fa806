"""The quote-speaker linker: a small trained scorer that picks who said each quotation.

Why a model and not more rules: the cues of attribution (a name next to the
cue, ``katanya`` after a quotation, ``dia`` right after a new name, the previous
speaker going on, a place after ``di``) pull against each other, and how much
each counts is learned best from annotated articles. The linker scores every
person of the article (:mod:`indoquote.quotes.speakers`) for one quotation from
features of their mentions around the quotation and its cue (:mod:`indoquote.quotes.linker_features`),
plus a *nobody* candidate; a softmax over them gives the choice and its confidence.
A linker trained with the encoder (``width`` > 0) adds a second score from the
tagger's contextual span vectors of each candidate (:mod:`indoquote.quotes.context`),
so that what the text says, not only what the rules saw, ranks the mentions.

The weights (``linker.safetensors``) and their description (``linker.json``)
sit beside the tagger's in a checkpoint; :func:`load_linker` reads them when
present and the rules of :mod:`indoquote.quotes.records` are the fallback.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Any, Sequence

from ..errors import ModelLoadError
from .context import scorer
from .linker_features import FEATURES, Candidate, fresh_subject, named_at_cue, office_at_cue

LINKER_WEIGHTS = "linker.safetensors"
ROUTE_GAP = 80
"""Characters at most between the cue and the speaker's mention for the cue route (a title chain between them:
``ujar Kepala Kepolisian Resor Sragen AKBP Yuswanto``)."""
LINKER_CONFIG = "linker.json"


class Linker:
    """A two-layer scorer over candidate features, plus (``width`` > 0) a scorer of their encoder span vectors.

    ``features`` are the names it reads, in order: a linker stored before a feature
    was added reads the ones it was trained on and keeps working. Candidates without
    span vectors (a caller that has no encoder states) are scored by the features alone.
    ``members`` > 1 makes it an ensemble: that many scorers, trained from different starting weights on the same
    examples, whose scores are averaged. Why: one linker's picks on outlets it never saw move by several points
    with its starting weights; the average of several moves far less and is less sure where they disagree.
    """

    def __init__(self, hidden: int = 16, info: dict[str, Any] | None = None, features: Sequence[str] = FEATURES,
                 width: int = 0, proj: int = 32, dropout: float = 0.2, members: int = 1):
        import torch

        self.hidden, self.width, self.proj, self.members = hidden, width, proj, members
        self.info = dict(info or {})
        self.features = list(features)
        self.columns = [FEATURES.index(n) for n in self.features]
        if members < 1:
            raise ValueError(f"a linker has at least one member, not {members}")
        if width and not 0 < proj * members < width:
            raise ValueError(f"the linker's projections ({members} x {proj}) must be narrower than the encoder states "
                             f"({width})")
        self.nets, self.encoders = [], []
        for _ in range(members):
            self.nets.append(torch.nn.Sequential(
                torch.nn.Linear(len(self.features), hidden), torch.nn.Tanh(), torch.nn.Linear(hidden, 1)))
            if width:
                self.encoders.append(scorer(width, proj, 2 * hidden, dropout))
        self.eval()

    def modules(self) -> list:
        return self.nets + self.encoders

    def eval(self) -> Linker:
        for m in self.modules():
            m.eval()
        return self

    def train(self) -> Linker:
        for m in self.modules():
            m.train()
        return self

    def parameters(self) -> list:
        return [p for m in self.modules() for p in m.parameters()]

    def project(self, hidden):
        """The tagger's hidden states ``[..., width]`` -> the ``proj`` dimensions (per member) the span vectors are
        read in."""
        import torch

        if len(self.encoders) == 1:
            return self.encoders[0].project(hidden)
        return torch.cat([e.project(hidden) for e in self.encoders], dim=-1)

    @property
    def temperature(self) -> float:
        """Scores are divided by it before the softmax: fitted on held-out predictions (:mod:`indoquote.scoring.calibration`)."""
        return float(self.info.get("temperature", 1.0))

    def member_scores(self, k: int, x, ctx=None):
        """Member ``k``'s raw scores; ``ctx`` holds raw encoder states (training) or every member's projections."""
        s = self.nets[k](x).squeeze(-1)
        if self.encoders and ctx is not None:
            if ctx.shape[-1] != self.width:  # projected: this member's slice
                ctx = ctx[..., k * self.proj : (k + 1) * self.proj]
            s = s + self.encoders[k](ctx)
        return s

    def forward(self, x, ctx=None):
        """Raw scores of a ``[n, features]`` tensor (and ``[n, 3, d]`` span vectors) of candidates: the members'
        mean."""
        if self.members == 1:
            return self.member_scores(0, x, ctx)
        return sum(self.member_scores(k, x, ctx) for k in range(self.members)) / self.members

    def scores(self, cands: Sequence[Candidate]) -> list[float]:
        """The raw score of each candidate (before the temperature and the softmax)."""
        import numpy as np
        import torch

        with torch.no_grad():
            x = torch.tensor([[c.features[i] for i in self.columns] for c in cands], dtype=torch.float32)
            ctx = None
            if self.encoders and cands and all(c.context is not None for c in cands):
                ctx = torch.from_numpy(np.stack([c.context for c in cands]).astype(np.float32))
            return self.forward(x, ctx).reshape(-1).tolist()

    def probabilities(self, cands: Sequence[Candidate]) -> list[float]:
        s = [v / self.temperature for v in self.scores(cands)]
        peak = max(s)
        e = [math.exp(v - peak) for v in s]
        return [v / sum(e) for v in e]

    def choose(self, cands: Sequence[Candidate]) -> tuple[Candidate, float]:
        """The most probable candidate and its probability (before the confidence map: :meth:`calibrated`, once the
        record shows the route); chosen outright: an office the cue names
        (:func:`office_at_cue`), a speech verb's subject named since the last quotation when nobody is named at
        the cue (:func:`fresh_subject`), the one named person a plain cue names (:func:`named_at_cue`)."""
        probs = self.probabilities(cands)
        ruled = None if self.info.get("outright") is False else (
            office_at_cue(cands) or fresh_subject(cands) or named_at_cue(cands))
        k = cands.index(ruled) if ruled is not None else max(range(len(cands)), key=probs.__getitem__)
        return cands[k], probs[k]

    def calibrated(self, p: float, route: str | None = None) -> float:
        """How often a pick of probability ``p`` is right, by the map fitted on real articles the linker never saw
        (``indoquote calibrate``: ``sigmoid(a * logit(p) + b)``, Platt scaling); ``p`` itself without one.

        ``route`` (``"cue"`` or ``"context"``, :func:`speaker_route`) picks that route's own map where one was
        fitted."""
        ab = (self.info.get("platt_routes") or {}).get(route) if route else None
        ab = ab or self.info.get("platt")
        return platt(ab, p) if ab else p

    def state_dict(self) -> dict:
        """Member 0 under the keys a one-member linker has always had; member ``k`` under ``member{k}.``."""
        state = {}
        for k in range(self.members):
            pre = f"member{k}." if k else ""
            state.update({f"{pre}{n}": v.contiguous() for n, v in self.nets[k].state_dict().items()})
            if self.encoders:
                state.update({f"{pre}encoder.{n}": v.contiguous() for n, v in self.encoders[k].state_dict().items()})
        return state

    def load_state_dict(self, state: dict) -> None:
        if not self.encoders and any(n.startswith("encoder.") or ".encoder." in n for n in state):
            raise ValueError("the weights hold an encoder scorer but the description gives no `width`")
        held = {int(n[6:].split(".", 1)[0]) for n in state if n.startswith("member")}
        if held and max(held) >= self.members:
            raise ValueError(f"the weights hold {max(held) + 1} members but the description gives {self.members}")
        for k in range(self.members):
            pre = f"member{k}." if k else ""
            mine = {n[len(pre):]: v for n, v in state.items()
                    if n.startswith(pre) and (k or not n.startswith("member"))}
            self.nets[k].load_state_dict({n: v for n, v in mine.items() if not n.startswith("encoder.")})
            if self.encoders:
                self.encoders[k].load_state_dict({n[8:]: v for n, v in mine.items() if n.startswith("encoder.")})

    def save(self, directory: str | os.PathLike) -> None:
        from safetensors.torch import save_file

        from ..atomic import atomic_path, write_text

        d = Path(directory)
        with atomic_path(d / LINKER_WEIGHTS) as tmp:
            save_file(self.state_dict(), str(tmp))
        shape = {"width": self.width, "proj": self.proj} if self.width else {}
        shape.update({"members": self.members} if self.members > 1 else {})
        write_text(
            d / LINKER_CONFIG,
            json.dumps({"features": self.features, "hidden": self.hidden, **shape, **self.info}, indent=2,
                       ensure_ascii=False) + "\n"
        )


def fit(examples: Sequence[tuple[Sequence[Candidate], int]], seed: int = 0, epochs: int = 300,
        hidden: int = 16, lr: float = 0.02, features: Sequence[str] = FEATURES, proj: int = 32,
        dropout: float = 0.2, weight_decay: float = 1e-4, members: int = 1) -> Linker:
    """Train on ``(candidates, index of the right one)`` pairs: cross-entropy of a softmax per quotation.

    When every candidate carries span vectors the linker learns the encoder scorer too
    (``width`` from their size); ``features`` picks the feature columns it reads. ``members`` > 1: that many
    scorers from different starting weights, each trained on its own loss, averaged (:class:`Linker`).
    """
    import numpy as np
    import torch

    torch.manual_seed(seed)
    if not examples:
        raise ValueError("no linker training examples: no gold quotation could be tied to a candidate")
    flat = [c for cands, _ in examples for c in cands]
    with_ctx = all(c.context is not None for c in flat)
    width = flat[0].context.shape[-1] if with_ctx else 0
    linker = Linker(hidden, features=features, width=width, members=members,
                    proj=min(proj, max(1, width // (2 * members))), dropout=dropout)  # tiny test encoders
    x = torch.tensor([[c.features[i] for i in linker.columns] for c in flat], dtype=torch.float32)
    ctx = torch.from_numpy(np.stack([c.context for c in flat]).astype(np.float32)) if with_ctx else None
    group = torch.tensor([g for g, (cands, _) in enumerate(examples) for _ in cands])
    offsets = np.cumsum([0] + [len(c) for c, _ in examples[:-1]])
    target = torch.tensor([int(offsets[g]) + y for g, (_, y) in enumerate(examples)])
    opt = torch.optim.Adam(linker.parameters(), lr=lr, weight_decay=weight_decay)
    n = len(examples)
    linker.train()

    def nll(scores):
        peak = torch.zeros(n).scatter_reduce(0, group, scores.detach(), reduce="amax", include_self=False)
        norm = torch.zeros(n).index_add(0, group, torch.exp(scores - peak[group])).log() + peak
        return (norm - scores[target]).mean()

    for _ in range(epochs):
        loss = sum(nll(linker.member_scores(k, x, ctx)) for k in range(members)) / members
        opt.zero_grad()
        loss.backward()
        opt.step()
    linker.eval()
    linker.info["train_loss"] = round(float(loss.detach()), 4)
    return linker


def load_linker(directory: str | os.PathLike | None) -> Linker | None:
    """The linker stored in a checkpoint directory, or None when it has none (the rules then attribute)."""
    if directory is None:
        return None
    d = Path(directory)
    if not (d / LINKER_WEIGHTS).is_file():
        return None
    from safetensors.torch import load_file

    try:
        info = json.loads((d / LINKER_CONFIG).read_text())
        known = set(info["features"]) <= set(FEATURES)
    except (OSError, KeyError, TypeError, ValueError) as e:
        raise ModelLoadError(f"{d / LINKER_CONFIG}: cannot read the linker's description: {e}") from e
    if not known:
        unknown = sorted(set(info["features"]) - set(FEATURES))
        raise ModelLoadError(f"{d / LINKER_CONFIG}: the linker was trained on features this version does not compute "
                             f"({', '.join(unknown)}); retrain it with `indoquote link`")
    try:
        shape = ("features", "hidden", "width", "proj", "members")
        linker = Linker(int(info["hidden"]), {k: v for k, v in info.items() if k not in shape}, info["features"],
                        int(info.get("width", 0)), int(info.get("proj", 32)), members=int(info.get("members", 1)))
        linker.load_state_dict(load_file(str(d / LINKER_WEIGHTS)))
    except (OSError, KeyError, TypeError, ValueError, RuntimeError) as e:
        raise ModelLoadError(f"{d}: cannot read the linker ({LINKER_WEIGHTS}, {LINKER_CONFIG}): {e}") from e
    return linker


def platt(ab: Sequence[float], p: float) -> float:
    """``sigmoid(a * logit(p) + b)``: a Platt map ``ab = (a, b)`` applied to a probability."""
    q = min(max(p, 1e-6), 1 - 1e-6)
    z = ab[0] * math.log(q / (1 - q)) + ab[1]
    return 1 / (1 + math.exp(-z)) if z >= 0 else math.exp(z) / (1 + math.exp(z))


def speaker_route(text: str, mention: tuple[int, int] | None, cue: tuple[int, int] | None) -> str:
    """How a pick reached its speaker: ``"cue"`` when the speaker's mention (character range) stands at the cue,
    right after it or right before it (``Budi mengatakan``), with nothing but a title between (no sentence end, no
    quotation mark, at most :data:`ROUTE_GAP` characters); else ``"context"`` (an earlier mention, ``-nya``, a
    pronoun, no cue). A linker is right far less often by the second route on outlets it never saw, at the same
    probability, so each route may get its own confidence map (:meth:`Linker.calibrated`)."""
    if mention is None or cue is None:
        return "context"
    if mention[0] < cue[1] and mention[1] > cue[0]:
        return "context"  # the cue word holds the mention (``ujarnya``): no name at the cue
    gap = text[cue[1] : mention[0]] if mention[0] >= cue[1] else text[mention[1] : cue[0]]
    return "cue" if len(gap) <= ROUTE_GAP and not any(ch in gap for ch in '.!?"\u201c\u201d') else "context"
