package dev.pgo.testing;

import dev.pgo.api.v1.ClusterKind;
import dev.pgo.api.v1.PgCluster;
import dev.pgo.api.v1.PgClusterSpec;
import dev.pgo.api.v1.StorageSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

import java.util.List;
import java.util.Map;

/** PgCluster specs for tests. */
public final class Clusters {
    private Clusters() {
    }

    public static PgCluster spec(String name, int instances) {
        var spec = new PgClusterSpec();
        spec.setInstances(instances);
        spec.setPostgresVersion(15);
        spec.setStorage(new StorageSpec("1Gi"));
        spec.setParameters(new java.util.LinkedHashMap<>(Map.of("max_connections", "40")));
        var cluster = new PgCluster();
        cluster.setMetadata(new ObjectMetaBuilder().withName(name)
                .withLabels(Map.of(PgCluster.KIND_LABEL,
                        (instances == 1 ? ClusterKind.DATABASE : ClusterKind.CLUSTER).label())).build());
        cluster.setSpec(spec);
        return cluster;
    }

    public static PgCluster withRoles(PgCluster cluster, Map<String, List<String>> users, Map<String, String> databases) {
        cluster.getSpec().setUsers(new java.util.LinkedHashMap<>(users));
        cluster.getSpec().setDatabases(new java.util.LinkedHashMap<>(databases));
        return cluster;
    }
}
