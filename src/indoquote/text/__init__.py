"""Text in: labels, the cue lexicon, normalisation, quotation marks, articles and documents.

The bottom floor (above the shared :mod:`indoquote.errors`, :mod:`~indoquote.paths` and
:mod:`~indoquote.tables`): plain Python, no model. Everything above reads text through it.
"""

from .articles import Article, Token, article_from_text, article_from_words, tokenize
from .document import Document
from .labels import SCHEMAS, LabelSchema, get_schema, iob2_spans, spans_to_iob2
from .marks import quote_candidates
from .normalize import normalize

__all__ = [
    "Article",
    "Document",
    "LabelSchema",
    "SCHEMAS",
    "Token",
    "article_from_text",
    "article_from_words",
    "get_schema",
    "iob2_spans",
    "normalize",
    "quote_candidates",
    "spans_to_iob2",
    "tokenize",
]
