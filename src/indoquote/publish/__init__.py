"""``indoquote publish``: a shareable model directory with a model card, a trimmed vocabulary, optional ONNX."""

from .package import publish
from .trim import trim_vocabulary

__all__ = ["publish", "trim_vocabulary"]
