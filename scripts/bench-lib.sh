# Shared by the benchmark scripts (sourced): timing, medians, and the result lines that
# scripts/bench.sh gathers into docs/benchmarks.md.

# PostgreSQL's programs, the newest installed.
bindir="$(ls -d /usr/lib/postgresql/*/bin 2> /dev/null | sort -V | tail -n1 || true)"

# Runs a command as the user PostgreSQL's servers run as (postgres when pgo runs as root).
as_server() {
  if [ "$(id -u)" = 0 ]; then
    setpriv --reuid="$(id -u postgres)" --regid="$(id -g postgres)" --init-groups -- "$@"
  else
    "$@"
  fi
}

# Nanoseconds since the epoch.
now_ns() { date +%s%N; }

# Median of the numbers on standard input, one a line.
median() { sort -g | awk '{a[NR]=$1} END {if (NR) print a[int((NR+1)/2)]}'; }

# Wall time of one run of a command in milliseconds (its output discarded), to two decimals.
time_ms() {
  local start end
  start=$(now_ns)
  "$@" > /dev/null 2>&1 || true
  end=$(now_ns)
  awk -v n=$((end - start)) 'BEGIN { printf "%.2f\n", n / 1e6 }'
}

# Median wall time in ms of RUNS runs after WARMUP unmeasured ones: median_ms RUNS WARMUP command...
median_ms() {
  local runs=$1 warmup=$2 i
  shift 2
  for ((i = 0; i < warmup; i++)); do "$@" > /dev/null 2>&1 || true; done
  for ((i = 0; i < runs; i++)); do time_ms "$@"; done | median
}

# One figure for the table:
#   result ID "what is measured" VALUE UNIT "what it is compared with" COMPARISON_VALUE TARGET
# COMPARISON_VALUE and TARGET (the value to stay under) may be "-". With BENCH_RESULTS set, the
# line is appended there as tab-separated fields; it is always printed for the person watching.
result() {
  local id=$1 figure=$2 value=$3 unit=$4 comparison=$5 against=$6 target=$7
  printf '  %s: %s %s (%s: %s; target %s)\n' "$figure" "$value" "$unit" "$comparison" "$against" "$target"
  if [ -n "${BENCH_RESULTS:-}" ]; then
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$id" "$figure" "$value" "$unit" "$comparison" "$against" "$target" \
      >> "$BENCH_RESULTS"
  fi
}

# A TCP port nobody listens on now, for a bare server beside pgo's.
free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 40000))
    (exec 3<> "/dev/tcp/127.0.0.1/$port") 2> /dev/null || { echo "$port"; return; }
  done
}

# A throw-away $PGO_HOME for one benchmark, in $home (the caller removes it): bench_home NAME.
# The servers' user must reach it, hence 755.
bench_home() {
  home="$(mktemp -d "/tmp/pgo-bench-$1-XXXXXX")"
  chmod 755 "$home"
}

# pgo on the benchmark's home ($here is the checkout).
pgo() { "$here/pgo" --home "$home" "$@"; }

# The namespace the mock API server (dev.pgo.bench.MockApiServer) holds its PgClusters in.
MOCK_NAMESPACE=bench

# The classpath of operator-core's tests, which hold the mock API server and the benchmarks' Java
# helpers (built by make build; compiled here when missing): bench_test_classpath WORKDIR
bench_test_classpath() {
  [ -f "$here/operator-core/target/test-classes/dev/pgo/bench/ReconcileWatch.class" ] \
    || "$here/scripts/with-tools" mvn -B -q -o -Dstyle.color=never -f "$here/pom.xml" -pl operator-core test-compile >&2
  "$here/scripts/with-tools" mvn -B -q -o -Dstyle.color=never -f "$here/pom.xml" -pl operator-core \
    dependency:build-classpath -Dmdep.outputFile="$1/classpath" -Dmdep.includeScope=test > /dev/null
  echo "$here/operator-core/target/test-classes:$here/operator-core/target/classes:$(cat "$1/classpath")"
}
