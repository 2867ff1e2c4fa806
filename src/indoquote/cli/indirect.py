"""``indoquote indirect checkpoint=DIR [head=gru|layer]``: fit the indirect-speech head into a checkpoint."""

from __future__ import annotations

from .jobs import plain


def job(cfg) -> None:
    from ..training.fit_indirect_layer import main as indirect_main

    indirect_main(plain(cfg))
