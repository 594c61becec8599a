#!/usr/bin/env bash
# End-to-end scan benchmark (issues 3 and 4): `threatip scan` against `wc -l` (the floor for
# reading a file) and `grepcidr -x` (the C tool matching the first field of each line against CIDR
# lists), side by side in one run, on gen_corpus.py corpora whose known-bad clients come from real
# feeds. threatip runs twice on each corpus: `scan --no-rules` (intel only) and `scan` (intel and
# the built-in behaviour rules).
#
#   threatip-bench/scan-bench.sh            # from the repository root, after: mvn -q -o install -DskipTests
#
# Prints MB/s, lines/s and peak RSS of each tool, threatip's ratios to wc and grepcidr, and:
# - the exact reference join on the intel-only run: every client in the corpus that the feed lists
#   (computed independently here) is flagged with source "intel", and nothing else is;
# - the rules run's throughput as a share of the intel-only run's (issue 4's target: >= 0.5);
# - the rules run's lines/s against reference figures for CrowdSec and fail2ban-regex (given in
#   issue 4 as measured on this machine class; not re-measured here);
# - the rules run's recall per behaviour of truth.json and its false positives among benign clients.
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
# Reference throughputs from issue 4 (measured on this machine class by the issue's author).
CROWDSEC_LPS=380
FAIL2BAN_LPS=55000

# The feed: every IPv4 entry (addresses and CIDRs) of the plain-list feeds, deduplicated (~330k).
feed="$work/feed.txt"
# shellcheck source=bench-feed.sh
source "$here/bench-feed.sh"
bench_feed "$feeds" "$feed"
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
  if ((lines >= 1000000)); then name="access-$((lines / 1000000))m"; else name="access-$((lines / 1000))k"; fi
  log="$work/$name.log"
  truth="$work/$name.truth.json"
  if [[ ! -s "$log" ]]; then
    python3 "$shared/bench/gen_corpus.py" --lines "$lines" --out "$log" --truth "$truth" --known-bad "$feed"
  fi
  mb=$(awk -v b="$(stat -c %s "$log")" 'BEGIN{printf "%.1f", b / 1e6}')
  cat "$log" > /dev/null   # every tool reads from the page cache

  read -r wc_s wc_rss wc_cpu <<< "$(time_best wc -l "$log")"
  read -r gc_s gc_rss gc_cpu <<< "$(time_best grepcidr -x -f "$feed" "$log")"
  scan=($THREATIP scan --intel "$intel" --format combined --output json "${threads_arg[@]}")
  read -r in_s in_rss in_cpu <<< "$(time_best "${scan[@]}" --no-rules "$log")"
  read -r ru_s ru_rss ru_cpu <<< "$(time_best "${scan[@]}" "$log")"
  "${scan[@]}" --no-rules "$log" > "$work/$name.intel.json" 2>/dev/null || true
  "${scan[@]}" "$log" > "$work/$name.rules.json" 2>/dev/null || true

  row() { # tool seconds rss cpu is-threatip
    awk -v c="$name" -v mb="$mb" -v n="$lines" -v t="$1" -v s="$2" -v r="$3" -v cpu="$4" -v wc="$wc_s" -v gc="$gc_s" -v me="$5" 'BEGIN{
      s = (s < 0.01 ? 0.01 : s); wc = (wc < 0.01 ? 0.01 : wc); cpu = (cpu < 0.01 ? 0.01 : cpu);
      vw = me ? sprintf("%.2fx", wc / s) : "";
      vg = me ? sprintf("%.2fx", gc / s) : "";
      printf "%-12s %9s  %-22s %7.2f %9.0f %12.0f %6.0f MiB %7.2f %9.0f %8s %11s\n", c, mb, t, s, mb / s, n / s, r / 1024, cpu, mb / cpu, vw, vg }'
  }
  row "wc -l" "$wc_s" "$wc_rss" "$wc_cpu" 0
  row "grepcidr -x -f feed" "$gc_s" "$gc_rss" "$gc_cpu" 0
  row "scan --no-rules" "$in_s" "$in_rss" "$in_cpu" 1
  row "scan (intel+rules)" "$ru_s" "$ru_rss" "$ru_cpu" 1

  # Rules against intel only (wall and CPU), and against the reference figures of issue 4.
  awk -v n="$lines" -v is="$in_s" -v rs="$ru_s" -v ic="$in_cpu" -v rc="$ru_cpu" -v cs="$CROWDSEC_LPS" -v fb="$FAIL2BAN_LPS" 'BEGIN{
    is = (is < 0.01 ? 0.01 : is); rs = (rs < 0.01 ? 0.01 : rs); ic = (ic < 0.01 ? 0.01 : ic); rc = (rc < 0.01 ? 0.01 : rc);
    ratio = is / rs;
    printf "  rules / intel-only throughput: %.2f wall (%.2f per CPU s); target >= 0.50: %s\n", ratio, ic / rc, (ratio >= 0.5 ? "met" : "MISSED");
    printf "  scan with rules: %.0f lines/s = %.0fx CrowdSec (~%d lines/s), %.1fx fail2ban-regex (~%d lines/s per filter)\n", n / rs, n / rs / cs, cs, n / rs / fb, fb;
    printf "    (reference figures given in issue 4 as measured on this machine class, not re-measured by this script;\n";
    printf "     threatip runs all its rules in that one pass, fail2ban-regex one filter per pass)\n" }'

  # The exact reference join, computed here without threatip: corpus clients the feed lists.
  python3 - "$feed" "$log" "$truth" "$work/$name.intel.json" <<'PY'
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
print("  reference join (intel only): %d corpus clients listed by the feed, %d flagged by threatip; missing %d, extra %d; "
      "truth listed_in_known_bad flagged: %d/%d %s" % (len(expected), len(intel), len(expected - intel), len(intel - expected),
      len(truth_listed) - len(missing_truth), len(truth_listed), "OK" if not missing_truth and expected == intel else "MISMATCH"))
for ip in sorted(missing_truth | (expected - intel))[:5]:
    print("    not flagged:", ip)
for ip in sorted(intel - expected)[:5]:
    print("    flagged but not listed:", ip)
PY

  # Recall per behaviour of truth.json, and false positives, in the run with rules.
  python3 - "$log" "$truth" "$work/$name.rules.json" <<'PY'
import json, sys
log, truth, scan = sys.argv[1:]
t = json.load(open(truth))
report = json.load(open(scan))
behaviour, intel = {}, set()
for e in report["ips"]:
    for c in e["categories"]:
        if "behavior" in c["source"]:
            behaviour.setdefault(e["ip"], set()).add(c["category"])
        if c["source"].startswith("intel"):
            intel.add(e["ip"])
expect = {"scanner": {"scanner"}, "bruteforce": {"brute_force"}, "web_attack": {"web_attack", "exploit"},
          "malicious_bot": {"malicious_bot"}}
target = {"scanner": 0.95, "bruteforce": 0.95, "web_attack": 0.95, "malicious_bot": 0.95}
by_kind = {}
for ip, kind in t["malicious"].items():
    by_kind.setdefault(kind, []).append(ip)
def line(label, hit, total, goal, extra=""):
    share = hit / total if total else 1.0
    verdict = "" if goal is None else ("met" if share >= goal else "MISSED") + " (target >= %.0f%%)" % (goal * 100)
    print("    %-40s %6d/%-6d %6.1f%%  %s%s" % (label, hit, total, 100 * share, verdict, extra))
print("  recall with rules (behaviour source, expected category; any behaviour category in brackets):")
for kind in ["scanner", "bruteforce", "web_attack", "malicious_bot"]:
    ips = by_kind.get(kind, [])
    hit = sum(1 for ip in ips if behaviour.get(ip, set()) & expect[kind])
    anyb = sum(1 for ip in ips if ip in behaviour)
    line(kind + " -> " + "/".join(sorted(expect[kind])), hit, len(ips), target[kind], "  [%d]" % anyb)
disp = t["dispersed_login_ips"]
line("dispersed_login_ips -> account_takeover", sum(1 for ip in disp if "account_takeover" in behaviour.get(ip, set())),
     len(disp), 0.90)
listed = t["listed_in_known_bad"]
line("listed_in_known_bad -> intel", sum(1 for ip in listed if ip in intel), len(listed), 1.0)
labelled = set(t["malicious"]) | set(disp)
clients = set()
with open(log, "rb") as f:
    for l in f:
        clients.add(l.split(b" ", 1)[0].decode())
benign = clients - labelled
crawlers = {ip for ip in benign if ip.startswith(("66.249.66.", "157.55.39."))}
fp = sorted(ip for ip in benign if ip in behaviour)
share = len(fp) / len(benign) if benign else 0.0
print("    %-40s %6d/%-6d %6.2f%%  %s (target <= 0.5%%)" % ("false positives among benign clients",
    len(fp), len(benign), 100 * share, "met" if share <= 0.005 else "MISSED"))
cfp = sorted(crawlers & set(fp))
print("    %-40s %6d/%-6d          %s (target 0)" % ("good crawlers flagged by rules", len(cfp), len(crawlers), "met" if not cfp else "MISSED"))
for ip in fp[:5]:
    print("      flagged benign:", ip, sorted(behaviour[ip]))
PY
done
