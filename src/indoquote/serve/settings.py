"""What an operator sets for ``indoquote serve``: safe defaults (loopback, no CORS, bounded queue and bodies)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields

from ..text.articles import MAX_ARTICLE_CHARS

DEFAULT_MAX_BODY_BYTES = 8 * MAX_ARTICLE_CHARS
"""A request body limit that lets one article at the article limit through even with every character escaped."""

SETTINGS_ENV = "INDOQUOTE_SERVE_SETTINGS"
"""The settings as JSON, for the worker processes of ``--workers N`` (each builds its app from them)."""


@dataclass
class ServeSettings:
    """Everything ``create_app`` needs; the CLI flags map one to one."""

    model: str = ""
    host: str = "127.0.0.1"
    port: int = 8000
    kinds: tuple[str, ...] = ("direct",)  # the default when a request names none
    precision: str = "auto"  # chosen as `indoquote predict` chooses it
    device: str | None = None
    backend: str = "torch"
    batch_size: int = 16  # windows per forward pass (as `predict --batch-size`)
    threads: int | None = None  # torch intra-op threads (None: torch's default)
    max_batch: int = 16  # articles gathered into one forward pass
    max_wait_ms: float = 5.0  # how long the first article of a batch waits for company
    max_queue: int = 256  # articles waiting; more gives 503 with Retry-After
    timeout_s: float = 60.0  # per request: waiting longer gives 503 with Retry-After
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    max_articles: int = 64  # articles in one /v1/quotes:batch request
    max_article_chars: int = MAX_ARTICLE_CHARS
    api_key: str | None = None
    cors_origins: tuple[str, ...] = ()
    min_confidence: float | None = None  # the default when a request names none
    warmup: bool = True
    heap_trim_s: float = 30.0  # two malloc arenas, freed heap returned this often (serve/heap.py); 0: neither

    def check(self) -> ServeSettings:
        """Refuse settings that would make an unsafe or broken server, naming the flag."""
        from ..pipeline.tagger import check_kinds

        self.kinds = check_kinds(self.kinds)
        positive = {"port": self.port, "batch_size": self.batch_size, "max_batch": self.max_batch,
                    "max_queue": self.max_queue, "timeout_s": self.timeout_s, "max_body_bytes": self.max_body_bytes,
                    "max_articles": self.max_articles, "max_article_chars": self.max_article_chars}
        for name, value in positive.items():
            if value <= 0:
                raise ValueError(f"--{name.replace('_', '-')} must be positive, got {value}")
        if self.heap_trim_s < 0:
            raise ValueError(f"--heap-trim-s must be 0 (off) or more, got {self.heap_trim_s}")
        if self.max_wait_ms < 0:
            raise ValueError(f"--max-wait-ms must be 0 or more, got {self.max_wait_ms}")
        if self.min_confidence is not None and not 0 <= self.min_confidence <= 1:
            raise ValueError(f"--min-confidence must be between 0 and 1, got {self.min_confidence}")
        if self.api_key is not None and len(self.api_key) < 16:
            raise ValueError("--api-key must be at least 16 characters (use e.g. `openssl rand -hex 24`)")
        return self

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> ServeSettings:
        data = json.loads(text)
        known = {f.name for f in fields(cls)}
        data = {k: v for k, v in data.items() if k in known}
        for key in ("kinds", "cors_origins"):
            if key in data:
                data[key] = tuple(data[key])
        return cls(**data).check()
