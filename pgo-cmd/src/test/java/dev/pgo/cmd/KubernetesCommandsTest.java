package dev.pgo.cmd;

import dev.pgo.api.v1.ClusterRequests;
import dev.pgo.api.v1.InstanceStatus;
import dev.pgo.api.v1.PgCluster;
import dev.pgo.api.v1.PgClusterStatus;
import dev.pgo.testing.MockKubernetes;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The seed's commands with --platform kubernetes, against the mock API server through a real
 * kubeconfig file: they write and read PgCluster resources as kubectl would see them.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesCommandsTest {
    KubernetesClient client;

    @TempDir
    Path home;
    private Path kubeconfig;

    @BeforeAll
    static void quietMockServer() {
        // It logs every request at INFO through java.util.logging; a failing test says enough.
        java.util.logging.Logger.getLogger("io.fabric8.mockwebserver").setLevel(java.util.logging.Level.WARNING);
    }

    @BeforeEach
    void setUp() throws IOException {
        MockKubernetes.installCrd(client);
        kubeconfig = home.resolve("kubeconfig");
        Files.writeString(kubeconfig, MockKubernetes.kubeconfig(client.getMasterUrl().toString(), "team-a"));
    }

    private PgoRun pgo(String... args) {
        var argv = new ArrayList<>(List.of("--platform", "kubernetes", "--kubeconfig", kubeconfig.toString()));
        argv.addAll(List.of(args));
        return PgoRun.pgo(home, argv.toArray(String[]::new));
    }

    private PgCluster stored(String namespace, String name) {
        return client.resources(PgCluster.class).inNamespace(namespace).withName(name).get();
    }

    @Test
    void createWritesAPgClusterInTheContextsNamespaceOrTheOneGiven() {
        PgoRun created = pgo("create", "cluster", "orders", "--no-wait");
        assertEquals(0, created.exit(), created.toString());
        assertTrue(created.out().contains("cluster orders created"), created.toString());
        PgCluster orders = stored("team-a", "orders");
        assertNotNull(orders, "the context's namespace is the default");
        assertEquals(3, orders.getSpec().getInstances());
        assertEquals("cluster", orders.getMetadata().getLabels().get(PgCluster.KIND_LABEL));

        PgoRun other = pgo("-n", "team-b", "create", "database", "billing", "--no-wait");
        assertEquals(0, other.exit(), other.toString());
        assertNotNull(stored("team-b", "billing"));
        assertNull(stored("team-a", "billing"));
    }

    @Test
    void showListsClustersPerNamespaceAndAcrossAllOfThem() {
        assertEquals(0, pgo("create", "cluster", "orders", "--no-wait").exit());
        assertEquals(0, pgo("-n", "team-b", "create", "cluster", "ledger", "--no-wait").exit());

        PgoRun teamA = pgo("show", "cluster", "all");
        assertEquals(0, teamA.exit(), teamA.toString());
        assertTrue(teamA.out().contains("orders"), teamA.toString());
        assertFalse(teamA.out().contains("ledger"), teamA.toString());

        PgoRun all = pgo("-A", "show", "cluster", "all");
        assertEquals(0, all.exit(), all.toString());
        List<String> lines = all.out().lines().toList();
        assertTrue(lines.getFirst().startsWith("NAMESPACE"), all.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("team-a") && l.contains("orders")), all.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("team-b") && l.contains("ledger")), all.toString());

        PgoRun yaml = pgo("show", "cluster", "orders", "-o", "yaml");
        assertEquals(0, yaml.exit(), yaml.toString());
        assertTrue(yaml.out().contains("kind: \"PgCluster\""), yaml.toString());
        assertTrue(yaml.out().contains("namespace: \"team-a\""), yaml.toString());
    }

    @Test
    void scaleSwitchoverAndRestartWriteWhatTheOperatorActsOn() {
        assertEquals(0, pgo("create", "cluster", "orders", "--no-wait").exit());
        PgCluster orders = stored("team-a", "orders");
        var status = new PgClusterStatus();
        status.setPrimary("orders-0");
        var instances = new ArrayList<InstanceStatus>();
        for (int ordinal = 0; ordinal < 3; ordinal++) {
            var instance = new InstanceStatus();
            instance.setName("orders-" + ordinal);
            instance.setRole(ordinal == 0 ? "primary" : "replica");
            instance.setReady(true);
            instance.setState(ordinal == 0 ? "running" : "streaming");
            instances.add(instance);
        }
        status.setInstances(instances);
        orders.setStatus(status);
        client.resources(PgCluster.class).inNamespace("team-a").resource(orders).updateStatus();

        PgoRun switchover = pgo("switchover", "orders", "--target", "orders-2", "--no-wait");
        assertEquals(0, switchover.exit(), switchover.toString());
        assertTrue(switchover.out().contains("Switchover of orders from orders-0 to orders-2 requested"), switchover.toString());
        var annotations = stored("team-a", "orders").getMetadata().getAnnotations();
        assertEquals("orders-2", annotations.get(ClusterRequests.SWITCHOVER_TARGET));
        assertNotNull(annotations.get(ClusterRequests.SWITCHOVER));
        assertNull(annotations.get(ClusterRequests.SWITCHOVER_FORCE));

        PgoRun restart = pgo("restart", "orders", "--no-wait");
        assertEquals(0, restart.exit(), restart.toString());
        assertNotNull(stored("team-a", "orders").getMetadata().getAnnotations().get(ClusterRequests.RESTART));

        PgoRun failover = pgo("failover", "orders", "--target", "orders-1", "--no-wait");
        assertEquals(0, failover.exit(), failover.toString());
        annotations = stored("team-a", "orders").getMetadata().getAnnotations();
        assertEquals("orders-1", annotations.get(ClusterRequests.SWITCHOVER_TARGET));
        assertEquals("true", annotations.get(ClusterRequests.SWITCHOVER_FORCE));

        long generation = stored("team-a", "orders").getMetadata().getGeneration();
        PgoRun scale = pgo("scale", "orders", "--replicas", "4", "--no-wait");
        assertEquals(0, scale.exit(), scale.toString());
        assertEquals(5, stored("team-a", "orders").getSpec().getInstances());
        assertEquals(generation, stored("team-a", "orders").getMetadata().getGeneration() - 1,
                "a scale is a spec change; the requests before it were not");
    }

    @Test
    void withoutAnOperatorTheClientWaitsOnStatusAndSaysWhatItWaitsFor() {
        PgoRun run = pgo("create", "database", "lonely", "--timeout", "2");
        assertEquals(1, run.exit(), run.toString());
        assertTrue(run.err().contains("timed out"), run.toString());
        assertTrue(run.err().contains("is pgo's operator running?"), run.toString());
        assertNull(client.apps().statefulSets().inNamespace("team-a").withName("lonely").get(),
                "only an operator creates the StatefulSet");
    }

    @Test
    void withTheEmbeddedOperatorTheClientReconcilesItself() {
        PgoRun run = pgo("--embedded-operator", "create", "database", "inline", "--timeout", "3");
        // No kubelet runs pods here: the objects exist and the client reports what it waits for.
        assertEquals(1, run.exit(), run.toString());
        assertNotNull(client.apps().statefulSets().inNamespace("team-a").withName("inline").get(), run.toString());
        assertNotNull(client.secrets().inNamespace("team-a").withName("inline-postgres").get());
        assertTrue(run.err().contains("create or update"), run.toString());
    }

    @Test
    void deleteMarksTheResourceAndTheEmbeddedOperatorFinishesIt() {
        assertEquals(1, pgo("--embedded-operator", "create", "cluster", "gone", "--timeout", "1").exit());
        assertNotNull(client.apps().statefulSets().inNamespace("team-a").withName("gone").get());

        PgoRun deleted = pgo("--embedded-operator", "delete", "cluster", "gone");
        assertEquals(0, deleted.exit(), deleted.toString());
        assertNull(stored("team-a", "gone"));
        assertNull(client.apps().statefulSets().inNamespace("team-a").withName("gone").get());
        assertTrue(client.secrets().inNamespace("team-a").list().getItems().isEmpty());
    }

    @Test
    void showPvcShowsTheClaimWithItsStatusAndOwner() {
        client.persistentVolumeClaims().inNamespace("team-a").resource(new PersistentVolumeClaimBuilder()
                .withNewMetadata().withName("pgdata-orders-0").addToLabels("pgo.dev/cluster", "orders").endMetadata()
                .withNewSpec().withAccessModes("ReadWriteOnce").withStorageClassName("fast")
                .withNewResources().addToRequests("storage", new Quantity("5Gi")).endResources().endSpec()
                .build()).create();

        PgoRun all = pgo("show", "pvc", "all", "-o", "wide");
        assertEquals(0, all.exit(), all.toString());
        String row = all.out().lines().filter(l -> l.startsWith("pgdata-orders-0")).findFirst().orElseThrow();
        assertTrue(row.contains("Pending") && row.contains("5Gi") && row.contains("orders-0") && row.contains("fast"), row);

        PgoRun missing = pgo("show", "pvc", "pgdata-none-0");
        assertEquals(1, missing.exit());
        assertTrue(missing.err().contains("no PVC named pgdata-none-0"), missing.toString());
    }

    @Test
    void anUnknownContextIsAClearError() {
        PgoRun run = pgo("--context", "prod", "show", "cluster", "all");
        assertEquals(1, run.exit(), run.toString());
        assertTrue(run.err().contains("no context named prod"), run.toString());
    }

    @Test
    void anApiServerThatDoesNotAnswerIsAClearErrorAfterAFewRetries() throws IOException {
        int closed;
        try (var socket = new java.net.ServerSocket(0)) {
            closed = socket.getLocalPort(); // nobody listens there once it is closed
        }
        Path nowhere = home.resolve("nowhere.kubeconfig");
        Files.writeString(nowhere, MockKubernetes.kubeconfig("https://127.0.0.1:" + closed, "team-a"));
        var target = new KubernetesTarget(nowhere, null, null, false);
        try (KubernetesClient unreachable = target.connect()) {
            assertEquals(KubernetesTarget.REQUEST_RETRIES, unreachable.getConfiguration().getRequestRetryBackoffLimit(),
                    "fabric8's ten retries keep a one-liner waiting 20 s");
        }

        PgoRun run = PgoRun.pgo(home, "--platform", "kubernetes", "--kubeconfig", nowhere.toString(),
                "show", "cluster", "all");
        assertEquals(1, run.exit(), run.toString());
        assertTrue(run.err().contains("cannot list the PgClusters in team-a: the API server did not answer"),
                run.toString());
        assertTrue(run.err().contains("hint: check that the API server is reachable"), run.toString());
    }

    @Test
    void installDryRunPrintsEverythingToDeployWithLeastPrivilege() {
        PgoRun run = PgoRun.pgo(home, "install", "--dry-run", "-n", "pgo-test", "--image", "example/pgo:1");
        assertEquals(0, run.exit(), run.toString());
        for (String kind : List.of("CustomResourceDefinition", "Namespace", "ServiceAccount", "ClusterRole",
                "ClusterRoleBinding", "Role", "RoleBinding", "ConfigMap", "Deployment")) {
            assertTrue(run.out().contains("kind: \"" + kind + "\""), kind + " missing");
        }
        assertFalse(run.out().contains("\"*\""), "no wildcard in RBAC");
        assertTrue(run.out().contains("image: \"example/pgo:1\""));
        assertTrue(run.out().contains("namespace: \"pgo-test\""));
    }
}
