"""Raw text in, quote records out: :class:`QuoteTagger` (what ``indoquote predict`` runs), its inputs, the HTML view."""

from .html import render_page
from .inputs import input_files, iter_inputs
from .tagger import QuoteTagger, TaggedArticle

__all__ = ["QuoteTagger", "TaggedArticle", "input_files", "iter_inputs", "render_page"]
