#!/usr/bin/env bash
# The headless operator at scale: `pgo operator` against fabric8's mock API server (a process of
# its own) that holds CLUSTERS PgClusters of 3 instances and nothing else. Measures the time from
# the operator's start until every cluster is reconciled (its status written for its generation,
# its StatefulSet made: no pod runs on the mock server, so that is as far as a cluster gets), then
# its CPU over IDLE seconds of steady state, and its heap and RSS. The same is run with a tenth of
# the clusters, which is what the time is compared with.
# Usage: scripts/bench-operator.sh [CLUSTERS] [IDLE_SECONDS]
set -euo pipefail
clusters="${1:-1000}"
idle="${2:-60}"
here="$(cd "$(dirname "$0")/.." && pwd)"
cd "$here"
# shellcheck source=bench-lib.sh
source scripts/bench-lib.sh
work="$(mktemp -d /tmp/pgo-bench-operator-XXXXXX)"
server="" operator=""
cleanup() {
  [ -n "$operator" ] && kill "$operator" 2> /dev/null || true
  [ -n "$server" ] && kill "$server" 2> /dev/null || true
  wait 2> /dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
java="$(scripts/with-tools sh -c 'command -v java')"
jcmd="$(dirname "$java")/jcmd"
cp="$(bench_test_classpath "$work")"
ticks_per_second="$(getconf CLK_TCK)"

# CPU seconds (user + system) a process has used so far.
cpu_seconds() { awk -v hz="$ticks_per_second" '{ printf "%.2f\n", ($14 + $15) / hz }' "/proc/$1/stat"; }
# A line of /proc/PID/status in MiB: status_mib PID VmRSS
status_mib() { awk -v key="$2:" '$1 == key { printf "%.0f\n", $2 / 1024 }' "/proc/$1/status"; }

# Runs the operator on N clusters; sets seconds (to all reconciled), cpu (% of one core at
# rest), rss and peak (MiB) and heap (MiB used after a full GC).
run_operator() {
  local n=$1 rest=$2
  kill "$server" 2> /dev/null || true
  wait "$server" 2> /dev/null || true
  rm -f "$work/server.log"
  "$java" -Xmx2g -cp "$cp" dev.pgo.bench.MockApiServer "$work/kubeconfig" "$n" > "$work/server.log" 2>&1 &
  server=$!
  for _ in $(seq 600); do grep -q '^ready' "$work/server.log" && break; sleep 0.1; done
  grep -q '^ready' "$work/server.log" || { echo "the mock API server did not start:" >&2; tail "$work/server.log" >&2; exit 1; }
  local start finished server_cpu
  server_cpu=$(cpu_seconds "$server")
  start=$(date +%s%3N)
  ./pgo --platform kubernetes --kubeconfig "$work/kubeconfig" -n "$MOCK_NAMESPACE" operator > "$work/operator.log" 2>&1 &
  operator=$!
  "$java" -cp "$cp" dev.pgo.bench.ReconcileWatch "$work/kubeconfig" "$MOCK_NAMESPACE" "$n" "$((n < 600 ? 600 : n))" > "$work/watch.log" \
    || { echo "the operator did not reconcile $n clusters:" >&2; tail "$work/watch.log" "$work/operator.log" >&2; exit 1; }
  finished="$(sed -n 's/^reconciled [0-9]* at //p' "$work/watch.log")"
  seconds=$(awk -v a="$start" -v b="$finished" 'BEGIN { printf "%.1f\n", (b - a) / 1000 }')
  # Both run on the same cores: how much of them each took says which one limits the pace.
  operator_cpu=$(cpu_seconds "$operator")
  server_cpu=$(awk -v a="$server_cpu" -v b="$(cpu_seconds "$server")" 'BEGIN { printf "%.1f\n", b - a }')
  echo "  $n clusters reconciled in $seconds s ($(sed -n 's/^phases //p' "$work/watch.log")); CPU: operator" \
    "$operator_cpu s, mock API server $server_cpu s"
  if [ "$rest" -gt 0 ]; then
    sleep 10 # the last progress checks settle
    local before after
    before=$(cpu_seconds "$operator")
    sleep "$rest"
    after=$(cpu_seconds "$operator")
    cpu=$(awk -v a="$before" -v b="$after" -v s="$rest" 'BEGIN { printf "%.1f\n", (b - a) / s * 100 }')
    rss=$(status_mib "$operator" VmRSS)
    peak=$(status_mib "$operator" VmHWM)
    # the JVM's own account; the launcher exec's java, so the pid is the JVM's
    "$jcmd" "$operator" GC.run > /dev/null 2>&1 || true
    # every generation's "total NNNK, used NNNK" (SerialGC: DefNew and Tenured), summed; the
    # lines of their spaces say "NN% used" and are not counted
    heap=$("$jcmd" "$operator" GC.heap_info 2> /dev/null | awk '/ total [0-9]+K, used / { for (i = 1; i < NF; i++)
      if ($i == "used") { v = $(i + 1); sub("K,?$", "", v); kib += v } } END { if (kib) printf "%.0f\n", kib / 1024 }')
    echo "  at rest: ${cpu}% of a core over ${rest} s, RSS ${rss} MiB (peak ${peak} MiB), heap after GC ${heap:-?} MiB"
  fi
  kill "$operator" 2> /dev/null || true
  wait "$operator" 2> /dev/null || true
  operator=""
}

small=$((clusters / 10))
echo "the operator on the mock API server: $small, then $clusters PgClusters of 3 instances"
run_operator "$small" 0
small_seconds=$seconds
run_operator "$clusters" "$idle"
result operator-reconcile "pgo operator: $clusters PgClusters reconciled from empty (mock API server)" "$seconds" s \
  "the same with $small" "$small_seconds" 60
result operator-idle-cpu "pgo operator at rest with $clusters PgClusters (CPU of one core)" "$cpu" % "-" - -
result operator-rss "pgo operator RSS with $clusters PgClusters (peak $peak MiB)" "$rss" MiB \
  "heap used after GC" "${heap:--}" 300
