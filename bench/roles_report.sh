#!/usr/bin/env bash
# Issue #33: the report of real articles with the role assembly of this checkout, and its screenshot (roles section).
# Heavy (tags N articles on the CPU): run it under the CPU lock.
#   flock /work/cpu.lock bench/roles_report.sh CHECKPOINT ARTICLES.parquet N OUT [docs/report-roles.png] [LABEL]
# Takes every (rows/N)-th article of ARTICLES.parquet (columns id, text, outlet, date, ...), tags them with
# `indoquote predict`, builds `indoquote report --top 12`, and screenshots its speakers and roles sections.
set -euo pipefail
CK=$1; ARTICLES=$2; N=$3; OUT=$4; PNG=${5:-}; LABEL=${6:-$(basename "$CK")}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$OUT"
python - "$ARTICLES" "$N" "$OUT/articles.parquet" <<'PY'
import sys

import pyarrow.parquet as pq

table = pq.read_table(sys.argv[1])
step = max(1, table.num_rows // int(sys.argv[2]))
pq.write_table(table.take(list(range(0, table.num_rows, step))[: int(sys.argv[2])]), sys.argv[3])
PY
echo "$(date -u +%H:%M:%S) tagging; checkpoint $CK; commit $(git -C "$ROOT" rev-parse --short HEAD)"
rm -rf "$OUT/quotes"
indoquote predict "$OUT/articles.parquet" --model "$CK" -o "$OUT/quotes" --device cpu --precision fp32 \
  --shard-rows 250 --progress
echo "$(date -u +%H:%M:%S) report"
indoquote report "$OUT/quotes" -o "$OUT/report" --top 12 \
  --title "Who is quoted: $N real Indonesian news articles, September 2019 ($LABEL)"
if [ -n "$PNG" ]; then
  python "$ROOT/bench/report_screenshot.py" "$OUT/report/report.html" -o "$PNG" \
    --sections "Most quoted speakers|Roles of the speakers"
fi
echo "$(date -u +%H:%M:%S) done"
