"""Prometheus metrics of one server (its own registry, so several apps in one process never clash)."""

from __future__ import annotations

from typing import Callable

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
BATCH_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128)


class ServeMetrics:
    """Requests, latency, articles, quotations, queue depth, batch sizes and forward-pass time."""

    def __init__(self, queue_depth: Callable[[], float], ready: Callable[[], float]):
        self.registry = r = CollectorRegistry()
        self.requests = Counter("indoquote_requests_total", "HTTP requests answered", ["path", "status"], registry=r)
        self.latency = Histogram("indoquote_request_seconds", "Time to answer a request", ["path"],
                                 buckets=LATENCY_BUCKETS, registry=r)
        self.articles = Counter("indoquote_articles_total", "Articles tagged", registry=r)
        self.quotes = Counter("indoquote_quotes_total", "Quote records returned", registry=r)
        self.rejected = Counter("indoquote_rejected_total", "Requests refused for load: queue full or timed out",
                                ["reason"], registry=r)
        self.batch_size = Histogram("indoquote_batch_articles", "Articles per forward pass", buckets=BATCH_BUCKETS,
                                    registry=r)
        self.forward = Histogram("indoquote_forward_seconds", "Time of one batched forward pass",
                                 buckets=LATENCY_BUCKETS, registry=r)
        depth = Gauge("indoquote_queue_depth", "Articles waiting for the model", registry=r)
        depth.set_function(queue_depth)
        up = Gauge("indoquote_ready", "1 once the model is loaded and warmed up", registry=r)
        up.set_function(ready)

    def observe_batch(self, articles: int, seconds: float) -> None:
        self.batch_size.observe(articles)
        self.forward.observe(seconds)

    def observe_request(self, path: str, status: int, seconds: float) -> None:
        self.requests.labels(path, str(status)).inc()
        self.latency.labels(path).observe(seconds)

    def render(self) -> tuple[bytes, str]:
        """The exposition text and its content type."""
        return generate_latest(self.registry), CONTENT_TYPE_LATEST
