"""``indoquote train``: fine-tune a token classifier from a Hydra config to its best checkpoint.

Built on the Hugging Face Trainer (dynamic padding, length grouping, warm-up and
linear decay, clipping, bf16 on GPU, TensorBoard, checkpoints in safetensors,
``accelerate launch``/``torchrun`` for data parallel). Validation is the same
document-level strict span F1 that ``indoquote evaluate`` reports (stitched,
constrained-decoded windows), early stopping watches it, and the best
checkpoint is kept. A killed run continues from its last checkpoint when the
same command is started again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from pathlib import Path
from typing import Any, Mapping, Sequence

from .corpus import Document
from .data import DataStats, build_datasets, load_splits, stats_table
from .labels import LabelSchema, get_schema
from .metrics import span_scores
from .modeling import load_model, load_tokenizer
from .predict import decode_documents
from .records import attached_tags
from .windows import WindowConfig

log = logging.getLogger(__name__)

MODEL_COLUMNS = ("input_ids", "attention_mask", "labels")
DONE = "DONE"
RUN_INFO = "indoquote.json"


class ConfigError(ValueError):
    """A config that cannot run, with the key at fault."""


def fingerprint(cfg: Mapping[str, Any]) -> str:
    """Identifies a run's settings (not its resume flag) to find it again after a crash."""
    clean = {k: v for k, v in cfg.items() if k not in {"hydra"}}
    clean["train"] = {k: v for k, v in dict(clean.get("train", {})).items() if k != "resume"}
    return hashlib.sha1(json.dumps(clean, sort_keys=True, default=str).encode()).hexdigest()[:12]


def find_unfinished(root: Path, fp: str, exclude: Path) -> Path | None:
    """The newest run under ``root`` with the same fingerprint, a checkpoint, and no DONE marker."""
    if not root.is_dir():
        return None
    cands = []
    for d in root.iterdir():
        if d.resolve() == exclude.resolve() or not (d / "fingerprint.txt").exists() or (d / DONE).exists():
            continue
        if (d / "fingerprint.txt").read_text().strip() == fp and any((d / "checkpoints").glob("checkpoint-*")):
            cands.append(d)
    return max(cands, key=lambda d: d.stat().st_mtime) if cands else None


def doc_metrics_fn(eval_ds, docs: Sequence[Document], schema: LabelSchema, attached_only: bool = False):
    """``compute_metrics`` for the Trainer: stitch windows per document, decode, score spans.

    ``attached_only`` scores as ``indoquote evaluate`` does by default (see
    :func:`indoquote.records.attached_tags`).
    """
    word_ids = eval_ds["word_ids"]
    doc_ids = eval_ds["doc_id"]
    gold = {d.doc_id: schema.convert(d.tags) for d in docs}
    lengths = {d.doc_id: len(d.tokens) for d in docs}
    words = {d.doc_id: d.tokens for d in docs}

    def compute(eval_pred) -> dict[str, float]:
        logits = eval_pred.predictions
        logits = logits[0] if isinstance(logits, tuple) else logits
        windows = (logits[i, : len(word_ids[i])] for i in range(len(word_ids)))
        pred = decode_documents(windows, word_ids, doc_ids, lengths, schema.tags)
        if attached_only:
            pred = {k: attached_tags(words[k], tags) for k, tags in pred.items()}
        scores = span_scores([gold[k] for k in lengths], [pred[k] for k in lengths])
        flat = {"micro_f1": scores["micro_f1"], "macro_f1": scores["macro_f1"]}
        flat.update({f"f1_{lab}": v["f1"] for lab, v in scores["per_label"].items()})
        return flat

    return compute


def _trainer_class():
    from transformers import Trainer

    class IQTrainer(Trainer):
        """Trainer with a separate (higher) learning rate for the freshly initialised classifier head."""

        head_lr: float | None = None

        def create_optimizer(self, model=None):
            if self.optimizer is not None or not self.head_lr:
                return super().create_optimizer(model)
            import torch

            model = model or self.model
            decay_names = set(self.get_decay_parameter_names(model))
            groups: dict[tuple[bool, bool], list] = {}
            for name, p in model.named_parameters():
                if not p.requires_grad:
                    continue
                head = name.startswith("classifier")
                groups.setdefault((head, name in decay_names), []).append(p)
            self.optimizer = torch.optim.AdamW(
                [
                    {
                        "params": ps,
                        "lr": self.head_lr if head else self.args.learning_rate,
                        "weight_decay": self.args.weight_decay if decay else 0.0,
                    }
                    for (head, decay), ps in groups.items()
                ],
                lr=self.args.learning_rate,
                betas=(self.args.adam_beta1, self.args.adam_beta2),
                eps=self.args.adam_epsilon,
            )
            return self.optimizer

    return IQTrainer


def training_arguments(cfg: Mapping[str, Any], out_dir: Path, has_validation: bool):
    import torch
    from transformers import TrainingArguments

    t = cfg["trainer"]
    on_gpu = torch.cuda.is_available()
    precision = str(t.get("precision", "auto"))
    if precision not in {"auto", "bf16", "fp16", "fp32"}:
        raise ConfigError(f"trainer.precision must be auto, bf16, fp16 or fp32, got {precision!r}")
    # bf16 autocast also pays on CPUs with avx512_bf16/AMX (about 1.5x on the 2-core EPYC here)
    bf16 = precision == "bf16" or (on_gpu and precision == "auto" and torch.cuda.is_bf16_supported())
    fp16 = on_gpu and (precision == "fp16" or (precision == "auto" and not bf16))
    strategy = str(t.get("eval_strategy", "epoch")) if has_validation else "no"
    return _args(TrainingArguments, t, out_dir, cfg, strategy, has_validation, bf16, fp16, on_gpu)


def _args(cls, t, out_dir, cfg, strategy, has_validation, bf16, fp16, on_gpu):
    """Build TrainingArguments, dropping keywords this transformers version does not know."""
    import inspect

    kwargs = dict(
        output_dir=str(out_dir / "checkpoints"),
        per_device_train_batch_size=int(t["batch_size"]),
        per_device_eval_batch_size=int(t.get("eval_batch_size") or t["batch_size"]),
        gradient_accumulation_steps=int(t.get("grad_accum", 1)),
        learning_rate=float(t["lr"]),
        num_train_epochs=float(t["epochs"]),
        max_steps=int(t.get("max_steps") or -1),
        warmup_steps=float(t.get("warmup_ratio", 0.1)),
        lr_scheduler_type="linear",
        weight_decay=float(t.get("weight_decay", 0.01)),
        max_grad_norm=float(t.get("max_grad_norm", 1.0)),
        eval_strategy=strategy,
        save_strategy=strategy if has_validation else "epoch",
        eval_steps=t.get("eval_steps"),
        save_steps=t.get("eval_steps") or 500,
        save_total_limit=int(t.get("save_total_limit", 2)),
        load_best_model_at_end=has_validation,
        metric_for_best_model="micro_f1" if has_validation else None,
        greater_is_better=True,
        logging_steps=int(t.get("logging_steps", 10)),
        logging_dir=str(out_dir / "tensorboard"),
        report_to=list(t.get("report_to") or []),
        seed=int(cfg["seed"]),
        data_seed=int(cfg["seed"]),
        group_by_length=bool(t.get("group_by_length", True)),
        bf16=bf16,
        fp16=fp16,
        dataloader_num_workers=int(t.get("num_workers", 0)),
        disable_tqdm=not bool(t.get("progress", True)),
        use_cpu=not on_gpu,
        save_safetensors=True,
    )
    known = set(inspect.signature(cls.__init__).parameters)
    dropped = sorted(k for k in kwargs if k not in known)
    if dropped:
        log.debug("TrainingArguments does not take %s", dropped)
    return cls(**{k: v for k, v in kwargs.items() if k in known})


def run(cfg: Mapping[str, Any], run_dir: str | Path, callbacks: Sequence[Any] = ()) -> dict[str, Any]:
    """Train per ``cfg`` into ``run_dir``; returns the metrics also written to ``metrics.json``."""
    import torch
    from transformers import DataCollatorForTokenClassification, EarlyStoppingCallback, set_seed
    from transformers.trainer_utils import get_last_checkpoint

    run_dir = Path(run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    seed = int(cfg["seed"])
    set_seed(seed)
    schema = get_schema(str(cfg["labels"]["schema"]))
    window = WindowConfig(int(cfg["windows"]["max_length"]), int(cfg["windows"]["stride"]))
    train_stride = cfg["windows"].get("train_stride")
    train_window = window if train_stride is None else WindowConfig(window.max_length, int(train_stride))
    t = cfg["trainer"]

    fp = fingerprint(cfg)
    resume = str(cfg["train"].get("resume", "auto")).lower()
    if resume not in {"auto", "true", "false"}:
        raise ConfigError(f"train.resume must be auto, true or false, got {resume!r}")
    if resume != "false" and not any((run_dir / "checkpoints").glob("checkpoint-*")):
        previous = find_unfinished(run_dir.parent, fp, run_dir)
        if previous is not None:
            log.warning("continuing the interrupted run in %s", previous)
            (run_dir / "CONTINUED_IN").write_text(str(previous) + "\n")
            run_dir = previous
        elif resume == "true":
            raise ConfigError(f"train.resume=true but no interrupted run of this config under {run_dir.parent}")
    (run_dir / "fingerprint.txt").write_text(fp + "\n")
    label_map = run_dir / "label_map.json"
    if label_map.exists() and json.loads(label_map.read_text()) != schema.tags:
        raise ConfigError(
            f"{label_map}: the run was started with labels {json.loads(label_map.read_text())}, "
            f"this config has {schema.tags} (labels={schema.name}); start a new run instead"
        )
    label_map.write_text(json.dumps(schema.tags, indent=1))

    model_cfg = cfg["model"]
    texts = None
    if model_cfg.get("kind") == "tiny":
        texts = [" ".join(d.tokens) for d in load_splits(cfg["data"], seed)["train"]]
    tokenizer = load_tokenizer(model_cfg, texts)
    dsd, splits, stats = build_datasets(cfg["data"], tokenizer, schema, window, seed, cfg["data"].get("cache_dir"), train_window)
    print(stats_table(stats), flush=True)
    if "train" not in dsd or len(dsd["train"]) == 0:
        raise ConfigError(f"data {cfg['data'].get('name')!r} has no train split (data.split={dict(cfg['data'].get('split') or {})})")
    model = load_model(model_cfg, schema, tokenizer, seed)
    n_train = sum(p.numel() for p in model.parameters() if p.requires_grad)
    log.info("model: %s parameters trained of %s", f"{n_train:,}", f"{sum(p.numel() for p in model.parameters()):,}")

    has_val = "validation" in dsd and len(dsd["validation"]) > 0
    attached = bool(cfg.get("attached_only", False))
    validating = has_val and str(t.get("eval_strategy", "epoch")) != "no"  # during training
    args = training_arguments(cfg, run_dir, validating)
    train_ds = dsd["train"].remove_columns([c for c in dsd["train"].column_names if c not in MODEL_COLUMNS])
    eval_ds = dsd["validation"] if has_val else None
    callbacks = list(callbacks)
    if validating and int(t.get("early_stopping_patience") or 0) > 0:
        callbacks.append(EarlyStoppingCallback(int(t["early_stopping_patience"])))
    trainer = _trainer_class()(
        model=model,
        args=args,
        train_dataset=train_ds,
        eval_dataset=eval_ds.remove_columns([c for c in eval_ds.column_names if c not in MODEL_COLUMNS]) if validating else None,
        data_collator=DataCollatorForTokenClassification(tokenizer, pad_to_multiple_of=8 if torch.cuda.is_available() else None),
        processing_class=tokenizer,
        compute_metrics=doc_metrics_fn(eval_ds, splits["validation"], schema, attached) if validating else None,
        callbacks=callbacks,
    )
    trainer.head_lr = float(t["head_lr"]) if t.get("head_lr") else None
    last = get_last_checkpoint(args.output_dir) if resume != "false" and Path(args.output_dir).is_dir() else None
    if last:
        log.warning("resuming from %s", last)
    start = time.time()
    result = trainer.train(resume_from_checkpoint=last)
    elapsed = time.time() - start

    best_dir = run_dir / "best"
    metrics: dict[str, Any] = {
        "train": {
            "loss": result.training_loss,
            "steps": result.global_step,
            "seconds": round(elapsed, 1),
            "loss_curve": [h["loss"] for h in trainer.state.log_history if "loss" in h],
        },
        "best_checkpoint": trainer.state.best_model_checkpoint,
        "data": stats.to_json(),
    }
    if trainer.is_world_process_zero():
        trainer.save_model(str(best_dir))
        (best_dir / "training_args.bin").unlink(missing_ok=True)  # a pickle; the run's config.yaml says it all
        tokenizer.save_pretrained(str(best_dir))
        write_run_info(best_dir, schema, window)
    for name in ("validation", "test"):
        if name in dsd and len(dsd[name]) > 0:
            ds = dsd[name]
            trainer.compute_metrics = doc_metrics_fn(ds, splits[name], schema, attached)
            m = trainer.evaluate(ds.remove_columns([c for c in ds.column_names if c not in MODEL_COLUMNS]), metric_key_prefix=name)
            metrics[name] = {k[len(name) + 1 :]: v for k, v in m.items()}
    if trainer.is_world_process_zero():
        (run_dir / "metrics.json").write_text(json.dumps(metrics, indent=2, default=str))
        (run_dir / DONE).write_text(time.strftime("%Y-%m-%d %H:%M:%S\n"))
        print(metrics_table(metrics), flush=True)
        print(f"best checkpoint: {best_dir}", flush=True)
    return metrics


def write_run_info(directory: Path, schema: LabelSchema, window: WindowConfig) -> None:
    """``indoquote.json`` beside the weights: how to window and read the model at inference."""
    info = {"schema": schema.name, "tags": schema.tags, "windows": {"max_length": window.max_length, "stride": window.stride}}
    (Path(directory) / RUN_INFO).write_text(json.dumps(info, indent=2))


def read_run_info(directory: str | Path) -> dict[str, Any]:
    """The checkpoint's ``indoquote.json`` (defaults for a plain token-classification model)."""
    p = Path(directory) / RUN_INFO
    return json.loads(p.read_text()) if p.exists() else {"windows": {"max_length": 256, "stride": 64}}


def metrics_table(metrics: Mapping[str, Any]) -> str:
    """Per-label F1 for each evaluated split, as a plain-text table."""
    splits = [s for s in ("validation", "test") if s in metrics]
    if not splits:
        return "(no validation or test split)"
    labels = sorted({k[3:] for s in splits for k in metrics[s] if k.startswith("f1_")})
    lines = ["label".ljust(14) + "".join(s.rjust(12) for s in splits)]
    for lab in labels:
        lines.append(lab.ljust(14) + "".join(f"{metrics[s].get('f1_' + lab, 0):12.2f}" for s in splits))
    for key in ("micro_f1", "macro_f1"):
        lines.append(key.upper().ljust(14) + "".join(f"{metrics[s].get(key, 0):12.2f}" for s in splits))
    return "\n".join(lines)
