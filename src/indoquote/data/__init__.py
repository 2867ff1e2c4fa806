"""Training and evaluation data: PFSA-ID read into documents, augmented, masked, windowed; quote-level gold."""

from .build import build_datasets, load_documents, load_splits
from .corpus import read_documents, read_predictions, write_predictions
from .gold import GoldArticle, Quote, read_gold_files

__all__ = [
    "GoldArticle",
    "Quote",
    "build_datasets",
    "load_documents",
    "load_splits",
    "read_documents",
    "read_gold_files",
    "read_predictions",
    "write_predictions",
]
