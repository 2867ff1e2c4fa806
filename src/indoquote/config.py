"""Errors of configuration shared by every command: a setting that cannot run names its key."""

from __future__ import annotations


class ConfigError(ValueError):
    """A config that cannot run, with the key at fault."""
