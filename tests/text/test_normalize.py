"""normalize(): NFC without invisible characters, and every offset mapped back to the original text."""

from __future__ import annotations

import random
import unicodedata

import pytest

from indoquote.text.articles import tokenize
from indoquote.text.normalize import INVISIBLE, is_blank, normalize


def reference(text: str) -> str:
    return unicodedata.normalize("NFC", text.translate(dict.fromkeys(map(ord, INVISIBLE))))


def test_clean_text_is_returned_as_it_is():
    text = "Kata Menteri: “Harga naik,” ujarnya. Kafé di Bogor."  # already NFC, no invisible characters
    n = normalize(text)
    assert n.text is text and not n.changed
    assert list(n.to_original) == list(range(len(text) + 1)) and n.span(5, 12) == (5, 12)


@pytest.mark.parametrize(
    "text, clean",
    [
        ("Sri\u200dMulyani", "SriMulyani"),  # zero-width joiner
        ("Sri\u200cMulyani", "SriMulyani"),  # zero-width non-joiner
        ("harga\u200b naik", "harga naik"),  # zero-width space
        ("\ufeffKata dia", "Kata dia"),  # BOM
        ("ke\u00adbi\u00adja\u00adkan", "kebijakan"),  # soft hyphens
        ("Sri\u2060Mulyani", "SriMulyani"),  # word joiner
        ("cafe\u0301", "caf\u00e9"),  # decomposed accent -> one character
        ("e\u200d\u0301", "\u00e9"),  # an accent behind a removed joiner still composes
    ],
)
def test_invisible_characters_go_and_accents_compose(text, clean):
    n = normalize(text)
    assert n.text == clean == reference(text) and n.changed
    assert len(n.to_original) == len(n.text) + 1 and n.to_original[-1] == len(text)
    assert n.span(0, len(n.text)) == (text.index(text.lstrip(INVISIBLE)[0]), len(text.rstrip(INVISIBLE)))


def test_tokens_map_back_to_the_original_text():
    text = "\ufeff“Harga\u200b naik,” kata Menteri Sri\u200dMulyani di kafe\u0301 itu."
    n = normalize(text)
    spans = {text[a:b] for a, b in (n.span(t.start, t.end) for t in tokenize(n.text))}
    assert "Sri\u200dMulyani" in spans and "kafe\u0301" in spans and "Harga" in spans  # no trailing \u200b
    assert not any(s.strip(INVISIBLE) != s for s in spans)  # no span begins or ends with an invisible character
    assert [t.text for t in tokenize(n.text)][:4] == ["“", "Harga", "naik", ","]


def test_maps_are_monotone_and_spans_never_empty_on_random_text():
    rng = random.Random(7)
    alphabet = "ae io\u0301\u0302\u0323" + INVISIBLE + "\u1100\u1161\u11a8\u0b47\u0b3e\u0958é.“”"
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14)))
        n = normalize(text)
        assert n.text == reference(text), repr(text)
        assert list(n.to_original) == sorted(n.to_original) and n.to_original[-1] == len(text)
        pieces = list(dict.fromkeys(n.span(i, i + 1) for i in range(len(n.text))))
        assert all(0 <= a < b <= len(text) for a, b in pieces)
        # each piece is where its characters came from
        assert "".join(reference(text[a:b]) for a, b in pieces) == n.text


def test_is_blank():
    assert is_blank("") and is_blank(" \n\t") and is_blank("\u200b\ufeff \u00ad")
    assert not is_blank("\u200bA")
