#!/usr/bin/env bash
# How fast pgo answers: one-liners (a new JVM each), the same command inside the shell, and the
# completion bash asks for on Tab. Compared with the floor of any Java command (a bare JVM
# start), with pgo without its AOT cache, and with bash completing from its tables alone.
# Usage: scripts/bench-start.sh [RUNS]     (a throw-away $PGO_HOME holds one running 3-instance cluster)
set -euo pipefail
runs="${1:-11}"
here="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=bench-lib.sh
source "$here/scripts/bench-lib.sh"
bench_home start
cleanup() {
  pgo delete cluster bench > /dev/null 2>&1 || true
  rm -rf "$home"
}
trap cleanup EXIT

java="$("$here/scripts/with-tools" sh -c 'command -v java')"
pgo create cluster bench > /dev/null 2>&1
volume="pgdata-bench-0"

echo "one-liners (median of $runs after 3 warm-up runs):"
bare=$(median_ms "$runs" 3 "$java" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto -version)
show=$(median_ms "$runs" 3 pgo show cluster all)
pvc=$(median_ms "$runs" 3 pgo show pvc "$volume")
show_plain=$(PGO_AOT_CACHE=off median_ms "$runs" 3 pgo show cluster all)
result start-show "pgo show cluster all (local, one running 3-instance cluster)" "$show" ms "bare JVM start (java -version)" "$bare" 300
result start-pvc "pgo show pvc NAME (local)" "$pvc" ms "bare JVM start" "$bare" 300
result start-no-aot "pgo show cluster all without the AOT cache" "$show_plain" ms "with the AOT cache" "$show" -

echo "the shell (one JVM for every line of a piped script):"
script_of() { local n=$1; for ((i = 0; i < n; i++)); do echo "show cluster all"; done; }
script_of 1 > "$home/one.pgo"
script_of 101 > "$home/many.pgo"
one=$(median_ms 5 1 sh -c "\"$here/pgo\" --home \"$home\" < \"$home/one.pgo\"")
many=$(median_ms 5 1 sh -c "\"$here/pgo\" --home \"$home\" < \"$home/many.pgo\"")
per_line=$(awk -v a="$one" -v b="$many" 'BEGIN { printf "%.2f\n", (b - a) / 100 }')
result shell-command "show cluster all inside the shell" "$per_line" ms "the same as a one-liner" "$show" 50

echo "completion (a fresh JVM, as bash runs it on the first Tab of a line):"
complete=$(median_ms "$runs" 3 pgo __complete show cluster "")
static=$(median_ms "$runs" 3 bash -c "source \"$here/completion/pgo.bash\"; COMP_WORDS=(pgo sh); COMP_CWORD=1; _pgo")
result complete-names "pgo __complete show cluster \"\"" "$complete" ms "bash completing a command from its tables" "$static" 200
