"""``indoquote calibrate checkpoint=DIR data=genre_articles``: fit the linker's confidence map into a checkpoint."""

from __future__ import annotations

from .jobs import plain


def job(cfg) -> None:
    from ..training.fit_calibration import main as calibrate_main

    calibrate_main(plain(cfg))
