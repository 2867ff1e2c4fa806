"""``indoquote serve``: quote records over HTTP, with a web page, for newsrooms and dashboards.

One module per job: :mod:`.settings` (what an operator can set), :mod:`.schemas`
(the request and record models behind the OpenAPI schema), :mod:`.batching`
(concurrent requests gathered into one forward pass, off the event loop),
:mod:`.metrics` (Prometheus text), :mod:`.app` (the FastAPI app factory),
:mod:`indoquote.cli.serve` (the command), :mod:`.ray_serve` (the same app as a Ray Serve
deployment). Needs the ``serve`` extra: ``pip install -e ".[serve]"``.
"""

from .settings import ServeSettings

__all__ = ["ServeSettings", "create_app"]


def __getattr__(name):  # lazy: the settings are importable without FastAPI installed
    if name == "create_app":
        from .app import create_app

        return create_app
    raise AttributeError(name)
