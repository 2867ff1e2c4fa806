"""Document-level prediction shared by validation, ``evaluate`` and the tagger.

Every window of a document is run, the logits of each word's first sub-word are
averaged where windows overlap, and the word scores are decoded with a
constrained Viterbi over the IOB2 transitions (no ``I-X`` after ``O`` or after
another label), so the output is always a valid tag sequence.
"""

from __future__ import annotations

import bisect
from typing import Iterable, Sequence

import numpy as np

from ..text.labels import Span, allowed_start, allowed_transition, iob2_spans, spans_to_iob2
from ..text.lexicon import cue_label, verb_before
from ..text.marks import Candidate, outer_candidates
from .phases import count, phase
from .windows import WindowConfig, document_windows, encode_many, length_batches, special_frame

NEG = -1e9


def transition_mask(tags: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """``(start[T], trans[T, T])`` additive masks: 0 where allowed, -1e9 where not."""
    start = np.array([0.0 if allowed_start(t) else NEG for t in tags])
    trans = np.array([[0.0 if allowed_transition(p, c) else NEG for c in tags] for p in tags])
    return start, trans


def viterbi(scores: np.ndarray, tags: Sequence[str]) -> list[str]:
    """Best valid IOB2 path for per-word scores ``[n, T]`` (log-probabilities)."""
    n = scores.shape[0]
    if n == 0:
        return []
    start, trans = transition_mask(tags)
    best = scores[0] + start
    back = np.zeros((n, len(tags)), dtype=np.int64)
    for i in range(1, n):
        cand = best[:, None] + trans  # [prev, cur]
        back[i] = cand.argmax(axis=0)
        best = cand.max(axis=0) + scores[i]
    path = [int(best.argmax())]
    for i in range(n - 1, 0, -1):
        path.append(int(back[i, path[-1]]))
    return [tags[j] for j in reversed(path)]


def viterbi_many(scores: Sequence[np.ndarray], tags: Sequence[str], group: int = 64) -> list[list[str]]:
    """:func:`viterbi` of many documents, the step over words vectorised across them (the same sums, so the
    same paths): decoding was a Python step per word. Documents go ``group`` at a time, by length (memory)."""
    out: list[list[str]] = [[] for _ in scores]
    start, trans = transition_mask(tags)
    order = sorted((d for d in range(len(scores)) if len(scores[d])), key=lambda d: len(scores[d]))
    for g in range(0, len(order), group):
        docs = order[g : g + group]
        lengths = np.array([len(scores[d]) for d in docs])
        stacked = np.zeros((len(docs), lengths.max(), len(tags)))
        for k, d in enumerate(docs):
            stacked[k, : lengths[k]] = scores[d]
        best = stacked[:, 0] + start
        back = np.zeros(stacked.shape, dtype=np.int16)
        cand = np.empty((len(docs), len(tags), len(tags)))  # [doc, prev, cur]
        ended = np.searchsorted(lengths, np.arange(stacked.shape[1]), side="right")  # docs[:ended[i]] end before i
        for i in range(1, stacked.shape[1]):
            np.add(best[:, :, None], trans, out=cand)
            back[:, i] = idx = cand.argmax(axis=1)
            step = np.take_along_axis(cand, idx[:, None, :], axis=1)[:, 0] + stacked[:, i]  # the max, read at argmax
            best[ended[i] :] = step[ended[i] :]  # a document that has ended keeps its last scores
        for k, d in enumerate(docs):
            path = [int(best[k].argmax())]
            for i in range(lengths[k] - 1, 0, -1):
                path.append(int(back[k, i, path[-1]]))
            out[d] = [tags[j] for j in reversed(path)]
    return out


def log_softmax(x: np.ndarray) -> np.ndarray:
    x = x - x.max(axis=-1, keepdims=True)
    return x - np.log(np.exp(x).sum(axis=-1, keepdims=True))


class WordScores:
    """Accumulates window logits into per-word averages for one document."""

    def __init__(self, n_words: int, n_tags: int) -> None:
        self.sum = np.zeros((n_words, n_tags), dtype=np.float64)
        self.count = np.zeros(n_words, dtype=np.int64)

    def add(self, logits: np.ndarray, word_ids: Sequence[int]) -> None:
        """``logits [L, T]`` of one window; only each word's first sub-word in the window counts."""
        wids = np.asarray(word_ids, dtype=np.int64)
        pos = np.flatnonzero(wids >= 0)  # special tokens (-1) are skipped, not a word boundary
        words = wids[pos]
        first = np.ones(len(words), dtype=bool)
        first[1:] = words[1:] != words[:-1]
        words, rows = words[first], np.asarray(logits)[pos[first]]
        if (np.diff(words) > 0).all():  # each word once (always, for words in order): plain indexing, fast
            self.sum[words] += rows
            self.count[words] += 1
        else:  # a word twice in a window: ufunc.at adds every occurrence, in window order, as one loop would
            np.add.at(self.sum, words, rows)
            np.add.at(self.count, words, 1)

    def mean(self) -> np.ndarray:
        if (self.count == 0).any():
            missing = np.flatnonzero(self.count == 0)[:5].tolist()
            raise RuntimeError(f"words without a prediction (first: {missing}); windowing bug")
        return self.sum / self.count[:, None]


def decode_documents(
    window_logits: Iterable[np.ndarray],
    window_word_ids: Iterable[Sequence[int]],
    window_doc_ids: Iterable[str],
    doc_lengths: dict[str, int],
    tags: Sequence[str],
) -> dict[str, list[str]]:
    """Stitch per-window logits (in any order) into one valid tag sequence per document."""
    acc: dict[str, WordScores] = {}
    for logits, wids, doc in zip(window_logits, window_word_ids, window_doc_ids):
        if doc not in acc:
            acc[doc] = WordScores(doc_lengths[doc], len(tags))
        acc[doc].add(np.asarray(logits, dtype=np.float64), wids)
    docs = [doc for doc, n in doc_lengths.items() if n > 0]
    paths = viterbi_many([log_softmax(acc[doc].mean()) for doc in docs], tags)
    out = {doc: [] for doc in doc_lengths}
    out.update(zip(docs, paths))
    return out


def predict_words(model, tokenizer, documents: Sequence[Sequence[str]], window: WindowConfig, batch_size: int = 16,
                  device: str | None = None, progress: bool = False) -> list[list[str]]:
    """IOB2 tags for each pre-tokenized document, any length; windows batched by length."""
    return predict_words_extra(model, tokenizer, documents, window, batch_size, device, progress)[0]


def predict_words_extra(
    model,
    tokenizer,
    documents: Sequence[Sequence[str]],
    window: WindowConfig,
    batch_size: int = 16,
    device: str | None = None,
    progress: bool = False,
    extra=None,
) -> tuple[list[list[str]], list[np.ndarray] | None]:
    """:func:`predict_words`, plus ``extra`` applied to what the classifier reads, per word.

    ``extra`` maps the hidden states going into ``model.classifier`` (``[B, L, H]``)
    to ``[B, L, K]`` (an identity gives the encoder's features; a second head its
    logits); each word gets the mean over windows of its first sub-word's values,
    like the tag logits. The classifier's input is caught by a forward pre-hook, so
    the same one forward pass serves both, on any numeric path (fp32, bf16, int8).
    An ``extra`` with a ``catch(model, sink)`` method hooks the module it reads itself
    (:class:`indoquote.quotes.indirect_layer.LayerHead`: the inputs of the top encoder layer).
    """
    import torch

    tags = [model.config.id2label[i] for i in range(len(model.config.id2label))]
    device = device or ("cuda" if torch.cuda.is_available() else "cpu")
    model.to(device).eval()
    with phase("tokenization"):
        encoded = encode_many(tokenizer, documents)  # one call of the fast tokenizer for every document
    with phase("windowing"):
        frame = special_frame(tokenizer)
        items = []  # (doc index, window)
        for d, enc in enumerate(encoded):
            if documents[d]:
                items.extend((d, w) for w in document_windows(tokenizer, documents[d], None, window, enc, frame))
        batches = length_batches([len(w["input_ids"]) for _, w in items], batch_size)  # little padding
    logits_by_item: list[np.ndarray | None] = [None] * len(items)
    extra_by_item: list[np.ndarray | None] = [None] * len(items)
    if progress:
        from tqdm.auto import tqdm

        batches = tqdm(batches, desc="tagging", unit="batch")
    caught: list = []
    hook = None
    if getattr(extra, "catch", None) is not None:  # an extra that reads another layer's inputs hooks it itself
        hook = extra.catch(model, caught.append)
    elif extra is not None:
        classifier = getattr(model, "classifier", None)
        if classifier is None:
            raise ValueError(f"{type(model).__name__} has no `classifier` module to read hidden states from")
        hook = classifier.register_forward_pre_hook(lambda _module, args: caught.append(args[0].float()))
    try:
        with torch.inference_mode():
            for batch in batches:
                with phase("windowing"):
                    feats = [{k: items[i][1][k] for k in ("input_ids", "attention_mask")} for i in batch]
                    enc = tokenizer.pad(feats, padding=True, padding_side="right", return_tensors="pt")
                    ids, mask = enc["input_ids"].to(device), enc["attention_mask"].to(device)
                count("window sub-words", int(mask.sum()))
                count("padded sub-words", mask.numel())
                caught.clear()
                with phase("forward"):
                    out = model(input_ids=ids, attention_mask=mask).logits.float().cpu().numpy()
                    more = extra(caught[0]).float().cpu().numpy() if extra is not None else None
                for r, i in enumerate(batch):
                    logits_by_item[i] = out[r, : len(items[i][1]["input_ids"])]
                    if more is not None:
                        extra_by_item[i] = more[r, : len(items[i][1]["input_ids"])]
    finally:
        if hook is not None:
            hook.remove()
    with phase("decoding"):
        return _decode(documents, items, logits_by_item, extra_by_item, tags, extra is not None)


def _decode(documents, items, logits_by_item, extra_by_item, tags, has_extra):
    """Window logits (and extra values) -> each document's tags (and per-word extra means)."""
    lengths = {str(d): len(words) for d, words in enumerate(documents)}
    decoded = decode_documents(
        (lg for lg in logits_by_item),
        (w["word_ids"] for _, w in items),
        (str(d) for d, _ in items),
        lengths,
        tags,
    )
    per_word = None
    if has_extra:
        acc: dict[int, WordScores] = {}
        for (d, w), values in zip(items, extra_by_item):
            if d not in acc:
                acc[d] = WordScores(len(documents[d]), values.shape[-1])
            acc[d].add(values, w["word_ids"])
        width = next((v.shape[-1] for v in extra_by_item if v is not None), 0)
        per_word = [acc[d].mean().astype(np.float32) if d in acc else np.zeros((0, width), np.float32)
                    for d in range(len(documents))]
    return [decoded[str(d)] for d in range(len(documents))], per_word


class Joined:
    """Several ``extra`` maps for :func:`predict_words_extra` in one: outputs side by side, split again per word.

    Why: the indirect-speech head and the linker both read the encoder's states, and one
    forward pass should serve both. A part with a ``catch(model, sink)`` method reads the
    module it hooks itself (a head on the top layer's inputs); the others read what goes
    into the classifier. :meth:`catch` hooks each part's own source in one pass.
    """

    def __init__(self, fns: Sequence) -> None:
        self.fns, self.widths = list(fns), [0] * len(fns)
        self._seen: list = [None] * len(self.fns)

    def catch(self, model, sink) -> _Handles:
        """Hook each part's source (its own ``catch``, else the classifier's input); ``sink`` gets a marker per pass."""
        classifier = getattr(model, "classifier", None)
        if classifier is None:
            raise ValueError(f"{type(model).__name__} has no `classifier` module to read hidden states from")
        handles = []
        for k, f in enumerate(self.fns):
            def put(value, k=k):
                self._seen[k] = value

            if getattr(f, "catch", None) is not None:
                handles.append(f.catch(model, put))
            else:
                handles.append(classifier.register_forward_pre_hook(lambda _m, args, put=put: put(args[0].float())))
        handles.append(classifier.register_forward_pre_hook(lambda _m, args: sink(None)))
        return _Handles(handles)

    def __call__(self, hidden):
        import torch

        caught = [hidden if seen is None else seen for seen in self._seen]
        outs = [f(c).float() for f, c in zip(self.fns, caught)]
        self._seen = [None] * len(self.fns)
        self.widths = [o.shape[-1] for o in outs]
        return torch.cat(outs, dim=-1)

    def split(self, values: np.ndarray) -> list[np.ndarray]:
        """One article's ``[n, sum(widths)]`` word values -> one ``[n, width]`` array per map."""
        return np.split(values, np.cumsum(self.widths)[:-1], axis=-1)


class _Handles:
    """Hook handles removed together."""

    def __init__(self, handles: Sequence) -> None:
        self.handles = list(handles)

    def remove(self) -> None:
        for h in self.handles:
            h.remove()


MIN_QUOTE_WORDS = 4
"""Words a quotation between marks needs before the marks may shape the tags (not titles or scare quotes)."""

CUE_REACH = 3
"""Tokens between a quotation's marks and a tagged cue that confirms it."""

CUE_LABELS = frozenset({"CUE", "CUECOREF"})


def _is_word(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def _introduced(tokens: Sequence, a: int) -> bool:
    """Does a speech verb open the quotation (``Peskov menjawab: "..."``, ``katanya, "..."``)?"""
    before = [t.text for t in tokens[max(0, a - 2) : a]]
    return verb_before(before, len(before)) is not None


def _whole_paragraph(text: str, start: int, end: int) -> bool:
    """Does the quotation fill its paragraph? News writes a speaker's next words so, cue-less, after the attribution."""
    before = text[:start].rstrip(" \t")
    return (not before or before.endswith("\n")) and not text[end:].split("\n", 1)[0].strip()


SPEECH_END = frozenset(",.?!…")
"""How words spoken end inside their closing mark (`"Setuju?" imbuhnya`, `"Rencana selalu ada," kata Jokowi`)."""


def _short_speech(text: str, cand: Candidate, verb_next: bool) -> bool:
    """Is a quotation under :data:`MIN_QUOTE_WORDS` words spoken words? Only when its text shows it: it ends
    in a :data:`SPEECH_END` mark and a speech verb follows its closing mark. Decided on the text alone, so
    short quotations do not come and go with the window length, as the model's tags on them did."""
    inside = text[cand.start + 1 : cand.end - 1].rstrip()
    return verb_next and bool(inside) and inside[-1] in SPEECH_END and any(ch.isalnum() for ch in inside)


def snap_to_marks(text: str, tokens: Sequence, tags: Sequence[str], label: str = "STATEMENT") -> list[str]:
    """Quotations that the marks show and the model confirms become exactly one ``label`` span, mark to mark.

    Candidates come from :func:`indoquote.text.marks.outer_candidates` (closed, at least
    :data:`MIN_QUOTE_WORDS` words, or shorter in the shape of speech: :func:`_short_speech`). The model
    confirms one when it tags any of its words ``label`` (a lone mark does not count), or a cue within
    :data:`CUE_REACH` tokens of its marks, or a speech verb of :mod:`indoquote.text.lexicon` (``kata``,
    ``ujarnya``...) right after it or opening it (``Peskov menjawab: "..."``), or the
    quotation fills its paragraph (a speaker's further words, written without a cue). Then
    the span runs from the opening to the closing mark, whatever the tag sequence
    did inside (a quotation cut short, split in two, or run on past its mark);
    tokens the model ran on beyond the closing mark become ``O``. Unconfirmed
    candidates (titles, scare quotes) keep their tags, and a ``label`` span that
    touches no quotation mark at all (indirect speech taken for a quotation) is dropped.
    """
    out = list(tags)
    starts = [t.start for t in tokens]
    inside = f"B-{label}", f"I-{label}"
    cands = outer_candidates(text)
    for cand in cands:
        if not cand.closed:
            continue
        a = bisect.bisect_left(starts, cand.start)
        b = bisect.bisect_left(starts, cand.end) - 1
        if a >= len(tokens) or b <= a or tokens[b].end > cand.end:
            continue
        after = range(b + 1, min(len(out), b + 1 + CUE_REACH))
        verb = next((k for k in after if cue_label(tokens[k].text)), None)  # `"...," ujar Doddy`
        if sum(_is_word(tokens[k].text) for k in range(a, b + 1)) < MIN_QUOTE_WORDS:
            if not _short_speech(text, cand, verb == b + 1):
                continue  # a title, a scare quote, a nickname: the model's tags stand
        cue_near = any(tags[k][2:] in CUE_LABELS for k in [*range(max(0, a - CUE_REACH), a), *after])
        model_word = any(tags[k] in inside and _is_word(tokens[k].text) for k in range(a, b + 1))  # the model's tags
        if not (model_word or cue_near or verb is not None or _introduced(tokens, a)
                or _whole_paragraph(text, cand.start, cand.end)):
            continue
        if verb is not None and out[verb] == "O" and not cue_near:  # so the records can attribute it
            out[verb] = "B-" + ((cue_label(tokens[verb].text) or "CUE") if label == "STATEMENT" else "CUE")
        out[a : b + 1] = [inside[0]] + [inside[1]] * (b - a)
        k = b + 1
        while k < len(out) and out[k] == inside[1]:
            out[k] = "O"
            k += 1
    insides = [(c.start + 1, c.end - 1) for c in cands]

    def touches_marks(sp: Span) -> bool:
        """Does the span hold a word between a pair of marks? (else it is indirect speech taken for a quotation,
        or the words after a closing mark: ``"Setuju?" imbuhnya disambut ...``)"""
        words = [tokens[k] for k in range(sp.start, sp.end) if _is_word(tokens[k].text)]
        return any(s <= t.start and t.end <= e for t in words for s, e in insides)

    kept = [sp for sp in iob2_spans(out) if sp.label != label or touches_marks(sp)]
    return spans_to_iob2(kept, len(out))  # a span that lost its beginning starts again where it resumes
