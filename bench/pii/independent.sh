#!/usr/bin/env bash
# Independent PI evaluation (bench/pii/independent/README.md).
#
# Builds scruple from a `git archive` of SCRUPLE_REF (default HEAD, so the
# figures belong to one commit), builds the generator and the scorer from the
# bench module, generates the corpus of each seed and scores
# `scruple scan --format json` on it. Raw results go to
# bench/pii/results/independent-DATE/seed-N/ (summary.txt, summary.json, and
# for the tuning seed the scored findings with values removed); tables.md
# puts the seeds side by side.
#
#   bench/pii/independent.sh                       # seeds 1 2 3, scruple at HEAD
#   SCRUPLE_REF=main bench/pii/independent.sh      # measure main
#   SEEDS=1 bench/pii/independent.sh               # the tuning seed only
#
# Seed 1 is the tuning seed. Seeds 2 and 3 are held out: only aggregates are
# written for them, and nobody tunes the engine on them.
#
# Nothing here prints or stores a value: the corpus (with truth.jsonl) stays
# in WORK (a temporary directory, removed at the end unless KEEP=1).
set -euo pipefail

ROOT=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
SCRUPLE_REF=${SCRUPLE_REF:-HEAD}
SEEDS=${SEEDS:-1 2 3}
HELDOUT=${HELDOUT:-2 3}
WORKERS=${WORKERS:-2}
KEEP=${KEEP:-0}
COMMIT=$(git -C "$ROOT" rev-parse "$SCRUPLE_REF")
OUT=${OUT:-$ROOT/bench/pii/results/independent-$(date +%Y%m%d-%H%M%S)}
WORK=$(mktemp -d -t pieval.XXXXXX) # under $TMPDIR, else /tmp
if [ "$KEEP" != 1 ]; then trap 'rm -rf "$WORK"' EXIT; fi

echo "== building scruple at $COMMIT (git archive) and the generator and scorer"
mkdir -p "$WORK/src"
git -C "$ROOT" archive "$COMMIT" | tar -x -C "$WORK/src"
(cd "$WORK/src" && go build -o "$WORK/scruple" ./cmd/scruple)
(cd "$ROOT/bench" && go build -o "$WORK/pigen" ./pii/independent/cmd/pigen \
	&& go build -o "$WORK/piscore" ./pii/independent/cmd/piscore)

mkdir -p "$OUT"
GEN_COMMIT=$(git -C "$ROOT" rev-parse HEAD)
GEN_DIRTY=$(git -C "$ROOT" status --porcelain -- bench/pii/independent | wc -l)
{
	echo "date: $(date -Is)"
	echo "scruple commit (SCRUPLE_REF=$SCRUPLE_REF): $COMMIT"
	echo "generator/scorer commit: $GEN_COMMIT (uncommitted files in bench/pii/independent: $GEN_DIRTY)"
	echo "seeds: $SEEDS; held out: $HELDOUT; scan --workers $WORKERS"
	echo "go: $(go version)"
	echo "machine: $(nproc) cores, shared with other engineers; load $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "command: SCRUPLE_REF=$SCRUPLE_REF SEEDS='$SEEDS' HELDOUT='$HELDOUT' bench/pii/independent.sh"
} > "$OUT/meta.txt"

for seed in $SEEDS; do
	flag=""
	case " $HELDOUT " in *" $seed "*) flag=-heldout ;; esac
	echo "== seed $seed ${flag:+(held out)}"
	"$WORK/pigen" -seed "$seed" -out "$WORK/corpus-$seed" | tee -a "$OUT/meta.txt"
	"$WORK/piscore" -scruple "$WORK/scruple" -corpus "$WORK/corpus-$seed" -seed "$seed" \
		-commit "$COMMIT" -workers "$WORKERS" -out "$OUT/seed-$seed" $flag >/dev/null
	grep -E '^(SUMMARY|scan:)' "$OUT/seed-$seed/summary.txt"
done
"$WORK/piscore" -combine "$OUT" > "$OUT/tables.md"
echo "== results in $OUT (tables.md: the seeds side by side)"
