#!/bin/bash
# Takes one backup of a pgo cluster into its backup volume, or deletes backups from it.
# Written by pgo; runs in a Job's pod as the unprivileged user. Needs on PATH: pg_basebackup,
# pg_verifybackup, pg_archivecleanup, psql, pg_dump, pg_restore, sha256sum, tar, gzip.
# Everything else comes from the environment:
#   PGO_REPOSITORY            the repository directory, e.g. /pgo/backups/orders-backups
#   PGO_BACKUP_ID             the backup's id (YYYY-MM-DD-HH-MM-SS, UTC); when empty it is the
#                             time a scheduled Job was due, from PGO_JOB_NAME (<cronjob>-<minutes>)
#   PGO_RW_HOST, PGO_RW_PORT  where the primary answers (the read-write Service)
#   PGO_REPLICATION_PASSWORD  for the replication role "standby"
#   PGO_TYPE                  "full" (the default: pg_basebackup) or "logical" (pg_dump of each
#                             database into db-N.dump, named in databases.hex and roles.hex as
#                             hex, so that no name can break a line; SHA256SUMS to check them)
#   PGO_SUPERUSER_PASSWORD    for a logical backup: the superuser "postgres"
#   PGO_RESULT_FILE           where the outcome goes, as key=value lines (the termination message)
#   PGO_VERIFY                instead of a backup: the id of a backup to verify again
#   PGO_DELETE                instead of a backup: the ids of the backups to delete
#   PGO_KEEP_WAL_FROM         with PGO_DELETE: the oldest archived WAL segment still needed
set -euo pipefail

: "${PGO_REPOSITORY:?}"
log() { echo "pgo-backup: $*" >&2; }
result="${PGO_RESULT_FILE:-/dev/termination-log}"
now() { date -u +%Y-%m-%dT%H:%M:%S.%3NZ; }
umask 077

if [ -n "${PGO_DELETE:-}" ]; then
  for id in $PGO_DELETE; do
    log "deleting backup $id"
    rm -rf "${PGO_REPOSITORY:?}/$id"
  done
  if [ -n "${PGO_KEEP_WAL_FROM:-}" ] && [ -d "$PGO_REPOSITORY/wal" ]; then
    log "removing archived WAL before $PGO_KEEP_WAL_FROM"
    pg_archivecleanup "$PGO_REPOSITORY/wal" "$PGO_KEEP_WAL_FROM"
  fi
  printf 'status=Deleted\n' > "$result"
  exit 0
fi

id="${PGO_BACKUP_ID:-${PGO_VERIFY:-}}"
if [ -z "$id" ]; then
  minutes="${PGO_JOB_NAME##*-}"
  id="$(date -u -d "@$((minutes * 60))" +%Y-%m-%d-%H-%M-%S)"
fi
dir="$PGO_REPOSITORY/$id"
partial="$PGO_REPOSITORY/.$id.partial"
scratch="$PGO_REPOSITORY/.verify-$id"
passfile="$(mktemp)"
output="$(mktemp)"
started="$(now)"
stopped=""

# The outcome, also kept beside the backup so the volume describes itself.
report() {
  local status="$1" error="${2:-}"
  {
    echo "id=$id"
    echo "status=$status"
    echo "startTime=$started"
    [ -n "$stopped" ] && echo "stopTime=$stopped"
    [ -n "${start_lsn:-}" ] && echo "startLsn=$start_lsn" && echo "stopLsn=$stop_lsn" && echo "timeline=$timeline"
    [ -n "${size:-}" ] && echo "sizeBytes=$size"
    [ -n "$error" ] && echo "error=$(printf '%s' "$error" | tr '\n' ' ' | cut -c1-1000)"
    :
  } > "$result"
  if [ -n "$stopped" ] && [ -d "$dir" ]; then cp "$result" "$dir/backup.result"; fi
}

fail() {
  rm -rf "$partial" "$scratch" "$passfile"
  if [ -d "$dir" ]; then find "$dir" -mindepth 1 ! -name backup.result -delete; fi
  report Failed "$1"
  log "backup $id failed: $1"
  exit 1
}

# A logical backup's dumps: unchanged since they were written, and readable by pg_restore.
verify_dumps() {
  log "verifying logical backup $id"
  if ! (cd "$dir" && sha256sum --check --quiet SHA256SUMS) > "$output" 2>&1; then
    report Failed "verification failed: $(head -n 3 "$output" | tr '\n' ' ')"
    return 1
  fi
  local dump
  for dump in "$dir"/db-*.dump; do
    if ! pg_restore --list "$dump" > /dev/null 2> "$output"; then
      report Failed "verification failed: $(basename "$dump") is not a readable dump: $(head -n 2 "$output")"
      return 1
    fi
  done
}

# pg_verifybackup checks a plain data directory, so the backup is unpacked beside it first.
# Reports Failed and returns 1 when the backup is damaged.
verify() {
  if [ -f "$dir/SHA256SUMS" ]; then
    verify_dumps
    return
  fi
  log "verifying backup $id"
  rm -rf "$scratch"
  mkdir -p "$scratch/pg_wal"
  if ! { tar -xf "$dir"/base.tar* -C "$scratch" && tar -xf "$dir"/pg_wal.tar* -C "$scratch/pg_wal"; } 2> "$output"; then
    rm -rf "$scratch"
    report Failed "verification failed: cannot unpack: $(tail -n 3 "$output")"
    return 1
  fi
  if ! pg_verifybackup --manifest-path="$dir/backup_manifest" --quiet "$scratch" 2> "$output"; then
    rm -rf "$scratch"
    report Failed "verification failed: $(sed 's/^pg_verifybackup: \(error: \)\{0,1\}//' "$output" | head -n 5)"
    return 1
  fi
  rm -rf "$scratch"
}

if [ -n "${PGO_VERIFY:-}" ]; then
  id="$PGO_VERIFY"
  dir="$PGO_REPOSITORY/$id"
  scratch="$PGO_REPOSITORY/.verify-$id"
  started=""
  stopped=""
  [ -d "$dir" ] || { report Failed "backup $id is not in $PGO_REPOSITORY"; exit 1; }
  if verify; then report Verified; else exit 1; fi
  exit 0
fi

: "${PGO_RW_HOST:?}" "${PGO_RW_PORT:?}" "${PGO_REPLICATION_PASSWORD:?}"
trap 'fail "interrupted: the backup Job was stopped before it finished"' TERM INT

# From the first backup on, the servers archive every WAL segment into wal/.
mkdir -p "$PGO_REPOSITORY/wal"
if [ -e "$dir" ]; then
  started="$(now)"
  report Failed "backup $id already exists"
  exit 1
fi
mkdir "$dir"

unhex() { printf "$(sed 's/../\\x&/g' <<< "$1")"; }

# pg_dump of each database that accepts connections, as the superuser, into the partial
# directory; then the list of roles and the checksums.
dump_databases() {
  : "${PGO_SUPERUSER_PASSWORD:?}"
  printf '*:*:*:postgres:%s\n' "$(printf '%s' "$PGO_SUPERUSER_PASSWORD" | sed 's/[\\:]/\\&/g')" > "$passfile"
  export PGPASSFILE="$passfile" PGSSLMODE="${PGSSLMODE:-disable}" PGHOST="$PGO_RW_HOST" PGPORT="$PGO_RW_PORT" PGUSER=postgres
  mkdir -p "$partial"
  PGDATABASE=postgres psql -AtX -v ON_ERROR_STOP=1 -F ' ' -c "SELECT row_number() OVER (ORDER BY datname),
      encode(convert_to(datname, 'UTF8'), 'hex'), encode(convert_to(pg_get_userbyid(datdba), 'UTF8'), 'hex')
      FROM pg_database WHERE datallowconn AND NOT datistemplate ORDER BY datname" > "$partial/databases.hex" \
    2> "$output" || fail "cannot list the databases: $(tail -n 3 "$output")"
  local n hex owner name
  while read -r n hex owner; do
    name="$(unhex "$hex")"
    log "dumping database $name"
    PGDATABASE="$name" pg_dump --format=custom --compress=1 --file="$partial/db-$n.dump" 2> "$output" \
      || fail "pg_dump of database $name: $(grep -v '^$' "$output" | tail -n 3)"
  done < "$partial/databases.hex"
  PGDATABASE=postgres psql -AtX -v ON_ERROR_STOP=1 -c "SELECT encode(convert_to(rolname, 'UTF8'), 'hex')
      FROM pg_roles WHERE rolname !~ '^pg_' ORDER BY rolname" > "$partial/roles.hex" 2> "$output" \
    || fail "cannot list the roles: $(tail -n 3 "$output")"
  (cd "$partial" && sha256sum db-*.dump > SHA256SUMS)
  unset PGPASSFILE PGHOST PGPORT PGUSER
  rm -f "$passfile"
  stopped="$(now)"
  mv "$partial"/* "$dir"/
  rmdir "$partial"
  size="$(du -sb "$dir" | cut -f1)"
}

if [ "${PGO_TYPE:-full}" = logical ]; then
  log "dumping the databases of $PGO_RW_HOST:$PGO_RW_PORT into $dir"
  dump_databases
  if verify; then
    report Verified
    log "logical backup $id verified: $size bytes"
    exit 0
  fi
  exit 1
fi

printf '*:*:*:standby:%s\n' "$(printf '%s' "$PGO_REPLICATION_PASSWORD" | sed 's/[\\:]/\\&/g')" > "$passfile"

log "backing up $PGO_RW_HOST:$PGO_RW_PORT into $dir"
if ! PGPASSFILE="$passfile" PGSSLMODE="${PGSSLMODE:-disable}" pg_basebackup --pgdata="$partial" --host="$PGO_RW_HOST" \
    --port="$PGO_RW_PORT" --username=standby --no-password --format=tar --compress=1 --wal-method=stream \
    --checkpoint=fast --label="pgo $id" --progress --verbose 2> >(tee "$output" >&2); then
  fail "pg_basebackup: $(grep -v '^[0-9]* */' "$output" | tail -n 3)"
fi
rm -f "$passfile"
stopped="$(now)"
mv "$partial"/* "$dir"/
rmdir "$partial"

# The WAL range the backup needs, from its manifest: the first range's start, the last one's end.
ranges="$(tr -d '\n' < "$dir/backup_manifest" | grep -o '"Timeline": *[0-9]*, *"Start-LSN": *"[0-9A-F/]*", *"End-LSN": *"[0-9A-F/]*"')" \
  || fail "the backup manifest names no WAL range"
start_lsn="$(head -n1 <<< "$ranges" | sed 's/.*"Start-LSN": *"\([^"]*\)".*/\1/')"
stop_lsn="$(tail -n1 <<< "$ranges" | sed 's/.*"End-LSN": *"\([^"]*\)".*/\1/')"
timeline="$(tail -n1 <<< "$ranges" | sed 's/.*"Timeline": *\([0-9]*\).*/\1/')"
size="$(du -sb "$dir" | cut -f1)"

if verify; then
  report Verified
  log "backup $id verified: $size bytes, WAL $start_lsn to $stop_lsn on timeline $timeline"
else
  exit 1
fi
