package dev.pgo.platform.kubernetes;

import dev.pgo.api.v1.PgCluster;

import java.util.LinkedHashMap;
import java.util.Map;

/** The labels on every object pgo makes, and the role label Services select on. */
public final class ClusterLabels {
    public static final String CLUSTER = PgCluster.GROUP + "/cluster";
    public static final String ROLE = PgCluster.GROUP + "/role";
    public static final String PRIMARY = "primary";
    public static final String REPLICA = "replica";
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";

    private ClusterLabels() {
    }

    /** What selects a cluster's pods; never changes, as a StatefulSet's selector cannot. */
    public static Map<String, String> selector(String cluster) {
        var labels = new LinkedHashMap<String, String>();
        labels.put("app.kubernetes.io/name", "postgresql");
        labels.put("app.kubernetes.io/instance", cluster);
        labels.put(CLUSTER, cluster);
        return labels;
    }

    /** The user's spec.labels, then pgo's own, which the user's cannot replace. */
    public static Map<String, String> of(PgCluster cluster) {
        var labels = new LinkedHashMap<String, String>();
        if (cluster.getSpec().getLabels() != null) {
            labels.putAll(cluster.getSpec().getLabels());
        }
        labels.putAll(selector(cluster.name()));
        labels.put(MANAGED_BY, "pgo");
        return labels;
    }

    public static Map<String, String> withRole(String cluster, String role) {
        var labels = new LinkedHashMap<>(selector(cluster));
        labels.put(ROLE, role);
        return labels;
    }
}
