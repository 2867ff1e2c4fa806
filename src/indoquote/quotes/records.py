"""Quote records and the span index they are read from: who said what, with which cue, in which role.

A tagger only marks spans; a reader wants ``{"quote", "speaker", ...}``. The index
(:func:`article_index`) finds cues and resolves mentions; the rules follow how Indonesian news attributes direct speech (see
:mod:`indoquote.quotes.rule_tags` for the shapes):

- every STATEMENT span with words in it is one quotation (a lone mark is skipped);
- its cue is the nearest CUE/CUECOREF right after the quotation (``"...,"
  kata ...``), else right before it (``... mengatakan: "..."``), within the same
  or the neighbouring sentence and :data:`CUE_WINDOW` tokens;
- the speaker is the PERSON/PERSONCOREF mention next to the cue (role and
  affiliation tokens may sit between: ``kata Sekjen NATO Jens Stoltenberg``);
- a mention resolves to the fullest name mentioned earlier: a surname to the
  earlier PERSON containing it, a title (``Presiden``) to the latest PERSON
  with that role, a pronoun to the latest PERSON; a CUECOREF with no mention
  (``katanya``) to the previous quotation's speaker, unless a person has been
  mentioned since;
- role and affiliation are the ROLE/AFFILIATION spans next to the PERSON
  mention the speaker resolved to.

Offsets are character offsets into the article text, ``end`` exclusive.
"""

from __future__ import annotations

import bisect
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Sequence

from ..text.articles import QUOTE_MARKS, Token, sentence_starts
from ..text.labels import iob2_spans
from ..text.lexicon import ORGANISATION_WORDS, PRONOUNS, ROLE_WORDS, TITLE_WORDS, is_acronym

CUE_WINDOW = 12
"""Most tokens between a quotation and its cue."""

SPEAKER_GAP = 3
"""Most untagged tokens between a cue (or a name) and the mention next to it."""

LOOKBACK = 200
"""Earlier names searched when resolving a mention (keeps huge machine-tagged articles linear)."""

STATEMENT_LABELS = frozenset({"STATEMENT", "QUOTE"})
PERSON_LABELS = frozenset({"PERSON", "PERSONCOREF", "SPEAKER"})
CUE_LABELS = frozenset({"CUE", "CUECOREF"})
"""Labels of the ``pfsa`` schema; the compact ``quote`` schema's QUOTE and SPEAKER are read too."""
TITLE_LABELS = frozenset({"ROLE", "AFFILIATION"})
ATTRIBUTION_LABELS = PERSON_LABELS | CUE_LABELS | TITLE_LABELS
"""Labels that PFSA-ID tags only as part of a quotation's attribution."""


@dataclass
class Mention:
    """A labelled span of the article: ``text == article_text[start:end]``."""

    text: str
    start: int
    end: int
    label: str

    def to_dict(self) -> dict:
        return asdict(self)


def char_range(m: Any) -> tuple[int, int] | None:
    """``(start, end)`` of anything with character offsets (a :class:`Mention`, a person's mention; None for none):
    how quote-level gold and scoring hold spans."""
    return None if m is None else (m.start, m.end)


@dataclass
class QuoteRecord:
    """One direct quotation and its attribution.

    ``start``/``end`` are the STATEMENT span as tagged (quotation marks
    included, as in PFSA-ID); ``quote`` is its text with the marks, the
    surrounding space and the comma before the closing mark stripped.
    ``speaker`` is the resolved name (``speaker_mention.text``, whitespace
    collapsed), ``speaker_mention`` the PERSON mention it resolved to (or the
    unresolved mention itself); ``spans`` holds every mention used: the
    statement, cue, the mention next to the cue, the resolved mention, role
    and affiliation.
    """

    quote: str
    start: int
    end: int
    speaker: str | None = None
    speaker_mention: Mention | None = None
    cue: Mention | None = None
    role: str | None = None
    affiliation: str | None = None
    spans: list[Mention] = field(default_factory=list)
    confidence: float | None = None  # the linker's probability for its choice (None: attributed by the rules)
    speaker_reason: str | None = None  # why ``speaker`` is None, when the linker left it empty
    kind: str = "direct"  # "direct" (between quotation marks) or "indirect" (reported: indoquote.quotes.indirect_rules)
    speaker_forms: list[str] = field(default_factory=list)  # every name the article gives the speaker (identity)
    role_forms: list[str] = field(default_factory=list)  # every title form merged into ``role`` (quotes/roles.py)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class _Span:
    """A tagged span with both token (``a``, ``b``) and character offsets."""

    label: str
    a: int
    b: int
    mention: Mention


def clean_quote(text: str) -> str:
    """The quotation's words: marks, outer space and a trailing comma (``waspada,"``) stripped."""
    marks = "".join(QUOTE_MARKS) + "‘’'"
    inner = text.strip().strip(marks).strip()
    return inner[:-1].rstrip() if inner.endswith(",") else inner


def _norm(text: str) -> str:
    return " ".join(text.split())


def _words(text: str) -> list[str]:
    return [w.casefold() for w in text.split() if any(c.isalnum() for c in w)]


class _Index:
    """Index over one article's spans so each lookup is a bisect, not a scan (1 MB articles)."""

    def __init__(self, text: str, tokens: Sequence[Token], tags: Sequence[str], starts: Sequence[int] | None):
        if len(tokens) != len(tags):
            raise ValueError(f"{len(tags)} tags for {len(tokens)} tokens")
        self.tokens = tokens
        self.spans = [
            _Span(s.label, s.start, s.end, self._mention(text, s.label, s.start, s.end)) for s in iob2_spans(tags)
        ]
        starts = sentence_starts(text, tokens) if starts is None else starts
        self.sentence_of = [0] * len(tokens)
        for n, (a, b) in enumerate(zip(starts, [*starts[1:], len(tokens)])):
            self.sentence_of[a:b] = [n] * (b - a)
        self.span_at: list[int | None] = [None] * len(tokens)  # token -> index in self.spans
        for k, sp in enumerate(self.spans):
            self.span_at[sp.a : sp.b] = [k] * (sp.b - sp.a)
        self.persons = [k for k, sp in enumerate(self.spans) if sp.label in PERSON_LABELS]
        self.person_starts = [self.spans[k].a for k in self.persons]
        self.names = [k for k in self.persons if self._is_name(k)]
        self.name_starts = [self.spans[k].a for k in self.names]
        self._resolved: dict[int, int] = {}
        self._words: dict[int, frozenset[str]] = {}
        self._titles: dict[int, list[int]] = {}

    def _is_name(self, k: int) -> bool:
        """A PERSON, or a ``quote``-schema SPEAKER that is no title or pronoun, can be an antecedent."""
        sp = self.spans[k]
        return sp.label == "PERSON" or (sp.label == "SPEAKER" and not _is_title_or_pronoun(sp.mention.text))

    def is_coref_cue(self, k: int) -> bool:
        """``katanya``: CUECOREF, or a ``-nya`` CUE of the ``quote`` schema (which merges the two)."""
        sp = self.spans[k]
        return sp.label == "CUECOREF" or (sp.label == "CUE" and sp.mention.text.casefold().endswith("nya"))

    def _mention(self, text: str, label: str, a: int, b: int) -> Mention:
        start, end = self.tokens[a].start, self.tokens[b - 1].end
        return Mention(text[start:end], start, end, label)

    # ------------------------------------------------------------ neighbours

    def label(self, i: int) -> str | None:
        j = self.span_at[i]
        return None if j is None else self.spans[j].label

    def _gap_ok(self, lo: int, hi: int, skip: frozenset[str], max_gap: int) -> bool:
        """May tokens ``[lo, hi)`` separate two related spans? (one sentence, few untagged words)."""
        if self.sentence_of[lo - 1] != self.sentence_of[hi]:
            return False
        untagged = 0
        for i in range(lo, hi):
            label = self.label(i)
            if label is None:
                untagged += 1
            elif label not in skip:
                return False
        return untagged <= max_gap

    def _scan(
        self, k: int, step: int, labels: frozenset[str], skip: frozenset[str], max_gap: int = SPEAKER_GAP
    ) -> tuple[int, int] | None:
        """Nearest span with ``labels`` beside span ``k`` (``step`` -1 left, +1 right): ``(distance, index)``.

        Spans labelled ``skip`` may stand between; any other span stops the scan.
        """
        sp = self.spans[k]
        i = sp.b if step > 0 else sp.a - 1
        untagged = 0
        while 0 <= i < len(self.tokens) and untagged <= max_gap:
            j = self.span_at[i]
            if j is None:
                untagged += 1
                i += step
                continue
            other = self.spans[j]
            if other.label in labels:
                lo, hi = (sp.b, other.a) if step > 0 else (other.b, sp.a)
                return (hi - lo, j) if self._gap_ok(lo, hi, skip, max_gap) else None
            if other.label not in skip:
                return None
            i = other.b if step > 0 else other.a - 1
        return None

    def speaker_near(self, cue: int) -> int | None:
        """The PERSON/PERSONCOREF next to a cue (the closer side; right on a tie).

        A CUECOREF (``katanya``) already names its speaker, so only a mention
        touching it counts: in ``ujarnya kepada Presiden Joko Widodo`` the
        name is the addressee.
        """
        gap = 0 if self.is_coref_cue(cue) else SPEAKER_GAP
        sides = (self._scan(cue, s, PERSON_LABELS, TITLE_LABELS, gap) for s in (+1, -1))
        found = [f for f in sides if f]
        return min(found, key=lambda f: f[0])[1] if found else None

    def titles_of(self, person: int) -> list[int]:
        if person not in self._titles:
            self._titles[person] = self._titles_of(person)
        return self._titles[person]

    def _titles_of(self, person: int) -> list[int]:
        """ROLE/AFFILIATION spans chained to a person mention (``Sekjen NATO Jens ...``, ``..., peneliti dari LIPI``).

        Titles on the right are left to the next person when one follows them
        (``Jens Stoltenberg dan Presiden Joe Biden``).
        """
        out: list[int] = []
        for step in (-1, +1):
            k, chain = person, []
            while (f := self._scan(k, step, TITLE_LABELS, frozenset())) is not None:
                k = f[1]
                chain.append(k)
            if step > 0 and chain and self._scan(k, step, PERSON_LABELS, frozenset()) is not None:
                chain = []
            out += chain
        return sorted(out)

    def cue_for(self, q: int) -> int | None:
        """The cue after quotation ``q``, else the one before it (same/next sentence, :data:`CUE_WINDOW`)."""
        sp = self.spans[q]
        for step, i in ((+1, sp.b), (-1, sp.a - 1)):
            edge = sp.b - 1 if step > 0 else sp.a
            for _ in range(CUE_WINDOW + 1):
                if not 0 <= i < len(self.tokens) or abs(self.sentence_of[i] - self.sentence_of[edge]) > 1:
                    break
                label = self.label(i)
                if label in STATEMENT_LABELS:
                    break
                if label in CUE_LABELS:
                    return self.span_at[i]
                i += step
        return None

    # ------------------------------------------------------------ resolution

    def latest_person_before(self, token: int) -> int | None:
        n = bisect.bisect_left(self.person_starts, token)
        return self.persons[n - 1] if n else None

    def resolve(self, k: int) -> int:
        """The PERSON span a person mention stands for (itself when nothing fits)."""
        if k not in self._resolved:
            self._resolved[k] = self._resolve(k)
        return self._resolved[k]

    def words(self, k: int) -> frozenset[str]:
        if k not in self._words:
            self._words[k] = frozenset(_words(self.spans[k].mention.text))
        return self._words[k]

    def _resolve(self, k: int) -> int:
        sp = self.spans[k]
        words = self.words(k)
        earlier = self.names[: bisect.bisect_left(self.name_starts, sp.a)][-LOOKBACK:]
        containing = [j for j in earlier if words and words <= self.words(j)]
        if containing:  # the fullest earlier name with these words, the latest on a tie
            return max(containing, key=lambda j: (len(self.words(j)), j))
        if self._is_name(k) or not earlier:
            return k
        named = _name_words(sp.mention.text)
        if named:  # ``Wapres Amin``: the name in it decides, not the latest tagged person
            by_name = [j for j in earlier if named <= self.words(j)]
            return max(by_name, key=lambda j: (len(self.words(j)), j)) if by_name else k
        titled = [j for j in earlier if words and words <= self._title_words(j)]
        if titled:
            return titled[-1]
        if _is_title_or_pronoun(sp.mention.text):
            return earlier[-1]
        return k  # an unknown name: keep it as it is

    def _title_words(self, person: int) -> frozenset[str]:
        """Words of a person's tagged titles and of the title written untagged before the name (``Presiden Joko
        Widodo``): ``kata Presiden`` later is that person, not whoever was tagged last."""
        written, i = set(), self.spans[person].a - 1
        while i >= 0 and self.span_at[i] is None and self.tokens[i].text.casefold() in TITLE_WORDS:
            written.add(self.tokens[i].text.casefold())
            i -= 1
        return frozenset(written).union(*(self.words(t) for t in self.titles_of(person)))


def article_index(
    text: str, tokens: Sequence[Token], tags: Sequence[str], sentence_starts: Sequence[int] | None = None
) -> _Index:
    """The span index that quote records are read from (the linker's training reads it too)."""
    return _Index(text, tokens, tags, sentence_starts)


def _name_words(text: str) -> set[str]:
    """The name in a short titled mention (``Wapres Amin`` -> ``amin``, ``Presiden Jokowi`` -> ``jokowi``); empty
    for anything else: a bare title, a pronoun, an acronym (``Panglima TNI``), an organisation (``politisi Partai
    Keadilan Sejahtera``), a description in lower case."""
    raw = [w for w in text.split() if any(c.isalnum() for c in w)]
    titles = [w for w in raw if w.casefold() in TITLE_WORDS]
    rest = [w for w in raw if w.casefold() not in TITLE_WORDS]
    if not titles or not rest or len(raw) > 4 or not all(
        w[:1].isupper() and not is_acronym(w) and w.casefold() not in ORGANISATION_WORDS for w in rest
    ):
        return set()
    return {w.casefold() for w in rest}


def _is_title_or_pronoun(text: str) -> bool:
    words = _words(text)
    return bool(words) and (text[:1].islower() or any(w in ROLE_WORDS or w in PRONOUNS for w in words))


SPEAKER_SPAN_LABELS = PERSON_LABELS | TITLE_LABELS
"""Mentions that name a speaker (and their titles): dropped with the speaker by :func:`apply_min_confidence`."""


def apply_min_confidence(records: Sequence[QuoteRecord], min_confidence: float | None) -> list[QuoteRecord]:
    """``records`` with every speaker the linker chose below ``min_confidence`` withheld (``speaker: null``).

    Why: a newsroom would rather show "speaker unknown" than a doubtful name. The
    record keeps its quotation, cue and ``confidence``; speaker, mention, role,
    affiliation and ``speaker_forms`` go, and ``speaker_reason`` says why. Speakers attributed by the
    rules (``confidence`` None) have no probability to compare and are kept.
    """
    if min_confidence is None:
        return list(records)
    if not 0.0 <= min_confidence <= 1.0:
        raise ValueError(f"min_confidence must be between 0 and 1, got {min_confidence!r}")
    out = []
    for r in records:
        if r.speaker is not None and r.confidence is not None and r.confidence < min_confidence:
            r = replace(
                r, speaker=None, speaker_mention=None, role=None, affiliation=None, speaker_forms=[], role_forms=[],
                spans=[m for m in r.spans if m.label not in SPEAKER_SPAN_LABELS],
                speaker_reason=f"linker confidence {r.confidence:.3f} is below min_confidence {min_confidence:g}",
            )
        out.append(r)
    return out
