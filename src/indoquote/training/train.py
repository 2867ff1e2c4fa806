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

import json
import logging
import os
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, Mapping, Sequence

from ..atomic import write_text
from ..config import validate_train_config
from ..data.augment import AugmentConfig
from ..data.build import build_datasets, load_splits, stats_table
from ..data.partial import leave_out, untagged_mask
from ..errors import ConfigError
from ..model.checkpoint import write_run_info
from ..model.decode import decode_documents
from ..model.modeling import load_model, load_tokenizer
from ..model.windows import WindowConfig
from ..quotes.attribute import attached_tags
from ..scoring.metrics import span_scores
from ..tables import render_table
from ..text.document import Document
from ..text.labels import LabelSchema, get_schema
from .distil import (
    INDEX, SOFT, DistilCollator, DistilSettings, combined_loss, teacher_depth, teacher_targets, with_articles,
)
from .optimization import attention_kernel, build_optimizer, set_attention, training_attention, training_precision
from .resume import DONE, find_unfinished, fingerprint, last_complete_checkpoint, whole_run_loss

log = logging.getLogger(__name__)

MODEL_COLUMNS = ("input_ids", "attention_mask", "labels")


def doc_metrics_fn(eval_ds, docs: Sequence[Document], schema: LabelSchema, attached_only: bool = False):
    """``compute_metrics`` for the Trainer: stitch windows per document, decode, score spans.

    ``attached_only`` scores as ``indoquote evaluate`` does by default (see
    :func:`indoquote.quotes.attribute.attached_tags`). ``annotated_micro_f1`` leaves out the
    sentences of quotations the gold left untagged (:mod:`indoquote.data.partial`), on
    both sides: what a run with ``data.mask_untagged`` is selected on.
    """
    word_ids = eval_ds["word_ids"]
    doc_ids = eval_ds["doc_id"]
    masks = {d.doc_id: untagged_mask(d) for d in docs}
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
        gold_all, pred_all, mask_all = ([by[k] for k in lengths] for by in (gold, pred, masks))
        scores = span_scores(gold_all, pred_all)
        annotated = span_scores(leave_out(gold_all, mask_all), leave_out(pred_all, mask_all))
        flat = {"micro_f1": scores["micro_f1"], "macro_f1": scores["macro_f1"],
                "annotated_micro_f1": annotated["micro_f1"]}
        flat.update({f"f1_{lab}": v["f1"] for lab, v in scores["per_label"].items()})
        return flat

    return compute


def training_arguments(cfg: Mapping[str, Any], out_dir: Path, has_validation: bool):
    import torch
    from transformers import TrainingArguments

    t = cfg["trainer"]
    on_gpu = torch.cuda.is_available()
    bf16, fp16 = training_precision(str(t["precision"]), on_gpu, on_gpu and torch.cuda.is_bf16_supported())
    strategy = str(t["eval_strategy"]) if has_validation else "no"
    return _args(TrainingArguments, t, out_dir, cfg, strategy, has_validation, bf16, fp16, on_gpu)


def _args(cls, t, out_dir, cfg, strategy, has_validation, bf16, fp16, on_gpu):
    """TrainingArguments of transformers 5 (pinned in pyproject.toml), every keyword passed as is.

    A keyword this transformers does not take is a TypeError here, not a setting
    silently lost. Checkpoints are safetensors (the only format transformers 5
    writes); TensorBoard logs go to ``<run>/tensorboard`` through
    ``TENSORBOARD_LOGGING_DIR`` (:func:`tensorboard_dir`), transformers 5 having
    no ``logging_dir`` argument.
    """
    return cls(
        output_dir=str(out_dir / "checkpoints"),
        per_device_train_batch_size=int(t["batch_size"]),
        per_device_eval_batch_size=int(t["eval_batch_size"] or t["batch_size"]),
        gradient_accumulation_steps=int(t["grad_accum"]),
        learning_rate=float(t["lr"]),
        num_train_epochs=float(t["epochs"]),
        max_steps=int(t["max_steps"] or -1),
        warmup_steps=float(t["warmup_ratio"]),  # below 1: a ratio of the training steps
        lr_scheduler_type="linear",
        weight_decay=float(t["weight_decay"]),
        max_grad_norm=float(t["max_grad_norm"]),
        eval_strategy=strategy,
        save_strategy=strategy if has_validation else "epoch",
        eval_steps=t["eval_steps"],
        save_steps=t["eval_steps"] or 500,
        save_total_limit=None if t["save_total_limit"] is None else int(t["save_total_limit"]),
        load_best_model_at_end=has_validation,
        metric_for_best_model=("annotated_micro_f1" if cfg["data"].get("mask_untagged") else "micro_f1")
        if has_validation else None,
        greater_is_better=True,
        logging_steps=int(t["logging_steps"]),
        report_to=list(t["report_to"] or []),
        seed=int(cfg["seed"]),
        data_seed=int(cfg["seed"]),
        train_sampling_strategy="group_by_length" if bool(t["group_by_length"]) else "random",
        bf16=bf16,
        fp16=fp16,
        dataloader_num_workers=int(t["num_workers"]),
        disable_tqdm=not bool(t["progress"]),
        use_cpu=not on_gpu,
        restore_callback_states_from_checkpoint=True,  # early stopping's patience count survives a resume
        remove_unused_columns=False,  # run() keeps only the model's columns (and distillation's window index)
    )


@contextmanager
def tensorboard_dir(path: Path) -> Iterator[None]:
    """``TENSORBOARD_LOGGING_DIR`` while the Trainer (and so its TensorBoard callback) is made."""
    old = os.environ.get("TENSORBOARD_LOGGING_DIR")
    os.environ["TENSORBOARD_LOGGING_DIR"] = str(path)
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("TENSORBOARD_LOGGING_DIR", None)
        else:
            os.environ["TENSORBOARD_LOGGING_DIR"] = old


def _trainer_class():
    """The Trainer, its length-grouped batches drawn per (seed, epoch) so that a resumed run is the same run.

    transformers' ``LengthGroupedSampler`` draws an epoch's order from the global RNG
    when the epoch starts. A run resumed inside a later epoch starts that epoch with
    another RNG state (the checkpoint's is restored only after the skipped batches),
    so it trained on other batches than the uninterrupted run (seen: weights 2e-3
    apart after resuming at step 8 of 12, with 6 steps an epoch).
    """
    import torch
    from transformers import Trainer
    from transformers.trainer_pt_utils import LengthGroupedSampler

    class EpochSeededLengthGroupedSampler(LengthGroupedSampler):
        def __init__(self, batch_size: int, lengths: list[int], seed: int) -> None:
            super().__init__(batch_size, lengths=lengths, generator=torch.Generator())
            self.seed, self.epoch = seed, 0

        def set_epoch(self, epoch: int) -> None:  # called by the Trainer / accelerate at each epoch
            self.epoch = int(epoch)

        def __iter__(self):
            self.generator.manual_seed(self.seed + self.epoch)
            return super().__iter__()

    class QuoteTrainer(Trainer):
        distil: DistilSettings | None = None  # set: batches carry the teacher's soft tags (training.distil)

        def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
            if self.distil is None or SOFT not in inputs:  # evaluation: the gold loss alone
                return super().compute_loss(model, inputs, return_outputs, num_items_in_batch)
            loss, outputs = combined_loss(model, inputs, self.distil)
            return (loss, outputs) if return_outputs else loss

        def evaluate(self, *args, **kwargs):
            """Evaluate with SDPA: eager attention (``trainer.attention``) pays only in the backward pass, and
            its forward alone is slower (validation took 3x as long with it)."""
            with attention_kernel(self.model, "sdpa"):
                return super().evaluate(*args, **kwargs)

        def _get_train_sampler(self, train_dataset=None):
            sampler = super()._get_train_sampler(train_dataset)
            if type(sampler) is LengthGroupedSampler and sampler.generator is None:
                seed = self.args.data_seed if self.args.data_seed is not None else self.args.seed
                return EpochSeededLengthGroupedSampler(sampler.batch_size, sampler.lengths, seed)
            return sampler

        def _get_eval_sampler(self, eval_dataset):
            """Windows in document order: transformers 5 groups evaluation by length as well when training
            does, and the document-level metrics stitch windows back by their position."""
            if eval_dataset is None or self.args.world_size > 1:
                return super()._get_eval_sampler(eval_dataset)
            return torch.utils.data.SequentialSampler(eval_dataset)

    return QuoteTrainer


def _log_at_save_callback():
    from transformers import TrainerCallback

    class LogAtSave(TrainerCallback):
        """Log the training loss at every checkpoint, so a checkpoint's log covers every step before it.

        A resumed run then knows the loss of the steps it did not run (:func:`whole_run_loss`).
        """

        def on_step_end(self, args, state, control, **kwargs):
            if control.should_save:
                control.should_log = True

        on_epoch_end = on_step_end

    return LogAtSave()


def run(cfg: Mapping[str, Any], run_dir: str | Path, callbacks: Sequence[Any] = ()) -> dict[str, Any]:
    """Train per ``cfg`` into ``run_dir``; returns the metrics also written to ``metrics.json``."""
    import torch
    from transformers import DataCollatorForTokenClassification, EarlyStoppingCallback, set_seed

    validate_train_config(cfg)  # a bad key, type or range fails here, naming it, before any work
    run_dir = Path(run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    seed = int(cfg["seed"])
    set_seed(seed)
    schema = get_schema(str(cfg["labels"]["schema"]))
    window = WindowConfig(int(cfg["windows"]["max_length"]), int(cfg["windows"]["stride"]))
    train_stride = cfg["windows"]["train_stride"]
    train_window = window if train_stride is None else WindowConfig(window.max_length, int(train_stride))
    t = cfg["trainer"]

    fp = fingerprint(cfg)
    resume = str(cfg["train"]["resume"]).lower()
    if resume not in {"auto", "true", "false"}:
        raise ConfigError(f"train.resume must be auto, true or false, got {resume!r}")
    if resume != "false" and not any((run_dir / "checkpoints").glob("checkpoint-*")):
        previous = find_unfinished(run_dir.parent, fp, run_dir)
        if previous is not None:
            log.warning("continuing the interrupted run in %s", previous)
            write_text(run_dir / "CONTINUED_IN", str(previous) + "\n")
            run_dir = previous
        elif resume == "true":
            raise ConfigError(f"train.resume=true but no interrupted run of this config under {run_dir.parent}")
    write_text(run_dir / "fingerprint.txt", fp + "\n")
    label_map = run_dir / "label_map.json"
    if label_map.exists() and json.loads(label_map.read_text()) != schema.tags:
        raise ConfigError(
            f"{label_map}: the run was started with labels {json.loads(label_map.read_text())}, "
            f"this config has {schema.tags} (labels={schema.name}); start a new run instead"
        )
    write_text(label_map, json.dumps(schema.tags, indent=1))

    model_cfg = cfg["model"]
    texts = None
    if model_cfg["kind"] == "tiny":
        texts = [" ".join(d.tokens) for d in load_splits(cfg["data"], seed)["train"]]
    tokenizer = load_tokenizer(model_cfg, texts)
    augment = AugmentConfig(**{k: tuple(v) if isinstance(v, list) else v for k, v in cfg["augment"].items()})
    dsd, splits, stats = build_datasets(
        cfg["data"], tokenizer, schema, window, seed, cfg["data"]["cache_dir"], train_window, augment
    )
    print(stats_table(stats), flush=True)
    if "train" not in dsd or len(dsd["train"]) == 0:
        raise ConfigError(f"data {cfg['data'].get('name')!r} has no train split (data.split={dict(cfg['data'].get('split') or {})})")
    model = load_model(model_cfg, schema, tokenizer, seed)
    n_train = sum(p.numel() for p in model.parameters() if p.requires_grad)
    attention = training_attention(model, str(t.get("attention") or "auto"), torch.cuda.is_available())
    log.info("model: %s parameters trained of %s; %s attention while training", f"{n_train:,}",
             f"{sum(p.numel() for p in model.parameters()):,}", attention)

    has_val = "validation" in dsd and len(dsd["validation"]) > 0
    attached = bool(cfg["attached_only"])
    validating = has_val and str(t["eval_strategy"]) != "no"  # during training
    args = training_arguments(cfg, run_dir, validating)
    train_ds = dsd["train"].remove_columns([c for c in dsd["train"].column_names if c not in MODEL_COLUMNS])
    eval_ds = dsd["validation"] if has_val else None
    collator = DataCollatorForTokenClassification(tokenizer, pad_to_multiple_of=8 if torch.cuda.is_available() else None)
    distil = DistilSettings.from_config(cfg.get("distil"))
    if distil is not None:
        distil = distil.with_layers(model_cfg.get("keep_layers"), teacher_depth(distil.teacher))
        held = held_texts(cfg, splits) if distil.articles else []
        windows = with_articles(dsd["train"], distil, tokenizer, train_window, held, seed)
        collator = DistilCollator(collator, teacher_targets(distil, windows, schema, tokenizer, bf16=args.bf16))
        train_ds = windows.remove_columns([c for c in windows.column_names if c not in MODEL_COLUMNS])
        train_ds = train_ds.add_column(INDEX, list(range(len(train_ds))))
    callbacks = [_log_at_save_callback(), *callbacks]
    if validating and int(t["early_stopping_patience"] or 0) > 0:
        callbacks.append(EarlyStoppingCallback(int(t["early_stopping_patience"])))
    with tensorboard_dir(run_dir / "tensorboard"):
        trainer = _trainer_class()(
            model=model,
            args=args,
            train_dataset=train_ds,
            eval_dataset=eval_ds.remove_columns([c for c in eval_ds.column_names if c not in MODEL_COLUMNS]) if validating else None,
            data_collator=collator,
            processing_class=tokenizer,
            compute_metrics=doc_metrics_fn(eval_ds, splits["validation"], schema, attached) if validating else None,
            callbacks=callbacks,
            optimizers=(build_optimizer(model, args, float(t["head_lr"]) if t["head_lr"] else None,
                                        float(t["layer_decay"]) if t.get("layer_decay") else None), None),
        )
    if distil is not None:
        trainer.distil, trainer.loss_is_scaled_for_ga = distil, False  # the loss is a mean per batch
    last = last_complete_checkpoint(Path(args.output_dir)) if resume != "false" else None
    resumed_from = 0
    if last:
        log.warning("resuming from %s", last)
        resumed_from = int(json.loads((Path(last) / "trainer_state.json").read_text())["global_step"])
    start = time.time()
    result = trainer.train(resume_from_checkpoint=last)
    elapsed = time.time() - start

    best_dir = run_dir / "best"
    history = trainer.state.log_history
    train_metrics: dict[str, Any] = {
        # the whole run's mean loss; after a resume the Trainer's own covers only the resumed steps
        "loss": whole_run_loss(history, resumed_from, result.training_loss, result.global_step),
        "steps": result.global_step,
        "seconds": round(elapsed, 1),
        "loss_curve": [h["loss"] for h in history if "loss" in h],
    }
    if distil is not None:
        train_metrics["distil"] = {"teacher": str(distil.teacher), "temperature": distil.temperature,
                                   "alpha": distil.alpha, "hidden": distil.hidden,
                                   "article_windows": len(train_ds) - len(dsd["train"])}
    if resumed_from:
        train_metrics.update(resumed_from_step=resumed_from, loss_resumed_part=result.training_loss)
    metrics: dict[str, Any] = {
        "train": train_metrics,
        "best_checkpoint": trainer.state.best_model_checkpoint,
        "data": stats.to_json(),
    }
    if trainer.is_world_process_zero():
        trainer.save_model(str(best_dir))
        (best_dir / "training_args.bin").unlink(missing_ok=True)  # a pickle; the run's config.yaml says it all
        tokenizer.save_pretrained(str(best_dir))
        split_info = {"name": cfg["data"]["name"], "seed": seed, "split": dict(cfg["data"]["split"])}
        if cfg["data"].get("fold") is not None:  # `indoquote link ... oof=[...]` tags the left-out fold with it
            split_info.update(folds=int(cfg["data"]["folds"]), fold=int(cfg["data"]["fold"]))
        write_run_info(best_dir, schema, window, split_info)
    # early stopping watches eval_micro_f1 during training; the final evaluations below are
    # named validation_*/test_* and would only make it warn that the metric is missing
    trainer.remove_callback(EarlyStoppingCallback)
    set_attention(model, "sdpa")  # the final scores run the kernel the checkpoint is tagged with
    for name in ("validation", "test"):
        if name in dsd and len(dsd[name]) > 0:
            ds = dsd[name]
            trainer.compute_metrics = doc_metrics_fn(ds, splits[name], schema, attached)
            m = trainer.evaluate(ds.remove_columns([c for c in ds.column_names if c not in MODEL_COLUMNS]), metric_key_prefix=name)
            metrics[name] = {k[len(name) + 1 :]: v for k, v in m.items()}
    if trainer.is_world_process_zero() and cfg["linker"]["enabled"]:
        metrics["linker"] = train_linker(cfg, best_dir, splits["train"])
    if trainer.is_world_process_zero():
        write_text(run_dir / "metrics.json", json.dumps(metrics, indent=2, default=str))
        write_text(run_dir / DONE, time.strftime("%Y-%m-%d %H:%M:%S\n"))  # after the metrics: DONE means whole
        print(metrics_table(metrics), flush=True)
        print(f"best checkpoint: {best_dir}", flush=True)
    return metrics


def held_texts(cfg: Mapping[str, Any], splits: Mapping[str, Sequence[Document]]) -> list[str]:
    """Texts that unlabelled training articles must share no passage with: the validation and test
    documents and every part of the quote-level gold (held-out parts included)."""
    from ..data.gold import read_gold_files
    from .fit_linker import gold_files

    texts = [" ".join(d.tokens) for name in ("validation", "test") for d in splits.get(name, [])]
    return texts + [g.text for g in read_gold_files(gold_files(cfg["linker"]["articles"]))]


def train_linker(cfg: Mapping[str, Any], best_dir: Path, documents: Sequence[Any]) -> dict[str, Any]:
    """Fit the quote-speaker linker into ``best_dir`` (as ``indoquote link`` does) from the training documents."""
    from ..pipeline.tagger import QuoteTagger
    from ..data.gold import read_gold_files, select_part
    from .fit_linker import fit_linker, gold_files, silver_articles

    lk = cfg["linker"]
    docs = list(documents)[: lk["documents"]] if lk["documents"] else list(documents)
    tagger = QuoteTagger.from_pretrained(best_dir, batch_size=int(cfg["trainer"]["eval_batch_size"] or 16), linker=False)
    print(f"fitting the quote-speaker linker on {len(docs)} training documents", flush=True)
    try:
        gold = read_gold_files(gold_files(lk["articles"]))  # every part: the silver may repeat none of them
        silver = silver_articles(lk.get("silver"), [g.text for g in gold], lk.get("silver_max"), int(cfg["seed"]))
        linker = fit_linker(tagger, docs, select_part(gold, "tune"), seed=int(cfg["seed"]),
                            encoder=bool(lk.get("encoder", True)), rewrite=float(lk.get("rewrite", 0.5)), silver=silver,
                            members=int(lk.get("members", 1)))
    except ValueError as e:  # no quotation with a speaker to learn from (a corpus without attribution)
        log.warning("no quote-speaker linker: %s; the rules attribute", e)
        return {"fitted": False, "reason": str(e)}
    linker.save(best_dir)
    return {"fitted": True, **linker.info}


def metrics_table(metrics: Mapping[str, Any]) -> str:
    """Per-label F1 for each evaluated split, as a plain-text table."""
    splits = [s for s in ("validation", "test") if s in metrics]
    if not splits:
        return "(no validation or test split)"
    labels = sorted({k[3:] for s in splits for k in metrics[s] if k.startswith("f1_")})
    rows = [[lab, *(float(metrics[s].get("f1_" + lab, 0.0)) for s in splits)] for lab in labels]
    rows += [[key.upper(), *(float(metrics[s].get(key, 0.0)) for s in splits)] for key in ("micro_f1", "macro_f1")]
    return render_table(["label", *splits], rows)
