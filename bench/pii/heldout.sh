#!/usr/bin/env bash
# Issue 11 item 4: accuracy on the held-out corpus (bench/pii/heldout).
# TUNE is the seed the engine was tuned on; HELDOUT the seed reported, never
# looked at while tuning. Scores the engine on each document's text, then
# writes the held-out files and scores `scruple scan --format json
# --show-values` on them end to end (whatever readers scan has at this
# commit). Output under bench/pii/results/heldout-DATE/; values are masked.
set -euo pipefail
TUNE=${TUNE:-1}
HELDOUT=${HELDOUT:-20261205}
N=${N:-60}
BENCH=$(cd "$(dirname "$0")/.." && pwd)
ROOT=$(cd "$BENCH/.." && pwd)
OUT=${OUT:-$BENCH/pii/results/heldout-$(date +%Y%m%d-%H%M%S)}
WORK=${WORK:-$(mktemp -d "${TMPDIR:-/tmp}/scruple-piheld.XXXXXX")}
mkdir -p "$OUT" "$WORK/bin"
{
	echo "date	$(date -Iseconds)"
	echo "scruple	$(git -C "$ROOT" rev-parse --short HEAD) (dirty files under pii/ bench/pii/: $(git -C "$ROOT" status --porcelain -- pii bench/pii | grep -v '^??' | wc -l))"
	echo "go	$(go version)"
	echo "seeds	tune $TUNE, held-out $HELDOUT, $N documents per kind"
} | tee "$OUT/meta.txt"
(cd "$BENCH" && go build -o "$WORK/bin/picorpus" ./pii/cmd/picorpus)
(cd "$ROOT" && go build -o "$WORK/bin/scruple" ./cmd/scruple)
"$WORK/bin/picorpus" score -seed "$TUNE" -n "$N" -examples > "$OUT/engine-tune-seed.txt"
"$WORK/bin/picorpus" score -seed "$HELDOUT" -n "$N" -examples > "$OUT/engine-heldout.txt"
rm -rf "$WORK/files" && "$WORK/bin/picorpus" gen -seed "$HELDOUT" -n "$N" -out "$WORK/files" > /dev/null
mv "$WORK/files/truth.jsonl" "$WORK/truth.jsonl" # not scanned: it holds the planted values
set +e
"$WORK/bin/scruple" scan --format json --show-values "$WORK/files" > "$WORK/scan.jsonl" 2> "$OUT/scan.stderr"
echo "scan exit $?" >> "$OUT/meta.txt"
set -e
grep -c '"type"' "$WORK/scan.jsonl" | sed 's/^/scan findings /' >> "$OUT/meta.txt" || true
grep -v '"value"' "$WORK/scan.jsonl" | head -50 > "$OUT/scan-nonfinding-lines.jsonl" || true
"$WORK/bin/picorpus" score -seed "$HELDOUT" -n "$N" -scan "$WORK/scan.jsonl" -examples > "$OUT/scan-heldout.txt"
head -30 "$OUT/engine-heldout.txt"
echo "results in $OUT"
