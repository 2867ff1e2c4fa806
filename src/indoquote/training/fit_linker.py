"""Training data for the quote-speaker linker, and ``indoquote link``: fit it and store it in a checkpoint.

Examples are built the way the linker is used: the checkpoint's own tags give
the quotations, cues and mentions, and the gold tells which person is right.

- PFSA-ID: the gold speaker of each quotation is what the quote records read
  from the gold tags (PFSA-ID tags a speaker only as a quotation's attribution,
  so the link is in the tags);
- real articles (the development set's ``tune`` part): the annotated speaker.

A quotation whose gold speaker matches no person, or two people, is ambiguous
and left out (counted in the summary); the held-out part of the development
set is never read here.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Sequence

from ..errors import ConfigError
from ..quotes.attribute import records_from_words
from ..quotes.linker import Linker, fit
from ..quotes.linker_features import FEATURES, Candidate, candidates
from ..quotes.linker_speakers import quotations
from ..quotes.records import article_index
from ..quotes.speakers import Person, find_people
from ..scoring.metrics import match_ranges, same_speaker
from ..text.articles import Token, article_from_words

Example = tuple[list[Candidate], int]


@dataclass
class LinkStats:
    quotations: int = 0  # predicted quotations matched to a gold one with a speaker
    examples: int = 0
    ambiguous: int = 0  # the gold speaker matches two people
    unreachable: int = 0  # the gold speaker matches nobody the article mentions

    def add(self, other: LinkStats) -> None:
        for k in vars(self):
            setattr(self, k, getattr(self, k) + getattr(other, k))


def person_matches(gold: str, person: Person) -> bool:
    """Is ``person`` the gold speaker? (their fullest name or any name mention names the same person)."""
    names = [person.name] + [m.text for m in person.names]
    return person.named and any(same_speaker(gold, " ".join(n.split())) for n in names)


def article_examples(
    text: str, tokens: Sequence[Token], tags: Sequence[str], starts: Sequence[int] | None,
    gold: Sequence[tuple[int, int, str | None]], states: Any = None,
) -> tuple[list[Example], LinkStats]:
    """Linker examples of one article: its predicted quotations matched to gold ``(start, end, speaker)``.

    ``states`` (``[tokens, hidden]``): the encoder's word states, which give each candidate its span vectors.
    """
    art = article_index(text, tokens, tags, starts)
    people = find_people(text, tokens, tags, starts)
    quotes = quotations(art, people)
    spans = [(art.spans[q].mention.start, art.spans[q].mention.end) for q, _, _ in quotes]
    match = {j: i for i, j in match_ranges([(g[0], g[1]) for g in gold], spans, 0.5, longer=True).items()}
    stats, out = LinkStats(), []
    previous: Person | None = None
    for j, (q, quotation, by_rules) in enumerate(quotes):
        cands = candidates(people, tokens, quotation, previous, by_rules, states)
        speaker = gold[match[j]][2] if j in match else None
        if not speaker:
            previous = None
            continue
        stats.quotations += 1
        right = [k for k, c in enumerate(cands) if c.person is not None and person_matches(speaker, c.person)]
        if len(right) == 1:
            out.append((cands, right[0]))
            stats.examples += 1
        elif right:
            stats.ambiguous += 1
        else:
            stats.unreachable += 1
        previous = cands[right[0]].person if len(right) == 1 else None
    return out, stats


def pfsa_examples(
    documents: Sequence[Any], predicted: Sequence[Sequence[str]], states: Sequence[Any] | None = None
) -> tuple[list[Example], LinkStats]:
    """Examples from PFSA-ID documents (``.tokens``, ``.tags`` gold) and the checkpoint's tags (and states) for them."""
    golds = [[(r.start, r.end, r.speaker) for r in records_from_words(d.tokens, d.tags)] for d in documents]
    return _word_examples([d.tokens for d in documents], golds, predicted, states)


def rewritten_examples(
    tagger: Any, documents: Sequence[Any], rate: float, seed: int = 0, progress: bool = False, states: bool = False
) -> tuple[list[Example], LinkStats]:
    """Examples from PFSA-ID documents whose attributions were rewritten (:mod:`indoquote.data.reattribute`):
    ``katanya``, ``kata dia``, ``kata menteri itu`` for a speaker named before; tagged by the checkpoint."""
    from ..data.reattribute import rewrite_attributions

    done = [rewrite_attributions(d.tokens, d.tags, rate, seed + k) for k, d in enumerate(documents)]
    return _rewritten_examples(tagger, done, progress, states)


def silver_examples(
    tagger: Any, articles: Sequence[tuple[str, str]], rate: float, seed: int = 0, progress: bool = False,
    states: bool = False,
) -> tuple[list[Example], LinkStats]:
    """Examples from unlabelled real articles ``(id, text)`` (:mod:`indoquote.data.silver_attributions`): the
    checkpoint tags them, the explicit attributions it finds are rewritten, and only those are examples."""
    from ..data.reattribute import rewrite_attributions

    tagged = tagger.tag_batch([t for _, t in articles], [i for i, _ in articles], progress=progress)
    done = [rewrite_attributions([t.text for t in a.tokens], a.tags, rate, seed + k, only_rewritten=True)
            for k, a in enumerate(tagged)]
    return _rewritten_examples(tagger, done, progress, states)


def _rewritten_examples(tagger: Any, done: Sequence[Any], progress: bool, states: bool):
    """Examples of rewritten documents (:class:`~indoquote.data.reattribute.Rewritten`), tagged anew."""
    done = [r for r in done if r.rewritten]
    if not done:
        return [], LinkStats()
    words = [r.words for r in done]
    return _word_examples(words, [r.gold for r in done], *_tag_words(tagger, words, progress, states))


def _word_examples(
    words: Sequence[Sequence[str]], golds: Sequence[Sequence[tuple[int, int, str | None]]],
    predicted: Sequence[Sequence[str]], states: Sequence[Any] | None,
) -> tuple[list[Example], LinkStats]:
    """Examples of pre-tokenized documents (words joined by spaces), given each one's gold ``(start, end, speaker)``."""
    examples, stats = [], LinkStats()
    for k, (w, gold, tags) in enumerate(zip(words, golds, predicted, strict=True)):
        art = article_from_words(f"doc{k}", w)
        ex, st = article_examples(art.text, art.tokens, tags, art.sentence_starts, gold,
                                  states[k] if states is not None else None)
        examples += ex
        stats.add(st)
    return examples, stats


def gold_examples(tagged: Sequence[Any], gold_articles: Sequence[Any]) -> tuple[list[Example], LinkStats]:
    """Examples from tagged real articles (:class:`~indoquote.pipeline.tagger.TaggedArticle`) and their quote-level gold."""
    examples, stats = [], LinkStats()
    by_id = {a.id: a for a in gold_articles}
    for t in tagged:
        g = by_id[t.id]
        gold = [(q.start, q.end, q.speaker) for q in g.quotes if q.kind == "direct"]
        ex, st = article_examples(t.text, t.tokens, t.tags, t.sentence_starts, gold, getattr(t, "states", None))
        examples += ex
        stats.add(st)
    return examples, stats


def fit_linker(
    tagger: Any,
    documents: Sequence[Any] = (),
    articles: Sequence[Any] = (),
    seed: int = 0,
    epochs: int = 300,
    hidden: int = 16,
    progress: bool = False,
    oof: Sequence[tuple[Any, Sequence[Any]]] = (),
    calibrate_folds: int = 5,
    encoder: bool = True,
    features: Sequence[str] | None = None,
    proj: int = 32,
    rewrite: float = 0.0,
    platt_folds: int = 5,
    silver: Sequence[tuple[str, str]] = (),
    members: int = 1,
) -> Linker:
    """Fit a linker for ``tagger``'s checkpoint: PFSA-ID ``documents`` (gold tags) and quote-level gold ``articles``.

    Both are tagged by ``tagger`` first, so the linker learns from the mistakes
    this checkpoint makes. ``oof`` adds ``(fold tagger, the documents it never saw)``
    pairs: tags as error-prone as the checkpoint's on new articles, which its own
    training documents are not. ``linker.info`` counts what each source gave.
    ``calibrate_folds`` > 1 fits the linker's temperature out of fold (:func:`cross_fit_temperature`).
    ``encoder``: also learn from the tagger's span vectors of each candidate (:mod:`indoquote.quotes.context`),
    projected to ``proj`` dimensions; ``features``: the feature columns it reads (default all).
    ``rewrite`` > 0 adds ``documents`` with that share of their attributions rewritten (:func:`rewritten_examples`).
    ``platt_folds`` > 1 with ``articles`` maps its confidence to how often it is right on real articles, fitted out
    of fold (:func:`~indoquote.training.fit_calibration.cross_fit_platt`). ``silver``: unlabelled real articles
    ``(id, text)`` whose explicit attributions are rewritten with the same share (:func:`silver_examples`).
    ``members`` > 1: an ensemble of that many scorers (:class:`~indoquote.quotes.linker.Linker`).
    """
    start = time.perf_counter()
    examples: list[Example] = []
    summary: dict[str, Any] = {}
    sources = [("documents", tagger, documents)] if documents else []
    sources += [(f"oof{k}", fold_tagger, fold_docs) for k, (fold_tagger, fold_docs) in enumerate(oof)]
    for name, by, docs in sources:
        ex, st = pfsa_examples(docs, *_tag_words(by, [d.tokens for d in docs], progress, encoder))
        examples += ex
        summary[name] = {"count": len(docs), **vars(st)}
    if rewrite > 0 and documents:
        ex, st = rewritten_examples(tagger, documents, rewrite, seed, progress, encoder)
        examples += ex
        summary["rewritten"] = vars(st)
    if silver:
        ex, st = silver_examples(tagger, silver, rewrite or 0.5, seed, progress, encoder)
        examples += ex
        summary["silver"] = {"count": len(silver), **vars(st)}
    per_article: list[list[Example]] = []
    if articles:
        tagger.keep_states = encoder
        try:
            tagged = tagger.tag_batch([a.text for a in articles], [a.id for a in articles], progress=progress)
        finally:
            tagger.keep_states = False
        per_article = [gold_examples([t], articles)[0] for t in tagged]
        st = gold_examples(tagged, articles)[1]
        summary["articles"] = {"count": len(articles), **vars(st)}
    columns = list(features or FEATURES)
    settings = {"seed": seed, "epochs": epochs, "hidden": hidden, "features": columns, "proj": proj, "members": members}
    linker = fit(examples + [e for ex in per_article for e in ex], **settings)
    if calibrate_folds > 1:
        linker.info["temperature"], linker.info["calibration"] = cross_fit_temperature(
            examples + [e for ex in per_article for e in ex], calibrate_folds, **settings)
    if articles and platt_folds > 1:
        from .fit_calibration import cross_fit_platt

        def fit_without(held: set[int]) -> Linker:
            part = fit(examples + [e for i, ex in enumerate(per_article) if i not in held for e in ex], **settings)
            part.info["temperature"] = linker.info.get("temperature", 1.0)  # the map sits on the full linker's scale
            return part

        platt = cross_fit_platt(tagger, articles, fit_without, platt_folds, progress)
        if platt:
            linker.info["platt"], linker.info["platt_fitted_on"] = platt["platt"], platt["fitted_on"]
            linker.info["platt_routes"] = platt["platt_routes"]
            keys = ("ece", "wrong", "wrong_confident", "n")
            summary["out_of_fold_before_map"] = {k: platt["before"][k] for k in keys}
            summary["out_of_fold_map_cv"] = {m: {k: v[k] for k in (*keys, "brier")} for m, v in platt["map_cv"].items()}
    linker.info.update({"examples": summary, "seconds": round(time.perf_counter() - start, 1)})
    return linker


def cross_fit_temperature(examples: Sequence[Example], folds: int = 5, seed: int = 0, epochs: int = 300,
                          hidden: int = 16, features: Sequence[str] = FEATURES, members: int = 1,
                          proj: int = 32) -> tuple[float, dict[str, Any]]:
    """The linker's temperature, fitted on predictions it did not train on.

    Each of ``folds`` linkers is fitted without one fold of the examples and scores that fold; the
    temperature that makes those out-of-fold scores most likely is the one the full linker keeps.
    """
    from ..scoring.calibration import fit_temperature, mean_nll

    groups, targets = [], []
    for k in range(folds):
        held = examples[k::folds]
        if not held:
            continue
        rest = [e for i, e in enumerate(examples) if i % folds != k]
        part = fit(rest, seed=seed, epochs=epochs, hidden=hidden, features=features, proj=proj, members=members)
        groups += [part.scores(cands) for cands, _ in held]
        targets += [y for _, y in held]
    t = fit_temperature(groups, targets)
    return t, {"folds": folds, "examples": len(groups), "nll_t1": round(mean_nll(groups, targets, 1.0), 4),
               "nll": round(mean_nll(groups, targets, t), 4)}


def _tag_words(
    tagger: Any, words: Sequence[Sequence[str]], progress: bool, states: bool = False
) -> tuple[list[list[str]], list[Any] | None]:
    """The checkpoint's tags of pre-tokenized documents and, with ``states``, each word's encoder state."""
    from ..model.decode import predict_words_extra

    return predict_words_extra(tagger.model, tagger.tokenizer, words, tagger.window, tagger.batch_size,
                               tagger.device, progress, extra=(lambda h: h) if states else None)


def fold_documents(
    path: str | Path, data_cfg: Mapping[str, Any], seed: int, splits: Mapping[str, list[Any]] | None = None
) -> list[Any]:
    """The training documents that checkpoint ``path`` (trained with ``data.fold=K``) left out.

    The fold must come from the same document split as the checkpoint the linker is for,
    or its documents could be validation or test documents of that one. ``splits``: that
    split, when already loaded (else it is read from ``data_cfg``).
    """
    from ..data.build import FOLD, hold_out_fold, load_splits
    from ..model.checkpoint import read_run_info

    info = read_run_info(path).data or {}
    if info.get("fold") is None:
        raise ConfigError(f"oof: {path} was not trained on a fold (train it with data.fold=K data.folds=N)")
    ratios = dict(data_cfg.get("split") or {})
    if info.get("seed") != seed or info.get("name") != data_cfg.get("name") or dict(info.get("split") or {}) != ratios:
        raise ConfigError(f"oof: {path} split {info.get('name')!r} {info.get('split')} with seed {info.get('seed')}; "
                          f"the checkpoint being linked split {data_cfg.get('name')!r} {ratios} with seed {seed}")
    return hold_out_fold(splits or load_splits(data_cfg, seed), int(info["folds"]), int(info["fold"]))[FOLD]


def tune_articles(directories: str | Path | Sequence[str | Path] | None) -> list[Any]:
    """The ``tune`` part of the quote-level gold in one or more directories (``*.jsonl``); held-out is never read."""
    from ..data.gold import read_gold_files, select_part

    if directories is None:
        return []
    files = gold_files(directories)
    return select_part(read_gold_files(files), "tune") if files else []


def main(cfg: Mapping[str, Any]) -> Linker:
    """``indoquote link checkpoint=DIR``: fit the linker on PFSA-ID's training split and the dev set's tune part.

    With ``oof=[FOLD0, FOLD1, ...]`` (checkpoints trained with ``data.fold=K``) the training
    documents are tagged by the fold checkpoint that left them out instead of by DIR.
    """
    from ..data.build import load_splits, resolve_files
    from ..data.gold import read_gold_files, select_part
    from ..model.resolve import resolve_checkpoints, split_seed
    from ..pipeline.tagger import QuoteTagger

    oof_paths = [p for given in cfg.get("oof") or [] for p in resolve_checkpoints(given)[:1]]
    if oof_paths and (cfg["data"] is None or str(cfg["split"]) != "train"):
        raise ConfigError("oof: out-of-fold tags are of the training split's documents; they need data= and split=train")
    [path] = resolve_checkpoints(cfg["checkpoint"])[:1]
    tagger = QuoteTagger.from_pretrained(path, device=cfg["device"], batch_size=int(cfg["batch_size"]), linker=False)
    seed = split_seed([path], cfg["seed"])
    splits = load_splits(cfg["data"], seed) if cfg["data"] is not None else {}
    docs, arts, oof = [], [], []
    if splits and not oof_paths:  # with fold checkpoints their tags replace its own
        docs = splits[str(cfg["split"])]
        print(f"tagging {len(docs)} {cfg['data']['name']} documents ({cfg['split']}) for the linker", flush=True)
    for fold_path in oof_paths:
        fold_docs = fold_documents(fold_path, cfg["data"], seed, splits)
        print(f"tagging {len(fold_docs)} documents left out of {fold_path} for the linker", flush=True)
        fold_tagger = QuoteTagger.from_pretrained(fold_path, device=cfg["device"], batch_size=int(cfg["batch_size"]),
                                                  linker=False)
        oof.append((fold_tagger, fold_docs))
    gold = read_gold_files(resolve_files(cfg["articles"])) if cfg["articles"] is not None else []
    if gold:
        arts = select_part(gold, str(cfg["articles_part"]))
        print(f"tagging {len(arts)} articles ({cfg['articles_part']} part) for the linker", flush=True)
    silver = silver_articles(cfg.get("silver"), [g.text for g in gold], cfg.get("silver_max"), int(cfg["linker_seed"]))
    linker = fit_linker(tagger, docs, arts, int(cfg["linker_seed"]), int(cfg["epochs"]), int(cfg["hidden"]),
                        bool(cfg["progress"]), oof, int(cfg.get("calibrate_folds", 5)), bool(cfg.get("encoder", True)),
                        _feature_names(cfg.get("features")), int(cfg.get("proj", 32)), float(cfg.get("rewrite", 0.0)),
                        int(cfg.get("platt_folds", 5)), silver, int(cfg.get("members", 1)))
    if cfg.get("outright") is False:
        linker.info["outright"] = False
    linker.save(path)
    print(json.dumps(linker.info, indent=2))
    print(f"linker: {Path(path) / 'linker.safetensors'}")
    return linker


def silver_articles(
    path: str | Path | None, gold_texts: Sequence[str], limit: int | None = 2000, seed: int = 0
) -> list[tuple[str, str]]:
    """``silver=PATH``: unlabelled articles with an explicit attribution, none sharing a passage with any of
    ``gold_texts`` (every part of the gold, held-out included), at most ``limit``, drawn with ``seed``."""
    from ..data.silver_attributions import attribution_articles, overlapping
    from ..pipeline.inputs import iter_inputs

    if not path:
        return []
    raw = list(iter_inputs([str(Path(path).expanduser())]))
    seen = overlapping(raw, gold_texts)
    chosen = attribution_articles([a for a in raw if a[0] not in seen], limit, seed)
    print(f"silver: {len(chosen)} of {len(raw)} unlabelled articles with an explicit attribution "
          f"({len(seen)} left out: they share a passage with the gold articles)", flush=True)
    return chosen


def gold_files(directories: str | Path | Sequence[str | Path] | None) -> list[Path]:
    """Every quote-level gold file (``*.jsonl``) of one or more directories."""
    if directories is None:
        return []
    if isinstance(directories, (str, Path)):
        directories = [directories]
    return [f for d in directories for f in sorted(Path(d).expanduser().glob("*.jsonl"))]


POSITION_FEATURES = ("same_sentence", "distance", "after_only", "inside_only", "null", "null_nocue", "null_coref",
                     "null_nobody_near")
"""Where a candidate is, and nothing the rules decide: ``features=position`` (the encoder scorer does the rest)."""


def _feature_names(given: Any) -> list[str] | None:
    """``features``: null (all), ``position`` (:data:`POSITION_FEATURES`) or a list of names."""
    if given is None or given == "all":
        return None
    names = list(POSITION_FEATURES) if given == "position" else [str(n) for n in given]
    unknown = sorted(set(names) - set(FEATURES))
    if unknown or isinstance(given, str) and given != "position":
        raise ConfigError(f"link features: unknown {unknown or given!r}; give all, position or names from {FEATURES}")
    return names
