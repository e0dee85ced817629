package dev.pgo.platform.kubernetes;

import dev.pgo.api.v1.PgCluster;
import dev.pgo.testing.Clusters;
import dev.pgo.testing.MockKubernetes;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Writing a cluster's objects from reads that lag behind the server (the operator's watches
 * before an event arrived, or another writer in between): the write is made again from the
 * server's copy, and what the other writer added is kept.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesResourcesTest {
    private static final String NS = "db";

    KubernetesClient client;

    private PgCluster cluster;
    /** What the lagging reads answer instead of the server, by object name; null: "not there". */
    private final Map<String, HasMetadata> behind = new HashMap<>();
    private KubernetesResources resources;

    @BeforeEach
    void setUp() {
        MockKubernetes.installCrd(client);
        cluster = client.resources(PgCluster.class).inNamespace(NS).resource(Clusters.spec("a", 3)).create();
        ObjectReads api = ObjectReads.api(client);
        ObjectReads lagging = new ObjectReads() {
            @Override
            public <T extends HasMetadata> T get(Class<T> type, String namespace, String name) {
                if (!behind.containsKey(name)) {
                    return api.get(type, namespace, name);
                }
                HasMetadata old = behind.get(name);
                return old == null ? null : type.cast(client.getKubernetesSerialization().clone(old));
            }

            @Override
            public <T extends HasMetadata> List<T> list(Class<T> type, String namespace, Map<String, String> labels) {
                return api.list(type, namespace, labels);
            }
        };
        resources = new KubernetesResources(client, NS, () -> OperatorConfig.DEFAULTS, lagging);
    }

    private ConfigMap config() {
        return client.configMaps().inNamespace(NS).withName(ObjectNames.configMap("a")).get();
    }

    @Test
    void anUpdateFromAnOutdatedCopyIsMadeAgainFromTheServersCopy() {
        resources.sync(cluster, "a-0");
        behind.put(ObjectNames.configMap("a"), config());
        // another writer adds a label: the copy the reads hold is now older than the server's
        client.configMaps().inNamespace(NS).withName(ObjectNames.configMap("a")).edit(c -> {
            c.getMetadata().getLabels().put("team", "payments");
            return c;
        });

        resources.sync(cluster, "a-1");

        ConfigMap written = config();
        assertEquals("a-1\n", written.getData().get("primary"));
        assertEquals("payments", written.getMetadata().getLabels().get("team"));
        behind.clear();
        assertEquals(List.of(), resources.drift(cluster, "a-1"));
    }

    @Test
    void aCreateOfWhatExistsAlreadyBringsTheExistingOneUpToDate() {
        resources.sync(cluster, "a-0");
        // reads that have not seen the Service yet
        behind.put(ObjectNames.readWriteService("a"), null);
        Service before = client.services().inNamespace(NS).withName(ObjectNames.readWriteService("a")).get();
        before.getMetadata().getLabels().remove(ClusterLabels.MANAGED_BY);
        client.services().inNamespace(NS).resource(before).update();

        resources.sync(cluster, "a-0");

        Service after = client.services().inNamespace(NS).withName(ObjectNames.readWriteService("a")).get();
        assertEquals("pgo", after.getMetadata().getLabels().get(ClusterLabels.MANAGED_BY));
        behind.clear();
        assertEquals(List.of(), resources.drift(cluster, "a-0"));
    }
}
