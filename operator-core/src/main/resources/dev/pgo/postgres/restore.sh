#!/bin/bash
# Makes a new cluster's primary from a base backup: unpack, check against the manifest, replay
# archived WAL to the restore point and promote, then give the roles the new cluster's
# passwords. From a logical backup (one with SHA256SUMS): initdb, the roles it lacks (without
# login), pg_restore of each database, then the passwords. Written by pgo; runs in a Job's pod
# as the unprivileged user, before the StatefulSet starts the instance. Needs on PATH:
# pg_verifybackup, pg_ctl, pg_controldata, postgres, initdb, psql, pg_restore, sha256sum, tar,
# gzip. Inputs:
#   PGDATA                  the new primary's data directory; its parent is the instance's volume
#   PGO_BACKUP_DIR          the backup's directory in the mounted backup volume
#   PGO_RESTORE_DIR         recovery.conf (restore_command and target) and passwords.sql
#   PGO_LISTEN, PGO_PORT    optional: where the server listens while it recovers (default: nowhere)
#   PGO_RESULT_FILE         where an error goes (the termination message)
set -euo pipefail

: "${PGDATA:?}" "${PGO_BACKUP_DIR:?}" "${PGO_RESTORE_DIR:?}"
log() { echo "pgo-restore: $*" >&2; }
result="${PGO_RESULT_FILE:-/dev/termination-log}"
volume="$(dirname "$PGDATA")"
marker="$volume/bootstrapped"
output="$(mktemp)"
umask 077

fail() {
  log "$1"
  printf 'status=Failed\nerror=%s\n' "$(printf '%s' "$1" | tr '\n' ' ' | cut -c1-1000)" > "$result"
  pg_ctl stop --pgdata="$PGDATA" --mode=immediate >/dev/null 2>&1 || true
  rm -rf "$PGDATA"
  exit 1
}

if [ -f "$marker" ]; then
  log "the volume holds a restored primary already"
  printf 'status=Restored\n' > "$result"
  exit 0
fi

unhex() { printf "$(sed 's/../\\x&/g' <<< "$1")"; }

# Where the server listens while it is filled: nowhere, or where PGO_LISTEN/PGO_PORT say.
first_start_settings() {
  echo "# Written by the pgo restore script."
  echo "listen_addresses = '${PGO_LISTEN:-}'"
  if [ -n "${PGO_PORT:-}" ]; then echo "port = '$PGO_PORT'"; fi
  echo "archive_mode = 'off'"
}

include_first_start_settings() {
  local include_line="include_if_exists 'pgo-instance.conf'"
  grep -qxF "$include_line" "$PGDATA/postgresql.conf" || printf '\n%s\n' "$include_line" >> "$PGDATA/postgresql.conf"
}

replay_base_backup() {
  log "unpacking $PGO_BACKUP_DIR"
  rm -rf "$PGDATA"
  mkdir -p "$PGDATA/pg_wal"
  chmod 700 "$PGDATA"
  { tar -xf "$PGO_BACKUP_DIR"/base.tar* -C "$PGDATA" && tar -xf "$PGO_BACKUP_DIR"/pg_wal.tar* -C "$PGDATA/pg_wal"; } \
    2> "$output" || fail "backup $(basename "$PGO_BACKUP_DIR") is damaged: cannot unpack: $(tail -n 3 "$output")"
  pg_verifybackup --manifest-path="$PGO_BACKUP_DIR/backup_manifest" --quiet "$PGDATA" 2> "$output" \
    || fail "backup $(basename "$PGO_BACKUP_DIR") is damaged: $(sed 's/^pg_verifybackup: \(error: \)\{0,1\}//' "$output" | head -n 5)"

  # The settings of the first start: no clients, and what to replay. The bootstrap script
  # rewrites this file when the instance starts for good.
  { first_start_settings; echo "unix_socket_directories = ''"; cat "$PGO_RESTORE_DIR/recovery.conf"; } \
    > "$PGDATA/pgo-instance.conf"
  include_first_start_settings
  touch "$PGDATA/recovery.signal"

  log "replaying WAL"
  pg_ctl start --pgdata="$PGDATA" --log="$volume/restore.log" --no-wait >/dev/null \
    || fail "the restored server did not start: $(tail -n 5 "$volume/restore.log")"
  sleep 1
  until pg_controldata "$PGDATA" | grep -q 'in production'; do
    pg_ctl status --pgdata="$PGDATA" >/dev/null || fail "recovery stopped: $(tail -n 5 "$volume/restore.log")"
    sleep 1
  done
  pg_ctl stop --pgdata="$PGDATA" --mode=fast --wait >/dev/null
}

# A new server from initdb (local connections only, through a private socket), filled from
# the dumps. Its superuser password is random until the new cluster's is set below.
restore_dumps() {
  local name n hex owner dump sql socket pwfile
  (cd "$PGO_BACKUP_DIR" && sha256sum --check --quiet SHA256SUMS) > "$output" 2>&1 \
    || fail "backup $(basename "$PGO_BACKUP_DIR") is damaged: $(head -n 3 "$output" | tr '\n' ' ')"
  rm -rf "$PGDATA"
  pwfile="$(mktemp)"
  head -c 32 /dev/urandom | base64 > "$pwfile"
  initdb --pgdata="$PGDATA" --username=postgres --pwfile="$pwfile" --auth-local=trust --auth-host=scram-sha-256 \
    --encoding=UTF8 --locale=C.UTF-8 --data-checksums --no-instructions > "$output" 2>&1 \
    || fail "initdb failed: $(tail -n 3 "$output")"
  rm -f "$pwfile"
  socket="$(mktemp -d)"
  { first_start_settings; echo "unix_socket_directories = '$socket'"; } > "$PGDATA/pgo-instance.conf"
  include_first_start_settings
  pg_ctl start --pgdata="$PGDATA" --log="$volume/restore.log" --wait >/dev/null \
    || fail "the new server did not start: $(tail -n 5 "$volume/restore.log")"
  export PGHOST="$socket" PGUSER=postgres PGDATABASE=postgres

  log "creating the roles the dumps name"
  sql="SELECT format('CREATE ROLE %I NOLOGIN', r) FROM (SELECT convert_from(decode(h, 'hex'), 'UTF8') AS r FROM (VALUES ('')"
  while read -r hex; do sql+=",('$hex')"; done < "$PGO_BACKUP_DIR/roles.hex"
  sql+=") v(h) WHERE h <> '') x WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = r)"
  printf '%s \\gexec\n' "$sql" | psql -X -q -v ON_ERROR_STOP=1 > /dev/null 2> "$output" \
    || fail "creating the roles failed: $(tail -n 3 "$output")"

  while read -r n hex owner; do
    name="$(unhex "$hex")"
    dump="$PGO_BACKUP_DIR/db-$n.dump"
    log "restoring database $name"
    if [ "$name" = postgres ]; then
      pg_restore --exit-on-error --dbname=postgres "$dump" 2> "$output" \
        || fail "restoring database $name failed: $(grep 'error: ' "$output" | head -n 1)"
    else
      # --create makes the database as the dump describes it: encoding, locale, owner, settings
      pg_restore --exit-on-error --create --dbname=template1 "$dump" 2> "$output" \
        || fail "restoring database $name failed: $(grep 'error: ' "$output" | head -n 1)"
    fi
  done < "$PGO_BACKUP_DIR/databases.hex"
  unset PGHOST PGUSER PGDATABASE
  pg_ctl stop --pgdata="$PGDATA" --mode=fast --wait >/dev/null
  rm -rf "$socket"
}

if [ -f "$PGO_BACKUP_DIR/SHA256SUMS" ]; then
  restore_dumps
else
  replay_base_backup
fi

# The backup holds the source's passwords; the new cluster's go in as SCRAM verifiers.
log "setting the new cluster's passwords"
postgres --single -D "$PGDATA" postgres < "$PGO_RESTORE_DIR/passwords.sql" > "$output" 2>&1 \
  || fail "setting the passwords failed: $(tail -n 3 "$output")"
if grep -q 'ERROR:' "$output"; then fail "setting the passwords failed: $(grep 'ERROR:' "$output" | head -n 1)"; fi
rm -f "$PGDATA/pgo-instance.conf" "$volume/restore.log" "$output"
touch "$marker"
printf 'status=Restored\n' > "$result"
log "restored"
