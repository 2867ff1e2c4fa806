"""indoquote: who said what in Indonesian news.

Subpackages in floors that import downward only (``docs/architecture.md``): the shared
``errors`` / ``paths`` / ``atomic`` / ``safe_text`` / ``tables`` / ``config`` modules, then ``text`` -> ``model`` ->
``quotes`` -> ``data`` / ``pipeline`` -> ``scoring`` -> ``training`` / ``archive`` /
``publish`` -> ``cli``. ``from indoquote import QuoteTagger`` is the Python API.
"""

__version__ = "0.1.0"

__all__ = ["QuoteTagger", "__version__"]


def __getattr__(name):  # lazy: importing the package must not import torch
    if name == "QuoteTagger":
        from .pipeline.tagger import QuoteTagger

        return QuoteTagger
    raise AttributeError(name)
