#!/usr/bin/env bash
# End-to-end benchmark of `threatip serve` (ServeBenchRunner), side by side in one run:
# - sustained ingest into the DuckDB store with the built-in rules and a snapshot compiled from
#   real feeds, end to end (last event committed, final flush done), from 1 and 2 reader inputs
#   and through the real FileTailer, with the cost of each pipeline step on its own;
# - `wc -l` (the floor for reading the file) and GoAccess building its HTML report from the same
#   file, and ingest lines/s against both;
# - REST API latency p50/p95/p99/max (stats, IP list first and filtered pages, IP profile, IP logs)
#   over a store of API_SIZE events, through the real web server on loopback.
#
#   threatip-bench/serve-bench.sh                  # from the repository root
#   SIZE=1000000 RUNS=1 API_SIZE=0 threatip-bench/serve-bench.sh   # a quick check, no API part
#
# Environment (defaults in brackets):
#   SIZE      ingest corpus size in lines [5000000]
#   RUNS      timed runs per tool and ingest mode; the best is reported [3]
#   API_SIZE  events in the API store, built once and reused; 0 skips the API part [10000000]
#   REQUESTS  timed requests per endpoint [200]
#   INPUTS    reader inputs to measure, comma-separated [1,2]
#   BATCH     lines per batch [serve's tail batch, ThreatipServer.TAIL_BATCH_LINES]
#   JAVA_OPTS JVM options of the runner [-Xmx6g]
# Corpora, the feed, the snapshot and the API store live in threatip-bench/target/serve-bench/.
# Needs python3 (gen_corpus.py); GoAccess is installed with apt-get when missing, and its row is
# skipped if that fails.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
shared=$( { cd "$root/../shared" 2>/dev/null || cd /work/shared; } && pwd)
feeds="$shared/data/feeds"
work="$here/target/serve-bench"
mkdir -p "$work"
cd "$root"

SIZE=${SIZE:-5000000}
RUNS=${RUNS:-3}
API_SIZE=${API_SIZE:-10000000}
REQUESTS=${REQUESTS:-200}
INPUTS=${INPUTS:-1,2}
JAVA_OPTS=${JAVA_OPTS:--Xmx6g}

command -v goaccess >/dev/null 2>&1 || { echo "installing goaccess" >&2; apt-get install -y goaccess >/dev/null 2>&1 || true; }
if [[ ! -s threatip-bench/target/benchmarks.jar || ! -s threatip-app/target/threatip.jar ]]; then
  mvn -B -q -DskipTests package -pl threatip-bench -am
fi

# The feed: every IPv4 entry of the plain-list feeds in ../shared/data/feeds (as scan-bench.sh),
# compiled into the snapshot serve matches against; gen_corpus.py draws its listed clients from it.
feed="$work/feed.txt"
# shellcheck source=bench-feed.sh
source "$here/bench-feed.sh"
bench_feed "$feeds" "$feed"
intel="$work/intel.tis"
if [[ ! -s "$intel" || "$feed" -nt "$intel" ]]; then
  java -jar threatip-app/target/threatip.jar feeds compile --feed "$feed,name=bench-feed,format=plain" --out "$intel" >/dev/null
fi

corpus() { # lines -> path of a gen_corpus.py corpus of that many lines (nginx combined), generated once
  local lines=$1 name
  if ((lines >= 1000000)); then name="access-$((lines / 1000000))m"; else name="access-$((lines / 1000))k"; fi
  if [[ ! -s "$work/$name.log" ]]; then
    python3 "$shared/bench/gen_corpus.py" --lines "$lines" --out "$work/$name.log.tmp" --truth "$work/$name.truth.json" \
      --known-bad "$feed" >&2
    mv "$work/$name.log.tmp" "$work/$name.log"
  fi
  echo "$work/$name.log"
}

args=(--corpus "$(corpus "$SIZE")" --intel "$intel" --work "$work" --runs "$RUNS" --inputs "$INPUTS"
      --requests "$REQUESTS")
[[ -n "${BATCH:-}" ]] && args+=(--batch "$BATCH")
((API_SIZE > 0)) && args+=(--api-corpus "$(corpus "$API_SIZE")")

echo "uptime: $(uptime)"
# shellcheck disable=SC2086
java $JAVA_OPTS -cp threatip-bench/target/benchmarks.jar dev.threatip.bench.ServeBenchRunner "${args[@]}" \
  2> >(grep --line-buffered -v '^SLF4J' >&2)
echo "uptime: $(uptime)"
