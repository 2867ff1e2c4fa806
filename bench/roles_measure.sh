#!/usr/bin/env bash
# Issue #33 figures: role and affiliation of the speaker-right quotations, before (the role assembly of 4fa4a58) and
# after (this checkout), on the genre and dev sets, then PFSA-ID test span F1. Heavy: run it under the CPU lock.
#   flock /work/cpu.lock bench/roles_measure.sh CHECKPOINT OUT "tune heldout" [pfsa_dir] [BEFORE_COMMIT]
# "before" is this checkout's src with quotes/linker_speakers.py as of 4fa4a58 (the old cluster_titles), so the
# tagger, the linker, the gold and the scoring are the same on both sides; only the role assembly differs.
# With BEFORE_COMMIT (e.g. a2ec0d9), "before" is that commit's src/indoquote/quotes/ (roles, title words, the
# linker's assembly) in this checkout's src instead; the gold and the scoring are this checkout's on both sides.
set -euo pipefail
CK=$1; OUT=$2; PARTS=${3:-tune}; PFSA=${4:-}; REF=${5:-}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$OUT"
BEFORE=$OUT/before/src  # beside its configs/ and data/, as in a checkout (indoquote.paths looks there)
rm -rf "$OUT/before"; mkdir -p "$OUT/before"
cp -r "$ROOT/src" "$ROOT/configs" "$ROOT/data" "$OUT/before/"
if [ -n "$REF" ]; then
  rm -rf "$BEFORE/indoquote/quotes"
  git -C "$ROOT" archive "$REF" src/indoquote/quotes | tar -x -C "$OUT/before"
else
  git -C "$ROOT" show 4fa4a58:src/indoquote/quotes/linker_speakers.py > "$BEFORE/indoquote/quotes/linker_speakers.py"
fi
echo "checkpoint $CK (linker $(md5sum "$CK/linker.safetensors" | cut -c1-12)); commit $(git -C "$ROOT" rev-parse --short HEAD)"
for part in $PARTS; do
  for data in genre_articles:genre-articles dev_articles:dev-articles; do
    name=${data%%:*}; dir=${data##*:}
    for side in before after; do
      src=$ROOT/src; [ "$side" = before ] && src=$BEFORE
      echo "$(date -u +%H:%M:%S) $name $part $side"
      PYTHONPATH=$src indoquote evaluate checkpoint="$CK" data="$name" data.dir="$ROOT/data/$dir" data.part="$part" \
        out="$OUT/$name-$part-$side" device=cpu progress=false > "$OUT/$name-$part-$side.log" 2>&1
    done
  done
done
if [ -n "$PFSA" ]; then
  echo "$(date -u +%H:%M:%S) pfsa_id test"
  PYTHONPATH=$ROOT/src indoquote evaluate checkpoint="$CK" data=pfsa_id data.dir="$PFSA" split=test \
    out="$OUT/pfsa-test" device=cpu progress=false > "$OUT/pfsa-test.log" 2>&1
fi
echo "$(date -u +%H:%M:%S) done"
