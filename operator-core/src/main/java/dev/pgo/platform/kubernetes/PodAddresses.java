package dev.pgo.platform.kubernetes;

import dev.pgo.postgres.ServerConfig;
import dev.pgo.sql.Endpoint;
import io.fabric8.kubernetes.api.model.Pod;

/**
 * Where pgo reaches an instance's PostgreSQL. Inside the cluster that is the pod's IP on 5432;
 * elsewhere (a client running the reconciler, a test) it may be a forwarded or local port.
 */
@FunctionalInterface
public interface PodAddresses {
    Endpoint of(Pod pod);

    /** The pod IP, or before it has one the pod's DNS name under the cluster's headless Service. */
    PodAddresses IN_CLUSTER = pod -> {
        String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
        if (ip != null && !ip.isBlank()) {
            return new Endpoint(ip, ServerConfig.POD_PORT);
        }
        String cluster = pod.getMetadata().getLabels() == null ? null
                : pod.getMetadata().getLabels().get(ClusterLabels.CLUSTER);
        return new Endpoint(pod.getMetadata().getName() + "." + ObjectNames.podsService(String.valueOf(cluster)) + "."
                + pod.getMetadata().getNamespace() + ".svc", ServerConfig.POD_PORT);
    };
}
