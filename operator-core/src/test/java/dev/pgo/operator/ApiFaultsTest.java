package dev.pgo.operator;

import dev.pgo.api.v1.PgCluster;
import dev.pgo.platform.kubernetes.ObjectNames;
import dev.pgo.platform.kubernetes.PodAddresses;
import dev.pgo.testing.CapturedStderr;
import dev.pgo.testing.Clusters;
import dev.pgo.testing.Eventually;
import dev.pgo.testing.MockKubernetes;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Promise: the operator converges through a failing API server, and never writes an outdated
 * copy over a newer one. The mock API server answers a share of the requests with a fault
 * instead: 500, 409 for writes, 429, a slow answer, and for watches a 410 Gone (the watch must
 * list again) or a 500. Meanwhile another writer changes the objects pgo made; what it wrote
 * must survive pgo's updates.
 */
class ApiFaultsTest {
    private static final String NS = "db";
    private static final int CLUSTERS = 12;
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    /** The CRUD mock server, with a fault in place of the answer to some requests. */
    private static final class FaultyDispatcher extends KubernetesCrudDispatcher {
        private final Random random;
        private final double rate;
        final AtomicBoolean on = new AtomicBoolean();
        final AtomicInteger requests = new AtomicInteger();
        final AtomicInteger faults = new AtomicInteger();

        FaultyDispatcher(long seed, double rate) {
            super(List.of());
            this.random = new Random(seed);
            this.rate = rate;
        }

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            String path = request.getPath();
            // the Lease is left alone: losing it stops the operator on purpose (a test of its own)
            if (!on.get() || path.contains("/leases")) {
                return super.dispatch(request);
            }
            requests.incrementAndGet();
            double draw;
            int kind;
            synchronized (random) {
                draw = random.nextDouble();
                kind = random.nextInt(4);
            }
            if (draw >= rate) {
                return super.dispatch(request);
            }
            faults.incrementAndGet();
            boolean watch = path.contains("watch=true");
            boolean write = !"GET".equals(request.getMethod());
            if (watch) {
                return status(kind % 2 == 0 ? 410 : 500, kind % 2 == 0 ? "Expired" : "InternalError");
            }
            return switch (kind) {
                case 0 -> status(500, "InternalError");
                case 1 -> write ? status(409, "Conflict") : status(503, "ServiceUnavailable");
                case 2 -> status(429, "TooManyRequests");
                default -> super.dispatch(request).setBodyDelay(Duration.ofMillis(800));
            };
        }

        private static MockResponse status(int code, String reason) {
            return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json")
                    .setBody(String.format(Locale.ROOT, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
                            + "\"message\":\"injected fault\",\"reason\":\"%s\",\"code\":%d}", reason, code));
        }
    }

    private FaultyDispatcher dispatcher;
    private KubernetesMockServer server;
    private KubernetesClient client;
    private KubernetesOperator operator;

    @BeforeEach
    void setUp() throws Exception {
        long seed = Long.getLong("pgo.chaos.seed", 20261203L);
        dispatcher = new FaultyDispatcher(seed, 0.15);
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
        server.init(InetAddress.getByName("127.0.0.1"), 0);
        client = server.createClient();
        MockKubernetes.installCrd(client);
    }

    @AfterEach
    void tearDown() {
        if (operator != null) {
            operator.close();
        }
        client.close();
        server.destroy();
    }

    @Test
    void theOperatorConvergesThroughFaultsAndKeepsWhatOthersWrote() {
        try (var log = new CapturedStderr()) {
            convergeThroughFaults();
            assertNoPasswordInEventsStatusOrLog(log.text());
        }
    }

    /**
     * Failed steps become Warning Events with the error in their message: the place a password
     * would leak. None is in an Event, a status, or the operator's log.
     */
    private void assertNoPasswordInEventsStatusOrLog(String logged) {
        dispatcher.on.set(false);
        var passwords = new java.util.ArrayList<String>();
        for (var secret : client.secrets().inNamespace(NS).withLabel("pgo.dev/cluster").list().getItems()) {
            // the mock server keeps stringData as written; a real one turns it into data
            if (secret.getData() != null && secret.getData().get("password") != null) {
                passwords.add(new String(java.util.Base64.getDecoder().decode(secret.getData().get("password")),
                        java.nio.charset.StandardCharsets.UTF_8));
            } else if (secret.getStringData() != null && secret.getStringData().get("password") != null) {
                passwords.add(secret.getStringData().get("password"));
            }
        }
        assertTrue(passwords.size() >= CLUSTERS * 2, "the clusters' role passwords: " + passwords.size());
        var texts = new java.util.ArrayList<String>();
        client.v1().events().inNamespace(NS).list().getItems().forEach(e -> texts.add(e.getMessage()));
        assertTrue(texts.size() > CLUSTERS, "events were recorded: " + texts.size());
        client.resources(PgCluster.class).inNamespace(NS).list().getItems()
                .forEach(c -> texts.add(client.getKubernetesSerialization().asYaml(c.getStatus())));
        texts.add(logged);
        for (String text : texts) {
            for (String password : passwords) {
                assertTrue(!String.valueOf(text).contains(password), "a password in an Event, a status or the log");
            }
        }
    }

    private void convergeThroughFaults() {
        for (int i = 0; i < CLUSTERS; i++) {
            PgCluster cluster = Clusters.spec(name(i), 2);
            cluster.getMetadata().setNamespace(NS);
            client.resources(PgCluster.class).inNamespace(NS).resource(cluster).create();
        }
        dispatcher.on.set(true);
        var settings = new KubernetesOperator.Settings("pgo-system", "pgo-config", "op", Duration.ofSeconds(5),
                Duration.ofSeconds(4), Duration.ofMillis(500), 2, PodAddresses.IN_CLUSTER);
        operator = new KubernetesOperator(client, settings, Clock.systemUTC());
        operator.start();

        Eventually.until("every cluster's objects, status and finalizer", TIMEOUT, this::allReconciled, this::notReconciled);

        // another writer labels each ConfigMap while the operator rewrites it for a new setting
        for (int i = 0; i < CLUSTERS; i++) {
            String name = name(i);
            retrying(() -> client.configMaps().inNamespace(NS).withName(ObjectNames.configMap(name)).edit(c -> {
                c.getMetadata().getLabels().put("team", "payments");
                return c;
            }));
            retrying(() -> client.resources(PgCluster.class).inNamespace(NS).withName(name).edit(c -> {
                c.getSpec().getParameters().put("work_mem", "8MB");
                return c;
            }));
        }
        Eventually.until("every ConfigMap with the new setting", TIMEOUT, () -> configMaps().size() == CLUSTERS && configMaps().stream()
                .allMatch(c -> c.getData().values().stream().anyMatch(v -> v.contains("work_mem = '8MB'"))),
                () -> configMaps().stream().map(c -> c.getMetadata().getName() + " " + c.getData().keySet()).toList());
        for (ConfigMap map : configMaps()) {
            assertEquals("payments", map.getMetadata().getLabels().get("team"),
                    map.getMetadata().getName() + " kept the other writer's label");
        }
        dispatcher.on.set(false);
        // reads come from the operator's watches, so a run makes about 150 requests: a tenth of them
        // and more were faults
        assertTrue(dispatcher.faults.get() >= 10, "faults injected: " + dispatcher.faults + " of " + dispatcher.requests);
        System.out.println("API faults: " + dispatcher.faults + " of " + dispatcher.requests + " requests");
    }

    private static String name(int i) {
        return String.format(Locale.ROOT, "c%02d", i);
    }

    /** Every cluster has its StatefulSet, pgo's finalizer and a status that lists its instances. */
    private boolean allReconciled() {
        return notReconciled().isEmpty();
    }

    /** What is missing, cluster by cluster. */
    private List<String> notReconciled() {
        var missing = new java.util.ArrayList<String>();
        boolean was = dispatcher.on.getAndSet(false);
        try {
            for (int i = 0; i < CLUSTERS; i++) {
                String name = name(i);
                PgCluster cluster = client.resources(PgCluster.class).inNamespace(NS).withName(name).get();
                // no pod runs on the mock server: a cluster gets as far as Creating, its instances listed
                if (cluster.getStatus() == null || cluster.getStatus().getInstances() == null
                        || cluster.getStatus().getInstances().size() != cluster.getSpec().getInstances()) {
                    missing.add(name + ": no status listing its instances");
                } else if (!cluster.getMetadata().getFinalizers().contains("pgo.dev/teardown")) {
                    missing.add(name + ": no finalizer");
                } else if (client.apps().statefulSets().inNamespace(NS).withName(name).get() == null) {
                    missing.add(name + ": no StatefulSet");
                }
            }
        } finally {
            dispatcher.on.set(was);
        }
        return missing;
    }

    private List<ConfigMap> configMaps() {
        boolean was = dispatcher.on.getAndSet(false);
        try {
            return client.configMaps().inNamespace(NS).withLabel("pgo.dev/cluster").list().getItems();
        } finally {
            dispatcher.on.set(was);
        }
    }

    /** The test's own writes go through the faults too: it tries again, as a user would. */
    private static void retrying(Runnable request) {
        for (int attempt = 1; ; attempt++) {
            try {
                request.run();
                return;
            } catch (RuntimeException e) {
                if (attempt == 20) {
                    throw e;
                }
            }
        }
    }

}
