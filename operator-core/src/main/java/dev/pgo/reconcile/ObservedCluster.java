package dev.pgo.reconcile;

import dev.pgo.sql.ClusterCatalog;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything observed about one cluster in a pass: its instances by name, whether its secrets
 * exist, the primary's catalog (roles, databases, slots) when the primary answered, and the
 * platform's cluster-wide objects that differ from what pgo would make. {@code primarySilentFor}
 * is how long the primary has not answered (zero while it does), and {@code canFence} whether
 * the platform can make sure a lost primary stays down, without which no failover is safe.
 */
public record ObservedCluster(Map<String, ObservedInstance> instances, boolean secretsExist,
                              String primary, ClusterCatalog catalog, List<String> resourceDrift,
                              Duration primarySilentFor, boolean canFence) {

    public ObservedCluster(Map<String, ObservedInstance> instances, boolean secretsExist, String primary,
                           ClusterCatalog catalog) {
        this(instances, secretsExist, primary, catalog, List.of(), Duration.ZERO, false);
    }

    public Optional<ObservedInstance> instance(String name) {
        return Optional.ofNullable(instances.get(name));
    }

    public boolean primaryAnswers() {
        return primary != null && instance(primary).map(ObservedInstance::isPrimary).orElse(false);
    }
}
