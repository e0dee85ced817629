#!/usr/bin/env bash
# Failover, switchover and crash-recovery times as a client feels them: a client inserts a row
# every 100 ms through the cluster's read-write connection string (a new psql each time, so it
# finds the primary as any libpq client would), while `pgo operator` watches the clusters.
# Usage: scripts/bench-ha.sh [RUNS]
# Prints one line per run and the medians; uses a throw-away $PGO_HOME, removed at the end.
set -euo pipefail
runs="${1:-10}"
here="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=bench-lib.sh
source "$here/scripts/bench-lib.sh"
bench_home ha
operator_pid=""
client_pid=""
cleanup() {
  [ -n "$client_pid" ] && kill "$client_pid" 2>/dev/null || true
  [ -n "$operator_pid" ] && kill "$operator_pid" 2>/dev/null && wait "$operator_pid" 2>/dev/null || true
  pgo delete cluster ha >/dev/null 2>&1 || true
  pgo delete database solo >/dev/null 2>&1 || true
  if [ -z "${KEEP:-}" ]; then rm -rf "$home"; else echo "kept $home" >&2; fi
}
trap cleanup EXIT
now() { date +%s.%N; }
json() { pgo show "$1" "$2" -o json 2>/dev/null; }
field() { grep -o "\"$1\" : \(\"[^\"]*\"\|[^,}]*\)" | head -n1 | sed 's/^[^:]*: //; s/"//g'; }
server_pid() { head -n1 "$home/volumes/pgdata-$1/pgdata/postmaster.pid"; }

# Waits until every instance of $2 (a cluster or database) is ready and the phase is Running.
await_healthy() {
  local kind="$1" name="$2" want="$3" deadline=$(( $(date +%s) + 120 ))
  while :; do
    local status; status="$(json "$kind" "$name")"
    if [ "$(echo "$status" | field phase)" = Running ] && [ "$(echo "$status" | field readyInstances)" = "$want" ]; then
      return 0
    fi
    [ "$(date +%s)" -lt "$deadline" ] || { echo "$name did not become healthy" >&2; exit 1; }
    sleep 0.2
  done
}

# The client: one line per attempt, "<end time> ok|failed <start time>". Only an attempt that
# started after a kill counts: one in flight on a backend of the killed server may still commit.
start_client() {
  local url="$1" log="$2" i=0
  : > "$log"
  (
    while :; do
      i=$((i + 1))
      local started; started="$(now)"
      if timeout 3 "$bindir/psql" "$url" -Atqc "INSERT INTO beat VALUES ($i)" >/dev/null 2>&1; then
        echo "$(now) ok $started" >> "$log"
      else
        echo "$(now) failed $started" >> "$log"
      fi
      sleep 0.1
    done
  ) &
  client_pid=$!
}
stop_client() { kill "$client_pid" 2>/dev/null || true; wait "$client_pid" 2>/dev/null || true; client_pid=""; }

# The end of the first successful write that started after time $1, waiting for it.
first_ok_after() {
  local since="$1" log="$2" deadline=$(( $(date +%s) + 60 ))
  while :; do
    local t; t="$(awk -v s="$since" '$2 == "ok" && $3 > s {print $1; exit}' "$log")"
    [ -n "$t" ] && { echo "$t"; return 0; }
    [ "$(date +%s)" -lt "$deadline" ] || { echo "no write succeeded within 60 s" >&2; exit 1; }
    sleep 0.05
  done
}

# The longest time between two successful writes ending in [$1, $2].
longest_gap() {
  awk -v a="$1" -v b="$2" '$2 == "ok" { if (prev != "" && $1 >= a && prev <= b && $1 - prev > gap) gap = $1 - prev; prev = $1 }
    END { printf "%.3f\n", gap }' "$3"
}

connection() {
  local kind="$1" name="$2"
  local password; password="$(sed -n 's/^ *password: *//p' "$home/secrets/$name/postgres.yaml" | tr -d '"')"
  local url; url="$(json "$kind" "$name" | field readWrite)"
  # libpq URI with the user and password, connect_timeout 1 s so a dead host costs little
  url="${url/postgresql:\/\//postgresql://postgres:$password@}"
  case "$url" in *\?*) url="$url&connect_timeout=1&sslmode=disable" ;; *) url="$url?connect_timeout=1&sslmode=disable" ;; esac
  echo "$url"
}

pgo create cluster ha --replicas 2 >/dev/null 2>&1
pgo create database solo >/dev/null 2>&1
# Not through the pgo function: in a background subshell it would leave the operator a
# grandchild that killing $! does not reach.
"$here/pgo" --home "$home" operator > "$home/operator.log" 2>&1 &
operator_pid=$!
url="$(connection cluster ha)"
"$bindir/psql" "$url" -qc "CREATE TABLE beat (id int)" >/dev/null
solo_url="$(connection database solo)"
"$bindir/psql" "$solo_url" -qc "CREATE TABLE beat (id int)" >/dev/null
client_log="$home/client.log"

# One run, once the cluster is healthy: with the client writing through $2, kill -9 the server
# of instance $1; prints the seconds to the first successful write.
time_kill() {
  local instance="$1" url="$2" t0 t1
  start_client "$url" "$client_log"; sleep 1
  t0="$(now)"; kill -9 "$(server_pid "$instance")"
  t1="$(first_ok_after "$t0" "$client_log")" || { stop_client; return 1; }
  stop_client
  echo "$t1 - $t0" | bc
}

echo "failover: kill -9 of the primary's server, to the first successful write"
: > "$home/failover.times"
for i in $(seq 1 "$runs"); do
  await_healthy cluster ha 3
  primary="$(json cluster ha | field primary)"
  took="$(time_kill "$primary" "$url")"
  echo "  run $i: $primary lost, writes again after ${took} s (now $(json cluster ha | field primary))"
  echo "$took" >> "$home/failover.times"
done

echo "switchover: pgo switchover, the longest time between two successful writes, and the command's wall time"
: > "$home/switchover.times"
for i in $(seq 1 "$runs"); do
  await_healthy cluster ha 3
  start_client "$url" "$client_log"; sleep 1
  t0="$(now)"; pgo switchover ha >/dev/null 2>&1; t1="$(now)"
  sleep 1; stop_client
  gap="$(longest_gap "$t0" "$t1" "$client_log")"
  took="$(echo "$t1 - $t0" | bc)"
  echo "  run $i: no write for ${gap} s at most; command ${took} s (primary now $(json cluster ha | field primary))"
  echo "$gap $took" >> "$home/switchover.times"
done

echo "crash recovery: kill -9 of a database's only server, to the first successful write"
: > "$home/crash.times"
for i in $(seq 1 "$runs"); do
  await_healthy database solo 1
  took="$(time_kill solo-0 "$solo_url")"
  echo "  run $i: writes again after ${took} s"
  echo "$took" >> "$home/crash.times"
done

echo "median of $runs runs: failover $(median < "$home/failover.times") s;" \
  "switchover outage $(cut -d' ' -f1 "$home/switchover.times" | median) s, command $(cut -d' ' -f2 "$home/switchover.times" | median) s;" \
  "crash recovery $(median < "$home/crash.times") s"
in_ms() { awk '{ printf "%.0f\n", $1 * 1000 }'; }
failover_ms="$(median < "$home/failover.times" | in_ms)"
crash_ms="$(median < "$home/crash.times" | in_ms)"
result ha-failover "failover: primary killed to the first write (3 instances)" "$failover_ms" ms \
  "crash recovery of a single server in place" "$crash_ms" 2000
result ha-switchover "switchover: longest time without a write" \
  "$(cut -d' ' -f1 "$home/switchover.times" | median | in_ms)" ms \
  "pgo switchover's wall time" "$(cut -d' ' -f2 "$home/switchover.times" | median | in_ms)" 1000
