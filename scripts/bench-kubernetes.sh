#!/usr/bin/env bash
# `pgo show cluster all` against a Kubernetes API server (fabric8's mock server, in a process of
# its own, holding CLUSTERS PgClusters), beside kubectl getting the same list from the same
# server, or, where kubectl cannot, a bare JDK HTTP GET of the same list.
# Usage: scripts/bench-kubernetes.sh [RUNS] [CLUSTERS]
set -euo pipefail
runs="${1:-11}"
clusters="${2:-100}"
here="$(cd "$(dirname "$0")/.." && pwd)"
cd "$here"
# shellcheck source=bench-lib.sh
source scripts/bench-lib.sh
work="$(mktemp -d /tmp/pgo-bench-kubernetes-XXXXXX)"
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2> /dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
java="$(scripts/with-tools sh -c 'command -v java')"
cp="$(bench_test_classpath "$work")"
"$java" -cp "$cp" dev.pgo.bench.MockApiServer "$work/kubeconfig" "$clusters" > "$work/server.log" 2>&1 &
server=$!
for _ in $(seq 300); do grep -q '^ready' "$work/server.log" && break; sleep 0.1; done
port="$(sed -n 's/^ready //p' "$work/server.log")"
[ -n "$port" ] || { echo "the mock API server did not start:" >&2; tail "$work/server.log" >&2; exit 1; }
path="/apis/pgo.dev/v1/namespaces/$MOCK_NAMESPACE/pgclusters"

echo "against the mock API server with $clusters PgClusters (median of $runs after 2 warm-up runs):"
ours=$(median_ms "$runs" 2 ./pgo --platform kubernetes --kubeconfig "$work/kubeconfig" show cluster all)
# kubectl is the comparison where it can list PgClusters from this server; the mock server
# serves no API discovery, which `kubectl get pgclusters` needs, and then the JDK GET stands in.
if command -v kubectl > /dev/null && kubectl --kubeconfig "$work/kubeconfig" get pgclusters > /dev/null 2>&1; then
  theirs=$(median_ms "$runs" 2 kubectl --kubeconfig "$work/kubeconfig" get pgclusters)
  what="kubectl get pgclusters"
else
  theirs=$(median_ms "$runs" 2 "$java" -XX:TieredStopAtLevel=1 -Xshare:auto -cp operator-core/target/test-classes \
    dev.pgo.bench.HttpGet "http://127.0.0.1:$port$path")
  what="a bare JDK HTTP GET of the same list"
fi
result start-kubernetes "pgo show cluster all on Kubernetes ($clusters PgClusters, mock API server)" "$ours" ms \
  "$what" "$theirs" "$(awk -v t="$theirs" 'BEGIN { printf "%.0f", t * 2 }')"
