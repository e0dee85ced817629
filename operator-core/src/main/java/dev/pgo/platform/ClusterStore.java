package dev.pgo.platform;

import dev.pgo.api.v1.ClusterKind;
import dev.pgo.api.v1.PgCluster;
import dev.pgo.api.v1.PgClusterStatus;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Desired state (the manifest the user applied) and the status pgo wrote back. */
public interface ClusterStore {
    List<PgCluster> list();

    Optional<PgCluster> get(String name);

    /**
     * The names of the clusters of {@code kind} (every kind when null), sorted: what completion
     * needs. A store may answer without reading whole manifests.
     */
    default List<String> names(ClusterKind kind) {
        return list().stream().filter(c -> kind == null || c.clusterKind() == kind).map(PgCluster::name).sorted()
                .toList();
    }

    /**
     * How many instances a cluster's spec asks for, when the cluster exists: what completion of
     * an instance name needs. A store may answer without reading the whole manifest.
     */
    default Optional<Integer> wantedInstances(String name) {
        return get(name).map(cluster -> cluster.getSpec().getInstances());
    }

    /**
     * Creates or updates a cluster's spec and labels. The generation goes up when the spec
     * changes; status is kept. Returns what is stored now.
     */
    PgCluster apply(PgCluster desired);

    /**
     * Sets annotations on a stored cluster (a null value removes one), leaving its spec and
     * generation alone: how a client asks for a one-off action such as a switchover.
     */
    void annotate(String name, Map<String, String> annotations);

    /** Marks a cluster for deletion; the reconciler tears it down and then calls {@link #remove}. */
    void requestDeletion(String name, boolean keepData);

    /** Forgets a cluster once nothing of it is left. */
    void remove(String name);

    /**
     * Makes sure a deletion of the cluster waits for pgo's teardown (a finalizer on Kubernetes,
     * where anyone may create or delete the resource; the local store needs nothing).
     */
    default void claim(PgCluster cluster) {
    }

    /** The only way status is written. */
    void writeStatus(String name, PgClusterStatus status);
}
