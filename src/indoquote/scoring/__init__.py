"""Scores: strict span F1, tags of a system against gold documents, quote-level F1, reports, ``indoquote evaluate``."""

from .metrics import span_scores
from .quotes import score_quotes
from .tags import Evaluation, evaluate_tags

__all__ = ["Evaluation", "evaluate_tags", "score_quotes", "span_scores"]
