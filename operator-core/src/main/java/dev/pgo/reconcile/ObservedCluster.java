package dev.pgo.reconcile;

import dev.pgo.sql.ClusterCatalog;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything observed about one cluster in a pass: its instances by name, whether its secrets
 * exist, the primary's catalog (roles, databases, slots) when the primary answered, and the
 * platform's cluster-wide objects that differ from what pgo would make.
 */
public record ObservedCluster(Map<String, ObservedInstance> instances, boolean secretsExist,
                              String primary, ClusterCatalog catalog, List<String> resourceDrift) {

    public ObservedCluster(Map<String, ObservedInstance> instances, boolean secretsExist, String primary,
                           ClusterCatalog catalog) {
        this(instances, secretsExist, primary, catalog, List.of());
    }

    public Optional<ObservedInstance> instance(String name) {
        return Optional.ofNullable(instances.get(name));
    }

    public boolean primaryAnswers() {
        return primary != null && instance(primary).map(ObservedInstance::isPrimary).orElse(false);
    }
}
