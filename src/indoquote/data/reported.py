"""PFSA-ID's direct quotations rewritten as reported speech, on the fly, with their content and cue known.

Why: PFSA-ID leaves reported speech untagged, and the rules' silver labels only teach what the rules already find.
A quotation whose speaker the gold tags (``"...," kata X.``) says exactly who said what; without its marks and
turned around it is reported speech in the shapes news writes it:

- ``X mengatakan, CONTENT.`` (or ``... bahwa CONTENT``; ``Dia``/``Ia`` for ``katanya``),
- ``Menurut X, CONTENT.`` (``Menurutnya, CONTENT.``),
- ``CONTENT, kata X.`` (the marks dropped),
- ``A, kata X, B.`` (the cue splitting the content; the whole sentence is the content, as the rules read it).

Only one-sentence quotations with a cue right after the closing mark and the speaker after the cue are rewritten;
the rest of the document stays as annotated. Nothing is written to disk (PFSA-ID is CC BY-NC-SA): the rewritten
documents exist only while the head is fitted (:mod:`indoquote.training.fit_indirect`).
"""

from __future__ import annotations

import random
from dataclasses import replace
from typing import Sequence

from ..text.articles import SENTENCE_END
from ..text.document import Document
from ..text.labels import Span, iob2_spans
from ..text.lexicon import SENTENCE_WORDS

MARKS = frozenset({'"', "“", "”", "„", "«", "»"})
VERBS = ("mengatakan", "mengatakan", "menyatakan", "menjelaskan", "menegaskan", "menyebutkan", "mengungkapkan",
         "bilang", "menuturkan", "menambahkan")
"""Verbs of the ``X mengatakan, ...`` form (``mengatakan`` twice as likely, as in news)."""
FORMS = ("verb", "menurut", "trailing", "split")
SPEAKER_LABELS = frozenset({"PERSON", "PERSONCOREF", "ROLE", "AFFILIATION"})
MAX_SPEAKER_TOKENS = 10


def _speaker_end(tokens: Sequence[str], tags: Sequence[str], a: int) -> int | None:
    """Where the speaker phrase after a cue ends (the sentence's full stop follows it), or None."""
    k = a
    while k < len(tokens) and k - a <= MAX_SPEAKER_TOKENS and tokens[k] not in SENTENCE_END and tokens[k] != ",":
        k += 1
    if k == a or k >= len(tokens) or tokens[k] not in SENTENCE_END:
        return None
    return k if any(t[2:] in SPEAKER_LABELS for t in tags[a:k]) else None


def candidates(doc: Document) -> list[tuple[Span, Span, int]]:
    """``(quotation, cue, end of the speaker phrase)`` of every quotation that can be rewritten."""
    tokens, tags = doc.tokens, doc.tags
    spans = iob2_spans(tags)
    cues = [s for s in spans if s.label in ("CUE", "CUECOREF")]
    out = []
    for s in spans:
        if s.label != "STATEMENT" or s.end - s.start < 6:
            continue
        if tokens[s.start] not in MARKS or tokens[s.end - 1] not in MARKS:
            continue
        if s.start > 0 and tokens[s.start - 1] not in SENTENCE_END | MARKS:
            continue  # the quotation must open its sentence
        inner = tokens[s.start + 1 : s.end - 1]
        if any(t in MARKS for t in inner) or any(t in SENTENCE_END for t in inner[:-1]):
            continue  # nested marks or more than one sentence
        cue = next((c for c in cues if 0 <= c.start - s.end <= 1 and c.end - c.start == 1), None)
        if cue is None:
            continue
        if cue.label == "CUECOREF":
            end = cue.end if cue.end < len(tokens) and tokens[cue.end] in SENTENCE_END else None
        else:
            end = _speaker_end(tokens, tags, cue.end)
        if end is not None:
            out.append((s, cue, end))
    return out


def _after_comma(words: list[str]) -> list[str]:
    """The content's first word in lower case where a sentence no longer starts with it (``Menurut X, ini ...``)."""
    if words and words[0].casefold() in SENTENCE_WORDS and words[0][1:].islower():
        return [words[0].casefold(), *words[1:]]
    return words


def _content(tokens: Sequence[str], s: Span) -> tuple[int, int]:
    a, b = s.start + 1, s.end - 1
    while b > a and (tokens[b - 1] in SENTENCE_END or tokens[b - 1] in {",", ";", ":"}):
        b -= 1
    return a, b


def _pronoun(rng: random.Random) -> str:
    return rng.choice(("Dia", "Ia"))


def _rewrite(doc: Document, s: Span, cue: Span, end: int, form: str, rng: random.Random):
    """The new tokens and tags of one quotation's sentence, and its content and cue ranges within them."""
    tokens, tags = doc.tokens, doc.tags
    a, b = _content(tokens, s)
    content, content_tags = list(tokens[a:b]), ["O"] * (b - a)
    coref = cue.label == "CUECOREF"
    who = [_pronoun(rng)] if coref else list(tokens[cue.end : end])
    who_tags = ["B-PERSONCOREF"] if coref else list(tags[cue.end : end])
    if form == "split":
        commas = [k for k in range(2, len(content) - 2) if content[k] == ","]
        if not commas:
            form = "trailing"
    if form in ("verb", "menurut"):
        content = _after_comma(content)
    if form == "verb":
        verb = rng.choice(VERBS)
        link = rng.choice((",", "bahwa", ","))
        new = who + [verb, link] + content + ["."]
        new_tags = who_tags + ["B-CUE", "O"] + content_tags + ["O"]
        start = len(who) + 2
        return new, new_tags, (start, start + len(content)), (len(who), len(who) + 1)
    if form == "menurut":
        if coref:
            new, new_tags = ["Menurutnya", ","] + content + ["."], ["B-CUECOREF", "O"] + content_tags + ["O"]
            return new, new_tags, (2, 2 + len(content)), (0, 1)
        new = ["Menurut"] + who + [","] + content + ["."]
        new_tags = ["B-CUE"] + who_tags + ["O"] + content_tags + ["O"]
        start = len(who) + 2
        return new, new_tags, (start, start + len(content)), (0, 1)
    word, word_tag = tokens[cue.start], tags[cue.start]
    tail = list(tokens[cue.end : end])
    tail_tags = list(tags[cue.end : end])
    if form == "split":
        c = rng.choice(commas)
        new = content[:c] + [",", word] + tail + [","] + content[c + 1 :] + ["."]
        new_tags = content_tags[:c] + ["O", word_tag] + tail_tags + ["O"] + content_tags[c + 1 :] + ["O"]
        return new, new_tags, (0, len(new) - 1), (c + 1, c + 2)
    new = content + [",", word] + tail + ["."]
    new_tags = content_tags + ["O", word_tag] + tail_tags + ["O"]
    return new, new_tags, (0, len(content)), (len(content) + 1, len(content) + 2)


def rewrite_reported(doc: Document, rate: float, rng: random.Random,
                     forms: Sequence[str] = FORMS) -> tuple[Document, list[tuple[int, int, tuple[int, int]]]]:
    """``doc`` with each rewritable quotation (:func:`candidates`) turned into reported speech with probability
    ``rate``, in one of ``forms`` drawn at random; and ``(a, b, cue)`` token ranges of each new content.

    The sentence ``" CONTENT , " kata X .`` is replaced whole (from the opening mark to the full stop); every other
    token keeps its tag, and the sentence starts move with the tokens.
    """
    chosen = [c for c in candidates(doc) if rng.random() < rate]
    if not chosen:
        return doc, []
    tokens: list[str] = []
    tags: list[str] = []
    new_index: dict[int, int] = {}
    spans: list[tuple[int, int, tuple[int, int]]] = []
    starts: set[int] = set()
    k = 0
    for s, cue, end in chosen:
        for i in range(k, s.start):
            new_index[i] = len(tokens)
            tokens.append(doc.tokens[i])
            tags.append(doc.tags[i])
        new, new_tags, (a, b), (ca, cb) = _rewrite(doc, s, cue, end, rng.choice(list(forms)), rng)
        at = len(tokens)
        starts.add(at)
        tokens += new
        tags += new_tags
        spans.append((at + a, at + b, (at + ca, at + cb)))
        k = end + 1  # the old sentence's full stop is the new one's
    for i in range(k, len(doc.tokens)):
        new_index[i] = len(tokens)
        tokens.append(doc.tokens[i])
        tags.append(doc.tags[i])
    starts |= {new_index[i] for i in doc.sentence_starts if i in new_index}
    return replace(doc, tokens=tokens, tags=tags, sentence_starts=sorted(starts | {0})), spans
