"""Lines that are no prose: headlines and links to other articles glued into the text.

Why: every word of a headline is capitalised (``Ikut Perburuk Kepuasan Masyarakat``), and so is a
``Baca Juga: Tonali Tolak Barcelona`` link; read as names they would be the article's most
prominent people. :func:`mask_headlines` labels their tokens ``EVENT`` before people are found
(:func:`indoquote.quotes.speakers.find_people`); the tagger's PERSON tags are kept.
"""

from __future__ import annotations

from typing import Sequence

from ..text.articles import QUOTE_MARKS, Token
from .names import PERSON_TAGS


def mask_headlines(text: str, tokens: Sequence[Token], labels: list[str | None]) -> list[str | None]:
    """Labels with the tokens of title-case lines (a headline: ``Ikut Perburuk Kepuasan Masyarakat``) set to EVENT.

    Every word of a headline is capitalised; read as names they would be the
    article's most prominent people. PERSON tags of the tagger are kept.
    """
    out = list(labels)
    line_start = 0
    lines = []
    for line in text.split("\n"):
        lines.append((line_start, line_start + len(line), line))
        line_start += len(line) + 1
    k = 0
    for a, b, line in lines:
        words = [w for w in line.split() if any(c.isalpha() for c in w)]
        caps = sum(w[:1].isupper() for w in words)
        headline = len(words) >= 3 and caps >= 0.7 * len(words) and not line.rstrip().endswith((".", '"', "”", ","))
        while k < len(tokens) and tokens[k].start < b:
            if headline and tokens[k].start >= a and out[k] not in PERSON_TAGS:
                out[k] = "EVENT"
            k += 1
    for k in range(len(tokens) - 2):  # ``Baca Juga: Tonali Tolak Barcelona``: links to other articles, glued in
        if tokens[k].text.casefold() == "baca" and tokens[k + 1].text.casefold() == "juga" and tokens[k + 2].text == ":":
            x = k + 3
            while x < len(tokens) and x < k + 40 and tokens[x].text not in QUOTE_MARKS:
                if out[x] not in PERSON_TAGS:
                    out[x] = "EVENT"
                x += 1
    return out
