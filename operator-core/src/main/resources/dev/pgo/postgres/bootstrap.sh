#!/bin/bash
# Bootstraps and starts one PostgreSQL instance of a pgo cluster, then becomes the server.
# Written by pgo; runs as the unprivileged user of the pod (or of the machine). Needs on PATH:
# initdb, pg_basebackup, pg_rewind, psql, postgres. Everything else comes from the environment:
#   PGDATA                    the data directory; its parent is the instance's volume
#   POD_NAME                  this instance, e.g. orders-1
#   PGO_CONFIG_DIR            pgo.conf, pg_hba.conf, and "primary": the instance pgo made primary;
#                             "restore" when the primary comes from a backup
#   PGO_RW_HOST, PGO_RW_PORT  where the primary answers (the read-write Service on Kubernetes)
#   PGO_SUPERUSER_PASSWORD    for a new primary's superuser "postgres", and for pg_rewind
#   PGO_REPLICATION_PASSWORD  for the replication role "standby"
#   PGO_PORT, PGO_LISTEN      optional: where to listen instead of the pods' *:5432
#   PGSSLMODE, PGSSLROOTCERT  with TLS (spec.tls): verify-ca and the cluster's authority
#   PGSSLCERT, PGSSLKEY       with TLS: a file that does not exist (pgo uses no client certificate)
set -euo pipefail

: "${PGDATA:?}" "${POD_NAME:?}" "${PGO_CONFIG_DIR:?}" "${PGO_RW_HOST:?}" "${PGO_RW_PORT:?}"
log() { echo "pgo-bootstrap: $*" >&2; }

volume="$(dirname "$PGDATA")"
marker="$volume/bootstrapped"
passfile="$volume/pgpass"
primary="$(cat "$PGO_CONFIG_DIR/primary")"
slot="${POD_NAME//-/_}"
umask 077
# libpq's own variables reach pg_basebackup and psql; conninfo strings name them for the server
ssl="sslmode=${PGSSLMODE:-disable}${PGSSLROOTCERT:+ sslrootcert=$PGSSLROOTCERT}"
ssl="$ssl${PGSSLCERT:+ sslcert=$PGSSLCERT}${PGSSLKEY:+ sslkey=$PGSSLKEY}"

printf '*:*:*:standby:%s\n' "${PGO_REPLICATION_PASSWORD//:/\\:}" > "$passfile"

# A data directory without the marker is what an interrupted bootstrap left: no one can have
# written to it, so it is made again from scratch.
if [ ! -f "$marker" ] || [ ! -s "$PGDATA/PG_VERSION" ]; then
  if [ "$POD_NAME" = "$primary" ] && [ -f "$PGO_CONFIG_DIR/restore" ]; then
    # A cluster made from a backup gets its primary from the restore Job, never from initdb.
    log "$POD_NAME waits for its restore from $(cat "$PGO_CONFIG_DIR/restore"); retrying in 10 seconds"
    sleep 10
    exit 1
  fi
  rm -rf "$PGDATA"
  if [ "$POD_NAME" = "$primary" ]; then
    log "initialising $POD_NAME as the primary"
    pwfile="$(mktemp)"
    printf '%s\n' "$PGO_SUPERUSER_PASSWORD" > "$pwfile"
    initdb --pgdata="$PGDATA" --username=postgres --pwfile="$pwfile" --auth=scram-sha-256 \
      --encoding=UTF8 --locale=C.UTF-8 --data-checksums --no-instructions
    rm -f "$pwfile"
  else
    log "cloning $POD_NAME from $PGO_RW_HOST:$PGO_RW_PORT"
    until PGPASSFILE="$passfile" pg_basebackup --pgdata="$PGDATA" --host="$PGO_RW_HOST" --port="$PGO_RW_PORT" \
        --username=standby --no-password --wal-method=stream --slot="$slot" --checkpoint=fast --no-manifest; do
      log "the primary cannot be cloned yet; retrying in 5 seconds"
      rm -rf "$PGDATA"
      sleep 5
    done
    # A clone is a standby from the start; only a former primary lacks this file below.
    touch "$PGDATA/standby.signal"
  fi
  touch "$marker"
fi

# The shared settings and pg_hba.conf are read where the configuration is mounted, so that when
# pgo changes them (a ConfigMap update reaches the mount in about a minute) a reload applies them.
include_line="include '$PGO_CONFIG_DIR/pgo.conf'"
grep -qxF "$include_line" "$PGDATA/postgresql.conf" \
  || printf "\n%s\ninclude_if_exists 'pgo-instance.conf'\n" "$include_line" >> "$PGDATA/postgresql.conf"

# What differs per instance: its name, where it listens if not the default, whom it follows.
{
  echo "# Written by the pgo bootstrap script for $POD_NAME."
  echo "cluster_name = '$POD_NAME'"
  echo "hba_file = '$PGO_CONFIG_DIR/pg_hba.conf'"
  if [ -n "${PGO_LISTEN:-}" ]; then echo "listen_addresses = '$PGO_LISTEN'"; fi
  if [ -n "${PGO_PORT:-}" ]; then echo "port = '$PGO_PORT'"; fi
  if [ "$POD_NAME" != "$primary" ]; then
    echo "primary_conninfo = 'host=$PGO_RW_HOST port=$PGO_RW_PORT user=standby passfile=$passfile application_name=$POD_NAME $ssl'"
    echo "primary_slot_name = '$slot'"
  fi
} > "$PGDATA/pgo-instance.conf"

if [ "$POD_NAME" = "$primary" ]; then
  rm -f "$PGDATA/standby.signal"
elif [ ! -f "$PGDATA/standby.signal" ]; then
  # A former primary comes back as a standby. After a switchover its WAL is a prefix of the new
  # primary's; after a failover it may hold transactions the new primary never received, and
  # pg_rewind takes them out (it does nothing when there are none). The new primary checkpoints
  # first: pg_rewind reads its timeline from its control file, which only a checkpoint updates.
  log "$POD_NAME was a primary; it follows $primary now"
  rewind_pass="$(mktemp)"
  printf '*:*:*:postgres:%s\n' "${PGO_SUPERUSER_PASSWORD//:/\\:}" > "$rewind_pass"
  source_server="host=$PGO_RW_HOST port=$PGO_RW_PORT user=postgres dbname=postgres $ssl"
  until PGPASSFILE="$rewind_pass" psql "$source_server connect_timeout=5" -qAtc CHECKPOINT >/dev/null; do
    log "the new primary does not answer yet; retrying in 2 seconds"
    sleep 2
  done
  if ! PGPASSFILE="$rewind_pass" pg_rewind --target-pgdata="$PGDATA" --source-server="$source_server"; then
    # Rewinding can be impossible (the WAL it needs is gone): the instance is cloned afresh.
    log "pg_rewind failed; $POD_NAME is cloned afresh from $primary"
    rm -f "$rewind_pass" "$marker"
    rm -rf "$PGDATA"
    exit 1
  fi
  rm -f "$rewind_pass"
  rm -rf "$PGDATA"/pg_replslot/*
  touch "$PGDATA/standby.signal"
fi

log "starting $POD_NAME as $([ "$POD_NAME" = "$primary" ] && echo primary || echo replica)"
# The server needs neither password in its environment (the passfile serves replication).
unset PGO_SUPERUSER_PASSWORD PGO_REPLICATION_PASSWORD
exec postgres -D "$PGDATA"
