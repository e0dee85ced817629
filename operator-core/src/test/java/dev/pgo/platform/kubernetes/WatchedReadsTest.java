package dev.pgo.platform.kubernetes;

import dev.pgo.api.v1.PgCluster;
import dev.pgo.testing.Clusters;
import dev.pgo.testing.MockKubernetes;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.StandardHttpRequest;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The operator's reads from its watches: a cluster's objects come without a request to the API
 * server, except one the operator wrote whose event the watch has not brought back yet.
 */
@EnableKubernetesMockClient(crud = true)
class WatchedReadsTest {
    private static final String NS = "db";
    private static final String CONFIG_PATH = "/api/v1/namespaces/db/configmaps/a-config";

    KubernetesClient client;
    KubernetesMockServer server;
    private OwnWrites writes;
    private KubernetesClient operatorClient;
    private WatchedReads reads;

    @BeforeEach
    void setUp() {
        client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName("a-config")
                .withLabels(Map.of(ClusterLabels.CLUSTER, "a")).endMetadata().addToData("primary", "a-0").build()).create();
        for (String name : List.of("a-0", "a-1", "b-0")) {
            client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName(name)
                    .withLabels(ClusterLabels.selector(name.substring(0, 1))).endMetadata().build()).create();
        }
        writes = WatchedReads.ownWrites();
        operatorClient = writes.client(client);
        reads = WatchedReads.start(operatorClient, writes);
        MockKubernetes.drainRequests(server);
    }

    @AfterEach
    void tearDown() {
        reads.close();
        operatorClient.close();
    }

    /** The requests made since the last look that read an object or list (watches left out). */
    private List<String> requests() {
        return MockKubernetes.drainRequests(server).stream()
                .filter(r -> r.startsWith("GET ") && !r.contains("watch=true")).toList();
    }

    private String primary() {
        return reads.get(ConfigMap.class, NS, "a-config").getData().get("primary");
    }

    private List<String> pods(String cluster) {
        return reads.list(Pod.class, NS, ClusterLabels.selector(cluster)).stream()
                .map(p -> p.getMetadata().getName()).sorted().toList();
    }

    @Test
    void aReconcileReadsItsClusterFromTheWatchesWithoutARequest() {
        List<String> pods = reads.during(() -> {
            assertEquals("a-0", primary());
            assertNull(reads.get(ConfigMap.class, NS, "a-nothing"));
            return pods("a");
        });

        assertEquals(List.of("a-0", "a-1"), pods);
        assertEquals(List.of(), requests());
    }

    @Test
    void whileAWriteWaitsForItsEventThatObjectIsReadFromTheServerAndNothingElse() {
        // a write on its way: seen by the interceptor, its event not back yet
        writes.before(null, new StandardHttpRequest.Builder().uri(client.getMasterUrl() + CONFIG_PATH.substring(1))
                .method("PUT", "application/json", "{}").build(), null);

        reads.during(() -> {
            assertEquals("a-0", primary());
            assertEquals(List.of("GET " + CONFIG_PATH), requests(), "the written object: from the server");
            assertEquals(List.of("a-0", "a-1"), pods("a"));
            assertEquals(List.of("b-0"), pods("b"));
            assertEquals(List.of(), requests(), "what was not written: from the watch");
            return null;
        });

        writes.seen("configmaps", NS, "a-config");
        reads.during(this::primary);
        assertEquals(List.of(), requests(), "its event came: from the watch again");
    }

    @Test
    void whatTheOperatorWritesIsReadBackAsWrittenAndThenFromTheWatch() {
        reads.during(() -> {
            operatorClient.configMaps().inNamespace(NS).withName("a-config").edit(c -> {
                c.getData().put("primary", "a-1");
                return c;
            });
            // right after the write: the new value, whether the watch has it yet or not
            assertEquals("a-1", primary());
            return null;
        });
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (writes.waiting("configmaps", NS, "a-config") && Instant.now().isBefore(deadline)) {
            Thread.onSpinWait();
        }
        requests();

        assertEquals("a-1", reads.during(this::primary));
        assertEquals(List.of(), requests(), "once the watch has the write, no request");
    }

    @Test
    void aWriteTheServerRefusedLeavesTheWatchInCharge() {
        var taken = new ConfigMapBuilder().withNewMetadata().withName("a-config").withNamespace(NS)
                .withLabels(Map.of(ClusterLabels.CLUSTER, "a")).endMetadata().build();
        var refused = assertThrows(KubernetesClientException.class, () -> operatorClient.resource(taken).create());
        assertEquals(409, refused.getCode(), "it exists already");
        requests();

        assertEquals("a-0", reads.during(this::primary));
        assertEquals(List.of(), requests());
    }

    @Test
    void aPgClusterComesFromTheOperatorsWatchOfThemAndItsStatusWriteIsWaitedFor() {
        MockKubernetes.installCrd(client);
        client.resources(PgCluster.class).inNamespace(NS).resource(Clusters.spec("a", 2)).create();
        SharedIndexInformer<PgCluster> watch = operatorClient.resources(PgCluster.class).inNamespace(NS)
                .runnableInformer(0).addEventHandler(reads.answeringWrites());
        watch.run();
        try {
            reads.readClustersFrom(NS, watch);
            requests();
            assertEquals(2, reads.during(() -> reads.get(PgCluster.class, NS, "a")).getSpec().getInstances());
            assertEquals(List.of(), requests(), "from the watch");

            reads.during(() -> {
                PgCluster cluster = reads.get(PgCluster.class, NS, "a");
                cluster.getStatus().setPrimary("a-1");
                operatorClient.resources(PgCluster.class).inNamespace(NS).resource(cluster).updateStatus();
                // the status just written, whether the watch has it yet or not
                assertEquals("a-1", reads.get(PgCluster.class, NS, "a").getStatus().getPrimary());
                return null;
            });
            Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
            while (writes.waiting("pgclusters", NS, "a") && Instant.now().isBefore(deadline)) {
                Thread.onSpinWait();
            }
            requests();
            assertEquals("a-1", reads.during(() -> reads.get(PgCluster.class, NS, "a")).getStatus().getPrimary());
            assertEquals(List.of(), requests(), "once the watch has the status, no request");
        } finally {
            watch.close();
        }
    }

    @Test
    void outsideAReconcileEveryReadAsksTheServer() {
        assertEquals("a-0", primary());
        assertEquals(List.of("GET " + CONFIG_PATH), requests());
    }

    @Test
    void whatACallerChangesInWhatItReadStaysItsOwn() {
        reads.during(() -> {
            reads.get(ConfigMap.class, NS, "a-config").getData().put("primary", "changed in memory");
            assertEquals("a-0", primary());
            return null;
        });
    }
}
