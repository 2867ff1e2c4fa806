"""The FastAPI app: ``POST /v1/quotes`` and ``/v1/quotes:batch``, health, readiness, metrics, model card, web page.

Records are exactly those of ``indoquote predict`` (the same ``QuoteTagger``
path, ``TaggedArticle.to_dict``). The model runs in one worker thread, fed by
the dynamic batcher (:mod:`.batching`); the event loop only parses, checks and
answers. Safe by default: errors name the field or the limit, a body over the
limit is refused before it is held, a bearer token guards ``/v1`` and
``/metrics`` when set, CORS is off unless origins are given, every response
carries a strict Content-Security-Policy.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from pathlib import Path
from importlib.metadata import PackageNotFoundError, version
from typing import Any, Optional, Sequence

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.staticfiles import StaticFiles

from ..quotes.records import apply_min_confidence
from .batching import Batcher, Job, QueueFull
from .heap import HeapTrimmer, limit_arenas
from .metrics import ServeMetrics
from .schemas import ArticleRequest, ArticleResult, BatchRequest, BatchResult
from .settings import ServeSettings

STATIC = Path(__file__).parent / "static"
try:  # the installed distribution's version (``indoquote.__version__`` lives a floor above this package)
    VERSION = version("indoquote")
except PackageNotFoundError:
    VERSION = "unknown"
WARMUP_TEXT = ('"Kami siap bekerja keras," kata Menteri Budi Santoso di Jakarta, Senin. '
               "Ia mengatakan rakyat harus waspada.")
"""Tagged once with every kind before ``/readyz`` says ready, so the first request pays no first-call costs."""

PATHS = ("/v1/quotes", "/v1/quotes:batch", "/v1/model", "/healthz", "/readyz", "/metrics", "/")
"""Request paths the metrics name; anything else counts as ``other`` (a scanner cannot grow the label set)."""

SECURITY_HEADERS = [
    (b"content-security-policy", b"default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
                                 b"frame-ancestors 'none'; form-action 'self'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]

log = logging.getLogger("indoquote.serve")


def load_tagger(settings: ServeSettings):
    """The tagger ``predict`` would build from these settings (same precision choice, same kinds logic)."""
    from ..pipeline.tagger import QuoteTagger

    if settings.threads:
        import torch

        torch.set_num_threads(settings.threads)
    return QuoteTagger.from_pretrained(
        settings.model, device=settings.device, batch_size=settings.batch_size, backend=settings.backend,
        precision=settings.precision, kinds=settings.kinds,
    )


class ServiceState:
    """The model, its batcher and readiness; one per app."""

    def __init__(self, settings: ServeSettings, tagger: Any = None):
        self.settings, self.tagger = settings, tagger
        self.ready, self.error = False, None
        self.executor: Optional[ThreadPoolExecutor] = None
        self.batcher: Optional[Batcher] = None
        self.metrics = ServeMetrics(lambda: self.batcher.depth if self.batcher else 0, lambda: float(self.ready))
        self.trim_heap = HeapTrimmer(settings.heap_trim_s)

    async def start(self) -> None:
        if self.settings.heap_trim_s:
            limit_arenas()  # before the worker thread exists, so it shares an arena
        self.executor = ThreadPoolExecutor(1, thread_name_prefix="indoquote-model")
        s = self.settings
        self.batcher = Batcher(self.run_batch, self.executor, s.max_batch, s.max_wait_ms, s.max_queue,
                               on_batch=self.metrics.observe_batch)
        self.batcher.start()
        self._loading = asyncio.get_running_loop().run_in_executor(self.executor, self._load)

    def _load(self) -> None:
        """Load (unless given) and warm up the tagger, in the worker thread; a failure is kept for /readyz."""
        try:
            if self.tagger is None:
                self.tagger = load_tagger(self.settings)
            if self.settings.warmup:
                default = self.tagger.kinds
                self.tagger.kinds = ("direct", "indirect")
                self.tagger.tag_batch([WARMUP_TEXT])
                self.tagger.kinds = default
            self.ready = True
        except Exception as e:  # reported by /readyz and every request; the process stays up for the operator
            self.error = f"{type(e).__name__}: {e}"
            log.error("indoquote serve: the model did not load: %s", self.error)

    async def stop(self) -> None:
        """Drain: every queued article is tagged and answered, then the worker thread ends."""
        if self.batcher is not None:
            await self.batcher.close()
        if self.executor is not None:
            self.executor.shutdown(wait=True)

    def run_batch(self, jobs: Sequence[Job]) -> list[Any]:
        """Tag a batch in the worker thread: one ``tag_batch`` per set of kinds; a failing article fails alone."""
        out: list[Any] = [None] * len(jobs)
        groups: dict[tuple[str, ...], list[int]] = {}
        for i, job in enumerate(jobs):
            groups.setdefault(job.kinds, []).append(i)
        for kinds, idx in groups.items():
            self.tagger.kinds = kinds
            try:
                arts = self.tagger.tag_batch([jobs[i].text for i in idx], [jobs[i].id for i in idx])
                for i, art in zip(idx, arts):
                    out[i] = art.records
            except Exception:
                for i in idx:  # find the article at fault; the others still get their records
                    try:
                        out[i] = self.tagger.tag_batch([jobs[i].text], [jobs[i].id])[0].records
                    except Exception as e:
                        out[i] = e
        self.trim_heap()  # now and then, freed tensors back to the system, so RSS stays flat
        return out

    def model_info(self) -> dict:
        """Labels, windows, numeric path and scores (the checkpoint's or its run's ``metrics.json``)."""
        t = self.tagger
        prec = getattr(t, "precision", None)
        return {
            "model": _model_name(self.settings.model),
            "version": VERSION,
            "labels": [t.model.config.id2label[i] for i in range(len(t.model.config.id2label))],
            "windows": {"max_length": t.window.max_length, "stride": t.window.stride},
            "backend": self.settings.backend,
            "device": t.device,
            "precision": None if prec is None else {"precision": prec.precision, "reason": prec.reason,
                                                    "speedup": prec.speedup, "agreement": prec.agreement},
            "kinds": list(self.settings.kinds),
            "speakers_by": "linker" if t.linker is not None else "rules",
            "indirect_head": t.indirect_head is not None,
            "scores": model_scores(self.settings.model),
            "batching": {"max_batch": self.settings.max_batch, "max_wait_ms": self.settings.max_wait_ms,
                         "max_queue": self.settings.max_queue},
            "limits": {"max_body_bytes": self.settings.max_body_bytes, "max_articles": self.settings.max_articles,
                       "max_article_chars": self.settings.max_article_chars, "timeout_s": self.settings.timeout_s},
        }

    def check_ready(self) -> None:
        if self.error is not None:
            raise HTTPException(503, f"the model did not load: {self.error}")
        if not self.ready:
            raise HTTPException(503, "the model is loading; retry shortly", headers={"Retry-After": "5"})

    async def tag(self, requests: Sequence[ArticleRequest], ids: Sequence[str], kinds: Optional[list[str]],
                  min_confidence: Optional[float], field: str) -> list[dict]:
        """``{"id", "quotes"}`` per article; 413 for an over-long one, 503 when the queue is full or time runs out."""
        self.check_ready()
        s = self.settings
        for i, r in enumerate(requests):
            if len(r.text) > s.max_article_chars:
                where = f"{field}[{i}].text" if field else "text"
                raise HTTPException(413, f"{where}: {len(r.text):,} characters, over the article limit of "
                                         f"{s.max_article_chars:,} (MAX_ARTICLE_CHARS); split it")
        items = [(id, r.text, tuple(r.kinds or kinds or s.kinds)) for id, r in zip(ids, requests)]
        assert self.batcher is not None
        try:
            futures = self.batcher.submit(items)
        except QueueFull as e:
            self.metrics.rejected.labels("queue_full").inc()
            raise HTTPException(503, str(e), headers={"Retry-After": str(e.retry_after)}) from None
        try:
            results = await asyncio.wait_for(asyncio.gather(*futures), s.timeout_s)
        except asyncio.TimeoutError:
            self.metrics.rejected.labels("timeout").inc()
            raise HTTPException(503, f"no answer within {s.timeout_s:g} s (--timeout); the server is busy, retry later",
                                headers={"Retry-After": str(self.batcher.retry_after())}) from None
        except Exception as e:  # the model failed on this article: a server error, said plainly
            log.exception("indoquote serve: tagging failed")
            raise HTTPException(500, f"tagging failed: {type(e).__name__}: {e}") from None
        out = []
        for id, r, records in zip(ids, requests, results):
            floor = r.min_confidence if r.min_confidence is not None else min_confidence
            records = apply_min_confidence(records, floor if floor is not None else s.min_confidence)
            self.metrics.quotes.inc(len(records))
            out.append({"id": id, "quotes": [rec.to_dict() for rec in records]})
        self.metrics.articles.inc(len(out))
        return out


def _model_name(model: str) -> Optional[str]:
    """A hub id as is; a local directory by its name only (clients need not learn the server's paths)."""
    from ..model.checkpoint import looks_like_path

    if not model:
        return None
    return Path(model).name if looks_like_path(model) else model


def model_scores(model: str) -> Optional[list[dict]]:
    """The model card's scores: ``metrics.json`` in the model directory or in its training run (``best/..``)."""
    from ..publish.card import index_metrics, load_metrics

    if not model:
        return None
    for place in (Path(model), Path(model).parent):
        if (place / "metrics.json").is_file():
            try:
                return index_metrics(load_metrics(place / "metrics.json"))
            except (ValueError, KeyError, TypeError):
                return None
    return None


# ------------------------------------------------------------ ASGI middleware


class BodyLimit:
    """Refuse a body over ``limit`` bytes with 413 naming the limit, before more than the limit is held."""

    def __init__(self, app, limit: int):
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and not length.isdigit():
            bad = JSONResponse({"detail": "bad Content-Length header"}, status_code=400, headers={"Connection": "close"})
            return await bad(scope, receive, send)
        if length is not None and int(length) > self.limit:
            return await self._refuse(scope, receive, send)
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None
            body = message.get("body", b"")
            size += len(body)
            if size > self.limit:
                return await self._refuse(scope, receive, send)
            chunks.append(body)
            more = message.get("more_body", False)
        body, replayed = b"".join(chunks), False

        async def replay():
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        return await self.app(scope, replay, send)

    async def _refuse(self, scope, receive, send):
        message = f"request body over the limit of {self.limit:,} bytes (--max-body-bytes)"
        await JSONResponse({"detail": message}, status_code=413, headers={"Connection": "close"})(scope, receive, send)


class Observe:
    """Count and time every request for ``/metrics`` and add the security headers to every response."""

    def __init__(self, app, metrics: ServeMetrics):
        self.app, self.metrics = app, metrics

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        start, status = time.perf_counter(), 500
        path = scope["path"]
        path = path if path in PATHS else "/static" if path.startswith("/static/") else "other"

        async def send_with_headers(message):
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message = {**message, "headers": [*message.get("headers", []), *SECURITY_HEADERS]}
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            self.metrics.observe_request(path, status, time.perf_counter() - start)


# ------------------------------------------------------------ the app


def _where(loc: Sequence[Any]) -> str:
    """``("body", "articles", 2, "text")`` -> ``articles[2].text``."""
    parts = list(loc[1:] if loc and loc[0] == "body" else loc)
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or "body"


def create_app(settings: ServeSettings, tagger: Any = None) -> FastAPI:
    """The service for ``settings``; with ``tagger`` (already loaded) it is only warmed up, else loaded at startup."""
    settings.check()
    state = ServiceState(settings, tagger)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        await state.start()
        try:
            yield
        finally:
            await state.stop()

    app = FastAPI(
        title="indoquote", version=VERSION, lifespan=lifespan, docs_url=None, redoc_url=None,
        description="Who said what in Indonesian news: quotations, speakers, roles and affiliations.",
    )
    app.state.service = state
    bearer = HTTPBearer(auto_error=False, description="the server's --api-key, when it has one")

    async def authorised(credentials: Optional[HTTPAuthorizationCredentials] = Depends(bearer)) -> None:
        if settings.api_key is None:
            return
        if credentials is None:
            raise HTTPException(401, "missing API key: send the header Authorization: Bearer <key>",
                                headers={"WWW-Authenticate": "Bearer"})
        if not hmac.compare_digest(credentials.credentials.encode(), settings.api_key.encode()):
            raise HTTPException(401, "wrong API key", headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})

    guarded = [Depends(authorised)]

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        errors = exc.errors()
        bad_json = next((e for e in errors if e.get("type") == "json_invalid"), None)
        if bad_json is not None:
            why = (bad_json.get("ctx") or {}).get("error", "")
            return JSONResponse({"detail": f"request body is not valid JSON: {why}".rstrip(": ")}, status_code=400)
        found = [{"field": _where(e["loc"]), "message": e["msg"], "type": e["type"]} for e in errors]
        detail = "; ".join(f"{f['field']}: {f['message']}" for f in found)
        return JSONResponse({"detail": detail, "errors": found}, status_code=422)

    @app.post("/v1/quotes", response_model=ArticleResult, dependencies=guarded, tags=["quotes"])
    async def quotes(body: ArticleRequest):
        """Quote records of one article: the ``indoquote predict`` line ``{"id", "quotes"}``."""
        (out,) = await state.tag([body], [body.id or "text"], None, None, "")
        return JSONResponse(out)

    @app.post("/v1/quotes:batch", response_model=BatchResult, dependencies=guarded, tags=["quotes"])
    async def quotes_batch(body: BatchRequest):
        """Quote records of many articles (ids default to their position: "0", "1", ...)."""
        if len(body.articles) > settings.max_articles:
            raise HTTPException(413, f"articles: {len(body.articles)} articles, over the limit of "
                                     f"{settings.max_articles} per request (--max-articles)")
        ids = [a.id or str(i) for i, a in enumerate(body.articles)]
        out = await state.tag(body.articles, ids, body.kinds, body.min_confidence, "articles")
        return JSONResponse({"articles": out})

    @app.get("/v1/model", dependencies=guarded, tags=["service"])
    async def model():
        """Labels, windows, numeric path, attribution and the model card's scores."""
        state.check_ready()
        return state.model_info()

    @app.get("/healthz", tags=["service"])
    async def healthz():
        """The process answers (liveness)."""
        return {"status": "ok"}

    @app.get("/readyz", tags=["service"])
    async def readyz():
        """200 once the model is loaded and warmed up; 503 before, or when loading failed."""
        if state.ready:
            return {"status": "ready"}
        status = "failed" if state.error else "loading"
        return JSONResponse({"status": status, "detail": state.error}, status_code=503)

    @app.get("/metrics", dependencies=guarded, tags=["service"])
    async def metrics():
        """Prometheus text: requests, latency, articles, quotations, queue depth, batch sizes."""
        body, kind = state.metrics.render()
        return Response(body, media_type=kind)

    @app.get("/", include_in_schema=False)
    async def page():
        return FileResponse(STATIC / "index.html")

    @app.get("/static/marks.css", include_in_schema=False)
    async def marks_css():
        from ..pipeline.html import CSS  # the HTML view's colours: the page draws spans as `predict --format html` does

        return Response(CSS, media_type="text/css")

    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    # outermost last: CORS (when asked) -> metrics and headers -> body limit -> routes
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    app.add_middleware(Observe, metrics=state.metrics)
    if settings.cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=list(settings.cors_origins), allow_methods=["GET", "POST"],
                           allow_headers=["Authorization", "Content-Type"])
    return app


def app_from_env() -> FastAPI:
    """The app of ``--workers N``: each uvicorn worker builds it from ``$INDOQUOTE_SERVE_SETTINGS``."""
    import os

    from .settings import SETTINGS_ENV

    return create_app(ServeSettings.from_json(os.environ[SETTINGS_ENV]))
