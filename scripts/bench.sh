#!/usr/bin/env bash
# make bench (and make bench-quick): runs every benchmark, then writes docs/benchmarks.md from
# what they measured in this one run.
# Usage: scripts/bench.sh [--quick]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cd "$here"
quick=""
[ "${1:-}" = --quick ] && quick=1
results="$(mktemp /tmp/pgo-bench-results-XXXXXX)"
trap 'rm -f "$results"' EXIT
export BENCH_RESULTS="$results"
# shellcheck source=bench-lib.sh
source scripts/bench-lib.sh
started="$(date -u +%Y-%m-%dT%H:%M:%SZ)"

section() { echo; echo "== $*"; }

section "start, shell and completion"
if [ -n "$quick" ]; then scripts/bench-start.sh 5; else scripts/bench-start.sh 11; fi

section "start against Kubernetes"
if [ -n "$quick" ]; then scripts/bench-kubernetes.sh 5 100; else scripts/bench-kubernetes.sh 11 100; fi

section "the operator at scale"
if [ -n "$quick" ]; then scripts/bench-operator.sh 100 10; else scripts/bench-operator.sh 1000 60; fi

section "create a cluster"
if [ -n "$quick" ]; then scripts/bench-create.sh 2; else scripts/bench-create.sh 5; fi

section "failover and switchover"
if [ -n "$quick" ]; then scripts/bench-ha.sh 3; else scripts/bench-ha.sh 12; fi | tail -n 4

section "backup and restore"
if [ -n "$quick" ]; then scripts/bench-backup.sh 7 1; else scripts/bench-backup.sh 68 3; fi | tail -n 4

section "micro benchmarks (JMH)"
scripts/bench-jmh.sh ${quick:+--quick}

section "dashboard frame time"
frames="${quick:+100}"
tui_line() { grep "^frame (reading to drawn)" | sed 's/.*median \([0-9.]*\) ms.*/\1/'; }
big="$(scripts/bench-tui.sh 1000 "${frames:-300}" 200 50)"
small="$(scripts/bench-tui.sh 10 "${frames:-300}" 200 50)"
echo "$big"
result tui-frame "pgo tui frame, 1,000 clusters (reading to drawn, 200x50)" "$(echo "$big" | tui_line)" ms \
  "the same with 10 clusters" "$(echo "$small" | tui_line)" 30
result tui-heap "pgo tui heap after GC with 1,000 clusters" \
  "$(echo "$big" | sed -n 's/^heap after GC: \([0-9.]*\) MiB.*/\1/p')" MiB "-" - -

section "docs/benchmarks.md"
scripts/bench-report.sh "$results" "$started" "${quick:+quick}" > docs/benchmarks.md
cat docs/benchmarks.md
