"""Every error type that means "the input is at fault": one line for the user, no traceback.

They live together so that any layer can raise one and the command line can catch them all
(:mod:`indoquote.cli.jobs`) without importing the layers that raise them.
"""

from __future__ import annotations


class TagError(ValueError):
    """A tag that cannot be read or repaired (e.g. an unknown label)."""


class CorpusError(ValueError):
    """Unreadable corpus input; the message names the file and line."""


class ModelLoadError(RuntimeError):
    """A model or tokenizer that cannot be loaded, with what to do instead."""


class ConfigError(ValueError):
    """A config that cannot run, with the key at fault."""


class InputError(ValueError):
    """A bad input in fail-fast mode, or a bad input argument (missing path, directory without articles)."""


class GoldError(ValueError):
    """A malformed gold line; the message names ``file:line``."""


class EvaluationError(ValueError):
    """An evaluation that cannot run (no such split, no documents), with what to do."""


class ArchiveError(ValueError):
    """A bad archive argument: an unreadable input, a missing text column, an output holding another run."""


class TrimError(ValueError):
    """A tokenizer that this trimming does not handle (only Unigram ``tokenizer.json`` models)."""


class AliasError(ValueError):
    """A bad alias table of ``indoquote report --aliases``: names the file, line and field."""
