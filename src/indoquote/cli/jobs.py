"""The Hydra commands (``data``, ``train``, ``evaluate``, ``link``, ``indirect``, ``publish``): one runner.

Each command's ``job(cfg)`` lives in its own module of this package; here it is composed with
its primary config of ``configs/`` and wrapped so that an error that is the input's fault
(:mod:`indoquote.errors`) prints one line instead of a traceback.
"""

from __future__ import annotations

import os
import sys
from typing import Callable

from ..config import register_resolvers
from ..errors import ConfigError, CorpusError, ModelLoadError, TagError
from ..paths import CONFIG_DIR


def plain(cfg) -> dict:
    from omegaconf import OmegaConf

    return OmegaConf.to_container(cfg, resolve=True)  # type: ignore[return-value]


def _user_errors() -> tuple[type[BaseException], ...]:
    """Errors that are the input's fault: one clear line, no traceback."""
    return (ConfigError, CorpusError, TagError, ModelLoadError, FileNotFoundError, KeyError, ValueError)


def _friendly(command: str, job: Callable) -> Callable:
    def wrapped(cfg):
        try:
            return job(cfg)
        except _user_errors() as e:
            if os.environ.get("INDOQUOTE_DEBUG"):  # the full traceback, for bug reports
                raise
            message = e.args[0] if isinstance(e, KeyError) and e.args else e
            raise SystemExit(f"indoquote {command}: error: {message}") from None
        except OSError as e:  # a full disk, a read-only target: one line naming the path, exit 2
            if os.environ.get("INDOQUOTE_DEBUG"):
                raise
            print(f"indoquote {command}: error: {' '.join(str(e).split())}", file=sys.stderr)
            raise SystemExit(2) from None

    wrapped.__name__ = job.__name__
    return wrapped


def run_hydra(command: str, task: Callable, overrides: list[str]):
    """Run ``task`` as ``indoquote COMMAND overrides...`` on ``configs/COMMAND.yaml`` (multirun with ``-m``)."""
    import hydra

    register_resolvers()
    job = _friendly(command, task)
    job.__module__ = __package__  # Hydra names the job, and train's log file (cli.log), after this module
    sys.argv = [f"indoquote-{command}", *overrides]
    return hydra.main(version_base="1.3", config_path=str(CONFIG_DIR), config_name=command)(job)()
