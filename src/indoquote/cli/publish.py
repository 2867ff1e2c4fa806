"""``indoquote publish checkpoint=DIR out=DIR``: a shareable model directory."""

from __future__ import annotations

from .jobs import plain


def job(cfg) -> None:
    from ..publish.package import main as publish_main

    publish_main(plain(cfg))
