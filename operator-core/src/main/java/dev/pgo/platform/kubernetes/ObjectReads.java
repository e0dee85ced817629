package dev.pgo.platform.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.List;
import java.util.Map;

/**
 * Where the Kubernetes platform reads the objects of its clusters: from the API server on every
 * read (the client, which reads a few objects once), or from the operator's watches
 * ({@link WatchedReads}), which already hold all of them. Writes always go to the API server.
 * What a read returns is the caller's to change.
 */
public interface ObjectReads {
    /** The object of that type and name, or null when there is none. */
    <T extends HasMetadata> T get(Class<T> type, String namespace, String name);

    /** The objects of that type in the namespace that carry every one of these labels. */
    <T extends HasMetadata> List<T> list(Class<T> type, String namespace, Map<String, String> labels);

    /** Every read a request to the API server. */
    static ObjectReads api(KubernetesClient client) {
        return new ObjectReads() {
            @Override
            public <T extends HasMetadata> T get(Class<T> type, String namespace, String name) {
                return client.resources(type).inNamespace(namespace).withName(name).get();
            }

            @Override
            public <T extends HasMetadata> List<T> list(Class<T> type, String namespace, Map<String, String> labels) {
                return client.resources(type).inNamespace(namespace).withLabels(labels).list().getItems();
            }
        };
    }
}
