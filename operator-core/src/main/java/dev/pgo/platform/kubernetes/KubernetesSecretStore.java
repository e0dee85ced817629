package dev.pgo.platform.kubernetes;

import dev.pgo.api.v1.PgCluster;
import dev.pgo.platform.Passwords;
import dev.pgo.platform.SecretStore;
import dev.pgo.sql.Credentials;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One basic-auth Secret per role (cluster-role: username, password), owned by the PgCluster and
 * labelled with the cluster's name. Values are never logged or put into messages.
 */
final class KubernetesSecretStore implements SecretStore {
    private final KubernetesClient client;
    private final String namespace;
    private final ObjectReads reads;

    KubernetesSecretStore(KubernetesClient client, String namespace, ObjectReads reads) {
        this.client = client;
        this.namespace = namespace;
        this.reads = reads;
    }

    @Override
    public Optional<Credentials> get(String cluster, String role) {
        String name = ObjectNames.secret(cluster, role);
        Secret secret = Requests.call("read Secret " + name,
                () -> reads.get(Secret.class, namespace, name));
        if (secret == null) {
            return Optional.empty();
        }
        String username = value(secret, "username");
        String password = value(secret, "password");
        return password == null ? Optional.empty() : Optional.of(new Credentials(username == null ? role : username, password));
    }

    /** A Secret read back has base64 data; one just built in memory may still have stringData. */
    static String value(Secret secret, String key) {
        Map<String, String> data = secret.getData();
        if (data != null && data.get(key) != null) {
            return new String(Base64.getDecoder().decode(data.get(key)), StandardCharsets.UTF_8);
        }
        Map<String, String> stringData = secret.getStringData();
        return stringData == null ? null : stringData.get(key);
    }

    @Override
    public synchronized Credentials ensure(String cluster, String role) {
        Optional<Credentials> existing = get(cluster, role);
        if (existing.isPresent()) {
            return existing.get();
        }
        PgCluster owner = Requests.call("read PgCluster " + cluster,
                () -> client.resources(PgCluster.class).inNamespace(namespace).withName(cluster).get());
        if (owner == null) {
            throw new dev.pgo.PgoException("no cluster named " + cluster + " in namespace " + namespace);
        }
        var credentials = new Credentials(role, Passwords.generate());
        Secret secret = ClusterObjects.roleSecret(owner, credentials);
        try {
            client.secrets().inNamespace(namespace).resource(secret).create();
            return credentials;
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
                // another pgo process created it first: its password is the one in use
                return get(cluster, role).orElseThrow(() -> Requests.failure("create Secret " + secret.getMetadata().getName(), e));
            }
            throw Requests.failure("create Secret " + secret.getMetadata().getName(), e);
        }
    }

    @Override
    public void deleteAll(String cluster) {
        Requests.call("delete the Secrets of " + cluster, () -> client.secrets().inNamespace(namespace)
                .withLabel(ClusterLabels.CLUSTER, cluster).delete());
    }

    /** Drops the owner references, so the Secrets outlive the PgCluster along with the kept volumes. */
    @Override
    public void release(String cluster) {
        List<Secret> secrets = Requests.call("list the Secrets of " + cluster, () -> client.secrets()
                .inNamespace(namespace).withLabel(ClusterLabels.CLUSTER, cluster).list().getItems());
        for (Secret secret : secrets) {
            if (secret.getMetadata().getOwnerReferences() != null && !secret.getMetadata().getOwnerReferences().isEmpty()) {
                secret.getMetadata().setOwnerReferences(List.of());
                Requests.call("keep Secret " + secret.getMetadata().getName(),
                        () -> client.secrets().inNamespace(namespace).resource(secret).update());
            }
        }
    }
}
