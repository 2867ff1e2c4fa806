"""Windows where the tagger went silent: the gold tags many words there, the model almost none.

    python bench/silent_windows.py EVAL/predictions.conll [EVAL2/predictions.conll ...] --model DIR

Reads the predictions ``indoquote evaluate ... out=EVAL`` wrote, cuts each document
into the model's inference windows (its tokenizer and saved window settings), and
counts the windows where the gold tags at least ``--min-gold`` words and the model
tags at most ``--share`` of that. Why: a tagger trained on partly annotated gold
learns to leave whole stretches of an article untagged (:mod:`indoquote.data.partial`);
this is how often it does. Prints one row per file and the silent windows.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from indoquote.data.corpus import read_predictions
from indoquote.model.resolve import window_for
from indoquote.model.windows import document_windows, encode_words
from indoquote.tables import render_table


def silent_windows(docs, tokenizer, window, min_gold: int = 10, share: float = 0.1) -> tuple[int, list[tuple]]:
    """``(windows, [(doc_id, first word, last word, gold tagged, predicted tagged), ...])`` for the silent ones."""
    total, silent = 0, []
    for d in docs:
        for w in document_windows(tokenizer, d.tokens, None, window, encoded=encode_words(tokenizer, d.tokens)):
            words = sorted({i for i in w["word_ids"] if i >= 0})
            gold = sum(d.tags[i] != "O" for i in words)
            pred = sum(d.pred[i] != "O" for i in words)
            total += 1
            if gold >= min_gold and pred <= share * gold:
                silent.append((d.doc_id, words[0], words[-1], gold, pred))
    return total, silent


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("predictions", nargs="+", type=Path, help="predictions.conll files of `indoquote evaluate`")
    ap.add_argument("--model", required=True, help="the checkpoint that made them (tokenizer and window settings)")
    ap.add_argument("--min-gold", type=int, default=10)
    ap.add_argument("--share", type=float, default=0.1)
    args = ap.parse_args(argv)
    from transformers import AutoTokenizer

    tokenizer, window = AutoTokenizer.from_pretrained(args.model, trust_remote_code=False), window_for(args.model)
    rows, listed = [], []
    for path in args.predictions:
        docs = read_predictions(path)
        total, silent = silent_windows(docs, tokenizer, window, args.min_gold, args.share)
        rows.append([str(path), len(docs), total, len(silent), sum(s[3] for s in silent)])
        listed += [[str(path.parent.name), *s] for s in silent]
    print(render_table(["predictions", "documents", "windows", "silent", "gold tagged words in them"], rows))
    if listed:
        print()
        print(render_table(["run", "document", "from word", "to word", "gold tagged", "predicted tagged"], listed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
