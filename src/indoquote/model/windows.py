"""Documents -> overlapping sub-word windows for any Hugging Face fast tokenizer.

A whole article is tokenized once; windows of ``max_length`` sub-words (special
tokens included) start and end on word boundaries and overlap by ``stride``
sub-words, so every word is seen with context on both sides somewhere. Each
word's label sits on its first sub-word, ``-100`` elsewhere (as in
``run_ner.py``), and the word index of every sub-word is kept so predictions can
be stitched back per word (:mod:`indoquote.model.decode`).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import Sequence

IGNORE = -100


@dataclass(frozen=True)
class WindowConfig:
    max_length: int = 256
    stride: int = 64  # sub-words shared by consecutive windows

    def __post_init__(self) -> None:
        if self.max_length < 8:
            raise ValueError(f"windows.max_length must be >= 8, got {self.max_length}")
        if not 0 <= self.stride < self.max_length // 2:
            raise ValueError(f"windows.stride must be in [0, max_length/2), got {self.stride}")


@dataclass
class Encoded:
    """A document's sub-words: ``word_ids[i]`` is the word of sub-word ``i``."""

    input_ids: list[int]
    word_ids: list[int]

    def first_subword(self) -> list[bool]:
        return [i == 0 or self.word_ids[i] != self.word_ids[i - 1] for i in range(len(self.word_ids))]


def check_fast(tokenizer) -> None:
    if not getattr(tokenizer, "is_fast", False):
        raise TypeError(f"{type(tokenizer).__name__} is not a fast tokenizer: word alignment needs one")


def special_frame(tokenizer) -> tuple[list[int], list[int]]:
    """The special ids the tokenizer puts before and after a sequence ([CLS] / [SEP], <s> / </s>)."""
    enc = tokenizer(["x"], is_split_into_words=True, add_special_tokens=True)
    ids, wids = enc["input_ids"], enc.word_ids()
    first = wids.index(0)
    last = len(wids) - 1 - wids[::-1].index(0)
    return list(ids[:first]), list(ids[last + 1 :])


def encode_words(tokenizer, words: Sequence[str]) -> Encoded:
    """Sub-words of a pre-tokenized document; a word with no sub-word gets the unknown token."""
    return encode_many(tokenizer, [words])[0]


def encode_many(tokenizer, documents: Sequence[Sequence[str]]) -> list[Encoded]:
    """:func:`encode_words` of many documents in one call of the fast tokenizer (its batch runs in Rust, in
    parallel), so tagging many articles tokenizes each once and pays Python's per-call cost once."""
    check_fast(tokenizer)
    live = [d for d, words in enumerate(documents) if words]
    out = [Encoded([], []) for _ in documents]
    if not live:
        return out
    enc = tokenizer([list(documents[d]) for d in live], is_split_into_words=True, add_special_tokens=False)
    for k, d in enumerate(live):
        out[d] = _aligned(enc["input_ids"][k], enc.word_ids(k), len(documents[d]), tokenizer.unk_token_id)
    return out


def _aligned(ids: list[int], wids: list[int | None], n_words: int, unk: int) -> Encoded:
    """Sub-word ids and their words, every word with at least one sub-word (the unknown token where it had none)."""
    in_order = wids and None not in wids and wids[0] == 0 and wids[-1] == n_words - 1
    if in_order and all(0 <= b - a <= 1 for a, b in pairwise(wids)):
        return Encoded(list(ids), list(wids))  # the usual case: every word has sub-words, in order
    input_ids: list[int] = []
    word_ids: list[int] = []
    j = 0
    for w in range(n_words):
        start = len(input_ids)
        while j < len(ids) and wids[j] == w:
            input_ids.append(ids[j])
            word_ids.append(w)
            j += 1
        if len(input_ids) == start:  # e.g. a zero-width character
            input_ids.append(unk)
            word_ids.append(w)
    return Encoded(input_ids, word_ids)


def window_bounds(word_ids: Sequence[int], max_content: int, stride: int) -> list[tuple[int, int]]:
    """``[start, end)`` sub-word ranges, cut at word starts where a word fits in a window."""
    n = len(word_ids)
    if n == 0:
        return [(0, 0)]
    is_start = [i == 0 or word_ids[i] != word_ids[i - 1] for i in range(n)] + [True]
    bounds: list[tuple[int, int]] = []
    start = 0
    while True:
        end = min(start + max_content, n)
        if end < n:
            cut = end
            while cut > start and not is_start[cut]:
                cut -= 1
            end = cut if cut > start else end  # a word longer than a window is cut
        bounds.append((start, end))
        if end >= n:
            return bounds
        nxt = max(end - stride, start + 1)
        back = nxt
        while back > start and not is_start[back]:  # overlap at least `stride`, from a word start
            back -= 1
        if back > start:
            nxt = back
        else:
            while nxt < end and not is_start[nxt]:
                nxt += 1
        start = nxt


def document_windows(
    tokenizer,
    words: Sequence[str],
    labels: Sequence[int] | None,
    config: WindowConfig,
    encoded: Encoded | None = None,
    frame: tuple[list[int], list[int]] | None = None,
) -> list[dict]:
    """Model inputs for one document: input_ids, attention_mask, labels, word_ids, offset.

    ``frame``: :func:`special_frame` computed once by a caller windowing many documents (it runs the tokenizer).
    """
    enc = encoded or encode_words(tokenizer, words)
    prefix, suffix = frame or special_frame(tokenizer)
    max_content = config.max_length - len(prefix) - len(suffix)
    first = enc.first_subword()
    out = []
    for start, end in window_bounds(enc.word_ids, max_content, config.stride):
        ids = prefix + enc.input_ids[start:end] + suffix
        wids = [-1] * len(prefix) + enc.word_ids[start:end] + [-1] * len(suffix)
        labs = [IGNORE] * len(prefix)
        for k in range(start, end):
            labs.append(labels[enc.word_ids[k]] if labels is not None and first[k] else IGNORE)
        labs += [IGNORE] * len(suffix)
        out.append(
            {
                "input_ids": ids,
                "attention_mask": [1] * len(ids),
                "labels": labs,
                "word_ids": wids,
                "offset": start,
            }
        )
    return out


def long_words(enc: Encoded, max_length: int, n_special: int) -> int:
    """Words with more sub-words than fit in one window (they are cut)."""
    from collections import Counter

    counts = Counter(enc.word_ids)
    return sum(1 for c in counts.values() if c > max_length - n_special)


BATCH_OVERHEAD = 128
"""What one more forward call costs, in padded sub-words: :func:`length_batches` splits a batch when its padding
would cost more. Besides a call's fixed cost, smaller batches run the matrix products less efficiently. Measured
with the 8-layer stand-in on 2 CPU cores, 30 dev articles (fastest of 5 passes, fp32 / bf16 seconds): fixed
batches of 16 3.18 / 1.27, overhead 128: 2.97 / 1.20, 512: 3.21 / 1.26 (an earlier, noisier run: 32 slower)."""


def length_batches(lengths: Sequence[int], max_batch: int, overhead: int = BATCH_OVERHEAD) -> list[list[int]]:
    """Indices of ``lengths`` in batches of at most ``max_batch``, by length, with as little padding as pays.

    Windows are sorted by length and cut into consecutive batches that minimise the sum over batches
    of ``overhead + size x longest`` (dynamic programming over the sorted lengths): fixed-size batches
    pad a 50-sub-word window to the 120 of its neighbours; here it waits for one of its own length.
    """
    order = sorted(range(len(lengths)), key=lengths.__getitem__)
    sizes = [lengths[i] for i in order]
    cost = [0.0] + [float("inf")] * len(sizes)
    cut = [0] * (len(sizes) + 1)
    for j in range(1, len(sizes) + 1):
        for i in range(max(0, j - max_batch), j):
            c = cost[i] + overhead + (j - i) * sizes[j - 1]
            if c < cost[j]:
                cost[j], cut[j] = c, i
    batches: list[list[int]] = []
    j = len(sizes)
    while j > 0:
        batches.append(order[cut[j] : j])
        j = cut[j]
    return batches[::-1]
