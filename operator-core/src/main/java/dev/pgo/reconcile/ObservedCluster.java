package dev.pgo.reconcile;

import dev.pgo.sql.ClusterCatalog;

import java.util.Map;
import java.util.Optional;

/**
 * Everything observed about one cluster in a pass: its instances by name, whether its secrets
 * exist, and the primary's catalog (roles, databases, slots) when the primary answered.
 */
public record ObservedCluster(Map<String, ObservedInstance> instances, boolean secretsExist,
                              String primary, ClusterCatalog catalog) {

    public Optional<ObservedInstance> instance(String name) {
        return Optional.ofNullable(instances.get(name));
    }

    public boolean primaryAnswers() {
        return primary != null && instance(primary).map(ObservedInstance::isPrimary).orElse(false);
    }
}
