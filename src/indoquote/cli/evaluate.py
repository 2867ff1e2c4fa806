"""``indoquote evaluate checkpoint=DIR ...``: span F1 of checkpoints, with an error report."""

from __future__ import annotations

from .jobs import plain


def job(cfg) -> None:
    from ..scoring.evaluate import main as evaluate_main

    evaluate_main(plain(cfg))
