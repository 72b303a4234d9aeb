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
# Raw results go to bench/results/serve-<commit>/. Run on a clean tree.
set -euo pipefail

COUNT=${COUNT:-10}
N=${N:-300}

BENCH=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$BENCH/.." && pwd)
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD)
OUT=${OUT:-$BENCH/results/serve-$COMMIT}
mkdir -p "$OUT"
BENCHSTAT=${BENCHSTAT:-$(command -v benchstat || echo "$(go env GOPATH)/bin/benchstat")}

{
	echo "date	$(date -Iseconds)"
	echo "host	$(uname -srm), $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB"
	echo "go	$(go version)"
	echo "scruple	$COMMIT (dirty files outside bench/results: $(git -C "$ROOT" status --porcelain -- . ':!bench/results' | wc -l))"
	echo "postgres	$( [ -n "${SCRUPLE_TEST_POSTGRES:-}" ] && psql "$SCRUPLE_TEST_POSTGRES" -Atc 'SHOW server_version' 2>/dev/null || echo 'not set: skipped')"
	echo "uptime	$(uptime)"
	echo "command	go test -run '^\$' -bench BenchmarkWithdraw -benchtime ${N}x -count $COUNT ./serve/"
} | tee "$OUT/env.txt"

cd "$ROOT"
nice go test -run '^$' -bench BenchmarkWithdraw -benchtime "${N}x" -count "$COUNT" ./serve/ | tee "$OUT/bench.txt"
if [ -x "$BENCHSTAT" ]; then
	"$BENCHSTAT" "$OUT/bench.txt" | tee "$OUT/benchstat.txt"
fi
echo "uptime after	$(uptime)" >> "$OUT/env.txt"
