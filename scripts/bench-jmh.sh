#!/usr/bin/env bash
# JMH micro benchmarks of operator-core's hot paths (the benchmarks module), each beside what it
# is compared with in the same run.
# Usage: scripts/bench-jmh.sh [--quick]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cd "$here"
# shellcheck source=bench-lib.sh
source scripts/bench-lib.sh
java="$(scripts/with-tools sh -c 'command -v java')"
csv="$(mktemp /tmp/pgo-bench-jmh-XXXXXX)"
trap 'rm -f "$csv"' EXIT
if [ "${1:-}" = --quick ]; then runs=(-f 1 -wi 2 -i 3 -w 1s -r 1s); else runs=(-f 2 -wi 3 -i 5 -w 2s -r 2s); fi
# JMH's own summary is printed; its forks' warnings (sun.misc.Unsafe, no SLF4J provider) are not.
"$java" -cp "benchmarks/target/benchmarks-0.1.0-SNAPSHOT.jar:benchmarks/target/lib/*" org.openjdk.jmh.Main \
  "${runs[@]}" -rf csv -rff "$csv" 2> /dev/null | sed -n '/^Benchmark  /,/^Benchmark result/p'
[ -s "$csv" ] || { echo "JMH wrote no results" >&2; exit 1; }

# The score of one benchmark (its method name), in microseconds to two decimals.
score() { awk -F, -v m="$1" '$1 ~ "\\." m "\"$" { printf "%.2f\n", $5 }' "$csv"; }
result jmh-manifest "Manifests.parse of a PgCluster, strict (JMH)" "$(score strict)" µs \
  "a plain Jackson read of the same text" "$(score plainJackson)" -
result jmh-objects "a cluster's Kubernetes objects built and fingerprinted (JMH)" "$(score builtAndFingerprinted)" µs \
  "reused, the cluster unchanged since the last pass" "$(score unchangedFromTheLastPass)" -
result jmh-planner "Planner.plan of a running 3-instance cluster (JMH)" "$(score planARunningCluster)" µs \
  "of the same cluster before it exists" "$(score planANewCluster)" -
