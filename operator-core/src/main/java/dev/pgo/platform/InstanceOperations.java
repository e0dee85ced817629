package dev.pgo.platform;

import dev.pgo.api.v1.Endpoints;
import dev.pgo.api.v1.PgCluster;
import dev.pgo.backup.RestorePoint;
import dev.pgo.sql.Credentials;
import dev.pgo.sql.Endpoint;

import java.util.List;

/** The instance life cycle as a platform carries it out; the reconciler decides when. */
public interface InstanceOperations {
    /** Every instance of the cluster that has a volume, in ordinal order. */
    List<InstanceRuntime> observe(PgCluster cluster);

    /** A new primary: initdb with SCRAM, the superuser's password, configuration; then start. */
    void bootstrapPrimary(PgCluster cluster, String instance, Credentials superuser);

    /**
     * A new primary from a backup: its files unpacked and checked against the manifest, WAL
     * replayed to the restore point, promoted; then the passwords of {@code logins} set to
     * this cluster's (the backup holds the source's), and started.
     */
    default void restorePrimary(PgCluster cluster, String instance, RestorePoint point, List<Credentials> logins) {
        throw new dev.pgo.PgoException("restoring a backup is not available on this platform yet");
    }

    /** A new replica: pg_basebackup from the primary into the volume, standby configuration; then start. */
    void bootstrapReplica(PgCluster cluster, String instance, Endpoint primary, String primaryInstance,
                          Credentials replication, String slot);

    /** Starts a stopped instance; {@code primaryInstance} says whom a replica follows. */
    void start(PgCluster cluster, String instance, String primaryInstance);

    /** Whether the instance's configuration differs from what pgo would write now. */
    boolean configDrifted(PgCluster cluster, String instance, String primaryInstance);

    /** Rewrites the instance's configuration and reloads it. */
    void configure(PgCluster cluster, String instance, String primaryInstance);

    /**
     * Whether the instance runs something only a restart changes (on Kubernetes its pod's image,
     * resources or environment) that pgo would now set differently.
     */
    boolean outdated(PgCluster cluster, String instance);

    /**
     * Restarts the instance with what pgo would run now. May return before it is back: the next
     * observation shows it starting, and nothing else is restarted until it is.
     */
    void restart(PgCluster cluster, String instance, String primaryInstance);

    /**
     * Shuts the primary down cleanly for a switchover (a fast shutdown, which sends its last WAL
     * to the standbys) and returns once it has stopped. When it runs again it follows {@code newPrimary},
     * logging in as {@code replication}.
     */
    void stopForSwitchover(PgCluster cluster, String instance, String newPrimary, Credentials replication);

    /**
     * Whether this platform can fence a lost primary: make sure it is down and runs again only
     * as a replica. Without that, losing the primary is met by restarting it where it is.
     */
    default boolean canFence() {
        return false;
    }

    /**
     * Fences a lost primary before a failover to {@code newPrimary}: stops it at once if anything
     * of it still runs, and makes sure it never runs as a primary again; it comes back as a
     * replica of the new primary after pg_rewind. It logs in as {@code replication} when it
     * follows the new primary.
     */
    default void fence(PgCluster cluster, String instance, String newPrimary, Credentials replication) {
        throw new dev.pgo.PgoException("fencing an instance is not available on this platform yet");
    }

    /**
     * Brings a fenced former primary back as a replica of {@code primaryInstance}: pg_rewind onto
     * the new primary's timeline (as {@code superuser}, who may read its files), then start. When
     * rewinding is impossible its data directory is removed, and the next pass clones it afresh.
     */
    default void rejoin(PgCluster cluster, String instance, Endpoint primary, String primaryInstance,
                        Credentials superuser) {
        throw new dev.pgo.PgoException("rejoining a former primary is not available on this platform yet");
    }

    /** Stops the instance and deletes its volume unless {@code keepData}. */
    void remove(PgCluster cluster, String instance, boolean keepData);

    /** Connection strings for the cluster as clients should use them (no passwords). */
    Endpoints endpoints(PgCluster cluster, List<InstanceRuntime> instances, String primaryInstance);
}
