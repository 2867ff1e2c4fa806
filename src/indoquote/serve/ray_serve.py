"""The same app as a Ray Serve deployment: ``indoquote serve --engine ray --replicas N``.

Why Ray: it already runs the archive engine (``predict --engine ray``), and a
Ray cluster spreads replicas over machines behind one HTTP address. Each replica
loads the model in its constructor (so Serve reports it running only once the
model is in memory) and serves the very app of :func:`indoquote.serve.app.create_app`,
batcher, limits, token and page included.
"""

from __future__ import annotations

import signal
import sys
from typing import Any, Optional

from .settings import ServeSettings


def build_deployment(settings: ServeSettings, replicas: int = 1, replica_cpus: float = 1.0) -> Any:
    """A bound Ray Serve application of ``replicas`` copies of the service."""
    from ray import serve

    @serve.deployment(
        name="indoquote",
        num_replicas=replicas,
        ray_actor_options={"num_cpus": replica_cpus},
        max_ongoing_requests=settings.max_queue,  # the replica's batcher, not Serve, gathers and bounds the work
    )
    @serve.ingress()
    class QuoteService:
        def __init__(self, settings_json: str):
            from .app import load_tagger

            self._settings = ServeSettings.from_json(settings_json)
            self._tagger = load_tagger(self._settings)

        def __serve_build_asgi_app__(self):
            from .app import create_app

            return create_app(self._settings, self._tagger)

    return QuoteService.bind(settings.to_json())


def start(settings: ServeSettings, replicas: int = 1, address: Optional[str] = None, replica_cpus: float = 1.0,
          **init: Any) -> None:
    """Connect to (or start) Ray, start Serve's HTTP proxy on ``settings.host:port`` and deploy the service."""
    import ray
    from ray import serve

    if not ray.is_initialized():
        ray.init(address=address, **init)
    serve.start(http_options={"host": settings.host, "port": settings.port})
    serve.run(build_deployment(settings, replicas, replica_cpus), name="indoquote", route_prefix="/")


def run_ray(settings: ServeSettings, replicas: int, address: Optional[str] = None) -> int:
    """``indoquote serve --engine ray``: deploy, then wait; SIGTERM/Ctrl-C shuts Serve down (replicas drain)."""
    import time

    from ray import serve

    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        start(settings, replicas, address)
        print(f"indoquote serve: {replicas} Ray Serve replica(s) on http://{settings.host}:{settings.port}/",
              file=sys.stderr)
        while True:
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        serve.shutdown()
    return 0
