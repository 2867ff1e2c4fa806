"""Checks shared by the tests of the hand-made gold sets (data/genre-articles, data/outlet-articles): every offset
points at its text, spans do not overlap, and a fixed held-out part is half of each outlet and genre."""

import json
from collections import Counter
from itertools import pairwise
from pathlib import Path

from indoquote.data.gold import GoldArticle, select_part
from indoquote.scoring.quotes import MIN_WORDS, n_words

OPENING, CLOSING = "\"“”'‘", "\"”“'’"


def records(files: list[Path]) -> list[dict]:
    return [json.loads(line) for f in files for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]


def check_offsets(recs: list[dict]) -> None:
    """Every span equals its slice; direct quotations run mark to mark (or say they are never closed) and have at
    least MIN_WORDS words; indirect ones are stripped and end before the full stop; no two quotations overlap."""
    for rec in recs:
        text = rec["text"]
        for q in rec["quotes"]:
            for span in (q, q["cue"], q["speaker_mention"]):
                if span is not None:
                    assert text[span["start"] : span["end"]] == span["text"], (rec["id"], span)
            if q["kind"] == "direct":
                assert q["text"][0] in OPENING, (rec["id"], q["text"][:20])
                assert q["text"][-1] in CLOSING or "never closed" in q.get("note", ""), (rec["id"], q["text"][-20:])
                assert n_words(q["text"]) >= MIN_WORDS, (rec["id"], q["text"])
            else:
                assert q["text"] == q["text"].strip() and not q["text"].endswith("."), (rec["id"], q["text"][-20:])
            assert q["speaker"], (rec["id"], q["text"][:30])
        spans = sorted((q["start"], q["end"]) for q in rec["quotes"])
        assert all(a[1] <= b[0] for a, b in pairwise(spans)), rec["id"]


def check_fixed_part(arts: list[GoldArticle], heldout: set[str]) -> None:
    """The held-out ids are exactly ``heldout``, and each (outlet, genre) is split in half, give or take one."""
    held = select_part(arts, "heldout")
    assert {a.id for a in held} == heldout
    assert len(held) + len(select_part(arts, "tune")) == len(arts)
    strata = Counter((a.outlet, a.meta["genre"]) for a in arts)
    held_strata = Counter((a.outlet, a.meta["genre"]) for a in held)
    for stratum, n in strata.items():
        assert abs(2 * held_strata[stratum] - n) <= 1, stratum
