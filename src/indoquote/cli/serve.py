"""``indoquote serve``: the service on uvicorn (one process or ``--workers N``) or on Ray Serve (``--engine ray``)."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Sequence

from ..serve.settings import SETTINGS_ENV, ServeSettings

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def serve_parser() -> argparse.ArgumentParser:
    d = ServeSettings()
    p = argparse.ArgumentParser(
        prog="indoquote serve",
        description="Serve quote records over HTTP (POST /v1/quotes) with a web page at /. Needs the serve extra.",
    )
    p.add_argument("--model", default=os.environ.get("INDOQUOTE_MODEL"),
                   help="checkpoint or published directory, or a hub id (default: $INDOQUOTE_MODEL)")
    p.add_argument("--host", default=d.host, help="address to bind (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=d.port)
    p.add_argument("--workers", type=int, default=1, help="uvicorn worker processes, each with its own model")
    p.add_argument("--engine", choices=("uvicorn", "ray"), default="uvicorn",
                   help="ray: the same app as a Ray Serve deployment (the ray extra), --replicas copies")
    p.add_argument("--replicas", type=int, default=1, help="Ray Serve replicas (--engine ray)")
    p.add_argument("--ray-address", default=None, help="a running Ray cluster (ray start --head); default: start one")
    p.add_argument("--kinds", default=",".join(d.kinds), help="default kinds: direct, indirect or direct,indirect")
    p.add_argument("--precision", choices=("auto", "fp32", "bf16", "int8"), default=d.precision,
                   help="torch numeric path, chosen as `indoquote predict` chooses it")
    p.add_argument("--device", default=None, help="cpu, cuda, cuda:1... (default: cuda when available)")
    p.add_argument("--backend", choices=("torch", "onnx", "onnx-int8"), default=d.backend)
    p.add_argument("--batch-size", type=int, default=d.batch_size, help="windows per forward pass")
    p.add_argument("--threads", type=int, default=None, help="torch threads per process")
    p.add_argument("--max-batch", type=int, default=d.max_batch, help="articles gathered into one forward pass")
    p.add_argument("--max-wait-ms", type=float, default=d.max_wait_ms,
                   help="how long the first article of a batch waits for others")
    p.add_argument("--max-queue", type=int, default=d.max_queue, help="articles waiting; beyond: 503 + Retry-After")
    p.add_argument("--timeout", type=float, default=d.timeout_s, dest="timeout_s",
                   help="seconds a request may wait for its records; beyond: 503 + Retry-After")
    p.add_argument("--max-body-bytes", type=int, default=d.max_body_bytes, help="larger request bodies get 413")
    p.add_argument("--max-articles", type=int, default=d.max_articles, help="articles per batch request")
    p.add_argument("--api-key", default=os.environ.get("INDOQUOTE_API_KEY"),
                   help="require Authorization: Bearer KEY on /v1 and /metrics (default: $INDOQUOTE_API_KEY; "
                        "prefer the variable: arguments show in `ps`)")
    p.add_argument("--cors-origin", action="append", default=[], dest="cors_origins", metavar="ORIGIN",
                   help="allow browser pages of this origin (repeat); CORS is off without it")
    p.add_argument("--min-confidence", type=float, default=None,
                   help="default floor: speakers the linker chose with a lower probability are withheld")
    p.add_argument("--heap-trim-s", type=float, default=d.heap_trim_s,
                   help="hand freed heap back to the system at most this often, with two malloc arenas, so RSS stays "
                        "flat under load; 0: glibc's defaults (RSS creeps up)")
    p.add_argument("--log-level", default="info", choices=("critical", "error", "warning", "info", "debug"))
    return p


def settings_from_args(args: argparse.Namespace) -> ServeSettings:
    return ServeSettings(
        model=args.model, host=args.host, port=args.port, kinds=tuple(args.kinds.split(",")),
        precision=args.precision, device=args.device, backend=args.backend, batch_size=args.batch_size,
        threads=args.threads, max_batch=args.max_batch, max_wait_ms=args.max_wait_ms, max_queue=args.max_queue,
        timeout_s=args.timeout_s, max_body_bytes=args.max_body_bytes, max_articles=args.max_articles,
        api_key=args.api_key or None, cors_origins=tuple(args.cors_origins), min_confidence=args.min_confidence,
        heap_trim_s=args.heap_trim_s,
    ).check()


def _error(message: str) -> int:
    print(f"indoquote serve: error: {message}", file=sys.stderr)
    return 2


def serve_cli(argv: Sequence[str]) -> int:
    """Run the service until SIGTERM/Ctrl-C (requests in flight are answered first); 2 on bad arguments or model."""
    try:
        args = serve_parser().parse_args(list(argv))
    except SystemExit as e:
        return int(e.code or 0)
    if not args.model:
        return _error("no model; pass --model DIR or set INDOQUOTE_MODEL")
    try:
        settings = settings_from_args(args)
    except ValueError as e:
        return _error(str(e))
    if args.workers < 1 or args.replicas < 1:
        return _error("--workers and --replicas must be at least 1")
    try:
        import fastapi  # noqa: F401
        import uvicorn
    except ImportError as e:
        return _error(f"{e.name} is not installed; pip install 'indoquote[serve]'")
    if settings.host not in LOOPBACK and settings.api_key is None:
        print(f"indoquote serve: warning: listening on {settings.host} without an API key; anyone who can reach "
              "it can use it (set INDOQUOTE_API_KEY)", file=sys.stderr)
    if args.engine == "ray":
        from ..serve.ray_serve import run_ray

        return run_ray(settings, args.replicas, args.ray_address)
    if args.workers > 1:  # each worker builds the app (and loads the model) from the settings in its environment
        from ..errors import ModelLoadError
        from ..model.checkpoint import checkpoint_tags, looks_like_path

        if settings.backend == "torch" and looks_like_path(settings.model):
            try:
                checkpoint_tags(settings.model)
            except ModelLoadError as e:
                return _error(str(e))
        os.environ[SETTINGS_ENV] = settings.to_json()
        uvicorn.run("indoquote.serve.app:app_from_env", factory=True, host=settings.host, port=settings.port,
                    workers=args.workers, log_level=args.log_level)
        return 0
    from transformers.utils import logging as hf_logging

    from ..errors import ModelLoadError
    from ..serve.app import create_app, load_tagger

    hf_logging.disable_progress_bar()
    if settings.heap_trim_s:
        from ..serve.heap import limit_arenas

        limit_arenas()  # before the model's threads start
    try:
        tagger = load_tagger(settings)  # a bad model is an error now, not a server answering 503 forever
    except (ModelLoadError, ValueError, OSError) as e:
        return _error(str(e))
    uvicorn.run(create_app(settings, tagger), host=settings.host, port=settings.port, log_level=args.log_level)
    return 0
