#!/usr/bin/env bash
# End-to-end scan benchmark (issue 3): `threatip scan` against `wc -l` (the floor for reading a
# file) and `grepcidr -x` (the C tool matching the first field of each line against CIDR lists),
# side by side in one run, on gen_corpus.py corpora whose known-bad clients come from real feeds.
#
#   threatip-bench/scan-bench.sh            # from the repository root, after: mvn -q -o install -DskipTests
#
# Prints MB/s, lines/s and peak RSS of each tool, threatip's ratios to wc and grepcidr, and checks
# the exact reference join: every client in the corpus that the feed lists (computed independently
# here) is flagged with source "intel", and nothing else is.
#
# Environment (defaults in brackets):
#   THREATIP  how to run threatip [bin/threatip if present, else java -jar threatip-app/target/threatip.jar]
#   SIZES     corpus sizes in lines ["1000000 5000000"]
#   RUNS      timed runs per tool and corpus; the best is reported [3]
#   THREADS   --threads for scan [all cores]
# Corpora, the feed and the compiled intel are cached in threatip-bench/target/scan-bench/.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
shared=$( { cd "$root/../shared" 2>/dev/null || cd /work/shared; } && pwd)
feeds="$shared/data/feeds"
work="$here/target/scan-bench"
mkdir -p "$work"
cd "$root"

if [[ -z "${THREATIP:-}" ]]; then
  if [[ -x bin/threatip ]]; then THREATIP="bin/threatip"; else THREATIP="java -jar threatip-app/target/threatip.jar"; fi
fi
SIZES=${SIZES:-"1000000 5000000"}
RUNS=${RUNS:-3}
threads_arg=()
[[ -n "${THREADS:-}" ]] && threads_arg=(--threads "$THREADS")

need() { command -v "$1" >/dev/null 2>&1 || { echo "installing $2" >&2; apt-get install -y "$2" >/dev/null; }; }
need grepcidr grepcidr
[[ -x /usr/bin/time ]] || { echo "installing time" >&2; apt-get install -y time >/dev/null; }
need python3 python3

# The feed: every IPv4 entry (addresses and CIDRs) of the plain-list feeds, deduplicated (~330k).
feed="$work/feed.txt"
if [[ ! -s "$feed" ]]; then
  { zcat "$feeds"/ipsum/ipsum.txt.gz "$feeds"/abuseipdb/*.gz "$feeds"/maltrail/mass_scanner.txt.gz
    cat "$feeds"/firehol-2022/*.ipset "$feeds"/tor/*.lst "$feeds"/ultimate-bad-bot-blocker/bad-ip-addresses.list
  } | grep -oE '^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+(/[0-9]+)?' | sort -u > "$feed.tmp"
  mv "$feed.tmp" "$feed"
fi
intel="$work/intel.tis"
if [[ ! -s "$intel" || "$feed" -nt "$intel" ]]; then
  $THREATIP feeds compile --feed "$feed,name=bench-feed,format=plain" --out "$intel" >&2
fi
echo "feed: $(wc -l < "$feed") entries; intel: $intel; threatip: $THREATIP; $(nproc) cores"

# time_best CMD...: the best wall seconds of RUNS runs, with the peak RSS (KiB) and the CPU
# seconds (user + sys) of that run. CPU seconds keep the comparison honest on a loaded machine.
time_best() {
  local best="" rss="" cpu="" i secs kib user sys
  for ((i = 0; i < RUNS; i++)); do
    /usr/bin/time -o "$work/time.tmp" -f "%e %M %U %S" "$@" > "$work/out.tmp" 2>/dev/null || true
    read -r secs kib user sys < <(tail -1 "$work/time.tmp")
    if [[ -z "$best" ]] || awk "BEGIN{exit !($secs < $best)}"; then
      best=$secs; rss=$kib; cpu=$(awk "BEGIN{print $user + $sys}")
    fi
  done
  echo "$best $rss $cpu"
}

printf '\n%-12s %9s  %-22s %7s %9s %12s %10s %7s %9s %8s %11s\n' corpus MB tool seconds MB/s lines/s "peak RSS" "cpu s" "MB/cpu-s" "vs wc" "vs grepcidr"
for lines in $SIZES; do
  name="access-$((lines / 1000000))m"
  log="$work/$name.log"
  truth="$work/$name.truth.json"
  if [[ ! -s "$log" ]]; then
    python3 "$shared/bench/gen_corpus.py" --lines "$lines" --out "$log" --truth "$truth" --known-bad "$feed"
  fi
  mb=$(awk -v b="$(stat -c %s "$log")" 'BEGIN{printf "%.1f", b / 1e6}')
  cat "$log" > /dev/null   # every tool reads from the page cache

  read -r wc_s wc_rss wc_cpu <<< "$(time_best wc -l "$log")"
  read -r gc_s gc_rss gc_cpu <<< "$(time_best grepcidr -x -f "$feed" "$log")"
  read -r ti_s ti_rss ti_cpu <<< "$(time_best $THREATIP scan --intel "$intel" --format combined --output json "${threads_arg[@]}" "$log")"
  $THREATIP scan --intel "$intel" --format combined --output json "${threads_arg[@]}" "$log" > "$work/$name.scan.json" 2>/dev/null || true

  row() { # tool seconds rss cpu is-threatip
    awk -v c="$name" -v mb="$mb" -v n="$lines" -v t="$1" -v s="$2" -v r="$3" -v cpu="$4" -v wc="$wc_s" -v gc="$gc_s" -v me="$5" 'BEGIN{
      s = (s < 0.01 ? 0.01 : s); wc = (wc < 0.01 ? 0.01 : wc); cpu = (cpu < 0.01 ? 0.01 : cpu);
      vw = me ? sprintf("%.2fx", wc / s) : "";
      vg = me ? sprintf("%.2fx", gc / s) : "";
      printf "%-12s %9s  %-22s %7.2f %9.0f %12.0f %6.0f MiB %7.2f %9.0f %8s %11s\n", c, mb, t, s, mb / s, n / s, r / 1024, cpu, mb / cpu, vw, vg }'
  }
  row "wc -l" "$wc_s" "$wc_rss" "$wc_cpu" 0
  row "grepcidr -x -f feed" "$gc_s" "$gc_rss" "$gc_cpu" 0
  row "threatip scan (json)" "$ti_s" "$ti_rss" "$ti_cpu" 1

  # The exact reference join, computed here without threatip: corpus clients the feed lists.
  python3 - "$feed" "$log" "$truth" "$work/$name.scan.json" <<'PY'
import ipaddress, json, sys
feed, log, truth, scan = sys.argv[1:]
singles, nets = set(), []
for l in open(feed):
    l = l.strip()
    if "/" in l:
        nets.append(ipaddress.ip_network(l, strict=False))
    else:
        singles.add(l)
by_prefix = {}
for n in nets:
    by_prefix.setdefault(n.prefixlen, set()).add(int(n.network_address))
clients = set()
with open(log, "rb") as f:
    for line in f:
        clients.add(line.split(b" ", 1)[0].decode())
def listed(ip):
    if ip in singles:
        return True
    try:
        a = ipaddress.ip_address(ip)
    except ValueError:
        return False
    if a.version != 4:
        return False
    v = int(a)
    return any((v >> (32 - p) << (32 - p)) in s for p, s in by_prefix.items())
expected = {ip for ip in clients if listed(ip) and ipaddress.ip_address(ip).is_global}
report = json.load(open(scan))
intel = {e["ip"] for e in report["ips"] if any(c["source"].startswith("intel") for c in e["categories"])}
truth_listed = set(json.load(open(truth))["listed_in_known_bad"])
missing_truth = truth_listed - intel
print("  reference join: %d corpus clients listed by the feed, %d flagged by threatip; missing %d, extra %d; "
      "truth listed_in_known_bad flagged: %d/%d %s" % (len(expected), len(intel), len(expected - intel), len(intel - expected),
      len(truth_listed) - len(missing_truth), len(truth_listed), "OK" if not missing_truth and expected == intel else "MISMATCH"))
for ip in sorted(missing_truth | (expected - intel))[:5]:
    print("    not flagged:", ip)
for ip in sorted(intel - expected)[:5]:
    print("    flagged but not listed:", ip)
PY
done
