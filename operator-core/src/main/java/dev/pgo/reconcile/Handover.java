package dev.pgo.reconcile;

import dev.pgo.Pause;
import dev.pgo.PgoException;
import dev.pgo.api.v1.PgCluster;
import dev.pgo.api.v1.PgClusterStatus;
import dev.pgo.api.v1.Phase;
import dev.pgo.api.v1.PrimaryChange;
import dev.pgo.platform.InstanceRuntime;
import dev.pgo.platform.Platform;
import dev.pgo.sql.ConnectionPools;
import dev.pgo.sql.Credentials;
import dev.pgo.sql.Promotion;
import dev.pgo.sql.SqlErrors;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;

/**
 * Moves the primary role from one instance to another. A switchover stops the old primary
 * cleanly before the new one is promoted: a fast shutdown sends the last WAL to the standbys,
 * and the promotion waits until the target has received it, so no committed transaction is lost.
 */
final class Handover {
    private static final Duration CATCH_UP = Duration.ofSeconds(60);

    private final Platform platform;
    private final ConnectionPools pools;

    Handover(Platform platform, ConnectionPools pools) {
        this.platform = platform;
        this.pools = pools;
    }

    void switchover(PgCluster cluster, InstanceRuntime from, InstanceRuntime to, String reason, String request,
                    Credentials superuser, Credentials replication) {
        long lastWritten = sql(from, superuser, "read the WAL position of " + from.name(),
                Promotion::checkpointedPosition);
        // Recorded before the old primary stops: if pgo is interrupted now, the next pass finds the
        // recorded primary a standby with no primary anywhere and finishes the promotion.
        recordPrimary(cluster, new PrimaryChange(PrimaryChange.SWITCHOVER, from.name(), to.name(),
                Instant.now().toString(), reason), request);
        pools.forget(from.endpoint());
        platform.instances().stopForSwitchover(cluster, from.name(), to.name(), replication);
        awaitReceived(to, superuser, lastWritten);
        promote(to, superuser);
    }

    /**
     * The primary is lost: fence it first, so it cannot come back beside the new one, record the
     * new primary, then promote it. Interrupted after the record, the next pass finishes the
     * promotion (the fenced instance is down and cannot be a primary pgo does not see).
     */
    void failover(PgCluster cluster, InstanceRuntime from, InstanceRuntime to, String reason, String request,
                  Credentials superuser, Credentials replication) {
        pools.forget(from.endpoint());
        platform.instances().fence(cluster, from.name(), to.name(), replication);
        recordPrimary(cluster, new PrimaryChange(PrimaryChange.FAILOVER, from.name(), to.name(),
                Instant.now().toString(), reason), request);
        promote(to, superuser);
    }

    void promote(InstanceRuntime instance, Credentials superuser) {
        if (!sql(instance, superuser, "promote " + instance.name(), Promotion::promote)) {
            throw new PgoException(instance.name() + " did not finish its promotion within a minute",
                    "its server log says why; pgo tries again on the next pass");
        }
    }

    private void awaitReceived(InstanceRuntime standby, Credentials superuser, long position) {
        long deadline = System.nanoTime() + CATCH_UP.toNanos();
        long received = -1;
        while (System.nanoTime() < deadline) {
            received = sql(standby, superuser, "read how far " + standby.name() + " received",
                    Promotion::receivedPosition);
            if (received >= position) {
                return;
            }
            Pause.sleep(Duration.ofMillis(100), "interrupted while " + standby.name() + " caught up");
        }
        throw new PgoException(standby.name() + " did not receive the old primary's last WAL within "
                + CATCH_UP.toSeconds() + "s (" + (position - received) + " bytes behind); it is not promoted",
                "pgo promotes it on a later pass once it has caught up");
    }

    /**
     * Records the new primary, and the user's request it carries out (null when pgo decided it)
     * as done. The phase says Updating until the pass ends: whoever reads the status meanwhile
     * must not take the handover for finished.
     */
    private void recordPrimary(PgCluster cluster, PrimaryChange change, String request) {
        PgClusterStatus status = cluster.getStatus() == null ? new PgClusterStatus() : cluster.getStatus();
        status.setPhase(Phase.Updating);
        status.setPrimary(change.getTo());
        status.setLastPrimaryChange(change);
        if (request != null) {
            status.setCompletedSwitchover(request);
        }
        cluster.setStatus(status);
        platform.clusters().writeStatus(cluster.name(), status);
    }

    private <T> T sql(InstanceRuntime instance, Credentials superuser, String what, ConnectionPools.SqlWork<T> work) {
        try {
            return pools.withConnection(instance.endpoint(), "postgres", superuser, work);
        } catch (SQLException e) {
            throw new PgoException("cannot " + what + ": " + SqlErrors.describe(e));
        }
    }
}
