"""Knowledge distillation: a smaller student learns a trained teacher's tags as well as the gold.

Why: the encoder's forward pass is 84-94% of ``predict``'s time (docs/results.md, issue #32),
so a student with half the layers tags about twice as fast. The student starts from the
teacher's own weights with some of its layers (``model.path=TEACHER model.keep_layers=[0, 2, 4, 7]``,
``experiment=student``) and learns, at every word, the teacher's tag distribution softened by a
temperature (Hinton et al., 2015) besides the gold tags. The teacher also speaks where the gold
is silent: in the quotations PFSA-ID leaves untagged (``data.mask_untagged``), which carry no gold
label in training.

The teacher's outputs are computed once, before training, for the training windows (which are
fixed: augmentation happens when the dataset is built), and handed to each batch by
:class:`DistilCollator`; a resumed run computes them again, the same way.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Sequence

import numpy as np

from ..errors import ConfigError
from ..model.checkpoint import weights_problem
from ..text.labels import LabelSchema

log = logging.getLogger(__name__)

SOFT = "teacher_log_probs"
MASK = "distil_mask"
HIDDEN = "teacher_hidden"
INDEX = "window"
"""The training set's column naming each window, so the collator can find its teacher outputs."""


@dataclass(frozen=True)
class DistilSettings:
    """``distil:`` of ``configs/train.yaml`` (see there)."""

    teacher: Path
    temperature: float = 2.0
    alpha: float = 0.5
    batch_size: int = 32
    articles: Path | None = None  # unlabelled real articles (JSONL, a .txt or a folder): the teacher alone teaches there
    articles_max: int | None = None
    hidden: float = 0.0  # weight of the mean squared distance between each student layer's states and the teacher's
    layers: tuple[int, ...] = ()  # the teacher layer each student layer started as (model.keep_layers)

    @classmethod
    def from_config(cls, node: Mapping[str, Any] | None) -> DistilSettings | None:
        """The settings, or None when no teacher is named (plain training)."""
        if not node or not node.get("teacher"):
            return None
        articles = node.get("articles")
        limit = node.get("articles_max")
        return cls(Path(str(node["teacher"])).expanduser(), float(node["temperature"]), float(node["alpha"]),
                   int(node["batch_size"]), Path(str(articles)).expanduser() if articles else None,
                   None if limit is None else int(limit), float(node.get("hidden") or 0.0))

    def with_layers(self, keep: int | Sequence[int] | None, teacher_depth: int) -> DistilSettings:
        """The settings knowing which teacher layer each student layer was taken from (``model.keep_layers``)."""
        from dataclasses import replace

        from ..model.modeling import kept_layers

        return replace(self, layers=tuple(kept_layers(keep, teacher_depth)))


@dataclass(frozen=True)
class Target:
    """What the teacher says of one training window."""

    log_probs: np.ndarray  # [positions, labels] at the temperature, float16
    starts: np.ndarray  # [positions] bool: the word starts, where tags are compared
    hidden: np.ndarray | None = None  # [student layers, positions, hidden] the states of the teacher layers the
    # student layers were taken from (float16), when distil.hidden > 0


def word_starts(word_ids: Sequence[int]) -> np.ndarray:
    """True where a sub-word begins a word: the positions whose tag is read, in training and in decoding."""
    ids = np.asarray(word_ids)
    starts = ids >= 0
    starts[1:] &= ids[1:] != ids[:-1]
    return starts


def article_windows(
    settings: DistilSettings, tokenizer, window, exclude: Sequence[str] = (), seed: int = 0
) -> dict[str, list]:
    """Training windows of ``settings.articles``, every label unset: real news in the outlets' own styles, where
    the student learns the teacher's tags alone. Read and cleaned as ``predict`` reads its input; articles that
    share a passage with ``exclude`` (the gold texts, held-out parts included) are left out; at most
    ``articles_max``, drawn with ``seed``."""
    import random

    from ..data.silver_attributions import overlapping
    from ..model.windows import document_windows
    from ..pipeline.inputs import iter_inputs
    from ..text.articles import article_from_text
    from ..text.glue import normalize_and_repair

    if settings.articles is None:
        return {}
    def skip(item) -> None:  # named with its file and line, and left out, as predict does
        log.warning("distil.articles: %s; skipped", item)

    raw = list(iter_inputs([str(settings.articles)], on_skip=skip))
    seen = overlapping(raw, list(exclude)) if exclude else set()
    kept = [a for a in raw if a[0] not in seen]
    if settings.articles_max is not None and len(kept) > settings.articles_max:
        kept = random.Random(seed).sample(kept, settings.articles_max)
    cols: dict[str, list] = {k: [] for k in ("doc_id", "input_ids", "attention_mask", "labels", "word_ids", "offset")}
    for id, text in kept:
        clean = normalize_and_repair(text).text
        if not clean.strip():
            continue
        words = article_from_text(clean, id).words
        for w in document_windows(tokenizer, words, None, window):
            cols["doc_id"].append(f"unlabelled:{id}")
            for k, v in w.items():
                cols[k].append(v)
    log.info("distillation: %d unlabelled articles of %d (%d share a passage with the gold), %d windows",
             len(kept), len(raw), len(seen), len(cols["input_ids"]))
    return cols


def with_articles(train_ds, settings: DistilSettings, tokenizer, window, exclude: Sequence[str], seed: int = 0):
    """The training windows followed by those of the unlabelled articles (:func:`article_windows`), if any."""
    from datasets import Dataset, concatenate_datasets

    cols = article_windows(settings, tokenizer, window, exclude, seed)
    if not cols or not cols["input_ids"]:
        return train_ds
    return concatenate_datasets([train_ds, Dataset.from_dict(cols, features=train_ds.features)])


def teacher_depth(path: Path) -> int:
    """The teacher's number of encoder layers, from its config (0 when it has none to read)."""
    import json

    try:
        return int(json.loads((path / "config.json").read_text()).get("num_hidden_layers", 0))
    except (OSError, ValueError):
        return 0


def load_teacher(path: Path, schema: LabelSchema, tokenizer):
    """The teacher model (safetensors only), checked to tag with ``schema``'s labels and read ``tokenizer``'s ids."""
    from transformers import AutoModelForTokenClassification, AutoTokenizer

    problem = weights_problem(path) if (path / "config.json").is_file() else "not a checkpoint (no config.json)"
    if problem:
        raise ConfigError(f"distil.teacher={path}: {problem}")
    model = AutoModelForTokenClassification.from_pretrained(str(path), use_safetensors=True, trust_remote_code=False)
    labels = [model.config.id2label[i] for i in range(model.config.num_labels)]
    if labels != list(schema.tags):
        raise ConfigError(f"distil.teacher={path}: it tags {labels}, the student is trained on {list(schema.tags)}")
    teacher_vocab = AutoTokenizer.from_pretrained(str(path), trust_remote_code=False).get_vocab()
    if teacher_vocab != tokenizer.get_vocab():
        raise ConfigError(
            f"distil.teacher={path}: its tokenizer differs from the student's ({len(teacher_vocab)} against "
            f"{len(tokenizer.get_vocab())} entries); start the student from the teacher (model.path=TEACHER)"
        )
    return model.eval()


def teacher_targets(
    settings: DistilSettings, dataset, schema: LabelSchema, tokenizer, bf16: bool = False
) -> list[Target]:
    """Per training window, what the teacher says of it (:class:`Target`)."""
    import torch

    teacher = load_teacher(settings.teacher, schema, tokenizer)
    ids, words = dataset["input_ids"], dataset["word_ids"]
    pad = tokenizer.pad_token_id or 0
    out: list[Target | None] = [None] * len(ids)
    states = settings.hidden > 0
    order = sorted(range(len(ids)), key=lambda i: len(ids[i]))  # similar lengths together: little padding
    with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
        for b in range(0, len(order), settings.batch_size):
            rows = order[b : b + settings.batch_size]
            width = max(len(ids[i]) for i in rows)
            x = torch.full((len(rows), width), pad, dtype=torch.long)
            att = torch.zeros((len(rows), width), dtype=torch.long)
            for r, i in enumerate(rows):
                x[r, : len(ids[i])] = torch.tensor(ids[i])
                att[r, : len(ids[i])] = 1
            said = teacher(input_ids=x, attention_mask=att, output_hidden_states=states)
            logp = torch.log_softmax(said.logits.float() / settings.temperature, dim=-1).numpy().astype(np.float16)
            layer = None
            if states:  # hidden_states[0] is the embeddings' output, [j + 1] layer j's
                layer = torch.stack([said.hidden_states[j + 1] for j in settings.layers], dim=1)
                layer = layer.float().numpy().astype(np.float16)
            for r, i in enumerate(rows):
                n = len(ids[i])
                out[i] = Target(logp[r, :n], word_starts(words[i]), None if layer is None else layer[r, :, :n])
    log.info("teacher %s: soft tags for %d training windows", settings.teacher, len(out))
    return out  # type: ignore[return-value]


class DistilCollator:
    """The token-classification collator, plus each window's teacher outputs padded to the batch."""

    def __init__(self, base, targets: Sequence[Target]) -> None:
        self.base, self.targets = base, targets

    def __call__(self, features: list[dict]) -> dict:
        import torch

        if INDEX not in features[0]:  # evaluation windows: gold only
            return self.base(features)
        index = [int(f.pop(INDEX)) for f in features]
        batch = self.base(features)
        width = batch["input_ids"].shape[1]
        first = self.targets[index[0]]
        soft = torch.zeros((len(index), width, first.log_probs.shape[1]))
        mask = torch.zeros((len(index), width), dtype=torch.bool)
        hidden = None
        if first.hidden is not None:
            hidden = torch.zeros((len(index), first.hidden.shape[0], width, first.hidden.shape[2]))
        for r, i in enumerate(index):
            t = self.targets[i]
            soft[r, : len(t.log_probs)] = torch.from_numpy(t.log_probs.astype(np.float32))
            mask[r, : len(t.starts)] = torch.from_numpy(t.starts)
            if hidden is not None:
                hidden[r, :, : t.hidden.shape[1]] = torch.from_numpy(t.hidden.astype(np.float32))
        batch[SOFT], batch[MASK] = soft, mask
        if hidden is not None:
            batch[HIDDEN] = hidden
        return batch


def distil_loss(student_logits, teacher_log_probs, mask, temperature: float):
    """KL(teacher || student) of the softened tag distributions, averaged over the masked positions and
    scaled by temperature squared, so that its gradients keep their size as the temperature changes."""
    import torch

    student = torch.log_softmax(student_logits.float() / temperature, dim=-1)
    kl = (teacher_log_probs.exp() * (teacher_log_probs - student)).sum(-1)
    weight = mask.to(kl.dtype)
    return (kl * weight).sum() / weight.sum().clamp(min=1.0) * temperature**2


def hidden_loss(student_states, teacher_states, attention_mask):
    """Mean squared distance between layer states ([batch, layers, positions, hidden]), over the real positions:
    each student layer is pulled towards the output of the teacher layer it started as (as in patient
    knowledge distillation, Sun et al., 2019), so the shortened stack learns to do the skipped layers' work."""
    weight = attention_mask.float()[:, None, :, None]
    diff = (student_states.float() - teacher_states) ** 2 * weight
    n = weight.sum() * student_states.shape[1] * student_states.shape[-1]
    return diff.sum() / n.clamp(min=1.0)


def combined_loss(model, inputs: dict, settings: DistilSettings):
    """``(loss, outputs)``: ``alpha`` x the distillation loss + ``1 - alpha`` x the gold tags' cross-entropy
    (+ ``hidden`` x :func:`hidden_loss` when the teacher's states are given)."""
    import torch

    soft, mask, states = inputs.pop(SOFT), inputs.pop(MASK), inputs.pop(HIDDEN, None)
    outputs = model(**inputs, output_hidden_states=states is not None)
    kd = distil_loss(outputs.logits, soft, mask, settings.temperature)
    gold = outputs.loss
    if gold is None or not bool(gold.isfinite()):  # no gold label in the batch (all masked): the teacher alone
        gold = kd.new_zeros(())
    loss = settings.alpha * kd + (1.0 - settings.alpha) * gold
    if states is not None:
        mine = torch.stack(outputs.hidden_states[1:], dim=1)  # every student layer's output
        loss = loss + settings.hidden * hidden_loss(mine, states, inputs["attention_mask"])
    return loss, outputs
