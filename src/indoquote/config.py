"""The configs every Hydra command composes: the train config's schema and the resolvers of ``configs/``.

:func:`validate_train_config` checks a composed ``indoquote train`` config against
one dataclass schema per group (mirroring ``configs/``) before anything runs; a setting
that cannot run is a :class:`~indoquote.errors.ConfigError` naming its key.
:func:`register_resolvers` defines ``${data_root:}`` and ``${run_stamp:}`` (run directory names).
"""

from __future__ import annotations

import difflib
import math
import os
import time
import uuid
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Dict, List, Literal, Mapping, Optional, Union, get_args, get_origin, get_type_hints

from .errors import ConfigError
from .paths import DATA_DIR

try:  # ``int | None`` annotations
    from types import UnionType
except ImportError:  # pragma: no cover - Python < 3.10
    UnionType = None  # type: ignore[assignment,misc]


# ------------------------------------------------------------------ the train config's schema
#
# One dataclass per config group, names and types only (the values live in one place, the YAML),
# mirroring the shipped YAML (``configs/trainer/default.yaml``,
# ``configs/model/base.yaml`` + ``tiny.yaml``, ``configs/train.yaml``, ``configs/data/*.yaml``).
# :func:`validate_train_config` checks a composed config against them before anything runs:
# an unknown key (``+trainer.lrr=1``, which Hydra's struct mode lets through), a value of the
# wrong type (``trainer.epochs=abc``) or out of range (``trainer.epochs=-1``) is a
# :class:`ConfigError` that names the key and the value.


@dataclass
class TrainerConfig:
    """``configs/trainer/default.yaml``: every key a trainer config has."""

    epochs: float
    max_steps: Optional[int]
    batch_size: int
    eval_batch_size: Optional[int]
    grad_accum: int
    lr: float
    head_lr: Optional[float]
    layer_decay: Optional[float]
    warmup_ratio: float
    weight_decay: float
    max_grad_norm: float
    eval_strategy: Literal["epoch", "steps", "no"]
    eval_steps: Optional[int]
    early_stopping_patience: Optional[int]
    save_total_limit: Optional[int]
    logging_steps: int
    group_by_length: bool
    precision: Literal["auto", "bf16", "fp16", "fp32"]
    attention: Literal["auto", "sdpa", "eager"]  # the attention kernel while training (checkpoints keep sdpa)
    num_workers: int
    progress: bool
    report_to: Optional[List[str]]


@dataclass
class ModelConfig:
    """``configs/model/base.yaml``: the keys every model config has."""

    kind: Literal["hub", "local", "tiny"]
    name_or_path: Optional[str]
    path: Optional[str]
    revision: Optional[str]
    freeze_embeddings: bool
    freeze_layers: int
    keep_layers: Union[int, List[int], None]  # the n lowest layers, or these layers (a distilled student's start)
    attention_dropout: Optional[float]


@dataclass
class TinyModelConfig(ModelConfig):
    """``configs/model/tiny.yaml``: the random BERT's size (only ``model.kind=tiny`` takes these keys)."""

    vocab_size: int
    hidden_size: int
    num_layers: int
    num_heads: int
    intermediate_size: int


@dataclass
class WindowsConfig:
    """``windows:`` of ``configs/train.yaml``."""

    max_length: int
    stride: int
    train_stride: Optional[int]


@dataclass
class ResumeConfig:
    """``train:`` of ``configs/train.yaml`` (Hydra reads ``train.resume=true`` as a boolean)."""

    resume: Union[bool, Literal["auto", "true", "false"]]


@dataclass
class LabelsConfig:
    schema: str


@dataclass
class DataConfig:
    """The keys of ``configs/data/*.yaml`` (a source uses some of them)."""

    name: str
    source: Literal["pfsa_id", "conll", "articles", "quotes"]
    dir: Optional[str]
    files: Optional[List[str]]
    download: bool
    upstream_files: Optional[List[str]]
    cache_dir: Optional[str]
    split: Optional[Dict[str, float]]
    kinds: Optional[List[str]]
    part: Optional[str]
    folds: Optional[int]
    fold: Optional[int]
    mask_untagged: Optional[bool]


@dataclass
class LinkerConfig:
    """``linker:`` of ``configs/train.yaml``."""

    enabled: bool
    documents: Optional[int]
    articles: Any  # a directory or a list of them (quote-level gold), or None
    encoder: bool = True
    rewrite: float = 0.5
    silver: Optional[str] = None  # unlabelled articles whose explicit attributions are rewritten (JSONL)
    silver_max: Optional[int] = 2000
    members: int = 1  # > 1: an ensemble of that many scorers, averaged (indoquote.quotes.linker.Linker)


@dataclass
class DistilConfig:
    """``distil:`` of ``configs/train.yaml``: learn from a trained teacher's tags as well as the gold."""

    teacher: Optional[str]  # the teacher's checkpoint directory (null: no distillation)
    temperature: float
    alpha: float  # weight of the teacher's soft tags; 1 - alpha on the gold
    batch_size: int  # windows per teacher forward when its logits are computed
    articles: Optional[str] = None  # unlabelled real articles the student also learns the teacher's tags on
    articles_max: Optional[int] = 500
    hidden: float = 0.0  # weight of the distance between each student layer's states and its teacher layer's


@dataclass
class TrainConfig:
    """``configs/train.yaml``'s own keys; the groups have their own schemas."""

    name: str
    seed: int
    output_root: str
    attached_only: bool


GROUPS: dict[str, type] = {
    "trainer": TrainerConfig,
    "model": ModelConfig,
    "windows": WindowsConfig,
    "train": ResumeConfig,
    "labels": LabelsConfig,
    "data": DataConfig,
    "linker": LinkerConfig,
    "distil": DistilConfig,
}
OPTIONAL_KEYS = {"data": {f.name for f in fields(DataConfig)} - {"name", "source"}}
"""Keys a group may leave out (data configs differ by source); every other key is required."""


def validate_train_config(cfg: Mapping[str, Any]) -> None:
    """Check a composed ``indoquote train`` config; the first problems found raise one :class:`ConfigError`."""
    problems: list[str] = []
    _check_fields("", cfg, TrainConfig, problems, extra=set(GROUPS) | {"hydra"} | _shipped_top_level_keys())
    for group, schema in GROUPS.items():
        node = cfg.get(group)
        if not isinstance(node, Mapping):
            problems.append(f"{group}: missing or not a mapping (got {node!r})")
            continue
        if group == "model" and node.get("kind") == "tiny":
            schema = TinyModelConfig
        _check_fields(group + ".", node, schema, problems, optional=OPTIONAL_KEYS.get(group, set()))
    if not problems:  # ranges only once every value has its type
        _check_ranges(cfg, problems)
    if problems:
        raise ConfigError("; ".join(problems))


def _shipped_top_level_keys() -> set[str]:
    """The keys ``configs/train.yaml`` itself declares (a group without a schema here is checked by its module)."""
    from omegaconf import OmegaConf

    from .paths import CONFIG_DIR

    path = CONFIG_DIR / "train.yaml"
    if not path.is_file():  # pragma: no cover - an installed package always ships it
        return set()
    return {str(k) for k in OmegaConf.load(path)} - {"defaults"}


def _check_fields(
    prefix: str, node: Mapping[str, Any], schema: type, problems: list[str], extra: set[str] = frozenset(),
    optional: set[str] = frozenset(),
) -> None:
    hints = get_type_hints(schema)
    known = list(hints)
    for key in node:
        if key in hints or key in extra:
            continue
        tiny_only = set(get_type_hints(TinyModelConfig)) - set(get_type_hints(ModelConfig))
        if schema is ModelConfig and key in tiny_only:
            problems.append(f"{prefix}{key}: only model.kind=tiny takes it (model.kind={node.get('kind')!r})")
            continue
        close = difflib.get_close_matches(str(key), known + sorted(extra), n=1)
        hint = f"; did you mean {prefix}{close[0]}?" if close else f" (known: {', '.join(known)})"
        problems.append(f"{prefix}{key}: unknown key{hint}")
    for key, tp in hints.items():
        if key not in node:
            if key not in optional:
                problems.append(f"{prefix}{key}: missing")
            continue
        expected = _type_problem(node[key], tp)
        if expected:
            problems.append(f"{prefix}{key}={node[key]!r}: expected {expected}")


def _type_problem(value: Any, tp: Any) -> str | None:
    """``None`` when ``value`` fits the annotation ``tp``, else what was expected, in words."""
    origin, args = get_origin(tp), get_args(tp)
    if origin is Union or (UnionType is not None and origin is UnionType):
        if value is None and type(None) in args:
            return None
        arms = [a for a in args if a is not type(None)]
        wants = []
        for arm in arms:
            want = _type_problem(value, arm)
            if want is None:
                return None
            wants.append(want)
        return " or ".join(wants) + (" or null" if type(None) in args else "")
    if origin is Literal:
        return None if value in args and type(value) is type(args[0]) else "one of " + ", ".join(map(str, args))
    if origin in (list, List):
        if not isinstance(value, (list, tuple)):
            return "a list"
        bad = [_type_problem(v, args[0]) for v in value] if args else []
        return next((f"a list of {b}" for b in bad if b), None)
    if origin in (dict, Dict):
        if not isinstance(value, Mapping):
            return "a mapping"
        bad = [_type_problem(v, args[1]) for v in value.values()] if args else []
        return next((f"a mapping to {b}" for b in bad if b), None)
    if tp is bool:
        return None if isinstance(value, bool) else "true or false"
    if tp is int:
        return None if isinstance(value, int) and not isinstance(value, bool) else "an integer"
    if tp is float:
        ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
        return None if ok else "a number"
    if tp is str:
        return None if isinstance(value, str) else "a string"
    return None


def _check_ranges(cfg: Mapping[str, Any], problems: list[str]) -> None:
    t, w, m = cfg["trainer"], cfg["windows"], cfg["model"]

    def need(ok: bool, key: str, value: Any, rule: str) -> None:
        if not ok:
            problems.append(f"{key}={value!r}: {rule}")

    max_steps = t["max_steps"]
    need(max_steps is None or max_steps > 0, "trainer.max_steps", max_steps,
         "must be > 0, or null to train for trainer.epochs")
    need(t["epochs"] > 0 or bool(max_steps), "trainer.epochs", t["epochs"], "must be > 0 (or set trainer.max_steps)")
    need(t["lr"] > 0, "trainer.lr", t["lr"], "must be > 0")
    need(t["head_lr"] is None or t["head_lr"] > 0, "trainer.head_lr", t["head_lr"], "must be > 0, or null")
    need(t["layer_decay"] is None or 0 < t["layer_decay"] <= 1, "trainer.layer_decay", t["layer_decay"],
         "must be in (0, 1], or null")
    need(t["batch_size"] >= 1, "trainer.batch_size", t["batch_size"], "must be >= 1")
    need(t["eval_batch_size"] is None or t["eval_batch_size"] >= 1, "trainer.eval_batch_size", t["eval_batch_size"],
         "must be >= 1, or null")
    need(t["grad_accum"] >= 1, "trainer.grad_accum", t["grad_accum"], "must be >= 1")
    # transformers 5 reads a warm-up below 1 as a ratio and from 1 on as a number of steps
    need(0 <= t["warmup_ratio"] < 1, "trainer.warmup_ratio", t["warmup_ratio"], "must be in [0, 1)")
    need(t["weight_decay"] >= 0, "trainer.weight_decay", t["weight_decay"], "must be >= 0")
    need(t["max_grad_norm"] >= 0, "trainer.max_grad_norm", t["max_grad_norm"], "must be >= 0 (0: no clipping)")
    need(t["eval_steps"] is None or t["eval_steps"] >= 1, "trainer.eval_steps", t["eval_steps"],
         "must be >= 1, or null")
    need(t["eval_strategy"] != "steps" or t["eval_steps"] is not None, "trainer.eval_steps", t["eval_steps"],
         "trainer.eval_strategy=steps needs trainer.eval_steps=N")
    patience = t["early_stopping_patience"]
    need(patience is None or patience >= 0, "trainer.early_stopping_patience", patience,
         "must be >= 0 (0: off), or null")
    need(t["save_total_limit"] is None or t["save_total_limit"] >= 1, "trainer.save_total_limit", t["save_total_limit"],
         "must be >= 1, or null to keep every checkpoint")
    need(t["logging_steps"] >= 1, "trainer.logging_steps", t["logging_steps"], "must be >= 1")
    need(t["num_workers"] >= 0, "trainer.num_workers", t["num_workers"], "must be >= 0")

    need(w["max_length"] >= 8, "windows.max_length", w["max_length"], "must be >= 8")
    for key in ("stride", "train_stride"):
        value = w[key]
        need(value is None and key == "train_stride" or value is not None and 0 <= value < w["max_length"] // 2,
             f"windows.{key}", value, f"must be in [0, windows.max_length/2) = [0, {w['max_length'] // 2})")

    d = cfg["data"]
    if d.get("fold") is not None:
        folds = d.get("folds")
        need(isinstance(folds, int) and folds >= 2, "data.folds", folds, "must be >= 2 when data.fold is set")
        need(not isinstance(folds, int) or 0 <= d["fold"] < folds, "data.fold", d["fold"],
             f"must be in [0, data.folds={folds})")
    need(m["freeze_layers"] >= 0, "model.freeze_layers", m["freeze_layers"], "must be >= 0")
    keep = m["keep_layers"]
    if isinstance(keep, int) or keep is None:
        need(keep is None or keep >= 1, "model.keep_layers", keep, "must be >= 1, or null to keep every layer")
    else:
        keep = list(keep)
        need(bool(keep) and keep == sorted(set(keep)) and keep[0] >= 0, "model.keep_layers", keep,
             "a list must name distinct layer indices (from 0) in increasing order")
    kept = keep if keep is None or isinstance(keep, int) else len(keep)
    need(kept is None or m["freeze_layers"] <= kept, "model.freeze_layers", m["freeze_layers"],
         f"must be at most the number of kept layers ({kept})")
    dist = cfg["distil"]
    need(dist["temperature"] > 0, "distil.temperature", dist["temperature"], "must be > 0")
    need(0 <= dist["alpha"] <= 1, "distil.alpha", dist["alpha"], "must be in [0, 1]")
    need(dist["batch_size"] >= 1, "distil.batch_size", dist["batch_size"], "must be >= 1")
    need(dist.get("hidden", 0.0) >= 0, "distil.hidden", dist.get("hidden"), "must be >= 0")
    if dist["teacher"]:
        teacher = Path(str(dist["teacher"])).expanduser()
        need((teacher / "config.json").is_file(), "distil.teacher", dist["teacher"],
             "must be a checkpoint directory (no config.json there)")
    dropout = m["attention_dropout"]
    need(dropout is None or 0 <= dropout < 1, "model.attention_dropout", dropout, "must be in [0, 1), or null")
    if m["kind"] == "local":
        need(bool(m["path"]), "model.path", m["path"],
             "model.kind=local needs a model directory (experiment=student takes it from distil.teacher=RUN/best)")
    if m["kind"] == "hub":
        need(bool(m["name_or_path"]), "model.name_or_path", m["name_or_path"], "model.kind=hub needs a hub id")
    if m["kind"] == "tiny":
        for key in ("vocab_size", "hidden_size", "num_layers", "num_heads", "intermediate_size"):
            need(m[key] >= 1, f"model.{key}", m[key], "must be >= 1")
        need(m["num_heads"] < 1 or m["hidden_size"] % m["num_heads"] == 0, "model.hidden_size", m["hidden_size"],
             f"must be a multiple of model.num_heads={m['num_heads']}")

    need(cfg["seed"] >= 0, "seed", cfg["seed"], "must be >= 0")
    from .text.labels import SCHEMAS

    schema = cfg["labels"]["schema"]
    need(schema in SCHEMAS, "labels.schema", schema, f"must be one of {', '.join(sorted(SCHEMAS))}")
    check_split_ratios(cfg["data"].get("split"), problems)


def check_split_ratios(split: Mapping[str, Any] | None, problems: list[str] | None = None) -> None:
    """``data.split`` ratios are non-negative and sum to 1 (else ConfigError, or appended to ``problems``).

    Hydra merges ``'data.split={test: 1.0}'`` into the data config's own ratios (``{train: 0.8,
    validation: 0.1, test: 1.0}``): the sum catches that half-applied override.
    """
    if split is None:
        return
    found: list[str] = []
    ratios = dict(split)
    if any(not isinstance(r, (int, float)) or isinstance(r, bool) or r < 0 for r in ratios.values()):
        found.append(f"data.split={ratios}: ratios must be numbers >= 0")
    elif abs(sum(ratios.values()) - 1.0) > 1e-6:
        found.append(
            f"data.split={ratios}: the ratios sum to {sum(ratios.values()):g}, not 1 (a data.split override is merged "
            "into the data config's ratios: give every split its ratio, 0 for none)"
        )
    if problems is not None:
        problems.extend(found)
    elif found:
        raise ConfigError(found[0])


_STAMP = f"{time.strftime('%Y-%m-%d_%H-%M-%S')}_{os.getpid():x}{uuid.uuid4().hex[:4]}"


def run_stamp() -> str:
    """A run directory name unique per launch and shared by the processes of one launch.

    Two runs started in the same second differ by process id and a random suffix;
    the processes that torchrun / accelerate start for one data-parallel run share
    TORCHELASTIC_RUN_ID; INDOQUOTE_RUN_ID names a run by hand.
    """
    if os.environ.get("INDOQUOTE_RUN_ID"):
        return os.environ["INDOQUOTE_RUN_ID"]
    if int(os.environ.get("WORLD_SIZE", "1")) > 1 and os.environ.get("TORCHELASTIC_RUN_ID"):
        return f"ddp-{os.environ['TORCHELASTIC_RUN_ID']}"
    return _STAMP


def register_resolvers() -> None:
    from omegaconf import OmegaConf

    if not OmegaConf.has_resolver("data_root"):
        OmegaConf.register_new_resolver("data_root", lambda: str(DATA_DIR))
    if not OmegaConf.has_resolver("run_stamp"):
        OmegaConf.register_new_resolver("run_stamp", run_stamp)
