# Sourced by the bench scripts: the benchmark feed, every IPv4 entry (addresses and CIDRs) of the
# plain-list feeds in ../shared/data/feeds, deduplicated (~330k lines), built once per work dir.
#   bench_feed FEEDS_DIR OUT_FILE
bench_feed() {
  local feeds=$1 out=$2
  [[ -s "$out" ]] && return 0
  { zcat "$feeds"/ipsum/ipsum.txt.gz "$feeds"/abuseipdb/*.gz "$feeds"/maltrail/mass_scanner.txt.gz
    cat "$feeds"/firehol-2022/*.ipset "$feeds"/tor/*.lst "$feeds"/ultimate-bad-bot-blocker/bad-ip-addresses.list
  } | grep -oE '^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+(/[0-9]+)?' | sort -u > "$out.tmp"
  mv "$out.tmp" "$out"
}
