"""Where the shards of an archive are tagged: ``local`` (this process) or ``ray`` (a Ray Data actor pool).

Both engines run the same :func:`indoquote.archive.rows.tag_shard` on the same
shards, so they give identical rows, and a run started on one engine can be
resumed on the other. :func:`tag_archive` is the run: it opens the output
(:class:`~indoquote.archive.output.Output`: plan, manifest, resume), hands the pending
shards to an engine, writes each finished shard as it arrives and keeps the
accounting (:class:`RunSummary`) and a progress bar (articles/s, ETA).

``ray``: ``ray.data.from_items`` of the pending shard descriptors, then
``map_batches`` with one shard per call on a fixed pool of :class:`ShardWorker`
actors, each holding one :class:`~indoquote.pipeline.tagger.QuoteTagger` (loaded once)
and reading its own shard from the input (Parquet row groups, or a byte range
of a CSV/JSONL file): the input is never funnelled through the driver, and the
driver only writes the finished parts. With ``ray_address`` the run joins an
existing cluster (every node must see the input paths and have indoquote
installed); without it a local Ray starts on this machine's cores and stops at
the end. Ray is an optional extra (``pip install -e .[ray]``) imported only here,
only for ``engine="ray"``.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator, Sequence

from .output import Output, run_settings
from .plan import DEFAULT_SHARD_ROWS, BadRow, Columns, Shard, archive_files
from .rows import ShardResult, tag_shard

if TYPE_CHECKING:
    from ..pipeline.tagger import QuoteTagger

ENGINES = ("local", "ray")


@dataclass(frozen=True)
class TaggerSpec:
    """How each worker builds its :class:`~indoquote.pipeline.tagger.QuoteTagger`.

    A spec travels to Ray actors, a model does not.
    """

    model: str
    backend: str = "torch"
    device: str | None = None
    batch_size: int = 16
    threads: int | None = None  # torch intra-op threads; None leaves the process setting alone
    precision: str = "auto"  # torch numeric path (indoquote.model.precision); auto is measured once per machine
    kinds: str = "direct"  # direct, indirect or direct,indirect (QuoteTagger kinds)

    def load(self) -> QuoteTagger:
        from ..pipeline.tagger import QuoteTagger

        if self.threads and self.backend == "torch":
            import torch

            torch.set_num_threads(self.threads)
        return QuoteTagger.from_pretrained(
            self.model, device=self.device, batch_size=self.batch_size, backend=self.backend, threads=self.threads,
            precision=self.precision, kinds=self.kinds,
        )


@dataclass(frozen=True)
class EngineOptions:
    """``--engine`` and its Ray settings (ignored by ``local``)."""

    engine: str = "local"
    num_workers: int | None = None  # default: one per GPU when workers get GPUs, else one per CPU
    num_gpus_per_worker: float | None = None  # default: 1 when the cluster has GPUs, else 0
    ray_address: str | None = None  # join this cluster ("auto", "ray://head:10001"); default: start a local Ray
    num_cpus: int | None = None  # CPUs of the local Ray started here (default: all cores)


@dataclass
class RunSummary:
    """What a run did, for the closing lines on standard error."""

    output: Path
    format: str
    engine: str
    workers: int
    shards: int
    resumed: int  # shards complete from an earlier run, not tagged again
    rows: int = 0
    articles: int = 0
    tagged: int = 0
    quotations: int = 0
    no_quotation: int = 0
    bad: Counter = field(default_factory=Counter)  # kind -> rows
    seconds: float = 0.0
    finished: bool = False

    @property
    def skipped(self) -> int:
        return sum(self.bad.values())

    def add(self, result: ShardResult) -> None:
        self.rows += result.shard.rows
        self.articles += result.articles
        self.tagged += result.tagged
        self.quotations += result.quotations
        self.no_quotation += result.no_quotation
        self.bad.update(b.kind for b in result.bad)

    def text(self) -> str:
        """The closing summary: articles read, tagged, skipped with reasons, quotations written, time."""
        rate = f", {self.articles / self.seconds:.1f} articles/s" if self.seconds > 0 and self.articles else ""
        run = self.shards - self.resumed
        who = f"{self.engine}, {self.workers} worker{'s' if self.workers != 1 else ''}" if self.engine == "ray" else "local"
        skipped = f", {self.skipped:,} skipped" + (
            f" ({', '.join(f'{n:,} {k}' for k, n in self.bad.most_common())}; see {self.output / '_shards.jsonl'})"
            if self.skipped
            else ""
        )
        state = "done" if self.finished else "stopped"
        lines = [
            f"{state} in {self.seconds:.1f} s{rate} ({who})",
            f"  shards      {run:,} tagged now of {self.shards:,}"
            + (f"; {self.resumed:,} complete from an earlier run, skipped" if self.resumed else ""),
            f"  articles    {self.articles:,} read, {self.tagged:,} tagged{skipped}",
            f"  quotations  {self.quotations:,} rows, plus {self.no_quotation:,} rows of articles without one"
            f" -> {self.output}/ ({self.format})",
        ]
        return "\n".join(lines)


# ------------------------------------------------------------------ the run


def tag_archive(
    inputs: Sequence[str | os.PathLike],
    out: str | os.PathLike,
    spec: TaggerSpec,
    *,
    columns: Columns = Columns(),
    shard_rows: int = DEFAULT_SHARD_ROWS,
    output_format: str = "parquet",
    options: EngineOptions = EngineOptions(),
    progress: bool = False,
    on_bad: Callable[[BadRow, Shard], None] | None = None,
    on_start: Callable[[RunSummary], None] | None = None,
    on_warning: Callable[[str], None] | None = None,
) -> RunSummary:
    """Tag every pending shard of ``inputs`` into ``out`` and return the accounting.

    Shards complete from an earlier run into ``out`` are skipped. Bad rows go
    to ``on_bad`` as they are found (they are also kept in ``_shards.jsonl``).
    When interrupted (Ctrl-C, an error), the shards finished so far stay
    written; the same call finishes the rest.
    """
    if options.engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}, got {options.engine!r}")
    files = archive_files(inputs)
    settings = run_settings(files, columns, shard_rows, output_format, spec.model, spec.backend)
    warn = on_warning or logging.getLogger(__name__).warning
    output = Output.open(out, files, columns, settings, warn=warn)  # holds the folder's lock until closed
    try:
        return _run(output, out, spec, columns, output_format, options, progress, on_bad, on_start)
    finally:
        output.close()


def _run(output: Output, out, spec, columns, output_format, options, progress, on_bad, on_start) -> RunSummary:
    pending = output.pending()
    summary = RunSummary(
        Path(out), output_format, options.engine, 1, len(output.shards), len(output.shards) - len(pending)
    )
    t0 = time.perf_counter()
    bar = _bar(sum(s.rows for s in pending), progress)
    shown: dict[str, int] = {}  # articles counted on the bar per shard (local engine reports as it goes)
    finished = 0

    def on_article(shard: Shard) -> Callable[[int], None]:
        def tick(n: int) -> None:
            shown[shard.id] = shown.get(shard.id, 0) + n
            bar.update(n)

        return tick

    try:
        if pending:
            if options.engine == "local":
                results = iter_local(pending, spec, columns, on_article)
            else:
                results = iter_ray(pending, spec, columns, options, on_workers=lambda n: setattr(summary, "workers", n))
            if on_start:
                on_start(summary)
            for result in results:
                output.complete(result)
                summary.add(result)
                for b in result.bad:
                    if on_bad:
                        on_bad(b, result.shard)
                bar.update(max(0, result.shard.rows - shown.pop(result.shard.id, 0)))
                finished += 1
                bar.set_postfix_str(f"{finished}/{len(pending)} shards")
        summary.finished = True
    finally:
        bar.close()
        summary.seconds = time.perf_counter() - t0
    return summary


def _bar(total: int, enabled: bool):
    from tqdm.auto import tqdm

    return tqdm(
        total=total, unit="article", desc="tagging", file=sys.stderr, disable=not enabled, smoothing=0.1, dynamic_ncols=True
    )


# ------------------------------------------------------------------ local


def iter_local(
    shards: Sequence[Shard],
    spec: TaggerSpec,
    columns: Columns,
    on_article: Callable[[Shard], Callable[[int], None]] | None = None,
) -> Iterator[ShardResult]:
    """Tag ``shards`` one after another in this process with one tagger."""
    tagger = spec.load()
    for shard in shards:
        yield tag_shard(tagger, shard, columns, on_article(shard) if on_article else None)


# ------------------------------------------------------------------ ray


class ShardWorker:
    """A Ray Data ``map_batches`` actor: one tagger, loaded once; each call tags whole shards.

    Takes a batch with a ``shard`` column (JSON :class:`~indoquote.archive.Shard` s)
    and returns one row per shard: ``shard``, ``table`` (the Arrow IPC stream of
    its rows) and ``entry`` (its accounting as JSON).
    """

    def __init__(self, spec: TaggerSpec, columns: Columns):
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        hf_logging.set_verbosity_error()
        self.tagger = spec.load()
        self.columns = columns

    def __call__(self, batch):
        import pyarrow as pa

        ids, tables, entries = [], [], []
        for raw in batch.column("shard").to_pylist():
            result = tag_shard(self.tagger, Shard.from_dict(json.loads(raw)), self.columns)
            sink = pa.BufferOutputStream()
            with pa.ipc.new_stream(sink, result.table.schema) as writer:
                writer.write_table(result.table)
            ids.append(result.shard.id)
            tables.append(sink.getvalue().to_pybytes())
            entries.append(json.dumps(result.entry(), ensure_ascii=False))
        return pa.table({"shard": ids, "table": pa.array(tables, pa.large_binary()), "entry": entries})


def _result(row: dict, shards: dict[str, Shard]) -> ShardResult:
    """A :class:`ShardResult` back from a :class:`ShardWorker` row."""
    import pyarrow as pa

    shard = shards[row["shard"]]
    e = json.loads(row["entry"])
    table = pa.ipc.open_stream(pa.py_buffer(row["table"])).read_all()
    bad = [BadRow(shard.id, r, kind, reason) for r, kind, reason in e["bad"]]
    return ShardResult(shard, table, e["articles"], e["tagged"], e["quotations"], e["no_quotation"], bad, e["seconds"])


def start_ray(options: EngineOptions) -> bool:
    """Connect to ``options.ray_address`` or start a local Ray; False when Ray was already running here."""
    try:
        import ray
    except ImportError:
        raise RuntimeError('--engine ray needs Ray: pip install "indoquote[ray]" (or pip install "ray[data]")') from None
    if ray.is_initialized():
        return False
    if options.ray_address:
        ray.init(address=options.ray_address, logging_level="warning")
    else:
        ray.init(num_cpus=options.num_cpus or os.cpu_count() or 1, include_dashboard=False, logging_level="warning")
    return True


def ray_workers(options: EngineOptions, pending: int) -> tuple[int, float]:
    """``(workers, GPUs per worker)`` on the running Ray: one per GPU when there are GPUs, else one per CPU."""
    import ray

    resources = ray.cluster_resources()
    gpus = options.num_gpus_per_worker
    if gpus is None:
        gpus = 1.0 if resources.get("GPU", 0) >= 1 else 0.0
    if options.num_workers:
        workers = options.num_workers
    elif gpus > 0:
        workers = max(1, int(resources.get("GPU", 0) // gpus))
    else:
        workers = max(1, int(resources.get("CPU", 1)))
    workers = max(1, min(workers, pending))
    if not options.ray_address:  # a local Ray never grows: asking for more than it has would wait forever
        need = {"CPU": workers, "GPU": workers * gpus}
        short = [f"{need[k]:g} {k}s" for k in need if need[k] > resources.get(k, 0)]
        if short:
            have = ", ".join(f"{resources.get(k, 0):g} {k}s" for k in need)
            raise RuntimeError(
                f"{workers} Ray workers need {' and '.join(short)}, this machine's Ray has {have}; "
                "lower --num-workers or --num-gpus-per-worker"
            )
    return workers, gpus


def iter_ray(
    shards: Sequence[Shard],
    spec: TaggerSpec,
    columns: Columns,
    options: EngineOptions,
    on_workers: Callable[[int], None] | None = None,
) -> Iterator[ShardResult]:
    """Tag ``shards`` on a pool of :class:`ShardWorker` actors; results come in as shards finish."""
    started = start_ray(options)
    try:
        import ray

        _quiet_ray_data()
        workers, gpus = ray_workers(options, len(shards))
        if on_workers:
            on_workers(workers)
        model = str(Path(spec.model).resolve()) if Path(spec.model).exists() else spec.model  # actors start elsewhere
        worker_spec = TaggerSpec(model, spec.backend, spec.device or ("cuda" if gpus > 0 else "cpu"), spec.batch_size,
                                 threads=1, precision=spec.precision, kinds=spec.kinds)
        by_id = {s.id: s for s in shards}
        items = [{"shard": json.dumps(_shard_dict(s))} for s in shards]
        ds = ray.data.from_items(items, override_num_blocks=len(items)).map_batches(
            ShardWorker,
            fn_constructor_kwargs={"spec": worker_spec, "columns": columns},
            batch_size=1,
            batch_format="pyarrow",
            compute=ray.data.ActorPoolStrategy(size=workers, max_tasks_in_flight_per_actor=1),
            num_cpus=1,
            num_gpus=gpus,
        )
        for row in ds.iter_rows():
            yield _result(row, by_id)
    finally:
        if started:
            import ray

            ray.shutdown()


def _quiet_ray_data() -> None:
    """Our bar counts articles: no Ray Data bars, and no notes that they are off or that a dataset finished."""
    import logging

    import ray.data

    ray.data.DataContext.get_current().enable_progress_bars = False
    for name in ("ray.data._internal.progress", "ray.data._internal.execution.streaming_executor"):
        logging.getLogger(name).setLevel(logging.WARNING if name.endswith("executor") else logging.ERROR)


def _shard_dict(shard: Shard) -> dict:
    from dataclasses import asdict

    return asdict(shard)


__all__ = ["ENGINES", "EngineOptions", "RunSummary", "ShardWorker", "TaggerSpec", "iter_local", "iter_ray", "tag_archive"]
