#!/usr/bin/env bash
# The same scruple binary crawling the synthetic web under different GOGC
# values, alternating (method: BENCHMARKS.md, "How we measure"): what the
# collector setting alone costs or gains, with nothing else changed.
#
#   bench/gogc.sh                          # GOGC 200 vs 400, 5 rounds, HEAD
#   VALUES="200 400 800" ROUNDS=7 SCRUPLE_REF=abc123 bench/gogc.sh
#
# Each run is `scruple crawl` with the flags of bench/crawl.sh (P=4 C=32,
# --delay 0, --no-sitemaps) under /usr/bin/time -v, a fresh data directory
# per run; GOGC set in the environment (which the binary's own default
# yields to). Raw results: bench/results/gogc-DATE-REF/runs.tsv. All traffic
# stays on 127.0.0.0/8.
set -euo pipefail
{
SCRUPLE_REF=${SCRUPLE_REF:-HEAD}
VALUES=${VALUES:-200 400}
ROUNDS=${ROUNDS:-5}
P=${P:-4}
C=${C:-32}
BENCH=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$BENCH/.." && pwd)
COMMIT=$(git -C "$ROOT" rev-parse --short "$SCRUPLE_REF")
OUT=${OUT:-$BENCH/results/gogc-$(date +%Y%m%d-%H%M%S)-$COMMIT}
mkdir -p "$OUT"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/scruple-gogc.XXXXXX")
SERVER_PID=
cleanup() {
	[ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
	rm -rf "$WORK"
}
trap cleanup EXIT
mkdir -p "$WORK/src"
git -C "$ROOT" archive "$SCRUPLE_REF" | tar -x -C "$WORK/src"
(cd "$WORK/src" && go build -o "$WORK/testweb" ./internal/testweb/cmd/testweb && go build -o "$WORK/scruple" ./cmd/scruple)
"$WORK/testweb" -hosts 20 -pages 1000 -first-ip 127.0.0.2 >"$OUT/testweb.out" 2>"$OUT/testweb.err" &
SERVER_PID=$!
for _ in $(seq 600); do grep -qx ready "$OUT/testweb.out" 2>/dev/null && break; sleep 0.1; done
SEEDS=$(awk '$1 == "seed" {print $2}' "$OUT/testweb.out")
for s in $SEEDS; do case "$s" in http://127.*) ;; *) echo "seed $s is not on 127.0.0.0/8" >&2; exit 1 ;; esac; done
{
	echo "date	$(date -Is)"
	echo "scruple	commit $COMMIT; GOGC values: $VALUES; rounds $ROUNDS; per-host $P, total $C"
	echo "uptime	$(uptime)"
} | tee "$OUT/meta.txt"
printf 'round\tgogc\twall_s\trss_kb\tcpu_s\tload1_before\n' >"$OUT/runs.tsv"
for r in $(seq "$ROUNDS"); do
	for g in $VALUES; do
		rm -rf "$WORK/data"
		l=$(cut -d' ' -f1 /proc/loadavg)
		GOGC=$g /usr/bin/time -v -o "$OUT/run-$r-$g.time" "$WORK/scruple" crawl --data "$WORK/data" --allow-cidr 127.0.0.0/8 \
			--delay 0 --per-host "$P" --concurrency "$C" --no-sitemaps --quiet $SEEDS >"$OUT/run-$r-$g.out" 2>&1
		awk -F': ' -v r="$r" -v g="$g" -v l="$l" '/User time/ {u = $2} /System time/ {s = $2} /Maximum resident/ {m = $2}
			/Elapsed \(wall clock\)/ {n = split($2, a, ":"); w = 0; for (i = 1; i <= n; i++) w = w * 60 + a[i]}
			END {printf "%s\t%s\t%s\t%s\t%.2f\t%s\n", r, g, w, m, u + s, l}' "$OUT/run-$r-$g.time" | tee -a "$OUT/runs.tsv"
	done
done
echo "uptime after	$(uptime)" | tee -a "$OUT/meta.txt"
# medians per value, and the median of the per-round ratios against the first value
awk -F'\t' 'NR > 1 {cpu[$2, $1] = $5; rss[$2, $1] = $4; wall[$2, $1] = $3; if (!($2 in seen)) {seen[$2] = 1; order[++n] = $2}; r = $1 > r ? $1 : r}
	function med(a, k,   i, m, t, j) {m = 0; for (i = 1; i <= r; i++) t[++m] = a[k, i]; for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (t[j] < t[i]) {x = t[i]; t[i] = t[j]; t[j] = x}; return t[int((m + 1) / 2)]}
	END {for (v = 1; v <= n; v++) {k = order[v]; for (i = 1; i <= r; i++) {rc[i] = cpu[k, i] / cpu[order[1], i]; rr[i] = rss[k, i] / rss[order[1], i]; rw[i] = wall[k, i] / wall[order[1], i]}
		m = 0; delete t; for (i = 1; i <= r; i++) t[++m] = rc[i]; asort(t); c = t[int((m + 1) / 2)]
		m = 0; delete t; for (i = 1; i <= r; i++) t[++m] = rr[i]; asort(t); s = t[int((m + 1) / 2)]
		m = 0; delete t; for (i = 1; i <= r; i++) t[++m] = rw[i]; asort(t); w = t[int((m + 1) / 2)]
		printf "GOGC=%s: median CPU %.2f s, wall %.2f s, peak RSS %.1f MB; median ratio to GOGC=%s: CPU %.3f, wall %.3f, RSS %.3f\n", k, med(cpu, k), med(wall, k), med(rss, k) / 1024, order[1], c, w, s}}' \
	"$OUT/runs.tsv" | tee "$OUT/summary.txt"
echo "raw results: $OUT"
exit
}
