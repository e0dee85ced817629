package dev.pgo.operator;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;

/**
 * Whether a `pgo operator` runs on a Kubernetes cluster, as its leader Lease says: who holds it
 * and when it was last renewed. A Lease not renewed within its duration means no operator acts.
 */
public final class OperatorPresence {
    private OperatorPresence() {
    }

    /** "pgo-operator-7d9 (renewed 3s ago)", "not running (...)", or why it could not be told. */
    public static String describe(KubernetesClient client, Instant now) {
        try {
            for (Lease lease : client.leases().inAnyNamespace().list().getItems()) {
                if (!KubernetesOperator.LEASE_NAME.equals(lease.getMetadata().getName()) || lease.getSpec() == null) {
                    continue;
                }
                var spec = lease.getSpec();
                ZonedDateTime renewed = spec.getRenewTime() == null ? null : spec.getRenewTime();
                long duration = spec.getLeaseDurationSeconds() == null ? 15 : spec.getLeaseDurationSeconds();
                if (renewed == null || spec.getHolderIdentity() == null) {
                    return "not running (Lease in " + lease.getMetadata().getNamespace() + " is free)";
                }
                Duration age = Duration.between(renewed.toInstant(), now);
                String where = spec.getHolderIdentity() + " in " + lease.getMetadata().getNamespace();
                return age.toSeconds() > duration ? "not running (" + where + " last renewed " + age.toSeconds() + "s ago)"
                        : where;
            }
            return "not installed (no pgo-operator Lease; pgo install sets it up)";
        } catch (KubernetesClientException e) {
            return "unknown (" + (e.getCode() == 403 ? "no permission to read Leases" : e.getMessage()) + ")";
        }
    }
}
