package dev.pgo.platform;

import dev.pgo.api.v1.PgCluster;
import dev.pgo.validate.Problem;

import java.time.Duration;
import java.util.List;

/**
 * Where clusters live: the local machine or a Kubernetes cluster. The reconciler decides; a
 * platform stores desired state, keeps secrets, and runs instances the way its environment can.
 */
public interface Platform extends AutoCloseable {
    /** "local" or "kubernetes". */
    String name();

    /** Where this platform keeps things, for prompts and messages (a directory, a context/namespace). */
    String location();

    ClusterStore clusters();

    SecretStore secrets();

    InstanceOperations instances();

    /** Cluster-wide objects beside the instances; {@link ClusterResources#NONE} where there are none. */
    default ClusterResources resources() {
        return ClusterResources.NONE;
    }

    VolumeCatalog volumes();

    /** Backup repositories and the programs that fill them. */
    default BackupStorage backups() {
        throw new dev.pgo.PgoException("backups are not available on the " + name() + " platform yet");
    }

    /** Serializes work on one cluster across processes; waits up to {@code wait} for it. */
    ClusterLock lock(String cluster, Duration wait);

    /** Whether a deleted cluster's volumes stay when its resource does not say (the keep-data annotation). */
    default boolean keepsVolumesOnDelete() {
        return false;
    }

    /** The PostgreSQL major version a spec gets when it names none. */
    int defaultPostgresVersion();

    /** Problems only this platform can see, such as a PostgreSQL version that is not installed. */
    List<Problem> check(PgCluster cluster);

    @Override
    void close();
}
