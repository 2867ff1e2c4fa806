"""Rule-based silver labeller: the baseline every trained model is compared to.

Indonesian news attributes direct speech in a few fixed shapes::

    ” Kami siap , ” kata Sekjen NATO Jens Stoltenberg .      (cue after the quote)
    ” Kami siap , ” ujarnya .                                 (cue with -nya)
    kata Presiden : ” Kami siap . ”                           (cue before the quote)
    ..., kata Sekjen NATO Jens Stoltenberg , ...              (indirect speech)
    Sekjen NATO Jens Stoltenberg mengatakan , ...             (speaker introduced)

The rules below tag these shapes, plus the lead sentence as ISSUE, with
PFSA-ID labels, so every model score can be read against what a page of
rules already gets. EVENT, DATETIME and LOCATION are not attempted.
Quotations are found from their cue: the mark before a cue closes a quotation
and the nearest mark before it opens it. That needs no guess about which way
a mark faces (PFSA-ID writes ``”`` for both) and one stray mark cannot shift
every later quotation.
"""

from __future__ import annotations

import argparse
from bisect import bisect_left
from dataclasses import dataclass, field
from typing import Container, Sequence

from ..text.articles import QUOTE_MARKS, SENTENCE_END, Article, paragraph_starts, read_text
from ..text.labels import Span, iob2_spans, spans_to_iob2
from ..text.lexicon import NOT_NAMES, OUTLETS, PRONOUNS, REPORTING_VERBS, ROLE_WORDS, cue_after, cue_label

DASHES = frozenset({"-", "—", "–"})


def _is_name(word: str) -> bool:
    return word[:1].isupper() and word[:1].isalpha() and word not in NOT_NAMES and word.lower() not in PRONOUNS


def _is_initial(word: str) -> bool:
    return len(word.rstrip(".")) == 1 and word[:1].isupper()


def _is_acronym(word: str) -> bool:
    return len(word) > 1 and word.isupper() and word.isalpha()


@dataclass(frozen=True)
class Mention:
    """A speaker mention ``words[start:end]``: title, organisation, then the name."""

    start: int
    title_end: int  # words[start:title_end]: title words (ROLE)
    name_start: int  # words[title_end:name_start]: organisation or place
    end: int  # words[name_start:end]: the name


MAX_NAME_AFTER_TITLE = 2


def parse_speaker(words: Sequence[str], i: int, breaks: Container[int] = ()) -> Mention:
    """Split the mention at ``i``: title words, then a capitalised run.

    After a title, the run's last two words (three with a middle initial) are the
    name and the words before them the organisation (``Sekjen | NATO | Jens
    Stoltenberg``, ``Menteri | Keuangan | Sri Mulyani``); without a title the
    whole run is the name.
    """
    n = len(words)
    j = i
    while j < n and words[j].lower() in ROLE_WORDS and (j == i or j not in breaks):
        j += 1
    m = j
    while m < n and _is_name(words[m]) and words[m].lower() not in ROLE_WORDS and (m == i or m not in breaks):
        m += 1
    name_start = j
    if j > i and (m - j > MAX_NAME_AFTER_TITLE or (m - j > 1 and _is_acronym(words[j]))):
        name_start = max(j + 1, m - MAX_NAME_AFTER_TITLE)
        if name_start > j + 1 and _is_initial(words[name_start]):  # Dedie A Rachim
            name_start -= 1
    return Mention(i, j, name_start, m)


@dataclass
class _Labeller:
    """State while one article is labelled left to right."""

    words: Sequence[str]
    paragraphs: Sequence[int] = ()
    spans: list[Span] = field(default_factory=list)
    speakers: list[set[str]] = field(default_factory=list)  # names of speakers tagged so far

    def __post_init__(self) -> None:
        self.breaks = frozenset(self.paragraphs)  # for membership; ``paragraphs`` stays sorted
        self.tagged = [False] * len(self.words)
        self.first_seen: dict[str, int] = {}
        for i, w in enumerate(self.words):
            self.first_seen.setdefault(w, i)

    def taken(self, i: int) -> bool:
        return self.tagged[i]

    def add(self, label: str, start: int, end: int) -> None:
        if start < end and not any(self.tagged[start:end]):
            self.spans.append(Span(label, start, end))
            self.tagged[start:end] = [True] * (end - start)

    # -- speakers ---------------------------------------------------------

    def speaker(self, i: int, known_ok: bool = True) -> None:
        """Tag the speaker mention at ``i`` (after a plain cue).

        Title words are ROLE; the organisation part (see :func:`parse_speaker`) is
        AFFILIATION when it holds an acronym (``NATO``, ``KPU``) and otherwise part
        of the title (``Menteri Keuangan``). The name is PERSON the first time it
        appears in the article and PERSONCOREF when all its words came earlier (a
        speaker introduced before, or the surname of ``Jens Stoltenberg``). A bare
        title (``kata Presiden``) or pronoun (``kata dia``) is PERSONCOREF.
        ``known_ok=False`` (indirect speech) tags new names only, as PFSA-ID does.
        """
        mention = parse_speaker(self.words, i, self.breaks)
        j, k, m = mention.title_end, mention.name_start, mention.end
        if m > k:
            name = set(self.words[k:m])
            known = all(self.first_seen[w] < k for w in name) or any(name <= s for s in self.speakers)
            if known and not known_ok:
                return
            if any(_is_acronym(w) for w in self.words[j:k]):
                self.add("ROLE", i, j)
                self.add("AFFILIATION", j, k)
            else:
                self.add("ROLE", i, k)
            self.add("PERSONCOREF" if known else "PERSON", k, m)
            if not known:
                self.speakers.append(name)
        elif known_ok and j > i:
            self.add("PERSONCOREF", i, j)
        elif known_ok and i < len(self.words) and self.words[i].lower() in PRONOUNS:
            self.add("PERSONCOREF", i, i + 1)

    def cue(self, i: int) -> None:
        """Tag the cue at ``i`` and, after a plain cue, its speaker."""
        label = cue_label(self.words[i])
        if label:
            self.add(label, i, i + 1)
        if label == "CUE":
            self.speaker(i + 1)

    # -- quotations -------------------------------------------------------

    def cue_after(self, c: int) -> int | None:
        """Index of a cue right after the mark at ``c`` (``” kata``, ``” , kata``)."""
        return cue_after(self.words, c + 1)

    def opening(self, marks: list[int], c: int, floor: int) -> int | None:
        """The mark opening the quotation closed at ``c``: the nearest mark before it,
        moved back over paragraphs that open a quotation and never close it."""
        at = bisect_left(marks, c)
        if at == 0 or marks[at - 1] < floor:
            return None
        o = marks[at - 1]
        while o in self.breaks:
            p = bisect_left(self.paragraphs, o)
            if p == 0:
                break
            unclosed = marks[bisect_left(marks, max(self.paragraphs[p - 1], floor)) : bisect_left(marks, o)]
            if len(unclosed) % 2 == 0:
                break
            o = unclosed[-1]
        return o

    def quotations(self) -> None:
        """Quotations closed by a mark with a cue after it, then those with a cue before."""
        marks = [i for i, t in enumerate(self.words) if t in QUOTE_MARKS]
        floor = 0  # quotations do not overlap
        for c in marks:
            q = self.cue_after(c)
            if q is None:
                continue
            o = self.opening(marks, c, floor)
            if o is not None and c - o >= 2:
                self.add("STATEMENT", o, c + 1)
                self.cue(q)
                floor = c + 1
        for a, b in zip(marks, marks[1:]):
            q = self.cue_before(a)
            if q is not None and b - a >= 2 and not self.taken(a) and not self.taken(b):
                self.add("STATEMENT", a, b + 1)
                self.cue(q)

    def cue_before(self, a: int) -> int | None:
        """Index of the cue in ``katanya : ”`` or ``kata Presiden , ”`` before the mark at ``a``."""
        w = self.words
        if a < 2 or w[a - 1] not in {",", ":"}:
            return None
        if cue_label(w[a - 2]) == "CUECOREF":
            return a - 2
        for q in range(max(0, a - 10), a - 1):
            if cue_label(w[q]) == "CUE" and parse_speaker(w, q + 1, self.breaks).end == a - 1:
                return q
        return None

    # -- indirect speech and the lead --------------------------------------

    def indirect_speakers(self) -> None:
        """``..., kata Sekjen NATO Jens Stoltenberg``: PFSA-ID tags a speaker introduced
        in indirect speech (the cue itself stays O); later mentions there stay O."""
        w = self.words
        for i in range(1, len(w) - 1):
            if w[i - 1] == "," and cue_label(w[i]) == "CUE" and not self.taken(i):
                self.speaker(i + 1, known_ok=False)

    def introductions(self) -> None:
        """``Sekjen NATO Jens Stoltenberg ( , ) mengatakan``: a new speaker introduced
        before a reporting verb is tagged as PFSA-ID does (the verb stays O)."""
        w = self.words
        for v in range(1, len(w)):
            if w[v] not in REPORTING_VERBS:
                continue
            end = v - 1 if w[v - 1] == "," else v
            start = end
            while start > 0 and start not in self.breaks and (
                _is_name(w[start - 1]) or w[start - 1].lower() in ROLE_WORDS
            ):
                start -= 1
            titles = [i for i in range(start, end) if w[i].lower() in ROLE_WORDS]
            if titles:
                start = titles[0]
            elif end - start > MAX_NAME_AFTER_TITLE + 1:
                continue
            if start < end and parse_speaker(w, start, self.breaks).end == end and not self.taken(start):
                self.speaker(start, known_ok=False)

    def lead(self) -> None:
        """ISSUE: the first sentence after the dateline (``JAKARTA , KOMPAS —``), up to
        its final stop, the paragraph end or an indirect-speech attribution (``, kata``)."""
        w = self.words
        start = 0
        for i, t in enumerate(w[:10]):
            if t in DASHES:
                if all(_is_name(x) or x in OUTLETS or x in {",", "(", ")"} for x in w[:i]):
                    start = i + 1
                break
        end = start
        while end < len(w) and w[end] not in SENTENCE_END and not self.taken(end):
            if (w[end] == "," and end + 1 < len(w) and cue_label(w[end + 1])) or (
                end > start and end in self.breaks
            ):
                break
            end += 1
        self.add("ISSUE", start, end)


def label_tokens(
    tokens: Sequence[str], paragraph_starts: Sequence[int] = (), issue: bool = True
) -> list[str]:
    """IOB2 PFSA-ID tags for one whole article's tokens.

    ``paragraph_starts`` lets quotations run over paragraphs that reopen the
    quote without closing it; ``issue=False`` skips the lead rule (use it when the
    tokens are not the start of an article).
    """
    lab = _Labeller(tokens, sorted(paragraph_starts))
    lab.quotations()
    if issue:
        lab.lead()
    lab.indirect_speakers()
    lab.introductions()
    return spans_to_iob2(lab.spans, len(tokens))


def label_article(article: Article) -> list[str]:
    """:func:`label_tokens` for an :class:`Article`, using its paragraph breaks."""
    return label_tokens(article.words, paragraph_starts(article.text, article.tokens))


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Print the spans the silver labeller finds in a text file.")
    parser.add_argument("file", help="plain-text article (UTF-8)")
    args = parser.parse_args(argv)
    article = read_text(args.file)
    for span in iob2_spans(label_article(article)):
        start, end = article.tokens[span.start].start, article.tokens[span.end - 1].end
        print(f"{span.label}\t{start}-{end}\t{article.text[start:end]}")


if __name__ == "__main__":
    main()
