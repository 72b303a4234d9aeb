#!/usr/bin/env bash
# CPU time of one Go benchmark in two test binaries, alternating (method:
# BENCHMARKS.md, "How we measure"). On a shared machine the wall time of a
# benchmark says whose turn the scheduler gave; the CPU time of a fixed number
# of iterations (GNU time's user + system, GOMAXPROCS=1) moves much less.
#
#   go test -c -o old.test ./extract   # at the old commit (git archive), copied here
#   go test -c -o new.test ./extract   # at the new commit
#   bench/goab.sh extract HTMLSynthetic 8000 old.test new.test 8
#
# The binaries' paths may be relative to the current directory. Runs in
# PKGDIR (benchmarks read testdata relative to their package) and
# prints one line per run: round, binary, user s, system s, ns/op (wall), and
# the total CPU of each binary and their ratio (new / old) at the end.
set -eu
[ $# -eq 6 ] || { echo "usage: $0 PKGDIR BENCH ITERATIONS OLD.test NEW.test ROUNDS" >&2; exit 2; }
dir=$1 bench=$2 iter=$3 old=$4 new=$5 rounds=$6
case $old in /*) ;; *) old=$PWD/$old ;; esac
case $new in /*) ;; *) new=$PWD/$new ;; esac
cd "$dir"
last=$(mktemp)
lines=$(mktemp)
trap 'rm -f "$last" "$lines"' EXIT
echo "# $(date -Is) $(uptime)"
echo "# bench $bench, -test.benchtime ${iter}x, GOMAXPROCS=1; columns: round binary user_s sys_s ns/op(wall)"
for i in $(seq "$rounds"); do
	for v in "$old" "$new"; do
		t=$({ /usr/bin/time -f "%U %S" env GOMAXPROCS=1 "$v" -test.run '^$' -test.bench "^Benchmark$bench\$" \
			-test.benchtime "${iter}x" >"$last"; } 2>&1)
		echo "$i $(basename "$v") $t $(awk '/^Benchmark/ {print $3}' "$last")" | tee -a "$lines"
	done
done
awk -v o="$(basename "$old")" -v n="$(basename "$new")" '{cpu[$2] += $3 + $4; c[$1, $2] = $3 + $4; r = $1}
	END {printf "# CPU s: %s %.2f, %s %.2f, ratio new/old %.3f; per round:", o, cpu[o], n, cpu[n], cpu[n] / cpu[o]
	for (i = 1; i <= r; i++) printf " %.3f", c[i, n] / c[i, o]; print ""}' "$lines"
echo "# $(date -Is) $(uptime)"
