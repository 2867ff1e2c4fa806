"""Training documents that look like every outlet, not only Kompas: marks, datelines, where an article starts.

PFSA-ID is Kompas print: ``”`` opens and closes nearly every quotation and most
leads begin ``JAKARTA , KOMPAS —``. A tagger trained on it alone learns that
page (and misses quotations in ``"..."`` or after ``Jakarta (ANTARA) -``). Each
training document is rewritten once, seeded by its id, before windowing:

- its quotation marks in one outlet style (curly, straight, single, guillemets,
  low-9, mixed, or Kompas kept), the STATEMENT spans unchanged;
- its dateline swapped for another outlet's, or dropped;
- sometimes its first sentences dropped, so no quotation depends on the lead.

Only the train split is rewritten; validation and test stay as annotated.
"""

from __future__ import annotations

import bisect
import hashlib
import random
from dataclasses import dataclass, replace

from ..text.articles import CLAUSE_MARKS, SENTENCE_END
from ..text.document import Document
from ..text.labels import iob2_spans

DOUBLE = frozenset({'"', "“", "”", "„", "«", "»"})
STYLES: dict[str, tuple[str, str]] = {
    "kompas": ("”", "”"),
    "curly": ("“", "”"),
    "straight": ('"', '"'),
    "single": ("‘", "’"),
    "single_straight": ("'", "'"),
    "guillemets": ("«", "»"),
    "low9": ("„", "“"),
}
DATELINES = [
    ["Jakarta", "(", "ANTARA", ")", "-"],
    ["JAKARTA", ",", "KOMPAS.com", "-"],
    ["Jakarta", ",", "CNN", "Indonesia", "-", "-"],
    ["Liputan6.com", ",", "Jakarta", "-"],
    ["TEMPO.CO", ",", "Jakarta", "-"],
    ["REPUBLIKA.CO.ID", ",", "JAKARTA", "-", "-"],
    ["Jakarta", "-"],
    ["Surabaya", "(", "ANTARA", ")", "-"],
    ["Bandung", ",", "IDN", "Times", "-"],
    ["SEMARANG", ",", "suaramerdeka.com", "-"],
]


@dataclass(frozen=True)
class AugmentConfig:
    """Probabilities of each rewrite (``augment`` in the data config; all zero: no rewrite)."""

    restyle: float = 0.0  # marks in another outlet's style (else Kompas ” ” kept)
    mixed: float = 0.0  # of restyled documents: straight and curly mixed per mark
    dateline: float = 0.0  # dateline swapped for another outlet's (or dropped, half of the time)
    drop_lead: float = 0.0  # the first 1-3 sentences dropped
    window_lengths: tuple[int, ...] = ()  # training windows of a length drawn per document (empty: the config's)

    @property
    def active(self) -> bool:
        return any(v > 0 for v in (self.restyle, self.dateline, self.drop_lead)) or bool(self.window_lengths)

    def window_length(self, doc: Document, seed: int, default: int) -> int:
        """This document's training window length (seeded by its id)."""
        return _rng(doc, seed + 1).choice(self.window_lengths) if self.window_lengths else default


def _rng(doc: Document, seed: int) -> random.Random:
    return random.Random(int(hashlib.sha1(f"{seed}:{doc.doc_id}".encode()).hexdigest()[:12], 16))


def restyle_marks(doc: Document, open_mark: str, close_mark: str, mixed_rng: random.Random | None = None) -> Document:
    """Double quotation marks rewritten: a STATEMENT's first mark opens, its last closes; other marks alternate."""
    tokens = list(doc.tokens)
    starts = set(doc.sentence_starts)
    role: dict[int, str] = {}
    i = 0
    while i < len(tokens):
        if doc.tags[i] == "B-STATEMENT":
            j = i
            while j + 1 < len(tokens) and doc.tags[j + 1] == "I-STATEMENT":
                j += 1
            marks = [k for k in range(i, j + 1) if tokens[k] in DOUBLE]
            if marks:
                role[marks[0]] = "open"
                for k in marks[1:]:  # a mark that begins a sentence inside reopens (multi-paragraph style)
                    role[k] = "close" if k == marks[-1] else ("open" if k in starts else "close")
            i = j + 1
        else:
            i += 1
    opened = False
    for k, tok in enumerate(tokens):
        if tok not in DOUBLE:
            continue
        r = role.get(k)
        if r is None:  # outside quotations (titles, scare quotes): alternate
            r = "close" if opened else "open"
        opened = r == "open"
        o, c = open_mark, close_mark
        if mixed_rng is not None:
            o, c = mixed_rng.choice(['"', "“"]), mixed_rng.choice(['"', "”"])
        tokens[k] = o if r == "open" else c
    return replace(doc, tokens=tokens)


def _lead(doc: Document) -> int:
    """Tokens before the lead (the dateline): the O tokens before the first ISSUE token, if few."""
    first = next((k for k, t in enumerate(doc.tags) if t.endswith("-ISSUE")), None)
    return first if first is not None and first <= 8 else 0


def swap_dateline(doc: Document, dateline: list[str] | None) -> Document:
    """The dateline replaced by ``dateline`` (``None``: dropped); sentence starts moved with it."""
    n = _lead(doc)
    if n == 0:
        return doc
    new = list(dateline or [])
    shift = len(new) - n
    starts = sorted({0, *(s + shift for s in doc.sentence_starts if s >= n)})
    if not new:
        starts = [s for s in starts if s < len(doc.tokens) + shift]
    return replace(doc, tokens=new + doc.tokens[n:], tags=["O"] * len(new) + doc.tags[n:], sentence_starts=starts)


def drop_sentences(doc: Document, k: int) -> Document:
    """The first ``k`` sentences dropped, unless a quotation runs across the cut or nothing would be left."""
    if len(doc.sentence_starts) <= k + 1:
        return doc
    cut = doc.sentence_starts[k]
    if doc.tags[cut].startswith("I-"):
        return doc
    return replace(
        doc,
        tokens=doc.tokens[cut:],
        tags=doc.tags[cut:],
        sentence_starts=[s - cut for s in doc.sentence_starts[k:]],
    )


def augment_document(doc: Document, cfg: AugmentConfig, seed: int) -> Document:
    """One seeded rewrite of a training document (the same every run with the same seed)."""
    rng = _rng(doc, seed)
    if rng.random() < cfg.restyle:
        mixed = random.Random(rng.random()) if rng.random() < cfg.mixed else None
        style = rng.choice([s for s in STYLES if s != "kompas"])
        doc = restyle_marks(doc, *STYLES[style], mixed_rng=mixed)
    if rng.random() < cfg.dateline:
        doc = swap_dateline(doc, rng.choice(DATELINES) if rng.random() < 0.5 else None)
    if rng.random() < cfg.drop_lead:
        doc = drop_sentences(doc, rng.randint(1, 3))
    return doc


def dequote(doc: Document, rate: float, rng: random.Random) -> tuple[Document, list[tuple[int, int, tuple[int, int]]]]:
    """Quotations with a cue beside them written without their marks: indirect speech with its content and cue known.

    Why: Kompas print puts nearly everything it attributes with ``kata X`` between
    marks (the rules find 6 unquoted ``CONTENT, kata X.`` in PFSA-ID's training
    documents), while wire copy writes that construction all the time. A STATEMENT
    whose cue follows its closing mark, or precedes its opening mark, loses its two
    marks with probability ``rate`` and is tagged O (it is no longer a direct
    quotation). Returned with the new document: ``(a, b, cue)`` token ranges of each
    such content, cut to one sentence as ``docs/annotation-format.md`` has it.
    """
    tokens, tags = doc.tokens, list(doc.tags)
    spans = iob2_spans(tags)
    cues = [s for s in spans if s.label in ("CUE", "CUECOREF")]
    chosen = []  # (statement, cue, cue after the quotation)
    for s in spans:
        if s.label != "STATEMENT" or s.end - s.start < 6 or tokens[s.start] not in DOUBLE or tokens[s.end - 1] not in DOUBLE:
            continue
        if any(tokens[k] in DOUBLE for k in range(s.start + 1, s.end - 1)):
            continue  # nested or reopened marks: leave it a direct quotation
        after = next((c for c in cues if 0 <= c.start - s.end <= 1), None)
        cue = after or next((c for c in cues if all(t in {",", ":"} for t in tokens[c.end : s.start])
                             and 0 <= s.start - c.end <= 1), None)  # `X mengatakan , ” ...`
        if cue is not None and rng.random() < rate:
            chosen.append((s, cue, after is not None))
            tags[s.start : s.end] = ["O"] * (s.end - s.start)
    if not chosen:
        return doc, []
    drop = {k for s, _, _ in chosen for k in (s.start, s.end - 1)}
    keep = [k for k in range(len(tokens)) if k not in drop]

    def at(old: int) -> int:  # the new index of the first kept token at or after ``old``
        return bisect.bisect_left(keep, old)

    starts = sorted({at(s) for s in doc.sentence_starts if at(s) < len(keep)} | {0})
    new = replace(doc, tokens=[tokens[k] for k in keep], tags=[tags[k] for k in keep], sentence_starts=starts)
    bounds = [*starts, len(keep)]
    out = []
    for s, cue, after in chosen:
        a, b = at(s.start + 1), at(s.end - 1)
        i = bisect.bisect_right(starts, (b - 1) if after else a) - 1  # the sentence of the cue's side of the content
        a, b = (max(a, starts[i]), b) if after else (a, min(b, bounds[i + 1]))
        while b > a and (new.tokens[b - 1] in SENTENCE_END or new.tokens[b - 1] in CLAUSE_MARKS):
            b -= 1
        if b - a >= 3:
            out.append((a, b, (at(cue.start), at(cue.end))))
    return new, out
