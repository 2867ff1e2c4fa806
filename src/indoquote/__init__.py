"""indoquote: who said what in Indonesian news.

Pipeline, one module per step: ``labels`` -> ``corpus`` / ``articles`` -> ``windows``
-> ``data`` -> ``train`` -> ``predict`` / ``evaluate`` -> ``tagger`` -> ``publish``.
"""

__version__ = "0.1.0"

__all__ = ["QuoteTagger", "__version__"]


def __getattr__(name):  # lazy: importing the package must not import torch
    if name == "QuoteTagger":
        from .tagger import QuoteTagger

        return QuoteTagger
    raise AttributeError(name)
