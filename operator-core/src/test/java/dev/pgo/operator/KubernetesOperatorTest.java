package dev.pgo.operator;

import dev.pgo.api.v1.BackupSpec;
import dev.pgo.api.v1.Condition;
import dev.pgo.backup.BackupEntry;
import dev.pgo.backup.BackupIds;
import dev.pgo.backup.BackupStatus;
import dev.pgo.manifest.Manifests;
import dev.pgo.api.v1.PgCluster;
import dev.pgo.api.v1.Phase;
import dev.pgo.platform.kubernetes.OperatorConfig;
import dev.pgo.platform.kubernetes.PodAddresses;
import dev.pgo.testing.Clusters;
import dev.pgo.testing.Eventually;
import dev.pgo.testing.MockKubernetes;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The headless operator against the mock API server: watching, leading, reacting to its configuration. */
@EnableKubernetesMockClient(crud = true)
class KubernetesOperatorTest {
    private static final String OPERATOR_NS = "pgo-system";
    private static final String NS = "db";

    KubernetesClient client;

    private final List<KubernetesOperator> operators = new ArrayList<>();

    @BeforeEach
    void installCrd() {
        MockKubernetes.installCrd(client);
    }

    @AfterEach
    void stopOperators() {
        operators.forEach(KubernetesOperator::close);
    }

    private KubernetesOperator operator(String identity) {
        var settings = new KubernetesOperator.Settings(OPERATOR_NS, "pgo-config", identity, Duration.ofSeconds(2),
                Duration.ofMillis(1500), Duration.ofMillis(200), 2, PodAddresses.IN_CLUSTER);
        var operator = new KubernetesOperator(client, settings, Clock.systemUTC());
        operators.add(operator);
        return operator;
    }

    /** One operator, started and holding the Lease. */
    private KubernetesOperator leadingOperator() {
        KubernetesOperator operator = operator("op-a");
        operator.start();
        Eventually.until("leadership", Duration.ofSeconds(10), operator::isLeader);
        return operator;
    }

    /** As kubectl apply would: no finalizer, no status. */
    private void createWithKubectl(PgCluster cluster) {
        cluster.getMetadata().setNamespace(NS);
        client.resources(PgCluster.class).inNamespace(NS).resource(cluster).create();
    }

    private PgCluster stored(String name) {
        return client.resources(PgCluster.class).inNamespace(NS).withName(name).get();
    }

    private StatefulSet statefulSet(String name) {
        return client.apps().statefulSets().inNamespace(NS).withName(name).get();
    }

    @Test
    void aClusterCreatedWithKubectlGetsItsObjectsAFinalizerAndEvents() {
        KubernetesOperator operator = leadingOperator();

        createWithKubectl(Clusters.spec("orders", 2));

        Eventually.until("the StatefulSet", Duration.ofSeconds(10), () -> statefulSet("orders") != null);
        Eventually.until("the status", Duration.ofSeconds(10), () -> stored("orders").getStatus() != null
                && stored("orders").getStatus().getPhase() == Phase.Creating);
        assertTrue(stored("orders").getMetadata().getFinalizers().contains("pgo.dev/teardown"));
        List<Event> events = client.v1().events().inNamespace(NS).list().getItems();
        assertTrue(events.stream().anyMatch(e -> "SyncResources".equals(e.getReason())
                        && "orders".equals(e.getInvolvedObject().getName()) && "Normal".equals(e.getType())),
                "events: " + events.stream().map(Event::getReason).toList());
    }

    @Test
    void anInvalidSpecIsReportedOnceAndGetsNoObjects() {
        KubernetesOperator operator = leadingOperator();
        PgCluster bad = Clusters.spec("broken", 2);
        bad.getSpec().getParameters().put("port", "6000");
        createWithKubectl(bad);

        Eventually.until("a Failed status", Duration.ofSeconds(10), () -> stored("broken").getStatus() != null
                && stored("broken").getStatus().getPhase() == Phase.Failed);
        Condition valid = stored("broken").getStatus().condition(Condition.SPEC_VALID);
        assertFalse(valid.isTrue());
        assertTrue(valid.getMessage().contains("spec.parameters.port"), valid.getMessage());
        Eventually.until("a warning event", Duration.ofSeconds(5), () -> client.v1().events().inNamespace(NS).list().getItems()
                .stream().anyMatch(e -> "InvalidSpec".equals(e.getReason()) && "Warning".equals(e.getType())));
        assertNull(statefulSet("broken"));
        assertTrue(client.secrets().inNamespace(NS).list().getItems().isEmpty());
    }

    @Test
    void twoOperatorsNeverBothReconcileAndTheSecondTakesOverWhenTheFirstStops() throws Exception {
        Set<String> reconciledBy = ConcurrentHashMap.newKeySet();
        KubernetesOperator a = operator("op-a");
        KubernetesOperator b = operator("op-b");
        a.onReconciled((key, result) -> reconciledBy.add("op-a"));
        b.onReconciled((key, result) -> reconciledBy.add("op-b"));
        a.start();
        Eventually.until("op-a leads", Duration.ofSeconds(10), a::isLeader);
        b.start();

        createWithKubectl(Clusters.spec("orders", 2));
        Eventually.until("a reconcile", Duration.ofSeconds(10), () -> !reconciledBy.isEmpty());
        Thread.sleep(3000); // longer than the lease: op-b must still not have acted
        assertEquals(Set.of("op-a"), reconciledBy);
        assertFalse(b.isLeader());

        a.close();
        Eventually.until("op-b leads", Duration.ofSeconds(10), b::isLeader);
        Eventually.until("op-b reconciles", Duration.ofSeconds(10), () -> reconciledBy.contains("op-b"));
        assertFalse(a.isLeader());
    }

    @Test
    void aNewImageInTheOperatorConfigurationReachesEveryStatefulSet() {
        KubernetesOperator operator = leadingOperator();
        createWithKubectl(Clusters.spec("orders", 2));
        createWithKubectl(Clusters.spec("billing", 1));
        Eventually.until("both StatefulSets", Duration.ofSeconds(10), () -> statefulSet("orders") != null
                && statefulSet("billing") != null);
        assertEquals("postgres:15", image(statefulSet("orders")));

        client.configMaps().inNamespace(OPERATOR_NS).resource(new ConfigMapBuilder()
                .withNewMetadata().withName("pgo-config").endMetadata()
                .addToData(OperatorConfig.IMAGE, "registry.example.com/postgres:{version}-hardened")
                .build()).create();

        Eventually.until("the new image", Duration.ofSeconds(10),
                () -> image(statefulSet("orders")).equals("registry.example.com/postgres:15-hardened")
                        && image(statefulSet("billing")).equals("registry.example.com/postgres:15-hardened"));
        assertEquals("registry.example.com/postgres:{version}-hardened", operator.config().imageTemplate());
    }

    @Test
    void theOperatorPrunesWhatTheBackupCronJobLeavesByTheRetentionPolicy() {
        PgCluster cluster = Clusters.spec("nightly", 1);
        var policy = new BackupSpec();
        policy.setSchedule("0 2 * * *");
        policy.setKeepLast(1);
        cluster.getSpec().setBackups(policy);
        // three nights of Verified backups, as the catalog records the CronJob's Jobs
        var catalog = new ConfigMapBuilder().withNewMetadata().withName("nightly-backups").endMetadata();
        var ids = new ArrayList<String>();
        for (int night = 0; night < 3; night++) {
            Instant start = Instant.parse("2026-01-29T02:00:00Z").plus(Duration.ofDays(night));
            String id = BackupIds.of(start);
            ids.add(id);
            catalog.addToData(id, Manifests.toJson(BackupEntry.starting(id, "nightly", "nightly-0", 15, start)
                    .completed(start.plusSeconds(60), "0/" + (night + 2) + "000028", "0/" + (night + 2) + "000100", 1,
                            100).withStatus(BackupStatus.Verified, null)));
        }
        client.configMaps().inNamespace(NS).resource(catalog.build()).create();
        leadingOperator();

        createWithKubectl(cluster);

        Eventually.until("only the newest backup in the catalog", Duration.ofSeconds(10), () ->
                client.configMaps().inNamespace(NS).withName("nightly-backups").get().getData().keySet()
                        .equals(Set.of(ids.getLast())));
        Eventually.until("a Job that deletes the two older backups' files", Duration.ofSeconds(10), () ->
                client.batch().v1().jobs().inNamespace(NS).withName("nightly-delete-" + ids.get(1)).get() != null);
    }

    private static String image(StatefulSet set) {
        return set.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage();
    }

    @Test
    void deletingWithKubectlTearsDownAndReleasesTheResource() {
        KubernetesOperator operator = leadingOperator();
        createWithKubectl(Clusters.spec("orders", 2));
        Eventually.until("the StatefulSet", Duration.ofSeconds(10), () -> statefulSet("orders") != null
                && stored("orders").getMetadata().getFinalizers() != null);

        client.resources(PgCluster.class).inNamespace(NS).withName("orders").delete();

        Eventually.until("the resource to go", Duration.ofSeconds(10), () -> stored("orders") == null);
        assertNull(statefulSet("orders"));
        assertTrue(client.services().inNamespace(NS).list().getItems().isEmpty());
        assertTrue(client.secrets().inNamespace(NS).list().getItems().isEmpty());
    }
}
