package dev.pgo.api.v1;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A PostgreSQL cluster as the user declares it (spec) and as pgo last saw it (status).
 * One instance is the seed's standalone "database"; more are a primary with streaming replicas.
 */
@Group(PgCluster.GROUP)
@Version(PgCluster.VERSION)
@Kind(PgCluster.KIND)
@Plural("pgclusters")
@Singular("pgcluster")
@ShortNames({"pgc"})
public class PgCluster extends CustomResource<PgClusterSpec, PgClusterStatus> implements Namespaced {
    public static final String GROUP = "pgo.dev";
    public static final String VERSION = "v1";
    public static final String KIND = "PgCluster";
    public static final String API_VERSION = GROUP + "/" + VERSION;

    /** Label that tells a standalone "database" from a replicated "cluster" (the seed's two nouns). */
    public static final String KIND_LABEL = GROUP + "/kind";

    @Override
    protected PgClusterSpec initSpec() {
        return new PgClusterSpec();
    }

    @Override
    protected PgClusterStatus initStatus() {
        return new PgClusterStatus();
    }

    /** The seed's noun for this resource: "database" for a standalone instance, else "cluster". */
    public ClusterKind clusterKind() {
        String label = getMetadata().getLabels() == null ? null : getMetadata().getLabels().get(KIND_LABEL);
        if (label != null) {
            return ClusterKind.fromLabel(label);
        }
        return getSpec().getInstances() == 1 ? ClusterKind.DATABASE : ClusterKind.CLUSTER;
    }

    public String name() {
        return getMetadata().getName();
    }

    public boolean deletionRequested() {
        return getMetadata().getDeletionTimestamp() != null;
    }
}
