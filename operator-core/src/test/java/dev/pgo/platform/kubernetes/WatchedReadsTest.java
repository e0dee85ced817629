package dev.pgo.platform.kubernetes;

import dev.pgo.testing.MockKubernetes;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The operator's reads from its watches: a settled cluster's objects come without a request to
 * the API server, and a cluster the operator just wrote to is read from the server until a
 * reconcile of it wrote nothing.
 */
@EnableKubernetesMockClient(crud = true)
class WatchedReadsTest {
    private static final String NS = "db";
    private static final String CONFIG_PATH = "/api/v1/namespaces/db/configmaps/a-config";

    KubernetesClient client;
    KubernetesMockServer server;
    private WatchedReads reads;

    @BeforeEach
    void setUp() {
        client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName("a-config")
                .withLabels(Map.of(ClusterLabels.CLUSTER, "a")).endMetadata().addToData("primary", "a-0").build()).create();
        for (String name : List.of("a-0", "a-1", "b-0")) {
            client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName(name)
                    .withLabels(ClusterLabels.selector(name.substring(0, 1))).endMetadata().build()).create();
        }
        reads = WatchedReads.start(client);
        MockKubernetes.drainRequests(server);
    }

    @AfterEach
    void tearDown() {
        reads.close();
    }

    /** The requests made since the last look that read an object or list (watches left out). */
    private List<String> requests() {
        return MockKubernetes.drainRequests(server).stream()
                .filter(r -> r.startsWith("GET ") && !r.contains("watch=true")).toList();
    }

    private String primary() {
        return reads.get(ConfigMap.class, NS, "a-config").getData().get("primary");
    }

    @Test
    void aSettledClusterIsReadFromTheWatchesWithoutARequest() {
        List<String> pods = reads.during(NS, "a", () -> {
            assertEquals("a-0", primary());
            assertNull(reads.get(ConfigMap.class, NS, "a-nothing"));
            return reads.list(Pod.class, NS, ClusterLabels.selector("a")).stream()
                    .map(p -> p.getMetadata().getName()).sorted().toList();
        });

        assertEquals(List.of("a-0", "a-1"), pods);
        assertEquals(List.of(), requests());
    }

    @Test
    void afterAWriteTheClusterIsReadFromTheServerUntilAReconcileWritesNothing() {
        reads.during(NS, "a", () -> {
            primary();
            assertEquals(List.of(), requests(), "nothing written yet: from the watch");
            reads.wrote();
            client.configMaps().inNamespace(NS).withName("a-config").edit(c -> {
                c.getData().put("primary", "a-1");
                return c;
            });
            requests();
            // read right after the write: the server's copy, whatever the watch has seen yet
            assertEquals("a-1", primary());
            assertEquals(List.of("GET " + CONFIG_PATH), requests());
            return null;
        });

        reads.during(NS, "a", this::primary);
        assertEquals(List.of("GET " + CONFIG_PATH), requests(), "the reconcile after one that wrote asks the server");

        reads.during(NS, "a", this::primary);
        assertEquals(List.of(), requests(), "settled again: from the watch");
        // another cluster's writes did not unsettle this one, nor did this one's reach it
        reads.during(NS, "b", () -> reads.list(Pod.class, NS, ClusterLabels.selector("b")));
        assertEquals(List.of(), requests());
    }

    @Test
    void outsideAReconcileEveryReadAsksTheServer() {
        assertEquals("a-0", primary());
        assertEquals(List.of("GET " + CONFIG_PATH), requests());
    }

    @Test
    void whatACallerChangesInWhatItReadStaysItsOwn() {
        reads.during(NS, "a", () -> {
            reads.get(ConfigMap.class, NS, "a-config").getData().put("primary", "changed in memory");
            assertEquals("a-0", primary());
            return null;
        });
    }
}
