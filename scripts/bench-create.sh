#!/usr/bin/env bash
# `pgo create cluster` with 3 instances until it is Running, beside what one bare server
# takes to exist (initdb, then pg_ctl start until it accepts connections).
# Usage: scripts/bench-create.sh [RUNS]     (a throw-away $PGO_HOME, removed at the end)
set -euo pipefail
runs="${1:-5}"
here="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=bench-lib.sh
source "$here/scripts/bench-lib.sh"
bench_home create
bare="$home/bare"
cleanup() {
  pgo delete cluster bench > /dev/null 2>&1 || true
  as_server "$bindir/pg_ctl" -D "$bare" -m immediate stop > /dev/null 2>&1 || true
  rm -rf "$home"
}
trap cleanup EXIT
[ "$(id -u)" = 0 ] && chown postgres "$home"

bare_server() {
  as_server rm -rf "$bare"
  as_server "$bindir/initdb" -D "$bare" -A trust -U postgres > /dev/null
  as_server "$bindir/pg_ctl" -D "$bare" -w -o "-p $(free_port) -k /tmp -c listen_addresses=127.0.0.1" start > /dev/null
  as_server "$bindir/pg_ctl" -D "$bare" -m immediate stop > /dev/null
}

echo "create (median of $runs):"
: > "$home/times"
# Each timed run starts with no dirty pages left by the one before (three initdbs and their
# deletion), which the kernel would otherwise write back on this run's time; the same for the
# bare servers.
for ((i = 0; i < runs; i++)); do
  sync
  t=$(time_ms pgo create cluster bench)
  phase="$(pgo show cluster bench -o json | grep -o '"phase" : "[A-Za-z]*"' | head -n1)"
  echo "  run $((i + 1)): $t ms ($phase)"
  echo "$t" >> "$home/times"
  pgo delete cluster bench > /dev/null 2>&1
done
ours="$(median < "$home/times")"
theirs="$(for ((i = 0; i < runs; i++)); do sync; time_ms bare_server; done | median)"
result create-cluster "pgo create cluster, 3 instances, until Running" "$ours" ms \
  "initdb and start of one bare server" "$theirs" 5000
