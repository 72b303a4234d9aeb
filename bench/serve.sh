#!/usr/bin/env bash
# Withdrawals per second through `scruple serve`'s API (issue 15), on SQLite
# and on PostgreSQL, see BENCHMARKS.md. Each withdrawal is one HTTP request
# over loopback that withdraws a consent and purges the one record holding
# its subject's value (re-redaction, a purge entry and a withdrawal event in
# the provenance log). go test -bench, COUNT runs of N withdrawals each;
# benchstat summarises.
#
#   SCRUPLE_TEST_POSTGRES=postgres://root@127.0.0.1:5432/db?sslmode=disable bench/serve.sh
#   COUNT=10 N=300 bench/serve.sh
#
# Raw results go to bench/results/serve-<commit>/. Built from a git archive
# of SCRUPLE_REF (default HEAD; SCRUPLE_REF=worktree for the working tree).
set -euo pipefail

COUNT=${COUNT:-10}
N=${N:-300}

BENCH=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$BENCH/.." && pwd)
COMMIT=$(git -C "$ROOT" rev-parse --short "${SCRUPLE_REF:-HEAD}^{commit}")
OUT=${OUT:-$BENCH/results/serve-$COMMIT}
WORK=${WORK:-$(mktemp -d "${TMPDIR:-/tmp}/scruple-servebench.XXXXXX")}
mkdir -p "$OUT"
BENCHSTAT=${BENCHSTAT:-$(command -v benchstat || echo "$(go env GOPATH)/bin/benchstat")}
. "$BENCH/lib/source.sh"
scruple_source "$WORK/src"

{
	echo "date	$(date -Iseconds)"
	echo "host	$(uname -srm), $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB"
	echo "go	$(go version)"
	echo "scruple	$SRC_DESC"
	echo "postgres	$( [ -n "${SCRUPLE_TEST_POSTGRES:-}" ] && psql "$SCRUPLE_TEST_POSTGRES" -Atc 'SHOW server_version' 2>/dev/null || echo 'not set: skipped')"
	echo "uptime	$(uptime)"
	echo "command	go test -run '^\$' -bench BenchmarkWithdraw -benchtime ${N}x -count $COUNT ./serve/"
} | tee "$OUT/env.txt"

cd "$SRC"
nice go test -run '^$' -bench BenchmarkWithdraw -benchtime "${N}x" -count "$COUNT" ./serve/ | tee "$OUT/bench.txt"
if [ -x "$BENCHSTAT" ]; then
	"$BENCHSTAT" "$OUT/bench.txt" | tee "$OUT/benchstat.txt"
fi
echo "uptime after	$(uptime)" >> "$OUT/env.txt"
