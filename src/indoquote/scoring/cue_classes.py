"""Quotations by the kind of verb that reports them: recall per verb class, and scores without the borderline class.

Why: reported speech is introduced by many verbs, and a system that finds every ``mengatakan`` but no
``berjanji`` scores well on a set full of ``mengatakan``. Gold cues fall into :data:`CLASSES`; the classes of
:data:`BORDERLINE` (hopes and wishes, accusations, urging and requests, questions, promises, and a document as
the source) are where annotators and readers disagree on what counts as reported speech
(``docs/annotation-format.md``, "Borderline verbs"), so every figure is also given without them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from typing import Any, Mapping, Sequence

from ..data.gold import GoldArticle, Quote
from ..text.lexicon import CUE_STEMS, strip_nya
from .metrics import match_ranges

SAY = frozenset(
    "mengatakan menyatakan menjelaskan menyebut menyebutkan menuturkan mengaku mengakui menilai menegaskan "
    "menekankan mengumumkan menyampaikan menambahkan mengemukakan memastikan memaparkan mengungkapkan mengungkap "
    "melaporkan menerangkan berkata bilang berujar berpendapat berkisah mengingatkan membantah mengklaim "
    "mengkonfirmasi mengonfirmasi membenarkan menyimpulkan mencontohkan melanjutkan mengabarkan berpesan "
    "ditegaskan disampaikan disebut diakui dilanjutkan sebut sampaikan".split()
) | CUE_STEMS
"""Verbs that say or state (``kata``, ``ujar``... in their base form, with or without ``-nya``)."""

HOPE = frozenset("berharap mengharapkan harap menginginkan ingin berdoa mendoakan".split())
REQUEST = frozenset(
    "meminta mendesak menuduh mengimbau menuntut memohon mengajak memerintahkan mendakwa menyarankan "
    "mempersilakan menganjurkan menyerukan mengusulkan menantang mengecam mengkritik".split()
)
QUESTION = frozenset("bertanya menanyakan mempertanyakan tanya".split())
PROMISE = frozenset("berjanji menjanjikan bersumpah".split())
DOCUMENT_WORDS = frozenset(
    "laporan surat dokumen gugatan putusan rilis siaran keterangan unggahan postingan data penelitian studi "
    "survei peraturan regulasi undang-undang pernyataan penjelasan pengakuan isi".split()
)
"""Words of a document or a written source (``Laporan itu mengkritik``, ``Isi surat itu menekankan``)."""

CLASSES = ("say", "menurut", "hope/wish", "accuse/urge/request", "question", "promise", "document", "other")
BORDERLINE = frozenset({"hope/wish", "accuse/urge/request", "question", "promise", "document"})


def verb_class(cue: str | None, speaker: str | None = None) -> str:
    """The class of a quotation from its cue as written (``Menurutnya``, ``tidak memungkiri``) and its speaker.

    A document as the speaker (``Laporan Bank Dunia``) is ``document`` whatever the verb; a two-word cue is
    classed by its last word (``tak menampik`` -> ``other``, ``melihat bahwa`` -> ``other``).
    """
    first = (speaker or "").split()[:1]
    if first and first[0].casefold() in DOCUMENT_WORDS:
        return "document"
    words = (cue or "").casefold().split()
    if not words:
        return "other"
    if words[0] in DOCUMENT_WORDS:  # ``..., demikian laporan tabloid Bild``: the cue is the document
        return "document"
    word = words[-1]
    stem = strip_nya(word)
    if stem == "menurut":
        return "menurut"
    for name, verbs in (("hope/wish", HOPE), ("accuse/urge/request", REQUEST), ("question", QUESTION),
                        ("promise", PROMISE)):
        if word in verbs or stem in verbs:
            return name
    if word in SAY or stem in SAY:
        return "say"
    return "other"


def gold_class(q: Quote, text: str) -> str:
    """:func:`verb_class` of a gold quotation (its cue and speaker as annotated)."""
    return verb_class(text[q.cue[0] : q.cue[1]] if q.cue else None, q.speaker)


def class_recall(
    articles: Sequence[GoldArticle], predicted: Mapping[str, Sequence[Quote]], kind: str = "indirect"
) -> dict[str, dict[str, Any]]:
    """``{class: {"gold", "found", "recall"}}``: gold quotations of ``kind`` found (half of the longer span shared,
    one-to-one, as :func:`indoquote.scoring.quotes.score_quotes` matches), by the class of their cue."""
    counts: dict[str, dict[str, int]] = {c: {"gold": 0, "found": 0} for c in CLASSES}
    for art in articles:
        g = [q for q in art.quotes if q.kind == kind]
        p = [q for q in predicted.get(art.id, []) if q.kind == kind]
        found = match_ranges([(q.start, q.end) for q in g], [(q.start, q.end) for q in p], 0.5, longer=True)
        for i, q in enumerate(g):
            c = counts[gold_class(q, art.text)]
            c["gold"] += 1
            c["found"] += i in found
    return {c: {**n, "recall": round(100 * n["found"] / n["gold"], 2) if n["gold"] else None}
            for c, n in counts.items()}


def _predicted_class(q: Quote, text: str) -> str | None:
    return verb_class(text[q.cue[0] : q.cue[1]], q.speaker) if q.cue else None


def without_borderline(
    articles: Sequence[GoldArticle], predicted: Mapping[str, Sequence[Quote]], kind: str = "indirect"
) -> tuple[list[GoldArticle], dict[str, list[Quote]]]:
    """The gold and the predictions with the :data:`BORDERLINE` class of ``kind`` left out.

    A gold quotation of the class goes, and so does every predicted one that overlaps it (it is neither right nor
    wrong) or whose own cue is of the class (a system that reports ``berharap`` is not counted wrong for it).
    Quotations of other kinds stay as they are.
    """
    arts: list[GoldArticle] = []
    preds: dict[str, list[Quote]] = defaultdict(list)
    for art in articles:
        dropped = [q for q in art.quotes if q.kind == kind and gold_class(q, art.text) in BORDERLINE]
        arts.append(replace(art, quotes=[q for q in art.quotes if q not in dropped]))
        for q in predicted.get(art.id, []):
            if q.kind == kind and (_predicted_class(q, art.text) in BORDERLINE
                                   or any(q.start < d.end and d.start < q.end for d in dropped)):
                continue
            preds[art.id].append(q)
    return arts, dict(preds)


def span_and_class_scores(
    articles: Sequence[GoldArticle], systems: Mapping[str, Mapping[str, Sequence[Quote]]], kinds: Sequence[str]
) -> dict[str, Any]:
    """What ``indoquote evaluate data=dev_articles`` adds per system: strict and partial span scores, recall per verb
    class, and (with indirect speech) the quote-level scores without the borderline class."""
    from .quotes import score_quotes
    from .span_match import span_scores

    out: dict[str, Any] = {
        "spans": {name: span_scores(articles, quotes, kinds) for name, quotes in systems.items()},
        "verb_classes": {name: {kind: class_recall(articles, quotes, kind) for kind in kinds}
                         for name, quotes in systems.items()},
    }
    if "indirect" in kinds:
        out["without_borderline"] = {name: score_quotes(*without_borderline(articles, quotes), ["indirect"])
                                     for name, quotes in systems.items()}
    return out
