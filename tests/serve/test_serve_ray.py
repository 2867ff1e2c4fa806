"""`indoquote serve --engine ray`: the app as a Ray Serve deployment answers the same records as the plain server."""

from __future__ import annotations

import time

import pytest

pytest.importorskip("fastapi")
serve = pytest.importorskip("ray.serve")
import httpx  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402
from serve_support import dev_texts, free_port, seed  # noqa: E402

from indoquote.serve import ServeSettings, create_app  # noqa: E402
from indoquote.serve.ready import wait_ready  # noqa: E402

pytestmark = pytest.mark.slow


def test_ray_serve_answers_the_plain_servers_records(tiny_checkpoint):
    import ray

    from indoquote.serve.ray_serve import start

    s = seed()
    bodies = [("/v1/quotes", {"text": s["text"], "id": s["id"], "kinds": ["direct", "indirect"]}),
              ("/v1/quotes:batch", {"articles": [{"text": t[:4000]} for t in dev_texts(3)]})]
    settings = ServeSettings(model=str(tiny_checkpoint), port=free_port())
    with TestClient(create_app(settings)) as plain:
        while plain.get("/readyz").status_code != 200:
            time.sleep(0.05)
        want = [plain.post(path, json=body).json() for path, body in bodies]
    try:
        start(settings, replicas=1, replica_cpus=1, num_cpus=1, include_dashboard=False)
        url = f"http://127.0.0.1:{settings.port}"
        wait_ready(url, 120)
        got = [httpx.post(url + path, json=body, timeout=60).json() for path, body in bodies]
        assert got == want and want[0]["quotes"]
        assert httpx.post(url + "/v1/quotes", json={"text": " "}, timeout=30).status_code == 422  # the same checks
    finally:
        serve.shutdown()
        ray.shutdown()
