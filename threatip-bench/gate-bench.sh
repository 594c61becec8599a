#!/usr/bin/env bash
# Benchmark of `threatip gate` (issue 7), GateBenchRunner side by side in one run on loopback:
# wrk against the origin directly (nginx `return 200` and a 10 KiB static page), through nginx
# (`proxy_pass` with an upstream keep-alive pool, `real_ip` from 127.0.0.1, and a `geo $blocked`
# deny map with as many IPv4 networks as the snapshot has IPv4 entries) and through `threatip gate`
# (that snapshot, the default policy, `--trusted-proxy 127.0.0.1`): requests/s, gate ÷ nginx,
# p50/p99 and the p99 each proxy adds over direct, CPU per request; clean clients, and clients
# rotating through X-Forwarded-For (10% listed: 403 from both proxies), and a paced run for latency.
#
#   threatip-bench/gate-bench.sh                 # from the repository root
#   threatip-bench/gate-bench.sh --soak 600      # 10 minutes through gate at a fixed rate: RSS, heap after GC
#   SECONDS_PER_RUN=5 GATE_WARMUP=10 threatip-bench/gate-bench.sh   # quicker
#
# Pinning (taskset): wrk and the origin share WRK_CPUS / ORIGIN_CPUS, the proxy under test gets
# PROXY_CPUS alone; nginx's worker_processes and gate's event loops both equal the number of
# PROXY_CPUS (gate: -XX:ActiveProcessorCount). Defaults for 2 cores: wrk + origin on CPU 0, proxy on 1.
#
# Environment (defaults in brackets):
#   SECONDS_PER_RUN  seconds of each timed wrk run [10]
#   WARMUP           seconds of untimed wrk before each timed run [3]
#   GATE_WARMUP      seconds of untimed load on gate after its start, for the JIT [20]
#   CONNECTIONS      wrk connections of the saturating runs [50]
#   RUNS             timed runs per scenario and target; the best is reported [1]
#   PACED_RATE       requests/s of the paced latency run (10 connections) [2000]
#   SOAK_RATE        requests/s of the soak (16 connections) [2000]
#   WRK_CPUS ORIGIN_CPUS PROXY_CPUS   taskset CPU lists [0, 0, 1]
#   GATE_JAVA_OPTS   gate's JVM options [-XX:+UseParallelGC -Xms256m -Xmx256m]
# The feed (every IPv4 entry of the plain-list feeds in ../shared/data/feeds, as scan-bench.sh and
# serve-bench.sh use), the snapshot (compiled as category scanner, confidence high), configs,
# scripts and every wrk output live in threatip-bench/target/gate-bench/.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
work="$here/target/gate-bench"

soak=0
while (($#)); do
  case "$1" in
    --soak) soak=${2:?--soak needs SECONDS}; shift 2 ;;
    -h|--help) sed -n '2,29p' "$0"; exit 0 ;;
    *) echo "gate-bench.sh: unknown argument '$1' (known: --soak SECONDS)" >&2; exit 2 ;;
  esac
done

missing=()
for tool in wrk nginx taskset java; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if ((${#missing[@]})); then
  echo "gate-bench.sh: missing ${missing[*]}; install with: apt-get install -y wrk nginx-light util-linux openjdk-17-jdk-headless" >&2
  exit 2
fi
shared=$( { cd "$root/../shared" 2>/dev/null || cd /work/shared 2>/dev/null; } && pwd) || true
feeds="${shared:-}/data/feeds"
if [[ -z "${shared:-}" || ! -d "$feeds" ]]; then
  echo "gate-bench.sh: the real feeds are not there ($root/../shared/data/feeds or /work/shared/data/feeds)" >&2
  exit 2
fi
mkdir -p "$work"
cd "$root"

if [[ ! -s threatip-bench/target/benchmarks.jar || ! -s threatip-app/target/threatip.jar ]]; then
  mvn -B -q -DskipTests package -pl threatip-bench -am
fi

# The feed: every IPv4 entry (addresses and CIDRs) of the plain-list feeds, deduplicated (~330k lines).
feed="$work/feed.txt"
# shellcheck source=bench-feed.sh
source "$here/bench-feed.sh"
bench_feed "$feeds" "$feed"
# Scanner at high confidence: the default policy blocks every listed client, as the deny map does.
intel="$work/intel.tis"
if [[ ! -s "$intel" || "$feed" -nt "$intel" ]]; then
  java -jar threatip-app/target/threatip.jar feeds compile \
    --feed "$feed,name=bench-feed,format=plain,category=scanner,confidence=high" --out "$intel" >/dev/null
fi

args=(--gate-jar threatip-app/target/threatip.jar --intel "$intel" --feed "$feed" --work "$work"
      --seconds "${SECONDS_PER_RUN:-10}" --warmup "${WARMUP:-3}" --gate-warmup "${GATE_WARMUP:-20}"
      --connections "${CONNECTIONS:-50}" --runs "${RUNS:-1}" --paced-rate "${PACED_RATE:-2000}"
      --soak-rate "${SOAK_RATE:-2000}" --wrk-cpus "${WRK_CPUS:-0}" --origin-cpus "${ORIGIN_CPUS:-0}"
      --proxy-cpus "${PROXY_CPUS:-1}" --gate-java-opts "${GATE_JAVA_OPTS:--XX:+UseParallelGC -Xms256m -Xmx256m}")
((soak > 0)) && args+=(--soak "$soak")

echo "uptime: $(uptime)"
java -Xmx1g -cp threatip-bench/target/benchmarks.jar dev.threatip.bench.GateBenchRunner "${args[@]}"
echo "uptime: $(uptime)"
