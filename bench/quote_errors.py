"""What a checkpoint gets wrong on the TUNE part of a quote-level gold set: missed quotations, wrong speakers.

    python bench/quote_errors.py --model DIR [--articles data/genre-articles] [--kinds direct,indirect]

Lists, per article of the tune part, every gold quotation the model missed, every matched one given to
another person (gold speaker, the mention the gold names, the model's speaker) and every predicted one that matches
no gold quotation (spurious: what costs precision), then counts. The held-out
part is refused on purpose: its errors are not to be read until the end (issue #25), only its aggregate
figures (`indoquote evaluate ... data.part=heldout`).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from indoquote.data.gold import KINDS, Quote, from_records, read_gold_files, select_part
from indoquote.scoring.metrics import match_ranges, same_speaker
from indoquote.scoring.quotes import MIN_WORDS, n_words


def errors(gold: list[Quote], pred: list[Quote], text: str) -> list[str]:
    """One line per missed or wrongly attributed gold quotation of one article and kind."""
    match = match_ranges([(q.start, q.end) for q in gold], [(q.start, q.end) for q in pred], 0.5, longer=True)
    lines = []
    for i, g in enumerate(gold):
        snippet = " ".join(text[g.start : g.end].split())[:70]
        mention = text[g.speaker_mention[0] : g.speaker_mention[1]] if g.speaker_mention else None
        cue = text[g.cue[0] : g.cue[1]] if g.cue else None
        if i not in match:
            lines.append(f"  missed {g.kind}: {snippet!r} (cue {cue!r})")
        elif g.speaker and not same_speaker(g.speaker, pred[match[i]].speaker):
            lines.append(f"  speaker {g.kind}: gold {g.speaker!r} (mention {mention!r}, cue {cue!r}), "
                         f"model {pred[match[i]].speaker!r}: {snippet!r}")
    matched = set(match.values())
    for j, q in enumerate(pred):
        if j not in matched and n_words(text[q.start : q.end]) >= MIN_WORDS:  # what the gold judges (scoring.quotes)
            snippet = " ".join(text[q.start : q.end].split())[:70]
            lines.append(f"  spurious {q.kind}: {snippet!r} (model speaker {q.speaker!r})")
    return lines


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--model", required=True)
    p.add_argument("--articles", default="data/genre-articles")
    p.add_argument("--kinds", default="direct")
    p.add_argument("--part", default="tune", help="only 'tune': the held-out part's errors are not listed")
    a = p.parse_args(argv)
    if a.part != "tune":
        raise SystemExit("only the tune part's errors are listed; score the held-out part with indoquote evaluate")
    kinds = [k for k in a.kinds.split(",") if k]
    if not set(kinds) <= set(KINDS):
        raise SystemExit(f"--kinds must be among {KINDS}, got {a.kinds!r}")
    from indoquote.pipeline.tagger import QuoteTagger

    arts = select_part(read_gold_files(sorted(Path(a.articles).glob("*.jsonl"))), "tune")
    tagger = QuoteTagger.from_pretrained(a.model, device="cpu", kinds=kinds)
    tagged = tagger.tag_batch([x.text for x in arts], [x.id for x in arts])
    count = 0
    for art, t in zip(arts, tagged):
        pred = from_records(t.records)
        lines = [line for kind in kinds for line in errors([q for q in art.quotes if q.kind == kind],
                                                             [q for q in pred if q.kind == kind], art.text)]
        if lines:
            print(f"{art.id} ({art.outlet}, {art.meta.get('genre')})", *lines, sep="\n")
            count += len(lines)
    print(f"{count} errors in {len(arts)} tune articles ({', '.join(kinds)})")
    return count


if __name__ == "__main__":
    main()
