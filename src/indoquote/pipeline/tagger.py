"""Raw text in, quote records out: :class:`QuoteTagger`, the library behind ``indoquote predict``.

:class:`QuoteTagger` wraps a checkpoint loaded by
:func:`indoquote.model.checkpoint.load_checkpoint` (a local directory, a hub id or an
ONNX export) with the window settings it was trained with, tokenizes articles
the PFSA-ID way (:func:`indoquote.text.articles.tokenize`), tags them with
:func:`indoquote.model.decode.predict_words` and reads the tags into
:class:`~indoquote.quotes.records.QuoteRecord` s. Many articles go through one
``predict_words`` call per chunk (windows sorted by length and batched across
articles); chunks are capped in characters, so memory stays bounded however
much text comes in.

Text is cleaned first (:func:`indoquote.text.normalize.normalize`: NFC, no zero-width
characters, soft hyphens or BOMs; :func:`indoquote.text.glue.repair_glue`: words that
scraping glued together split again, counted in ``glued_words``), and every offset that comes back (tokens,
quote records, mentions) is an offset into the text as given, so
``text[r.start:r.end]`` is the quotation as the user wrote it. ``quote``,
``speaker``, ``role`` and ``affiliation`` are the normalized strings.

    >>> tagger = QuoteTagger.from_pretrained("models/indoquote")   # doctest: +SKIP
    >>> for r in tagger(text):                                      # doctest: +SKIP
    ...     print(r.speaker, "-", r.quote)
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from typing import Any, Iterable, Iterator, Sequence

from ..model.checkpoint import BACKENDS, check_device, load_checkpoint, load_sidecar
from ..model.decode import Joined, predict_words_extra, snap_to_marks
from ..model.phases import phase
from ..model.precision import PrecisionChoice, check_precision, choose_precision, convert
from ..model.windows import WindowConfig
from ..quotes.attribute import quote_records
from ..quotes.indirect_head import HEAD_CONFIG, HEAD_WEIGHTS, model_spans
from ..quotes.indirect_layer import load_head
from ..quotes.indirect_rules import direct_ranges, indirect_records
from ..quotes.linker import LINKER_CONFIG, LINKER_WEIGHTS, load_linker
from ..quotes.records import Mention, QuoteRecord
from ..text.articles import Article, Token, article_from_text
from ..text.glue import normalize_and_repair
from ..text.normalize import Normalized, normalize

CHUNK_CHARS = 2_000_000
"""Characters of text tagged by one ``predict_words`` call (its windows and logits are held at once)."""


@dataclass
class TaggedArticle(Article):
    """An article with its predicted IOB2 tags and the quote records read from them."""

    records: list[QuoteRecord] = field(default_factory=list)
    states: Any = None  # [words, hidden] encoder states, kept only when the tagger's keep_states is set

    def to_dict(self) -> dict:
        """The ``indoquote predict`` JSONL line: ``{"id", "quotes": [...]}``."""
        return {"id": self.id, "quotes": [r.to_dict() for r in self.records]}


class QuoteTagger:
    """Who said what in Indonesian news text."""

    def __init__(
        self, model, tokenizer, window: WindowConfig, device: str | None = None, batch_size: int = 16, linker=None
    ):
        self.model, self.tokenizer, self.window = model, tokenizer, window
        self.linker = linker  # picks each quotation's speaker (indoquote.quotes.linker); None: the rules of records.py
        self.device, self.batch_size = device, batch_size
        labels = set(model.config.id2label.values())
        self.quote_label = "QUOTE" if "B-QUOTE" in labels else "STATEMENT"
        self.use_marks = True  # snap confirmed quotations to their marks (predict.snap_to_marks)
        self.precision: PrecisionChoice = PrecisionChoice("fp32")  # the numeric path (indoquote.model.precision)
        self.kinds: tuple[str, ...] = ("direct",)  # add "indirect" for reported speech
        self.indirect_head = None  # finds indirect speech when set (indoquote.quotes.indirect_head); else the rules
        self.repair_glue = True  # split words scraping glued together (indoquote.text.glue) before tagging
        self.glued_words = 0  # how many words it split, over every article tagged so far
        self.keep_states = False  # keep each article's raw encoder states (fitting a linker on them)
        # whole articles are encoded at once and windowed afterwards: the "longer than the maximum" warning is moot
        getattr(tokenizer, "deprecation_warnings", {})["sequence-length-is-longer-than-the-specified-maximum"] = True

    @classmethod
    def from_pretrained(
        cls,
        name_or_path: str | os.PathLike,
        device: str | None = None,
        batch_size: int = 16,
        backend: str = "torch",
        threads: int | None = None,
        linker: bool = True,
        precision: str = "auto",
        kinds: Sequence[str] = ("direct",),
        indirect_head: bool = True,
    ) -> QuoteTagger:
        """A tagger from a checkpoint/published directory or a hub id; bad input raises ``ModelLoadError``.

        ``backend`` is one of :data:`~indoquote.model.checkpoint.BACKENDS`: ``"onnx"`` /
        ``"onnx-int8"`` (local directories only) serves ``model.onnx`` /
        ``model.int8.onnx`` with onnxruntime on the CPU, with ``threads`` intra-op
        threads (for torch use ``torch.set_num_threads``). ``device=None`` picks
        CUDA when available. The checkpoint's quote-speaker linker attributes
        quotations when it has one; ``linker=False`` uses the rules instead.
        ``precision`` (torch backend): ``"auto"`` measures fp32, bf16 and int8 on
        this machine once and keeps the fastest that agrees with fp32
        (:mod:`indoquote.model.precision`); ``"fp32"``, ``"bf16"``, ``"int8"`` force one.
        ``kinds``: ``("direct",)`` (quotation marks) and/or ``"indirect"`` (reported speech:
        found by the checkpoint's indirect-speech head, :mod:`indoquote.quotes.indirect_head`, when it
        has one and ``indirect_head`` is true, else by the rules of :mod:`indoquote.quotes.indirect_rules`).
        """
        check_precision(precision)
        kinds = check_kinds(kinds)
        ckpt = load_checkpoint(name_or_path, backend=backend, threads=threads)
        # the sidecars beside the weights; the head reads the encoder's hidden states, which ONNX does not give
        attributor = load_sidecar(name_or_path, LINKER_CONFIG, LINKER_WEIGHTS, load_linker) if linker else None
        use_head = indirect_head and backend == "torch"
        head = load_sidecar(name_or_path, HEAD_CONFIG, HEAD_WEIGHTS, load_head) if use_head else None
        device = "cpu" if backend != "torch" else check_device(device)
        tagger = cls(ckpt.model, ckpt.tokenizer, ckpt.window, device, batch_size, attributor)
        tagger.kinds = kinds
        tagger.indirect_head = head.bind(ckpt.model) if hasattr(head, "bind") else head  # before precision converts
        if backend == "torch":
            tagger.set_precision(precision, ckpt.source)
        return tagger

    def set_precision(self, precision: str, source: str = "") -> PrecisionChoice:
        """Run on ``precision`` (``auto``: the fastest path that agrees with fp32 here, measured once per machine)."""
        check_precision(precision)
        if precision == "auto":
            self.precision = choose_precision(self.model, self.tokenizer, self.window, source or "model",
                                              self.device or "cpu", self.batch_size)
        else:
            self.precision = PrecisionChoice(precision, reason="chosen by the caller")
        self.model = convert(self.model, self.precision.precision)
        return self.precision

    def __call__(self, text: str) -> list[QuoteRecord]:
        _check_str(text, "tagger(text)", "the article text")
        return self.tag(text).records

    def tag(self, text: str, id: str = "text") -> TaggedArticle:
        """Tokens, tags and quote records of one article."""
        _check_str(text, "QuoteTagger.tag(text)", "the article text")
        _check_str(id, "QuoteTagger.tag(id=...)", "the article id")
        (out,) = self.tag_batch([text], [id])
        return out

    def batch(self, texts: Sequence[str], progress: bool = True) -> list[list[QuoteRecord]]:
        """Quote records of many articles, batched across articles."""
        texts = _check_texts(texts, "QuoteTagger.batch(texts)")
        return [a.records for a in self.iter_tag(((str(i), t) for i, t in enumerate(texts)), progress=progress)]

    def tag_batch(
        self, texts: Sequence[str], ids: Sequence[str] | None = None, progress: bool = False
    ) -> list[TaggedArticle]:
        texts = _check_texts(texts, "QuoteTagger.tag_batch(texts)")
        if ids is None:
            ids = [str(i) for i in range(len(texts))]
        else:
            ids = _check_texts(ids, "QuoteTagger.tag_batch(ids)", "article ids")
            if len(ids) != len(texts):
                raise ValueError(f"QuoteTagger.tag_batch: {len(ids)} ids for {len(texts)} texts")
        return list(self.iter_tag(zip(ids, texts), progress=progress))

    def iter_tag(self, items: Iterable[tuple[str, str]], progress: bool = False) -> Iterator[TaggedArticle]:
        """Tag ``(id, text)`` pairs lazily, one ``predict_words`` call per :data:`CHUNK_CHARS` of text.

        ``items`` is checked here (an iterable, not a string); each pair as it comes.
        """
        if isinstance(items, (str, bytes)) or not isinstance(items, Iterable):
            raise TypeError(
                f"QuoteTagger.iter_tag(items): expected an iterable of (id, text) pairs of str, got {_kind(items)}"
            )
        return self._iter_tag(_checked_pairs(items), progress)

    def _iter_tag(self, items: Iterable[tuple[str, str]], progress: bool) -> Iterator[TaggedArticle]:
        chunk: list[tuple[str, str]] = []
        size = 0
        for id, text in items:
            if chunk and size + len(text) > CHUNK_CHARS:
                yield from self._tag_chunk(chunk, progress)
                chunk, size = [], 0
            chunk.append((id, text))
            size += len(text)
        if chunk:
            yield from self._tag_chunk(chunk, progress)

    def _tag_chunk(self, chunk: list[tuple[str, str]], progress: bool) -> list[TaggedArticle]:
        clean = normalize_and_repair if self.repair_glue else normalize
        with phase("cleaning"):
            norms = [clean(text) for _, text in chunk]  # tokenized and tagged clean; offsets mapped back below
        self.glued_words += sum(n.glued for n in norms)
        with phase("tokenization"):
            arts = [article_from_text(n.text, id) if n.text.strip() else None for (id, _), n in zip(chunk, norms)]
        words = [a.words if a else [] for a in arts]
        parts = self._extras()
        joined = Joined([f for _, f in parts]) if parts else None
        tags, values = predict_words_extra(self.model, self.tokenizer, words, self.window, self.batch_size,
                                           self.device, progress, extra=joined)
        per_word = [dict(zip([name for name, _ in parts], joined.split(v))) for v in values] if joined else None
        head_words = [w["head"] for w in per_word] if per_word and "head" in per_word[0] else None
        direct: list[list | None] = [None] * len(chunk)
        for k, (n, a) in enumerate(zip(norms, arts)):
            if a is not None:
                if self.use_marks:  # a quotation the marks show and the model confirms is never cut short
                    with phase("marks"):
                        tags[k] = snap_to_marks(n.text, a.tokens, tags[k], self.quote_label)
                states = per_word[k].get("states") if per_word else None
                with phase("records"):
                    direct[k] = quote_records(n.text, a.tokens, tags[k], a.sentence_starts, self.linker, states)
        with phase("indirect head"):
            head_tags = self._head_tags(arts, head_words, direct) if head_words is not None else None
        out = []
        for k, ((id, text), n, a, t) in enumerate(zip(chunk, norms, arts, tags)):
            states = per_word[k].get("states") if per_word else None
            if a is None:
                out.append(TaggedArticle(id, text, [], [], [], []))
            else:
                records = direct[k]
                if "indirect" in self.kinds:
                    found = self._head_spans(head_tags[k]) if head_tags is not None else None  # else the rules
                    with phase("indirect head"):
                        extra = indirect_records(n.text, a.tokens, t, a.sentence_starts, records, self.linker, found,
                                                 states)
                    records = sorted(records + extra, key=lambda r: r.start)
                if "direct" not in self.kinds:
                    records = [r for r in records if r.kind != "direct"]
                tagged = TaggedArticle(id, n.text, a.tokens, t, a.sentence_starts, records)
                tagged.states = states if self.keep_states else None
                with phase("records"):
                    out.append(_to_original(tagged, text, n))
        return out

    def _extras(self) -> list[tuple[str, Any]]:
        """What the one forward pass gives beside the tags: the indirect head's word projections (``head``) and the
        word states a linker trained with the encoder reads (``states``: raw with ``keep_states``, else projected)."""
        parts: list[tuple[str, Any]] = []
        if "indirect" in self.kinds and self.indirect_head is not None:
            parts.append(("head", self.indirect_head))
        if self.keep_states:
            parts.append(("states", lambda hidden: hidden))
        elif self.linker is not None and self.linker.width and getattr(self.model, "classifier", None) is not None:
            parts.append(("states", self.linker.project))  # (ONNX gives logits only: the linker's feature half)
        return parts

    def _head_tags(self, arts, head_words, records) -> list[list[str]]:
        """The trained head's word tags of a chunk's articles, its GRU run once for all (``IndirectHead.tag_many``)."""
        live = [k for k, a in enumerate(arts) if a is not None]
        tagged = self.indirect_head.tag_many([head_words[k] for k in live], [arts[k].tokens for k in live],
                                             [arts[k].sentence_starts for k in live],
                                             [direct_ranges(arts[k].tokens, records[k]) for k in live])
        out: list[list[str]] = [[] for _ in arts]
        for k, tags in zip(live, tagged):
            out[k] = tags
        return out

    @staticmethod
    def _head_spans(tags):
        """The trained head's span finder for one article (its word tags bound; cues from their sentences)."""

        def found(tokens, starts, direct):
            return model_spans(tokens, starts, tags, direct)

        return found


def _to_original(art: TaggedArticle, text: str, n: Normalized) -> TaggedArticle:
    """``art`` (tagged on the normalized text) with every offset and span text taken from the original ``text``."""
    if not n.changed:
        return art
    mentions: dict[tuple[int, int, str], Mention] = {}

    def mention(m: Mention | None) -> Mention | None:
        if m is None:
            return None
        key = (m.start, m.end, m.label)
        if key not in mentions:
            a, b = n.span(m.start, m.end)
            mentions[key] = Mention(text[a:b], a, b, m.label)
        return mentions[key]

    tokens = [Token(text[a:b], a, b) for a, b in (n.span(t.start, t.end) for t in art.tokens)]
    records = []
    for r in art.records:
        start, end = n.span(r.start, r.end)
        records.append(
            replace(
                r,
                start=start,
                end=end,
                speaker_mention=mention(r.speaker_mention),
                cue=mention(r.cue),
                spans=[mention(m) for m in r.spans],
            )
        )
    return TaggedArticle(art.id, text, tokens, art.tags, art.sentence_starts, records, art.states)


# ------------------------------------------------------------ API edge checks

KINDS = ("direct", "indirect")


def check_kinds(kinds: Sequence[str] | str) -> tuple[str, ...]:
    """``("direct",)``, ``("indirect",)`` or both; ``"direct,indirect"`` is read as both."""
    items = [k.strip() for k in kinds.split(",")] if isinstance(kinds, str) else list(kinds)
    bad = [k for k in items if k not in KINDS]
    if bad or not items:
        raise ValueError(f"kinds must be some of {KINDS}, got {kinds!r}")
    return tuple(k for k in KINDS if k in items)


def _kind(value: Any) -> str:
    """How a wrong value is named in a ``TypeError``: its type, and a short ``repr`` for str/bytes."""
    if isinstance(value, (str, bytes)):
        shown = repr(value if len(value) <= 20 else value[:20])
        return f"{type(value).__name__} {shown}{'...' if len(value) > 20 else ''}"
    return "None" if value is None else type(value).__name__


def _check_str(value: Any, where: str, what: str) -> None:
    if not isinstance(value, str):
        hint = " (decode bytes first: data.decode('utf-8'))" if isinstance(value, (bytes, bytearray)) else ""
        raise TypeError(f"{where}: expected {what} as a str, got {_kind(value)}{hint}")


def _check_texts(values: Any, where: str, what: str = "article texts") -> list[str]:
    """``values`` as a list of str; a lone string (which would be tagged one character at a time) is refused."""
    if isinstance(values, (str, bytes, bytearray)):
        raise TypeError(
            f"{where}: expected a list of str ({what}, one per article), got a single {_kind(values)}; "
            "wrap it in a list, or use tagger(text) / tagger.tag(text) for one article"
        )
    if not isinstance(values, Iterable):
        raise TypeError(f"{where}: expected a list of str ({what}, one per article), got {_kind(values)}")
    values = list(values)
    for i, v in enumerate(values):
        if not isinstance(v, str):
            raise TypeError(f"{where}: expected a list of str ({what}), but item {i} is {_kind(v)}")
    return values


def _checked_pairs(items: Iterable[Any]) -> Iterator[tuple[str, str]]:
    for i, item in enumerate(items):
        if not (isinstance(item, (tuple, list)) and len(item) == 2 and all(isinstance(x, str) for x in item)):
            raise TypeError(
                f"QuoteTagger.iter_tag(items): expected (id, text) pairs of str, but item {i} is {_kind(item)}"
                + (f" of ({', '.join(type(x).__name__ for x in item)})" if isinstance(item, (tuple, list)) else "")
            )
        yield item[0], item[1]


__all__ = ["BACKENDS", "CHUNK_CHARS", "QuoteTagger", "TaggedArticle"]
