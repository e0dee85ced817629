package dev.pgo.platform;

import dev.pgo.api.v1.PgCluster;

import java.util.List;

/**
 * Objects a platform keeps for a whole cluster besides its instances: on Kubernetes the
 * StatefulSet, Services, ConfigMap and PodDisruptionBudget. The local platform has none.
 */
public interface ClusterResources {
    /** The objects that are missing or differ from what pgo would make now, e.g. "Service orders-rw". */
    List<String> drift(PgCluster cluster, String primaryInstance);

    /** Creates or updates exactly the objects {@link #drift} names; leaves the others untouched. */
    void sync(PgCluster cluster, String primaryInstance);

    /** Deletes the cluster's objects (not its volumes or secrets), for the end of a deletion. */
    void delete(PgCluster cluster);

    /** For platforms without cluster-wide objects. */
    ClusterResources NONE = new ClusterResources() {
        @Override
        public List<String> drift(PgCluster cluster, String primaryInstance) {
            return List.of();
        }

        @Override
        public void sync(PgCluster cluster, String primaryInstance) {
        }

        @Override
        public void delete(PgCluster cluster) {
        }
    };
}
