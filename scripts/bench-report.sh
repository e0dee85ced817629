#!/usr/bin/env bash
# Writes docs/benchmarks.md (to standard output) from the result lines of one benchmark run.
# Usage: scripts/bench-report.sh RESULTS STARTED [quick]
set -euo pipefail
results="$1"
started="$2"
mode="${3:-full}"
here="$(cd "$(dirname "$0")/.." && pwd)"

java="$("$here/scripts/with-tools" sh -c 'command -v java')"
jdk="$("$java" -version 2>&1 | head -n1)"
postgres="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)/postgres"
cpu="$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n1)"
memory="$(awk '/^MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)"

cat <<HEADER
# Benchmarks

Written by \`make bench\` ($mode run, started $started); every figure below comes from that one
run, each beside what it is compared with in the same run. \`make bench-quick\` runs the same
with fewer repetitions and a smaller backup.

Machine: $(nproc) cores ($cpu), $memory, $(uname -sr); $jdk; $("$postgres" --version).

| Figure | Measured | Compared with | Ratio | Target | Met |
|---|---|---|---|---|---|
HEADER

awk -F'\t' '
  function num(x) { return x ~ /^[0-9.]+$/ }
  {
    ratio = (num($3) && num($6) && $6 > 0) ? sprintf("%.2f", $3 / $6) : "-"
    compared = ($5 == "-" ? "-" : $5 (num($6) ? ": " $6 " " $4 : ""))
    target = (num($7) ? "under " $7 " " $4 : "-")
    met = (num($7) ? ($3 <= $7 ? "yes" : "**no**") : "-")
    printf "| %s | %s %s | %s | %s | %s | %s |\n", $2, $3, $4, compared, ratio, target, met
  }' "$results"

cat <<'NOTES'

How each is measured:
- Wall times of whole commands are medians after warm-up runs (`scripts/bench-start.sh`,
  `scripts/bench-create.sh`). The shell's time per command is the difference between a piped
  script of 101 lines and one of 1 line, over 100.
- Failover and switchover (`scripts/bench-ha.sh`): a client inserts through the read-write
  connection string every 100 ms with a new psql each time; only attempts after the event count.
- Backup and restore (`scripts/bench-backup.sh`): a pgbench database (scale 68, about 1 GiB, in
  a full run), pgo's verified backup against bare `pg_basebackup` plus `pg_verifybackup`, and
  pgo's restore (until the new database runs) against the same by hand: unpacking
  `pg_basebackup`'s tars, checking them with `pg_verifybackup` as pgo does, and starting a
  server until it answers; the target is within 10%.
- The dashboard (`scripts/bench-tui.sh`): synthetic clusters on Lanterna's virtual terminal,
  from a new reading to the frame sent.
- The operator at scale (`scripts/bench-operator.sh`): `pgo operator` and fabric8's mock API
  server as two processes on the same cores; the server starts with the PgClusters and nothing
  else, and a watcher (it adds no requests) sees each get its StatefulSet and a status. No pod
  runs on the mock server, so a cluster gets as far as Creating there; at rest means the 60 s
  after that, with every cluster waiting for its pods.
- Micro benchmarks (`scripts/bench-jmh.sh`, the `benchmarks` module): JMH, average time per call.

Why a target is missed, with the profiles behind it: [performance.md](performance.md).
NOTES

missing=""
while IFS='|' read -r id what; do
  grep -q "^$id	" "$results" || missing="$missing"$'\n'"- $what"
done <<'EXPECTED'
start-show|pgo show cluster all on the local platform
start-pvc|pgo show pvc NAME on the local platform
start-kubernetes|pgo show cluster all against the mock API server, beside kubectl get
shell-command|a command inside the shell
complete-names|pgo __complete
operator-reconcile|the operator reconciling 1,000 PgClusters on the mock API server
operator-idle-cpu|the operator's CPU at rest with 1,000 PgClusters
operator-rss|the operator's RSS with 1,000 PgClusters
create-cluster|pgo create cluster with 3 instances
ha-failover|failover
ha-switchover|switchover
backup|backup of 1 GiB
restore|restore of 1 GiB
tui-frame|dashboard frame time with 1,000 clusters
jmh-objects|JMH micro benchmarks
EXPECTED
if [ -n "$missing" ]; then
  printf '\nNot measured by this run yet:%s\n' "$missing"
fi
