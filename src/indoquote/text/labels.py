"""Label schemas and tag-scheme conversion.

PFSA-ID ships BILOU tags; the project trains and scores in IOB2 because
`transformers` pipelines and seqeval's default mode only know ``B-``/``I-``.
Broken sequences in the input are repaired by one stated policy (see
:func:`bilou_to_iob2`) and every repair is counted, never silently dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Sequence

from ..errors import TagError

PFSA_LABELS: tuple[str, ...] = (
    "PERSON",
    "PERSONCOREF",
    "ROLE",
    "AFFILIATION",
    "CUE",
    "CUECOREF",
    "STATEMENT",
    "ISSUE",
    "EVENT",
    "DATETIME",
    "LOCATION",
)

LABEL_DEFINITIONS: dict[str, str] = {
    "PERSON": "the speaker's name where introduced",
    "PERSONCOREF": "a later mention of the speaker (surname, title, pronoun)",
    "ROLE": "the speaker's position",
    "AFFILIATION": "the speaker's organisation",
    "CUE": "the speech verb (kata, ujar, tutur, lanjut...)",
    "CUECOREF": "a cue with an enclitic pronoun standing for the speaker (katanya, ujarnya)",
    "STATEMENT": "the quoted words of a direct quotation, quotation marks included",
    "ISSUE": "the article's lead",
    "EVENT": "the event where the statement was made",
    "DATETIME": "when the statement was made",
    "LOCATION": "where the statement was made",
    "QUOTE": "a direct quotation (PFSA-ID STATEMENT)",
    "SPEAKER": "a mention of the speaker (PFSA-ID PERSON or PERSONCOREF)",
}

QUOTE_MAPPING: dict[str, str] = {
    "STATEMENT": "QUOTE",
    "PERSON": "SPEAKER",
    "PERSONCOREF": "SPEAKER",
    "CUE": "CUE",
    "CUECOREF": "CUE",
    "ROLE": "ROLE",
    "AFFILIATION": "AFFILIATION",
}


@dataclass(frozen=True)
class Span:
    """A labelled token span, ``end`` exclusive."""

    label: str
    start: int
    end: int


@dataclass(frozen=True)
class Repair:
    """One change made to a broken tag sequence, kept for the stats."""

    index: int
    problem: str
    before: str
    after: str


@dataclass(frozen=True)
class LabelSchema:
    """A set of span labels; ``mapping`` turns PFSA-ID labels into these (missing -> O)."""

    name: str
    labels: tuple[str, ...]
    mapping: dict[str, str] | None = field(default=None, compare=False)

    @property
    def tags(self) -> list[str]:
        return ["O"] + [f"{p}-{label}" for label in self.labels for p in ("B", "I")]

    @property
    def label2id(self) -> dict[str, int]:
        return {t: i for i, t in enumerate(self.tags)}

    @property
    def id2label(self) -> dict[int, str]:
        return dict(enumerate(self.tags))

    def convert(self, iob2_tags: Sequence[str]) -> list[str]:
        """Map PFSA-ID IOB2 tags into this schema (identity for ``pfsa``)."""
        if self.mapping is None:
            return list(iob2_tags)
        return map_tags(iob2_tags, self.mapping)


SCHEMAS: dict[str, LabelSchema] = {
    "pfsa": LabelSchema("pfsa", PFSA_LABELS),
    "quote": LabelSchema("quote", ("QUOTE", "SPEAKER", "CUE", "ROLE", "AFFILIATION"), QUOTE_MAPPING),
}


def get_schema(name: str) -> LabelSchema:
    try:
        return SCHEMAS[name]
    except KeyError:
        raise KeyError(f"unknown label schema {name!r}; choose one of {sorted(SCHEMAS)}") from None


def split_tag(tag: str) -> tuple[str, str | None]:
    """``'B-PERSON'`` -> ``('B', 'PERSON')``; ``'O'`` -> ``('O', None)``."""
    if tag == "O":
        return "O", None
    prefix, sep, label = tag.partition("-")
    if not sep or prefix not in {"B", "I", "L", "U", "E", "S"} or not label:
        raise TagError(f"malformed tag {tag!r}")
    return prefix, label


def bilou_to_iob2(
    tags: Sequence[str], labels: Iterable[str] | None = PFSA_LABELS
) -> tuple[list[str], list[Repair]]:
    """Convert BILOU (or IOB2/IOBES) tags to IOB2, repairing broken sequences.

    Repair policy (each application is one :class:`Repair`):
    - ``I-X``/``L-X`` with no open ``X`` span starts a new span (becomes ``B-X``);
    - ``U-X`` or ``B-X`` while a span is open closes that span first
      (counted when the open span had not reached its ``L-``);
    - a span left open (by ``O``, another label, or the end) is closed at its
      last token (counted).
    Unknown labels raise :class:`TagError`: they cannot be repaired.
    """
    allowed = set(labels) if labels is not None else None
    out: list[str] = []
    repairs: list[Repair] = []
    open_label: str | None = None  # label of a span still expecting I-/L-

    def close_open(i: int, why: str) -> None:
        nonlocal open_label
        if open_label is not None:
            repairs.append(Repair(i, f"{open_label} span not closed by L- ({why})", tags[i - 1], tags[i - 1]))
            open_label = None

    for i, tag in enumerate(tags):
        prefix, label = split_tag(tag)
        if label is not None and allowed is not None and label not in allowed:
            raise TagError(f"unknown label {label!r} in tag {tag!r}")
        if prefix == "O":
            close_open(i, "followed by O")
            out.append("O")
        elif prefix in {"U", "S"}:
            close_open(i, f"followed by {tag}")
            out.append(f"B-{label}")
        elif prefix == "B":
            close_open(i, f"followed by {tag}")
            out.append(f"B-{label}")
            open_label = label
        else:  # I, L, E
            if open_label == label:
                out.append(f"I-{label}")
            else:
                close_open(i, f"followed by {tag}")
                repairs.append(Repair(i, f"{tag} without an open {label} span", tag, f"B-{label}"))
                out.append(f"B-{label}")
            open_label = None if prefix in {"L", "E"} else label
    if open_label is not None:
        repairs.append(Repair(len(tags), f"{open_label} span not closed by L- (end of sequence)", tags[-1], tags[-1]))
    return out, repairs


def iob2_to_bilou(tags: Sequence[str]) -> list[str]:
    """Convert IOB2 tags to BILOU (inverse of :func:`bilou_to_iob2` on valid input)."""
    out = ["O"] * len(tags)
    for sp in iob2_spans(tags):
        if sp.end - sp.start == 1:
            out[sp.start] = f"U-{sp.label}"
            continue
        out[sp.start] = f"B-{sp.label}"
        for i in range(sp.start + 1, sp.end - 1):
            out[i] = f"I-{sp.label}"
        out[sp.end - 1] = f"L-{sp.label}"
    return out


def iob2_spans(tags: Sequence[str]) -> list[Span]:
    """Spans of an IOB2 sequence; a stray ``I-X`` starts a span (seqeval's lenient reading)."""
    spans: list[Span] = []
    start: int | None = None
    label: str | None = None
    for i, tag in enumerate(list(tags) + ["O"]):
        prefix, lab = split_tag(tag)
        continues = prefix == "I" and lab == label and start is not None
        if not continues and start is not None:
            spans.append(Span(label, start, i))  # type: ignore[arg-type]
            start, label = None, None
        if prefix in {"B", "I"} and not continues:
            start, label = i, lab
    return spans


def spans_to_iob2(spans: Iterable[Span], length: int) -> list[str]:
    """Tags for ``length`` tokens from non-overlapping spans; overlapping spans raise."""
    tags = ["O"] * length
    for sp in sorted(spans, key=lambda s: s.start):
        if not 0 <= sp.start < sp.end <= length:
            raise TagError(f"span {sp} outside 0..{length}")
        if any(t != "O" for t in tags[sp.start : sp.end]):
            raise TagError(f"span {sp} overlaps another span")
        tags[sp.start] = f"B-{sp.label}"
        for i in range(sp.start + 1, sp.end):
            tags[i] = f"I-{sp.label}"
    return tags


def map_tags(iob2_tags: Sequence[str], mapping: dict[str, str]) -> list[str]:
    """Rename span labels (labels missing from ``mapping`` become O).

    Works on spans, so two adjacent source spans that map to the same label
    (PERSON then PERSONCOREF) stay two spans.
    """
    kept = [Span(mapping[s.label], s.start, s.end) for s in iob2_spans(iob2_tags) if s.label in mapping]
    return spans_to_iob2(kept, len(iob2_tags))


def allowed_transition(prev: str, cur: str) -> bool:
    """IOB2 constraint: ``I-X`` may only follow ``B-X`` or ``I-X``."""
    if not cur.startswith("I-"):
        return True
    return prev in {f"B-{cur[2:]}", cur}


def allowed_start(tag: str) -> bool:
    return not tag.startswith("I-")
