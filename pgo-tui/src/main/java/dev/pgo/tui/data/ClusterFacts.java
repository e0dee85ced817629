package dev.pgo.tui.data;

import dev.pgo.api.v1.PgCluster;
import dev.pgo.backup.BackupEntry;
import dev.pgo.backup.RecoveryWindow;
import dev.pgo.sql.ClusterCatalog;
import dev.pgo.sql.ServerActivity;

import java.util.List;

/**
 * A cluster as last read: the resource with its live status, the primary's catalog and
 * activity when it answered, its backups and their recoverable window. {@code unreachable}
 * says why nothing live could be read (null when it could).
 */
public record ClusterFacts(PgCluster cluster, ClusterCatalog catalog, ServerActivity activity,
                           List<BackupEntry> backups, RecoveryWindow window, String unreachable) {
    public ClusterFacts {
        backups = backups == null ? List.of() : List.copyOf(backups);
    }

    /** What is known of a cluster that did not answer in time: the stored resource only. */
    public static ClusterFacts unreachable(PgCluster cluster, String why) {
        return new ClusterFacts(cluster, null, null, List.of(), null, why);
    }

    public String name() {
        return cluster.name();
    }
}
