"""The model card of a published model: Hub metadata (``huggingface_hub.ModelCard``), labels, data, results, usage."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Mapping, Sequence

from ..model.windows import WindowConfig
from ..tables import render_table
from ..text.labels import LABEL_DEFINITIONS, split_tag

DATA_LICENSE = "cc-by-nc-sa-4.0"
PFSA_URL = "https://github.com/sigit-purnomo/pfsa-id-dl"


def load_metrics(path: str | Path | None) -> dict | None:
    """An ``indoquote evaluate`` ``metrics.json`` (or a training run's ``{"test": {...}}``), checked."""
    if path is None:
        return None
    p = Path(path).expanduser()
    try:
        metrics = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as e:
        raise ValueError(f"metrics {p}: cannot read ({e})") from None
    if not isinstance(metrics, dict) or not ("model" in metrics or "test" in metrics or "validation" in metrics):
        raise ValueError(f"metrics {p}: not an `indoquote evaluate` metrics.json (no 'model' scores)")
    return metrics


def _scores(metrics: Mapping[str, Any]) -> tuple[str, dict]:
    """``(split, {"strict": ..., ...})`` from an evaluate metrics.json or a training run's metrics.json."""
    if "model" in metrics:
        return str(metrics.get("split", "test")), dict(metrics["model"])
    split = "test" if "test" in metrics else "validation"
    flat = metrics[split]
    per_label = {k[3:]: {"f1": v} for k, v in flat.items() if k.startswith("f1_")}
    return split, {"strict": {k: flat[k] for k in ("micro_f1", "macro_f1") if k in flat} | {"per_label": per_label}}


def index_metrics(metrics: Mapping[str, Any]) -> list[dict]:
    """The ``model-index`` metric entries (fractions, as the Hub shows them)."""
    _, s = _scores(metrics)
    wanted = [
        ("strict", "micro_f1", "f1", "Span micro F1 (strict, PFSA-ID labels)"),
        ("strict", "micro_precision", "precision", "Span micro precision (strict)"),
        ("strict", "micro_recall", "recall", "Span micro recall (strict)"),
        ("strict", "macro_f1", "f1", "Span macro F1 (strict)"),
        ("quote", "micro_f1", "f1", "Span micro F1 (quote labels)"),
        ("partial", "f1", "f1", "Quotation F1 (partial overlap)"),
        ("attribution", "accuracy", "accuracy", "Attribution accuracy"),
    ]
    out = []
    for group, key, kind, name in wanted:
        value = s.get(group, {}).get(key)
        if isinstance(value, (int, float)):
            out.append({"type": kind, "value": round(value / 100, 4), "name": name})
    return out


def metrics_markdown(metrics: Mapping[str, Any]) -> str:
    """The card's results: per-label strict scores and the quotation-level measures (percent)."""
    split, s = _scores(metrics)
    rules = (metrics.get("rules") or {}) if "model" in metrics else {}
    lines = []
    if "data" in metrics:
        lines.append(
            f"Data: `{metrics['data']}` / `{split}` ({metrics.get('documents', '?')} documents, "
            f"{metrics.get('tokens', 0):,} tokens); evaluated {metrics.get('date', '')}.\n"
        )
    strict = s.get("strict", {})
    per = strict.get("per_label", {})
    if per:
        rows: list[list[Any]] = [
            [label, *(v.get(k) for k in ("precision", "recall", "f1", "support"))] for label, v in per.items()
        ]
        rows.append(["**micro**", *(strict.get(k) for k in ("micro_precision", "micro_recall", "micro_f1")), None])
        rows.append(["macro", None, None, strict.get("macro_f1"), None])
        lines.append(render_table(("label", "precision", "recall", "F1", "support"), rows, markdown=True))
    measures = [
        ("span micro F1 (strict)", "strict", "micro_f1"),
        ("span micro F1 where the gold is annotated", "strict_annotated", "micro_f1"),
        ("span micro F1 (quote labels)", "quote", "micro_f1"),
        ("quotation F1 (partial overlap)", "partial", "f1"),
        ("attribution accuracy", "attribution", "accuracy"),
    ]
    present = [[name, s[g][k], rules.get(g, {}).get(k)] for name, g, k in measures if k in s.get(g, {})]
    if present:
        lines += ["", render_table(("measure", "model", "rule baseline"), present, markdown=True)]
    lines += [
        "",
        "Strict: exact span boundaries and label (seqeval, IOB2). Partial: a predicted quotation sharing at least "
        "half of a gold quotation's tokens. Attribution: share of gold quotations whose matched predicted "
        "quotation is given to the same speaker. Where the gold is annotated: the sentences of quotations "
        "PFSA-ID's gold leaves untagged (marks and a cue, no tag) left out on both sides. All in percent.",
    ]
    return "\n".join(lines)


def card_data(name: str, metrics: Mapping[str, Any] | None) -> Any:
    """The card's metadata (``huggingface_hub.ModelCardData``): license, task, and ``model-index`` results."""
    from huggingface_hub import EvalResult, ModelCardData

    results = None
    if metrics:
        split, _ = _scores(metrics)
        results = [
            EvalResult(
                task_type="token-classification",
                task_name="Quotation and speaker tagging",
                dataset_type="pfsa-id",
                dataset_name=f"PFSA-ID ({metrics.get('data', 'pfsa_id')})",
                dataset_split=split,
                metric_type=m["type"],
                metric_value=m["value"],
                metric_name=m["name"],
            )
            for m in index_metrics(metrics)
        ]
    return ModelCardData(
        language=["id"],
        license=DATA_LICENSE,
        library_name="transformers",
        pipeline_tag="token-classification",
        tags=["token-classification", "quotation-attribution", "indonesian", "news", "pfsa-id", "indoquote"],
        datasets=["pfsa-id"],
        metrics=["f1", "precision", "recall", "accuracy"],
        model_name=name,
        eval_results=results,
    )


def model_card(
    name: str,
    tags: Sequence[str],
    window: WindowConfig,
    metrics: Mapping[str, Any] | None = None,
    parity: Mapping[str, Any] | None = None,
    repo: str | None = None,
    linker: Mapping[str, Any] | None = None,
    trim: Mapping[str, Any] | None = None,
    indirect: Mapping[str, Any] | None = None,
) -> str:
    """``README.md`` of a published model: front matter, task, labels, data, results, usage, limitations."""
    labels = list(dict.fromkeys(split_tag(t)[1] for t in tags if t != "O"))
    where = repo or "path/to/this/directory"
    label_rows = "\n".join(f"| `{lab}` | {LABEL_DEFINITIONS.get(lab, '')} |" for lab in labels)
    results = (
        metrics_markdown(metrics)
        if metrics
        else "No evaluation was attached when this model was published (`indoquote publish ... metrics=metrics.json`)."
    )
    onnx = ""
    if parity:
        onnx = f"""
## ONNX (CPU serving)

`model.int8.onnx` (dynamic int8 quantization) is included (the fp32 graph it was quantized from is not: the
safetensors weights serve fp32). Checked against PyTorch on
{parity["texts"]} sample texts ({parity["words"]:,} words, {parity["windows"]} windows): fp32 logits max abs difference
{parity["fp32_max_abs_diff"]:.2e}, fp32 tag agreement {100 * parity["fp32_tag_agreement"]:.2f}%, int8 tag agreement
{100 * parity["int8_tag_agreement"]:.2f}%.

```python
tagger = QuoteTagger.from_pretrained("{where}", backend="onnx-int8")   # onnxruntime, no torch forward pass
```
"""
    extras = ""
    if linker is not None:
        counts = ", ".join(f"{k}: {v.get('examples', 0):,} quotations" for k, v in (linker.get("examples") or {}).items())
        extras += f"""
## Speakers: the quote-speaker linker

`linker.safetensors` / `linker.json`: a small scorer ({len(linker["features"])} features, {linker["hidden"]} hidden
units) that picks each quotation's speaker among the people of the article (names, short forms, titles,
pronouns clustered by `indoquote.quotes.speakers`), trained on gold links ({counts or "see linker.json"}).
`QuoteTagger` uses it by default; every record carries its `confidence`, and `speaker_reason` when nobody
is named. `QuoteTagger.from_pretrained(..., linker=False)` attributes with the rules instead.
"""
    if indirect is not None:
        extras += f"""
## Indirect speech: the second head

`indirect.safetensors` / `indirect.json`: a BiGRU ({indirect.get("inner", "?")} units) over the encoder's hidden
states{" (from its own fine-tuned copy of the top encoder layer)" if indirect.get("kind") == "layer" else ""}
and the cue lexicon that tags reported content and its cue; fitted on the rules' silver labels of
{indirect.get("silver_documents", 0):,} PFSA-ID training texts (a share {indirect.get("dequote", 0.0)} of their quotations with a
cue beside them written without marks, as wire copy writes `CONTENT, kata X.`) and {indirect.get("gold_articles", 0)} gold
articles ({indirect.get("self_training_rounds", 0)} self-training round(s)). Used with `kinds=("direct", "indirect")`;
`QuoteTagger.from_pretrained(..., indirect_head=False)` finds indirect speech by rules instead. The
tagger's weights are not changed by it, so the scores above do not move.
"""
    if trim is not None:
        extras += f"""
## Vocabulary

Trimmed at publish time from {trim["pieces_before"]:,} to {trim["pieces_after"]:,} pieces: the {trim["used"]:,} pieces
that {trim["documents"]:,} Indonesian documents ({trim["words"]:,} words: the training corpus and indoquote's shipped
articles) are tokenized into, and every single-character piece, so no character becomes `<unk>`. Those documents
tokenize identically before and after; logits differ by at most {trim["logits_max_abs_diff"]:.1e}.
"""
    from huggingface_hub import ModelCard

    data = card_data(name, metrics)
    return ModelCard(
        "---\n" + data.to_yaml() + "\n---\n"
        + f"""
# {name}: who said what in Indonesian news

A token classifier that tags **direct quotations, their speakers and speech cues** in Indonesian news text,
trained with [indoquote](https://github.com/indoquote/indoquote) on PFSA-ID. `indoquote` turns the tags into
quote records: each quotation with its speaker (coreferences such as a surname or *katanya* resolved to the full
name), cue, role and affiliation.

## Task and labels

Token classification with IOB2 tags (`B-`/`I-`) over {len(labels)} span labels (PFSA-ID annotation scheme):

| label | definition |
|---|---|
{label_rows}

Long articles are read in overlapping windows of {window.max_length} sub-words (stride {window.stride}),
as in training (`indoquote.json`).

## Training data and license

[PFSA-ID]({PFSA_URL}): Indonesian news articles annotated for quotation attribution (PFSA-ID and PFSA-ID-med).
The data is released under **CC BY-NC-SA 4.0**, so these weights, derived from it, are shared under the same terms:
non-commercial use, attribution, share-alike. (The indoquote code itself is Apache-2.0.)

## Results

{results}

## Usage

With indoquote (tokenizes like PFSA-ID, handles articles of any length, returns quote records):

```python
from ..pipeline.tagger import QuoteTagger

tagger = QuoteTagger.from_pretrained("{where}")
for r in tagger(open("article.txt", encoding="utf-8").read()):
    print(r.speaker, r.role, r.affiliation, "-", r.quote)
records = tagger.batch(list_of_texts)          # many articles, batched
```

or `indoquote predict article.txt --model {where} --format html -o quotes.html`.

With plain transformers (spans only, at most {window.max_length} sub-words at a time, no speaker resolution):

```python
from transformers import pipeline

tag = pipeline("token-classification", model="{where}", aggregation_strategy="simple")
tag('"Kami siap berdialog," kata Sekjen NATO Jens Stoltenberg.')
```
{extras}{onnx}
## Limitations

- Trained on Indonesian online news (PFSA-ID); other genres (social media, transcripts) and other languages are
  out of domain.
- Direct quotations only; indirect speech is tagged only as far as its speaker and cue.
- Speakers are picked by the linker when the directory has one, else by rules (nearest cue, earlier full name,
  role titles); long `-nya` chains, speakers the article names only once far from the quotation, and
  organisations as speakers are the usual errors.
- The transformers pipeline sees the model's own sub-word split and one window; use `QuoteTagger` for whole articles.
- Not for automated decisions about people: check attributions before publishing them.
"""
    ).content
