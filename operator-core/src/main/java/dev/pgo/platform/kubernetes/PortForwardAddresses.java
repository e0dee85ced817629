package dev.pgo.platform.kubernetes;

import dev.pgo.sql.Endpoint;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.LocalPortForward;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reaches pods from outside the cluster (a client running the reconciler with
 * --embedded-operator) through a port-forward per pod, opened on first use and replaced when the
 * pod is replaced, as `kubectl port-forward` would.
 */
public final class PortForwardAddresses implements PodAddresses, AutoCloseable {
    private record Forward(String podUid, LocalPortForward forward) {
    }

    private final KubernetesClient client;
    private final Map<String, Forward> forwards = new ConcurrentHashMap<>();

    public PortForwardAddresses(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public Endpoint of(Pod pod) {
        String key = pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
        Forward forward = forwards.compute(key, (k, existing) -> {
            if (existing != null && existing.podUid().equals(pod.getMetadata().getUid()) && existing.forward().isAlive()) {
                return existing;
            }
            if (existing != null) {
                closeQuietly(existing.forward());
            }
            return new Forward(pod.getMetadata().getUid(), client.pods().inNamespace(pod.getMetadata().getNamespace())
                    .withName(pod.getMetadata().getName()).portForward(dev.pgo.postgres.ServerConfig.POD_PORT));
        });
        return new Endpoint("127.0.0.1", forward.forward().getLocalPort());
    }

    private static void closeQuietly(LocalPortForward forward) {
        try {
            forward.close();
        } catch (IOException ignored) {
            // the forward is being dropped either way
        }
    }

    @Override
    public void close() {
        forwards.values().forEach(f -> closeQuietly(f.forward()));
        forwards.clear();
    }
}
