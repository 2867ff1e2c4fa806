"""Indirect speech by a trained second head on the tagger's encoder.

Why a head of its own: PFSA-ID's labels stay as annotated (its benchmark scores
its own tags, untouched), and the tagger's weights are not changed, so the
direct-quotation scores cannot move. The head reads the hidden states that the
tagger's classifier reads (one forward pass gives both, see
:func:`indoquote.model.decode.predict_words_extra`) and tags each word ``O`` /
``B-INDIRECT`` / ``I-INDIRECT`` (the reported content) or ``B-CUE`` / ``I-CUE``
(its speech verb, ``menurut``, ``kata``). It is trained by :mod:`indoquote.training.fit_indirect`
on silver labels (the rules of :mod:`indoquote.quotes.indirect_rules` over PFSA-ID's texts),
the development set's tune gold and a round of self-training.

A predicted content span becomes a record as the rules' spans do: its cue is the
head's cue in its sentence (else the rules' or the lexicon's; a span whose
sentence has none is dropped: without a cue nobody is reported), and its speaker is the linker's.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from ..errors import ModelLoadError
from ..model.decode import log_softmax, viterbi
from ..text.articles import CLAUSE_MARKS, SENTENCE_END, Token
from ..text.labels import iob2_spans
from ..text.lexicon import CUE_STEMS, REPORTED_VERBS, strip_nya
from .indirect_rules import IndirectSpan, after_dateline, find_indirect, trim_end

TAGS = ("O", "B-INDIRECT", "I-INDIRECT", "B-CUE", "I-CUE")
HEAD_WEIGHTS = "indirect.safetensors"
HEAD_CONFIG = "indirect.json"


FLAGS = ("speech_verb", "cue_word", "menurut", "comma", "sentence_start", "sentence_end", "bahwa", "in_direct",
         "rules_begin", "rules_inside")
"""Per-word inputs beside the encoder states: the cue lexicon, punctuation, and (``rules_*``) the rules' reading."""


def word_flags(
    tokens: Sequence[Token], sentence_starts: Sequence[int], direct: Sequence[tuple[int, int]], rules: bool = True
) -> np.ndarray:
    """``[n, len(FLAGS)]`` 0/1 inputs of one article (the rules' spans only when ``rules``)."""
    f = np.zeros((len(tokens), len(FLAGS)), dtype=np.float32)
    for k, t in enumerate(tokens):
        word = t.text.casefold()
        stem = strip_nya(word)
        f[k, 0] = word in REPORTED_VERBS
        f[k, 1] = stem in CUE_STEMS
        f[k, 2] = stem == "menurut"
        f[k, 3] = word in CLAUSE_MARKS
        f[k, 5] = word in SENTENCE_END
        f[k, 6] = word == "bahwa"
    for k in sentence_starts:
        if 0 <= k < len(tokens):
            f[k, 4] = 1
    for a, b in direct:
        f[a:b, 7] = 1
    if rules:
        for sp in find_indirect(tokens, sentence_starts, direct):
            f[sp.a, 8] = 1
            f[sp.a + 1 : sp.b, 9] = 1
    return f


def _module(hidden_size: int, inner: int):
    import torch

    class Net(torch.nn.Module):
        """``project`` (linear, so it may run per sub-word before the window average), a BiGRU over words, ``out``."""

        def __init__(self) -> None:
            super().__init__()
            self.project = torch.nn.Linear(hidden_size, inner)
            self.gru = torch.nn.GRU(inner + len(FLAGS), inner // 2, batch_first=True, bidirectional=True)
            self.out = torch.nn.Linear(2 * (inner // 2), len(TAGS))

        def forward(self, projected, flags, lengths=None):  # [B, n, inner], [B, n, F] -> [B, n, len(TAGS)]
            z = torch.cat([torch.nn.functional.gelu(projected), flags], dim=-1)
            if lengths is None:
                return self.out(self.gru(z)[0])
            # articles of several lengths in one call: packed, so the backward direction starts at each one's end
            from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

            packed = pack_padded_sequence(z, lengths, batch_first=True, enforce_sorted=False)
            return self.out(pad_packed_sequence(self.gru(packed)[0], batch_first=True, total_length=z.shape[1])[0])

    return Net()


class IndirectHead:
    """Per-word tags of :data:`TAGS` from the encoder's hidden states and :data:`FLAGS`.

    A linear projection of each sub-word's hidden state (run inside the tagger's
    forward pass, averaged per word like the tag logits), joined with the word's
    flags, then a bidirectional GRU over the article's words: whether a clause is
    reported speech depends on the verb or ``menurut`` before it, on who its subject
    is and on where the sentence ends. With ``rules`` the head reads the rules'
    spans too and learns where to depart from them.
    """

    def __init__(self, hidden_size: int, inner: int = 64, info: dict[str, Any] | None = None, rules: bool = True) -> None:
        self.hidden_size, self.inner, self.rules = hidden_size, inner, rules
        self.net = _module(hidden_size, inner)
        self.net.eval()
        self.info: dict[str, Any] = dict(info or {})

    def __call__(self, hidden):
        """``[B, L, H]`` hidden states (any float dtype) -> ``[B, L, inner]`` projections (linear: window averages commute)."""
        import torch

        with torch.no_grad():
            return self.net.project(hidden.float())

    def word_logits(self, projected: np.ndarray, flags: np.ndarray) -> np.ndarray:
        """``[n, inner]`` word projections and ``[n, F]`` flags of one article -> ``[n, 3]`` logits."""
        import torch

        if len(projected) == 0:
            return np.zeros((0, len(TAGS)))
        with torch.no_grad():
            x = torch.from_numpy(np.asarray(projected, dtype=np.float32))[None]
            return self.net(x, torch.from_numpy(np.asarray(flags, dtype=np.float32))[None])[0].numpy()

    def tag(self, projected: np.ndarray, tokens: Sequence[Token], sentence_starts: Sequence[int],
            direct: Sequence[tuple[int, int]] = ()) -> list[str]:
        """Decoded tags of one article from its word projections and tokens."""
        return decode(self.word_logits(projected, word_flags(tokens, sentence_starts, direct, self.rules)))

    def tag_many(self, projected: Sequence[np.ndarray], tokens: Sequence[Sequence[Token]],
                 sentence_starts: Sequence[Sequence[int]], direct: Sequence[Sequence[tuple[int, int]]]) -> list[list[str]]:
        """:meth:`tag` of several articles, their GRUs run as one batch.

        Why: the GRU steps word by word, and on CPU each step of one short sequence is mostly call overhead; one
        packed batch of a chunk's articles takes about as many steps as its longest article (profiled: the GRU run
        per article was most of what ``--kinds direct,indirect`` added to ``--kinds direct``).
        """
        import torch

        keep = [i for i, p in enumerate(projected) if len(p)]
        out: list[list[str]] = [[] for _ in projected]
        if not keep:
            return out
        lengths = [len(projected[i]) for i in keep]
        x = torch.zeros(len(keep), max(lengths), self.inner)
        f = torch.zeros(len(keep), max(lengths), len(FLAGS))
        for r, i in enumerate(keep):
            x[r, : lengths[r]] = torch.from_numpy(np.asarray(projected[i], dtype=np.float32))
            f[r, : lengths[r]] = torch.from_numpy(word_flags(tokens[i], sentence_starts[i], direct[i], self.rules))
        with torch.no_grad():
            logits = self.net(x, f, torch.tensor(lengths)).numpy()
        for r, i in enumerate(keep):
            out[i] = decode(logits[r, : lengths[r]])
        return out

    def save(self, directory: str | os.PathLike) -> None:
        from safetensors.torch import save_file

        from ..atomic import atomic_path, write_text

        d = Path(directory)
        with atomic_path(d / HEAD_WEIGHTS) as tmp:
            save_file({k: v.contiguous() for k, v in self.net.state_dict().items()}, str(tmp))
        about = {"tags": list(TAGS), "flags": list(FLAGS), "hidden_size": self.hidden_size, "inner": self.inner,
                 "rules": self.rules, **self.info}
        write_text(d / HEAD_CONFIG, json.dumps(about, indent=2, ensure_ascii=False) + "\n")


def load_indirect_head(directory: str | os.PathLike | None) -> IndirectHead | None:
    """The indirect-speech head stored in a checkpoint directory, or None (the rules then find indirect speech)."""
    if directory is None or not (Path(directory) / HEAD_WEIGHTS).is_file():
        return None
    from safetensors.torch import load_file

    d = Path(directory)
    try:
        info = json.loads((d / HEAD_CONFIG).read_text(encoding="utf-8"))
        tags, flags, hidden, inner = list(info["tags"]), list(info["flags"]), int(info["hidden_size"]), int(info["inner"])
        rules = bool(info["rules"])
    except (OSError, KeyError, TypeError, ValueError) as e:
        raise ModelLoadError(f"{d / HEAD_CONFIG}: cannot read the indirect-speech head's description: {e}") from e
    if tags != list(TAGS) or flags != list(FLAGS):
        raise ModelLoadError(f"{d / HEAD_CONFIG}: the head was fitted on other tags or inputs ({tags}, {flags}); "
                             "refit it with `indoquote indirect`")
    rest = {k: v for k, v in info.items() if k not in ("tags", "flags", "hidden_size", "inner", "rules")}
    head = IndirectHead(hidden, inner, rest, rules)
    try:
        head.net.load_state_dict(load_file(str(d / HEAD_WEIGHTS)))
    except (OSError, KeyError, TypeError, ValueError, RuntimeError) as e:
        raise ModelLoadError(f"{d / HEAD_WEIGHTS}: cannot read the indirect-speech head: {e}") from e
    return head


def decode(word_logits: np.ndarray) -> list[str]:
    """A valid IOB2 sequence of :data:`TAGS` from per-word logits ``[n, 3]``."""
    return viterbi(log_softmax(np.asarray(word_logits, dtype=np.float64)), TAGS)


TOPIC_STARTS = frozenset("alasan rincian kronologi daftar tentang mengenai".split())
"""First words of an object that names a topic, not what was said (``menjelaskan alasan manajemen ...``, ``berbicara
tentang ...``): a head's span that starts so is dropped (read on the tune parts' spurious spans; ``sosok X menjadi
...`` and ``nama itu ...`` can open real content, so they are not here)."""


def _cue_in(tokens: Sequence[Token], s: int, e: int, a: int, b: int) -> tuple[tuple[int, int], bool] | None:
    """The cue of content ``[a, b)`` in sentence ``[s, e)``: the speech word outside the content nearest to it."""
    best = None
    for k in [*range(s, a), *range(b, e)]:
        word = tokens[k].text.casefold()
        stem = strip_nya(word)
        if word in REPORTED_VERBS or stem in CUE_STEMS or stem == "menurut":
            d = a - k if k < a else k - b
            if best is None or d < best[0]:
                best = (d, k, word != stem and stem in CUE_STEMS)
    return None if best is None else ((best[1], best[1] + 1), best[2])


def model_spans(
    tokens: Sequence[Token], sentence_starts: Sequence[int], tags: Sequence[str], direct: Sequence[tuple[int, int]] = ()
) -> list[IndirectSpan]:
    """The head's content spans as :class:`IndirectSpan` s, each cut to one sentence and given a cue.

    The cue is the head's ``CUE`` span in the same sentence nearest the content, else
    the rules' cue of that sentence, else the nearest word of the cue lexicon; the
    subject of ``X mengatakan`` (for :func:`indoquote.quotes.indirect_rules.indirect_records`) is
    what precedes a cue written before the content, from the last comma on.
    """
    bounds = [*sentence_starts, len(tokens)]
    taken = np.zeros(len(tokens), dtype=bool)
    for a, b in direct:
        taken[a:b] = True
    spans = iob2_spans(tags)
    cues = [(sp.start, sp.end) for sp in spans if sp.label == "CUE"]
    rules = find_indirect(tokens, sentence_starts, direct)
    out: list[IndirectSpan] = []
    for span in spans:
        if span.label != "INDIRECT":
            continue
        a = span.start
        i = int(np.searchsorted(bounds, a, side="right")) - 1
        s, e = bounds[i], bounds[i + 1]
        a = max(a, after_dateline(tokens, e)) if s == 0 else a
        b = trim_end(tokens, a, min(span.end, e))
        if b - a < 2 or taken[a:b].any() or tokens[a].text.casefold() in TOPIC_STARTS:
            continue
        near = [c for c in cues if s <= c[0] < e and (not (a <= c[0] and c[1] <= b) or _set_off(tokens, c))]
        rule = next((sp for sp in rules if s <= sp.cue[0] < e), None)
        if near:
            cue = min(near, key=lambda c: a - c[1] if c[1] <= a else max(0, c[0] - b))
            coref = tokens[cue[0]].text.casefold().endswith("nya")
        elif rule is not None:
            cue, coref = rule.cue, rule.coref_cue
        else:
            found = _cue_in(tokens, s, e, a, b) or _cue_in(tokens, a, b, b, b)
            if found is None:
                continue
            cue, coref = found
        if _after_trailing_cue(tokens, s, cue, a):
            # ``..., kata Sekjen NATO Jens Stoltenberg pada Kamis, menyusul ...``: the head saw speech here but took
            # the cue's tail for it; the content is what the rules find before the cue
            if rule is not None and rule.cue == cue and rule.a < cue[0]:
                ra, rb = rule.a, trim_end(tokens, rule.a, cue[0])
                if rb - ra >= 2 and not taken[ra:rb].any() and not any(o.a < rb and ra < o.b for o in out):
                    out.append(IndirectSpan(ra, rb, cue, coref, rule.subject))
                    taken[ra:rb] = True
            continue
        if a < cue[0] < b and _set_off(tokens, cue) and not _set_off_both(tokens, cue, b):
            b = trim_end(tokens, a, cue[0])  # ``CONTENT, kata X yang ...``: what follows the cue is no content
        subject = None
        if rule is not None and rule.cue == cue:
            subject = rule.subject
        elif cue[1] <= a and tokens[cue[0]].text.casefold() not in {"menurut", "menurutnya"}:
            subject = (max([s, *(x + 1 for x in range(s, cue[0]) if tokens[x].text == ",")]), cue[0])
        out.append(IndirectSpan(a, b, cue, coref, subject))
    return out


def _after_trailing_cue(tokens: Sequence[Token], s: int, cue: tuple[int, int], a: int) -> bool:
    """Does the span start after a ``kata``-family cue that closes earlier content (``CONTENT, kata X ...``)?"""
    word = tokens[cue[0]].text.casefold()
    return cue[1] <= a and cue[0] > s + 2 and _set_off(tokens, cue) and strip_nya(word) in CUE_STEMS


def _set_off_both(tokens: Sequence[Token], cue: tuple[int, int], end: int) -> bool:
    """``Petani yang berhak, kata dia, wajib terdaftar.``: a comma closes the cue's phrase and the content goes on."""
    return any(tokens[k].text == "," for k in range(cue[1], min(end - 1, cue[1] + 6)))


def _set_off(tokens: Sequence[Token], cue: tuple[int, int]) -> bool:
    """``..., kata dia, ...``: a cue between commas inside the content."""
    return cue[0] > 0 and tokens[cue[0] - 1].text == ","
