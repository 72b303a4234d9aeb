#!/usr/bin/env bash
# Crawl throughput, scruple vs Colly v2, side by side (method: BENCHMARKS.md,
# "How we measure").
#
# Builds testweb, scruple and bench/cmd/collycrawl, starts one web on
# 127.0.0.2, 127.0.0.3, ... and runs the two crawlers
# alternately (scruple, colly, scruple, colly, ...) PAIRS times with the same
# per-host and total concurrency, each under /usr/bin/time -v. Pages are
# counted by the server (/__stats deltas). Raw results go to
# bench/results/crawl-DATE-pP-cC/; a summary table is printed at the end.
#
#   bench/crawl.sh                      # P=4 C=32 PAIRS=5
#   P=2 C=16 PAIRS=7 bench/crawl.sh
#   WAIT_LOAD=0 bench/crawl.sh          # do not wait for a quiet machine
#   SCRUPLE_REF=worktree bench/crawl.sh # build scruple from the working tree
#   CORPUS=docs P=8 C=16 bench/crawl.sh  # the real-documentation corpus
#   PEER_REF=abc123 bench/crawl.sh      # scruple at HEAD vs scruple at abc123
#                                       # (what one change gained), not Colly
#   WATCH=1 bench/crawl.sh              # scruple alone vs scruple watched by
#                                       # `scruple serve` and a console polling
#                                       # its status (issue 15), not Colly
#
# CORPUS=synthetic (default): testweb's BenchSpec, HOSTS x PAGES generated
# pages. CORPUS=docs: the HTML of Debian's postgresql-doc-15, python3.11-doc
# and debian-reference-zh-cn packages (installed with apt-get when missing),
# one package per host, served by bench/cmd/docsite.
#
# scruple and testweb are built from a `git archive` of SCRUPLE_REF (default
# HEAD), so the figures belong to one commit even while the tree changes.
#
# All traffic stays on 127.0.0.0/8.
set -euo pipefail
# The whole script is one block, so bash reads it all before running it: an
# edit of this file during a run cannot change the run.
{

SCRUPLE_REF=${SCRUPLE_REF:-HEAD}
# PEER_REF: when set, the peer (B) is scruple built from this ref instead of
# Colly, with the same flags: the pair ratio is then what the commits between
# PEER_REF and SCRUPLE_REF gained.
PEER_REF=${PEER_REF:-}
# Build tags: SCRUPLE_TAGS for scruple, PEER_TAGS for the peer. PEER_TAGS
# alone compares SCRUPLE_REF with itself built with those tags, e.g.
# PEER_TAGS=scruple_nolog: the same crawl without the provenance log (a
# benchmark-only build; see crawler/logswitch_off.go).
SCRUPLE_TAGS=${SCRUPLE_TAGS:-}
PEER_TAGS=${PEER_TAGS:-}
# WATCH=1: the peer is the same scruple crawl with `scruple serve` on its data
# directory and a poller asking /api/v1/status every WATCH_EVERY seconds, as
# an open console does (2 s).
WATCH=${WATCH:-}
WATCH_EVERY=${WATCH_EVERY:-2}
[ -n "$PEER_TAGS" ] && PEER_REF=${PEER_REF:-$SCRUPLE_REF}
CORPUS=${CORPUS:-synthetic}
# extra flags for scruple crawl (e.g. SCRUPLE_FLAGS=--warc); recorded in meta.txt
SCRUPLE_FLAGS=${SCRUPLE_FLAGS:-}

P=${P:-4}
C=${C:-32}
PAIRS=${PAIRS:-5}
HOSTS=${HOSTS:-20}
PAGES=${PAGES:-1000}
FIRST_IP=${FIRST_IP:-127.0.0.2}
WAIT_LOAD=${WAIT_LOAD:-1}       # wait for 1-min load < LOAD_MAX before starting
LOAD_MAX=${LOAD_MAX:-1.0}
LOAD_WAIT_MAX=${LOAD_WAIT_MAX:-600}
COLLY_TEXT=${COLLY_TEXT:-true}  # collycrawl computes title + body text length

case "$FIRST_IP" in 127.*) ;; *) echo "FIRST_IP must be in 127.0.0.0/8" >&2; exit 2 ;; esac
[ -x /usr/bin/time ] || { echo "need /usr/bin/time (GNU time)" >&2; exit 2; }

BENCH=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$BENCH/.." && pwd)
STAMP=$(date +%Y%m%d-%H%M%S)
OUT=${OUT:-$BENCH/results/crawl-$CORPUS-$STAMP-p$P-c$C${PEER_REF:+-vs-$(echo "$PEER_REF" | tr -c "A-Za-z0-9._\n-" _)}${PEER_TAGS:+-$PEER_TAGS}${WATCH:+-watched}}
mkdir -p "$OUT"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/scruple-crawlbench.XXXXXX")
SERVER_PID=

cleanup() {
	if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
		kill "$SERVER_PID" 2>/dev/null || true
		wait "$SERVER_PID" 2>/dev/null || true
	fi
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "== building into $WORK/bin (scruple at $SCRUPLE_REF)"
mkdir -p "$WORK/bin"
if [ "$SCRUPLE_REF" = worktree ]; then
	SRC=$ROOT
	SCRUPLE_COMMIT="$(git -C "$ROOT" rev-parse --short HEAD)+worktree"
else
	SRC=$WORK/src
	mkdir -p "$SRC"
	git -C "$ROOT" archive "$SCRUPLE_REF" | tar -x -C "$SRC"
	SCRUPLE_COMMIT=$(git -C "$ROOT" rev-parse --short "$SCRUPLE_REF")
fi
(cd "$SRC" && go build -o "$WORK/bin/testweb" ./internal/testweb/cmd/testweb)
(cd "$SRC" && go build -tags "$SCRUPLE_TAGS" -o "$WORK/bin/scruple" ./cmd/scruple)
PEER=colly
if [ -n "$PEER_REF" ]; then
	if [ "$PEER_REF" = worktree ]; then
		PEER_COMMIT="$(git -C "$ROOT" rev-parse --short HEAD)+worktree"
	else
		PEER_COMMIT=$(git -C "$ROOT" rev-parse --short "$PEER_REF")
	fi
	PEER=scruple-$PEER_COMMIT${PEER_TAGS:+-$(echo "$PEER_TAGS" | tr -c "A-Za-z0-9_\n" _)}
	mkdir -p "$WORK/peersrc"
	if [ "$PEER_REF" = worktree ]; then
		PEER_SRC=$ROOT
	else
		PEER_SRC=$WORK/peersrc
		git -C "$ROOT" archive "$PEER_REF" | tar -x -C "$PEER_SRC"
	fi
	(cd "$PEER_SRC" && go build -tags "$PEER_TAGS" -o "$WORK/bin/peer" ./cmd/scruple)
fi
(cd "$BENCH" && go build -o "$WORK/bin/collycrawl" ./cmd/collycrawl && go build -o "$WORK/bin/benchsum" ./cmd/benchsum &&
	go build -o "$WORK/bin/docsite" ./cmd/docsite)

case "$CORPUS" in
synthetic)
	echo "== starting testweb: $HOSTS hosts x $PAGES pages from $FIRST_IP"
	"$WORK/bin/testweb" -hosts "$HOSTS" -pages "$PAGES" -first-ip "$FIRST_IP" >"$OUT/testweb.out" 2>"$OUT/testweb.err" &
	;;
docs)
	PGDOC=/usr/share/doc/postgresql-doc-15/html PYDOC=/usr/share/doc/python3.11/html DEBREF=/usr/share/debian-reference
	if [ ! -d "$PGDOC" ] || [ ! -d "$PYDOC" ] || [ ! -d "$DEBREF" ]; then
		echo "== installing the documentation packages"
		apt-get install -y -q postgresql-doc-15 python3.11-doc debian-reference-zh-cn >"$OUT/apt.log" 2>&1
	fi
	HOSTS=3
	echo "== starting docsite: 3 hosts from $FIRST_IP"
	"$WORK/bin/docsite" -first-ip "$FIRST_IP" -dir "pg=$PGDOC" -dir "py=$PYDOC" -dir "debref=$DEBREF" \
		>"$OUT/testweb.out" 2>"$OUT/testweb.err" &
	;;
*) echo "CORPUS must be synthetic or docs" >&2; exit 2 ;;
esac
SERVER_PID=$!
for _ in $(seq 600); do
	grep -qx ready "$OUT/testweb.out" 2>/dev/null && break
	kill -0 "$SERVER_PID" 2>/dev/null || { cat "$OUT/testweb.err" >&2; exit 1; }
	sleep 0.1
done
grep -qx ready "$OUT/testweb.out" || { echo "testweb not ready" >&2; exit 1; }
SEEDS=$(awk '$1 == "seed" {print $2}' "$OUT/testweb.out")
STATS_ADDR=$(awk 'NR == 1 {print $2}' "$OUT/testweb.out")
for s in $SEEDS; do
	case "$s" in http://127.*) ;; *) echo "seed $s is not on 127.0.0.0/8" >&2; exit 1 ;; esac
done
case "$STATS_ADDR" in 127.*) ;; *) echo "bad stats address $STATS_ADDR" >&2; exit 1 ;; esac

stats() { curl -sf --max-time 10 "http://$STATS_ADDR/__stats"; }
total() { grep -o '"total":[0-9]*' | cut -d: -f2; }
# perhost JSON -> "name count" lines
perhost() { grep -o '"[a-z0-9.-]*\.test":[0-9]*' | tr -d '"' | tr : ' ' | sort; }
load1() { cut -d' ' -f1 /proc/loadavg; }
TICK=$(getconf CLK_TCK)
# CPU ticks (user + system) the server has used so far
server_ticks() { awk '{print $14 + $15}' "/proc/$SERVER_PID/stat"; }
# elapsed "h:mm:ss" or "m:ss.ss" -> seconds
wall_s() { awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, a, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + a[i]; print s}' "$1"; }
rss_kb() { awk -F': ' '/Maximum resident set size/ {print $2}' "$1"; }
cpu_s() { awk -F': ' '/User time/ {u = $2} /System time/ {s = $2} END {print u + s}' "$1"; }

if [ "$WAIT_LOAD" = 1 ]; then
	waited=0
	while awk -v l="$(load1)" -v m="$LOAD_MAX" 'BEGIN {exit !(l >= m)}'; do
		if [ "$waited" -ge "$LOAD_WAIT_MAX" ]; then
			echo "== load still $(load1) after ${waited}s; measuring anyway (noted in results)"
			break
		fi
		echo "== 1-min load $(load1) >= $LOAD_MAX, waiting ($waited s)"
		sleep 20
		waited=$((waited + 20))
	done
fi
[ -n "$WATCH" ] && PEER=scruple-watched

{
	echo "date	$(date -Is)"
	echo "host	$(uname -srm), $(nproc) cores"
	echo "go	$(go version)"
	echo "scruple	$("$WORK/bin/scruple" --version 2>/dev/null | head -1 || true) commit $SCRUPLE_COMMIT, build tags: ${SCRUPLE_TAGS:-none}"
	if [ -n "$WATCH" ]; then
		echo "peer	the same scruple crawl watched: scruple serve on its data directory, /api/v1/status polled every ${WATCH_EVERY} s"
	elif [ -n "$PEER_REF" ]; then
		echo "peer	scruple commit $PEER_COMMIT (same flags), build tags: ${PEER_TAGS:-none}"
	else
		echo "colly	$(cd "$BENCH" && go list -m -f '{{.Version}}' github.com/gocolly/colly/v2)"
	fi
	if [ "$CORPUS" = docs ]; then
		echo "corpus	docs: $(dpkg-query -W -f '${Package} ${Version}, ' postgresql-doc-15 python3.11-doc debian-reference-zh-cn)seeds: $(echo $SEEDS | wc -w)"
	else
		echo "corpus	$HOSTS hosts x $PAGES pages (testweb BenchSpec), seeds: $(echo $SEEDS | wc -w)"
	fi
	echo "settings	per-host $P, total $C, delay 0, robots on, pairs $PAIRS, scruple flags: ${SCRUPLE_FLAGS:-none}"
	echo "uptime	$(uptime)"
} | tee "$OUT/meta.txt"

RUNS=$OUT/runs.tsv
printf 'pair\ttool\twall_s\trss_kb\tcpu_s\tserved\tmin_host\tload1_before\tserver_cpu_s\tdistinct\tcrawler_says\n' >"$RUNS"

# expected per host: PAGES generated pages + "/" + robots.txt (synthetic); the
# docs corpus has no fixed count: both crawlers must fetch the same distinct
# set, which the summary shows (column distinct).
want_host=$((PAGES + 2))
[ "$CORPUS" = docs ] && want_host=1
distinct() { grep -o '"distinct":[0-9]*' | cut -d: -f2 || true; }

run_one() { # pair tool
	local pair=$1 tool=$2 tag="$2-$1" before after l says st0 st1
	curl -sf --max-time 10 "http://$STATS_ADDR/__reset" >/dev/null || true
	before=$(stats)
	st0=$(server_ticks)
	l=$(load1)
	case "$tool" in
	scruple*)
		local data="$WORK/data-$pair" bin="$WORK/bin/scruple" ppid=""
		case "$tool" in scruple | scruple-watched) ;; *) bin="$WORK/bin/peer" ;; esac
		rm -rf "$data"
		if [ "$tool" = scruple-watched ]; then
			# As a compliance officer would: once the crawl has created its
			# store, `scruple serve` starts on it and a console polls the
			# status; both stop after the crawl. Their CPU competes with the
			# crawl's on the same cores, as in use.
			(
				while [ ! -s "$data/scruple.db" ]; do sleep 0.05; done
				tok=$("$bin" serve token create --data "$data" --role viewer --label bench 2>/dev/null)
				"$bin" serve --data "$data" --addr 127.0.0.1:18088 >"$OUT/$tag.serve" 2>&1 &
				echo $! >"$WORK/serve.pid"
				n=0
				while :; do
					curl -sf -o /dev/null -H "Authorization: Bearer $tok" http://127.0.0.1:18088/api/v1/status && n=$((n + 1))
					echo "$n" >"$OUT/$tag.polls"
					sleep "$WATCH_EVERY"
				done
			) &
			ppid=$!
		fi
		# --no-sitemaps: Colly reads no sitemaps; the bench web has none (each
		# /sitemap.xml probe would be an extra 404 request per host).
		/usr/bin/time -v -o "$OUT/$tag.time" "$bin" crawl --data "$data" \
			--allow-cidr 127.0.0.0/8 --delay 0 --per-host "$P" --concurrency "$C" \
			--no-sitemaps --quiet $SCRUPLE_FLAGS $SEEDS >"$OUT/$tag.out" 2>"$OUT/$tag.err"
		says=$(head -1 "$OUT/$tag.out")
		if [ -n "$ppid" ]; then
			kill "$ppid" 2>/dev/null || true
			[ -s "$WORK/serve.pid" ] && kill "$(cat "$WORK/serve.pid")" 2>/dev/null || true
			wait "$ppid" 2>/dev/null || true
			rm -f "$WORK/serve.pid"
			echo "status polls answered $(cat "$OUT/$tag.polls" 2>/dev/null || echo 0)" >>"$OUT/$tag.out"
		fi
		du -sk "$data" | awk '{print "data dir KB", $1}' >>"$OUT/$tag.out"
		rm -rf "$data"
		;;
	colly)
		/usr/bin/time -v -o "$OUT/$tag.time" "$WORK/bin/collycrawl" -per-host "$P" -concurrency "$C" \
			-text="$COLLY_TEXT" $SEEDS >"$OUT/$tag.out" 2>"$OUT/$tag.err"
		says=$(head -1 "$OUT/$tag.out")
		;;
	esac
	after=$(stats)
	st1=$(server_ticks)
	local served min_host server_cpu dist
	dist=$(echo "$after" | distinct)
	dist=${dist:--}
	server_cpu=$(awk -v a="$st0" -v b="$st1" -v t="$TICK" 'BEGIN {printf "%.2f", (b - a) / t}')
	served=$(($(echo "$after" | total) - $(echo "$before" | total)))
	min_host=$(join <(echo "$before" | perhost) <(echo "$after" | perhost) | awk 'NR == 1 || $3 - $2 < m {m = $3 - $2} END {print m}')
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$pair" "$tool" "$(wall_s "$OUT/$tag.time")" \
		"$(rss_kb "$OUT/$tag.time")" "$(cpu_s "$OUT/$tag.time")" "$served" "$min_host" "$l" "$server_cpu" "$dist" "$says" >>"$RUNS"
	printf '%-8s pair %d: wall %6.2fs  CPU %6.2fs (server %6.2fs)  RSS %7d KB  served %6d  (min per host %d, want >= %d)  load %s\n' \
		"$tool" "$pair" "$(wall_s "$OUT/$tag.time")" "$(cpu_s "$OUT/$tag.time")" "$server_cpu" "$(rss_kb "$OUT/$tag.time")" \
		"$served" "$min_host" "$want_host" "$l"
	if [ "$min_host" -lt "$want_host" ]; then
		echo "WARNING: $tool pair $pair did not crawl every page of every host (see $OUT/$tag.*)" >&2
	fi
}

echo "== $PAIRS pairs, per-host $P, total $C"
for pair in $(seq "$PAIRS"); do
	run_one "$pair" scruple
	run_one "$pair" "$PEER"
done

echo "uptime after	$(uptime)" | tee -a "$OUT/meta.txt"
echo
echo "== summary (requests/s = requests served by testweb during the run / wall time; robots.txt included)"
if [ "$CORPUS" = docs ]; then
	# distinct pages = the median distinct request URIs per run, robots.txt excluded
	DISTINCT=$(awk -F'\t' 'NR > 1 && $10 != "-" {print $10 - 3}' "$RUNS" | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}')
	echo "distinct pages per run (median): $DISTINCT; per run:" $(awk -F'\t' 'NR > 1 {print $2 ":" $10}' "$RUNS")
	"$WORK/bin/benchsum" "$RUNS" "$DISTINCT" | tee "$OUT/summary.txt"
else
	"$WORK/bin/benchsum" "$RUNS" $((HOSTS * (PAGES + 1))) | tee "$OUT/summary.txt"
fi
echo "raw results: $OUT"
exit
}
