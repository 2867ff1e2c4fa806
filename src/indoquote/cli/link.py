"""``indoquote link checkpoint=DIR``: fit the quote-speaker linker into a checkpoint."""

from __future__ import annotations

from .jobs import plain


def job(cfg) -> None:
    from ..training.fit_linker import main as link_main

    link_main(plain(cfg))
