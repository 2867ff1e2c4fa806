"""Raw text in, quote records out: :class:`QuoteTagger`, the library behind ``indoquote predict``.

:class:`QuoteTagger` wraps a checkpoint loaded by
:func:`indoquote.checkpoint.load_checkpoint` (a local directory, a hub id or an
ONNX export) with the window settings it was trained with, tokenizes articles
the PFSA-ID way (:func:`indoquote.articles.tokenize`), tags them with
:func:`indoquote.predict.predict_words` and reads the tags into
:class:`~indoquote.records.QuoteRecord` s. Many articles go through one
``predict_words`` call per chunk (windows sorted by length and batched across
articles); chunks are capped in characters, so memory stays bounded however
much text comes in.

    >>> tagger = QuoteTagger.from_pretrained("models/indoquote")   # doctest: +SKIP
    >>> for r in tagger(text):                                      # doctest: +SKIP
    ...     print(r.speaker, "-", r.quote)
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Iterable, Iterator, Sequence

from .articles import Article, article_from_text
from .checkpoint import BACKENDS, load_checkpoint
from .predict import predict_words
from .records import QuoteRecord, quote_records
from .windows import WindowConfig

CHUNK_CHARS = 2_000_000
"""Characters of text tagged by one ``predict_words`` call (its windows and logits are held at once)."""


@dataclass
class TaggedArticle(Article):
    """An article with its predicted IOB2 tags and the quote records read from them."""

    records: list[QuoteRecord] = field(default_factory=list)

    def to_dict(self) -> dict:
        """The ``indoquote predict`` JSONL line: ``{"id", "quotes": [...]}``."""
        return {"id": self.id, "quotes": [r.to_dict() for r in self.records]}


class QuoteTagger:
    """Who said what in Indonesian news text."""

    def __init__(self, model, tokenizer, window: WindowConfig, device: str | None = None, batch_size: int = 16):
        self.model, self.tokenizer, self.window = model, tokenizer, window
        self.device, self.batch_size = device, batch_size
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
    ) -> QuoteTagger:
        """A tagger from a checkpoint/published directory or a hub id; bad input raises ``ModelLoadError``.

        ``backend`` is one of :data:`~indoquote.checkpoint.BACKENDS`: ``"onnx"`` /
        ``"onnx-int8"`` (local directories only) serves ``model.onnx`` /
        ``model.int8.onnx`` with onnxruntime on the CPU, with ``threads`` intra-op
        threads (for torch use ``torch.set_num_threads``). ``device=None`` picks
        CUDA when available.
        """
        ckpt = load_checkpoint(name_or_path, backend=backend, threads=threads)
        device = "cpu" if backend != "torch" else device
        return cls(ckpt.model, ckpt.tokenizer, ckpt.window, device=device, batch_size=batch_size)

    def __call__(self, text: str) -> list[QuoteRecord]:
        return self.tag(text).records

    def tag(self, text: str, id: str = "text") -> TaggedArticle:
        """Tokens, tags and quote records of one article."""
        (out,) = self.tag_batch([text], [id])
        return out

    def batch(self, texts: Sequence[str], progress: bool = True) -> list[list[QuoteRecord]]:
        """Quote records of many articles, batched across articles."""
        return [a.records for a in self.iter_tag(((str(i), t) for i, t in enumerate(texts)), progress=progress)]

    def tag_batch(
        self, texts: Sequence[str], ids: Sequence[str] | None = None, progress: bool = False
    ) -> list[TaggedArticle]:
        ids = list(ids) if ids is not None else [str(i) for i in range(len(texts))]
        return list(self.iter_tag(zip(ids, texts), progress=progress))

    def iter_tag(self, items: Iterable[tuple[str, str]], progress: bool = False) -> Iterator[TaggedArticle]:
        """Tag ``(id, text)`` pairs lazily, one ``predict_words`` call per :data:`CHUNK_CHARS` of text."""
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
        arts = [article_from_text(text, id) if text.strip() else None for id, text in chunk]
        words = [a.words if a else [] for a in arts]
        tags = predict_words(self.model, self.tokenizer, words, self.window, self.batch_size, self.device, progress)
        out = []
        for (id, text), a, t in zip(chunk, arts, tags):
            if a is None:
                out.append(TaggedArticle(id, text, [], [], [], []))
            else:
                records = quote_records(text, a.tokens, t, a.sentence_starts)
                out.append(TaggedArticle(id, text, a.tokens, t, a.sentence_starts, records))
        return out


__all__ = ["BACKENDS", "CHUNK_CHARS", "QuoteTagger", "TaggedArticle"]
