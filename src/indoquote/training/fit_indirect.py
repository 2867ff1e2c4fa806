"""Training data for the indirect-speech head, and ``indoquote indirect``: fit it and store it in a checkpoint.

``indoquote indirect`` itself runs :func:`indoquote.training.fit_indirect_layer.main` (either head).

No one hand-labels PFSA-ID for indirect speech. The head learns from:

- silver labels: the rules of :mod:`indoquote.quotes.indirect_rules` over PFSA-ID's training
  texts (its gold direct quotations are left out, as the rules leave them);
- gold: the development set's ``tune`` part (weighted up; the held-out part is
  never read here);
- self-training: the first head's own spans over the same texts (those whose
  sentence has a cue, as :func:`indoquote.quotes.indirect_head.model_spans` keeps them)
  replace the silver labels, and a second head is fitted on them and the gold.

The encoder is run once: its hidden states per word are the head's inputs in every round.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Mapping, Sequence

import numpy as np

from ..data.augment import AugmentConfig, augment_document, dequote
from ..quotes.indirect_head import TAGS, IndirectHead, model_spans, word_flags
from ..quotes.indirect_rules import find_indirect
from ..text.articles import Token, article_from_text, article_from_words
from ..text.labels import iob2_spans


@dataclass
class HeadData:
    """Per-document inputs of the head: word features ``[n, H]``, IOB2 tags, and a weight per document."""

    features: list[np.ndarray] = field(default_factory=list)
    tags: list[list[str]] = field(default_factory=list)
    weights: list[float] = field(default_factory=list)
    tokens: list[list[Token]] = field(default_factory=list)
    starts: list[list[int]] = field(default_factory=list)
    direct: list[list[tuple[int, int]]] = field(default_factory=list)

    def add(self, features: np.ndarray, tags: list[str], weight: float, tokens: list[Token], starts: Sequence[int],
            direct: list[tuple[int, int]]) -> None:
        """One document."""
        features = features.astype(np.float32) if isinstance(features, np.ndarray) else features  # or cached windows
        for name, value in zip(self._names(), (features, tags, weight, tokens, list(starts), direct)):
            getattr(self, name).append(value)

    def subset(self, idx: Sequence[int]) -> HeadData:
        return HeadData(*([getattr(self, k)[i] for i in idx] for k in self._names()))

    def __add__(self, other: HeadData) -> HeadData:
        return HeadData(*(getattr(self, k) + getattr(other, k) for k in self._names()))

    @classmethod
    def _names(cls) -> list[str]:
        return [f.name for f in fields(cls)]


def spans_to_tags(spans: Sequence[tuple[int, int]], n: int, cues: Sequence[tuple[int, int]] = ()) -> list[str]:
    """IOB2 :data:`~indoquote.quotes.indirect_head.TAGS` over ``n`` words from content and cue token ranges ``[a, b)``."""
    tags = ["O"] * n
    for ranges, label in ((cues, "CUE"), (spans, "INDIRECT")):  # a cue inside its content (`, kata dia,`) stays content
        for a, b in ranges:
            if a < b:
                tags[a] = f"B-{label}"
                tags[a + 1 : b] = [f"I-{label}"] * (b - a - 1)
    return tags


def _span_tags(spans: Sequence[Any], n: int) -> list[str]:
    return spans_to_tags([(sp.a, sp.b) for sp in spans], n, [sp.cue for sp in spans])


def silver_tags(tokens: Sequence[Token], starts: Sequence[int], direct: Sequence[tuple[int, int]]) -> list[str]:
    """What the rules read as indirect speech in one document (content and cue), as word tags."""
    return _span_tags(find_indirect(tokens, starts, direct), len(tokens))


def head_spans_tags(tokens, starts, tags: Sequence[str], direct) -> list[str]:
    """The head's tags of a document reduced to the spans it would report (a cue in the sentence, no direct overlap)."""
    return _span_tags(model_spans(tokens, starts, tags, direct), len(tokens))


def _features(tagger, documents: Sequence[Sequence[str]], progress: bool) -> list[np.ndarray]:
    """Each word's hidden state going into the tagger's classifier (the mean over the windows that hold it)."""
    from ..model.decode import predict_words_extra

    return predict_words_extra(tagger.model, tagger.tokenizer, documents, tagger.window, tagger.batch_size,
                               tagger.device, progress, extra=lambda h: h)[1]


def document_data(tagger, documents: Sequence[Any], progress: bool = False, dequote_rate: float = 0.0,
                  augment: AugmentConfig | None = None, seed: int = 0, featurize=None,
                  reported: float = 0.0) -> HeadData:
    """PFSA-ID documents (words + gold tags): features from the tagger's encoder, silver tags from the rules.

    ``augment`` rewrites each document as the tagger's training does (marks, dateline);
    ``dequote_rate`` of the quotations with a cue beside them lose their marks and
    become indirect speech with their known content and cue (:func:`indoquote.data.augment.dequote`).
    ``featurize(tagger, words, progress)`` gives each document's inputs (default: the classifier's input per word).
    ``reported`` (instead of ``dequote_rate``): the share of quotations rewritten as reported speech in every shape
    news writes it (:func:`indoquote.data.reported.rewrite_reported`).
    """
    from ..data.reported import rewrite_reported

    rng = random.Random(seed)
    prepared = []
    for d in documents:
        d = augment_document(d, augment, seed) if augment is not None else d
        if reported > 0:
            d, spoken = rewrite_reported(d, reported, rng)
        else:
            d, spoken = dequote(d, dequote_rate, rng) if dequote_rate > 0 else (d, [])
        art = article_from_words(d.doc_id, d.tokens, None, d.sentence_starts)
        direct = [(s.start, s.end) for s in iob2_spans(d.tags) if s.label in ("STATEMENT", "QUOTE")]
        rules = [sp for sp in find_indirect(art.tokens, d.sentence_starts, direct)
                 if not any(sp.a < b and a < sp.b for a, b, _ in spoken)]
        tags = spans_to_tags([(sp.a, sp.b) for sp in rules] + [(a, b) for a, b, _ in spoken], len(art.tokens),
                             [sp.cue for sp in rules] + [cue for _, _, cue in spoken])
        prepared.append((d.tokens, tags, art.tokens, d.sentence_starts, direct))
    data = HeadData()
    for (_, tags, tokens, starts, direct), f in zip(prepared, (featurize or _features)(tagger, [p[0] for p in prepared],
                                                                                        progress)):
        data.add(f, tags, 1.0, tokens, starts, direct)
    return data


def article_data(tagger, articles: Sequence[Any], weight: float, progress: bool = False, featurize=None) -> HeadData:
    """Gold-annotated articles (``indoquote.data.gold.GoldArticle``): features and their gold indirect spans as tags."""
    from ..text.normalize import normalize

    arts = []  # each article tokenized on its normalized text, with token starts in the text as given
    for a in articles:
        n = normalize(a.text)
        art = article_from_text(n.text, a.id)
        arts.append((a, art, np.array([n.span(t.start, t.end)[0] for t in art.tokens])))
    data = HeadData()
    for (a, art, starts), f in zip(arts, (featurize or _features)(tagger, [art.words for _, art, _ in arts], progress)):
        def token_range(start: int, end: int, starts=starts) -> tuple[int, int]:
            return int(np.searchsorted(starts, start)), int(np.searchsorted(starts, end))

        indirect = [q for q in a.quotes if q.kind == "indirect"]
        tags = spans_to_tags([token_range(q.start, q.end) for q in indirect], len(art.tokens),
                             [token_range(*q.cue) for q in indirect if q.cue])
        direct = [token_range(q.start, q.end) for q in a.quotes if q.kind == "direct"]
        data.add(f, tags, weight, art.tokens, art.sentence_starts, direct)
    return data


def raw_data(tagger, texts: Sequence[tuple[str, str]], progress: bool = False, featurize=None) -> HeadData:
    """Unlabelled real articles ``(id, text)``: features, and silver tags from the rules (direct quotations by the
    rule labeller's marks), so the head also sees how other outlets write reported speech."""
    from ..quotes.rule_tags import label_article
    from ..text.normalize import normalize

    prepared = []
    for id_, text in texts:
        art = article_from_text(normalize(text).text, id_)
        direct = [(s.start, s.end) for s in iob2_spans(label_article(art)) if s.label == "STATEMENT"]
        prepared.append((art, direct))
    data = HeadData()
    for (art, direct), f in zip(prepared, (featurize or _features)(tagger, [art.words for art, _ in prepared], progress)):
        data.add(f, silver_tags(art.tokens, art.sentence_starts, direct), 1.0, art.tokens, art.sentence_starts, direct)
    return data


IGNORED = "-"
"""A word's tag where the silver labels have no say (model and rules disagree on its sentence): no loss there."""


def tag_ids(tags: Sequence[str]) -> np.ndarray:
    """Class ids of :data:`~indoquote.quotes.indirect_head.TAGS`; :data:`IGNORED` words get -100 (no loss)."""
    return np.array([-100 if t == IGNORED else TAGS.index(t) for t in tags], dtype=np.int64)


SEGMENT_WORDS = 256
"""Words per training sequence of the head's GRU (documents are cut into such pieces and batched)."""


def _segments(data: HeadData, rules: bool) -> list[tuple[np.ndarray, np.ndarray, np.ndarray, float]]:
    out = []
    for f, tags, wt, tok, st, dr in zip(data.features, data.tags, data.weights, data.tokens, data.starts, data.direct):
        y = tag_ids(tags)
        flags = word_flags(tok, st, dr, rules)
        for i in range(0, len(f), SEGMENT_WORDS):
            j = i + SEGMENT_WORDS
            out.append((f[i:j], flags[i:j], y[i:j], wt))
    return out


def fit_head(
    data: HeadData, seed: int = 0, epochs: int = 8, inner: int = 64, lr: float = 3e-3, batch: int = 16,
    rules: bool = True,
) -> IndirectHead:
    """Fit an :class:`IndirectHead` on word features and tags (weighted cross-entropy, AdamW), seeded."""
    import torch

    torch.manual_seed(seed)
    segments = _segments(data, rules)
    head = IndirectHead(data.features[0].shape[1], inner, rules=rules)
    net = head.net
    net.train()
    opt = torch.optim.AdamW(net.parameters(), lr=lr, weight_decay=0.01)
    rng = np.random.default_rng(seed)
    segments.sort(key=lambda s: len(s[0]))  # batches of similar length, drawn in random order
    groups = [segments[i : i + batch] for i in range(0, len(segments), batch)]
    for _ in range(epochs):
        for g in rng.permutation(len(groups)):
            part = groups[g]
            n = max(len(x[0]) for x in part)
            x = torch.zeros(len(part), n, part[0][0].shape[1])
            fl = torch.zeros(len(part), n, part[0][1].shape[1])
            y = torch.full((len(part), n), -100, dtype=torch.long)
            w = torch.zeros(len(part), n)
            for r, (f, flags, t, wt) in enumerate(part):
                x[r, : len(f)] = torch.from_numpy(f)
                fl[r, : len(f)] = torch.from_numpy(flags)
                y[r, : len(t)] = torch.from_numpy(t)
                w[r, : len(t)] = wt
            logits = net(net.project(x), fl)
            loss = torch.nn.functional.cross_entropy(logits.reshape(-1, len(TAGS)), y.reshape(-1), reduction="none")
            loss = (loss * w.reshape(-1)).sum() / w.sum()
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
            opt.step()
    net.eval()
    words = sum(len(t) for t in data.tags)
    marked = sum(t != "O" for tags in data.tags for t in tags)
    head.info = {"words": words, "indirect_words": marked, "epochs": epochs, "seed": seed}
    return head


def head_tags(head: IndirectHead, data: HeadData) -> list[list[str]]:
    """The head's decoded tags of documents whose word features (hidden-state means) are given."""
    import torch

    with torch.no_grad():
        return [head.tag(head(torch.from_numpy(f)).numpy(), tok, st, dr) if len(f) else []
                for f, tok, st, dr in zip(data.features, data.tokens, data.starts, data.direct)]


def self_train(silver: HeadData, gold: HeadData, rounds: int = 1, seed: int = 0, epochs: int = 8,
               rules: bool = True, inner: int = 64, lr: float = 3e-3) -> IndirectHead:
    """Fit on silver + gold, then ``rounds`` times relabel the silver documents with the head's own spans and refit."""
    head = fit_head(silver + gold, seed, epochs, inner, lr, rules=rules)
    for r in range(rounds):
        relabelled = [head_spans_tags(tok, st, t, dr) for tok, st, t, dr in
                      zip(silver.tokens, silver.starts, head_tags(head, silver), silver.direct)]
        silver = replace(silver, tags=relabelled)
        head = fit_head(silver + gold, seed + r + 1, epochs, inner, lr, rules=rules)
    head.info["self_training_rounds"] = rounds
    return head


def fit_indirect(tagger, documents: Sequence[Any], articles: Sequence[Any], cfg: Mapping[str, Any],
                 progress: bool = False, unlabelled: Sequence[tuple[str, str]] = ()) -> IndirectHead:
    """The head of ``tagger``'s checkpoint from PFSA-ID ``documents`` and ``unlabelled`` real articles
    ``(id, text)`` (silver) and gold ``articles``."""
    start = time.perf_counter()
    augment = AugmentConfig(**cfg["augment"]) if cfg.get("augment") else None
    silver = document_data(tagger, documents, progress, float(cfg.get("dequote", 0.0)), augment,
                           int(cfg["head_seed"])) if documents else HeadData()
    if unlabelled:
        silver = silver + raw_data(tagger, unlabelled, progress)
    gold = article_data(tagger, articles, float(cfg["gold_weight"]), progress) if articles else HeadData()
    if not silver.features and not gold.features:
        raise ValueError("indoquote indirect: no documents and no articles to learn from")
    head = self_train(silver, gold, int(cfg["rounds"]), int(cfg["head_seed"]), int(cfg["epochs"]),
                      bool(cfg["rules_input"]), int(cfg["inner"]), float(cfg["lr"]))
    head.info.update({
        "silver_documents": len(silver.features) - len(unlabelled),
        "unlabelled_articles": len(unlabelled),
        "silver_spans": sum(sum(t == "B-INDIRECT" for t in tags) for tags in silver.tags),
        "gold_articles": len(gold.features),
        "gold_spans": sum(sum(t == "B-INDIRECT" for t in tags) for tags in gold.tags),
        "gold_weight": float(cfg["gold_weight"]),
        "dequote": float(cfg.get("dequote", 0.0)),
        "augment": dict(cfg["augment"]) if cfg.get("augment") else None,
        "seconds": round(time.perf_counter() - start, 1),
    })
    return head


def load_inputs(cfg: Mapping[str, Any]) -> tuple[Any, Path, list, list, list]:
    """``(tagger, checkpoint directory, PFSA-ID documents, tune gold articles, unlabelled (id, text))`` of a config."""
    from ..data.build import load_splits, resolve_files
    from ..data.gold import read_gold_files, select_part
    from ..model.resolve import resolve_checkpoints, split_seed
    from ..pipeline.tagger import QuoteTagger

    [path] = resolve_checkpoints(cfg["checkpoint"])[:1]
    tagger = QuoteTagger.from_pretrained(path, device=cfg["device"], batch_size=int(cfg["batch_size"]),
                                         linker=False, precision="fp32", indirect_head=False)
    docs, arts = [], []
    if cfg["data"] is not None:
        docs = load_splits(cfg["data"], split_seed([path], cfg["seed"]))[str(cfg["split"])]
        if cfg.get("max_documents"):
            docs = docs[: int(cfg["max_documents"])]
        print(f"reading {len(docs)} {cfg['data']['name']} documents ({cfg['split']}) for silver labels", flush=True)
    if cfg["articles"] is not None:
        arts = select_part(read_gold_files(resolve_files(cfg["articles"])), str(cfg["articles_part"]))
        print(f"reading {len(arts)} gold articles ({cfg['articles_part']} part)", flush=True)
    raw = []
    if cfg.get("unlabelled"):
        from ..pipeline.inputs import iter_inputs

        raw = list(iter_inputs([str(Path(cfg["unlabelled"]).expanduser())]))
        print(f"reading {len(raw)} unlabelled articles ({cfg['unlabelled']}) for silver labels", flush=True)
    return tagger, Path(path), docs, arts, raw
