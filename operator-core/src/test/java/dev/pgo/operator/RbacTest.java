package dev.pgo.operator;

import dev.pgo.api.v1.BackupSpec;
import dev.pgo.api.v1.PgCluster;
import dev.pgo.platform.kubernetes.InstallManifests;
import dev.pgo.platform.kubernetes.ObjectNames;
import dev.pgo.platform.kubernetes.PodAddresses;
import dev.pgo.testing.Clusters;
import dev.pgo.testing.Eventually;
import dev.pgo.testing.MockKubernetes;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
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
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Promise: the RBAC that `pgo install` writes grants the operator every verb on every resource
 * it uses, and nothing it does not. The operator runs a cluster's life against the mock API
 * server (created, changed, its backup schedule added and removed, scaled to one instance,
 * deleted); every request it makes is turned into the verb and resource RBAC checks, and the
 * set is compared with the ClusterRole's and Role's rules in both directions.
 */
class RbacTest {
    private static final String OPERATOR_NS = "pgo-system";
    private static final String NS = "db";
    private static final String AGENT = "pgo-operator-under-test";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /**
     * Granted, but out of this scenario's reach: no pod runs and no Job finishes on the mock
     * server. Each names what uses it; one that the scenario does reach must leave this list.
     */
    private static final Map<String, String> NOT_REACHED = Map.ofEntries(
            Map.entry("pods get", "a pod read outside an observation (KubernetesInstances.pod)"),
            Map.entry("pods patch", "role labels of running pods (KubernetesInstances)"),
            Map.entry("persistentvolumeclaims patch", "a restored volume is marked (KubernetesInstances)"),
            Map.entry("batch/jobs get", "the restore Job is followed (JobRun)"),
            Map.entry("batch/jobs list", "backup Jobs are listed for retention (KubernetesBackupCatalog)"),
            Map.entry("batch/jobs create", "the restore Job (JobRun)"),
            Map.entry("batch/jobs delete", "a finished restore Job (JobRun)"),
            Map.entry("configmaps patch", "a backup catalog is edited (KubernetesBackupCatalog)"),
            Map.entry("secrets update", "Secrets kept with kept volumes lose their owner (KubernetesSecretStore.release)"),
            Map.entry("secrets delete", "the restore's Secret once the restore is done (KubernetesInstances)"),
            Map.entry("services update", "sync restores a Service someone changed (KubernetesResources)"),
            Map.entry("policy/poddisruptionbudgets update", "sync restores a budget someone changed (KubernetesResources)"),
            Map.entry("events get", "an Event that happens again is counted (EventRecorder)"),
            Map.entry("events update", "an Event that happens again is counted (EventRecorder)"),
            Map.entry("pgo.dev/pgclusters/finalizers update",
                    "no request: the API server checks it when an object names its owner with blockOwnerDeletion"));

    /**
     * Granted, and used when a reconcile reads an object whose write by the operator the watch
     * has not brought back yet (WatchedReads, OwnWrites) or wants the newest copy after a
     * conflict (KubernetesResources): whether this scenario meets one is a matter of timing.
     */
    private static final Map<String, String> BY_TIMING = Map.ofEntries(
            Map.entry("configmaps get", "the config map just written"),
            Map.entry("services get", "a Service just written"),
            Map.entry("secrets get", "a Secret just written"),
            Map.entry("persistentvolumeclaims get", "a claim just written"),
            Map.entry("policy/poddisruptionbudgets get", "the budget just written"),
            Map.entry("batch/cronjobs get", "the backup schedule just written"),
            Map.entry("pgo.dev/pgclusters get", "the PgCluster whose status or finalizers were just written"));

    /** The CRUD mock server, recording what the operator's client asks. */
    private static final class RecordingDispatcher extends KubernetesCrudDispatcher {
        final ConcurrentLinkedQueue<String> requests = new ConcurrentLinkedQueue<>();

        RecordingDispatcher() {
            super(List.of());
        }

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            if (AGENT.equals(request.getHeaders().get("User-Agent"))) {
                requests.add(request.getMethod() + " " + request.getPath());
            }
            return super.dispatch(request);
        }
    }

    private RecordingDispatcher dispatcher;
    private KubernetesMockServer server;
    private KubernetesClient client;
    private KubernetesClient operatorClient;

    @BeforeEach
    void setUp() throws Exception {
        dispatcher = new RecordingDispatcher();
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
        server.init(InetAddress.getByName("127.0.0.1"), 0);
        client = server.createClient();
        operatorClient = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(client.getConfiguration()).withUserAgent(AGENT).build()).build();
        MockKubernetes.installCrd(client);
    }

    @AfterEach
    void tearDown() {
        operatorClient.close();
        client.close();
        server.destroy();
    }

    @Test
    void theOperatorIsGrantedWhatItUsesAndNothingElse() {
        var settings = new KubernetesOperator.Settings(OPERATOR_NS, "pgo-config", "op", Duration.ofSeconds(2),
                Duration.ofMillis(1500), Duration.ofMillis(200), 2, PodAddresses.IN_CLUSTER);
        try (var operator = new KubernetesOperator(operatorClient, settings, Clock.systemUTC())) {
            operator.start();
            Eventually.until("leadership", TIMEOUT, operator::isLeader);
            runClusterLife();
        }

        Set<String> used = new TreeSet<>(dispatcher.requests.stream().map(RbacTest::permission).toList());
        Set<String> granted = granted();
        Set<String> missing = new TreeSet<>(used);
        missing.removeAll(granted);
        assertEquals(Set.of(), missing, "used but not granted (forbidden on a real cluster)");
        Set<String> unused = new TreeSet<>(granted);
        unused.removeAll(used);
        unused.removeAll(NOT_REACHED.keySet());
        unused.removeAll(BY_TIMING.keySet());
        assertEquals(Set.of(), unused, "granted but never used");
        for (String verb : BY_TIMING.keySet()) {
            assertTrue(granted.contains(verb), verb + " is listed as used by timing but is not granted");
        }
        for (String verb : NOT_REACHED.keySet()) {
            assertTrue(granted.contains(verb), verb + " is listed as not reached but is not granted");
            assertTrue(!used.contains(verb), verb + " is reached now: take it off the list");
        }
    }

    private void runClusterLife() {
        PgCluster cluster = Clusters.spec("life", 2);
        cluster.getMetadata().setNamespace(NS);
        var backups = new BackupSpec();
        backups.setSchedule("0 3 * * *");
        cluster.getSpec().setBackups(backups);
        cluster.getSpec().setTls(new dev.pgo.api.v1.TlsSpec()); // the operator makes its certificate Secrets
        var clusters = client.resources(PgCluster.class).inNamespace(NS);
        clusters.resource(cluster).create();
        Eventually.until("its StatefulSet, certificate and backup schedule", TIMEOUT, () -> exists("apps/v1", "StatefulSet", "life")
                && exists("v1", "Secret", ObjectNames.tlsSecret("life"))
                && client.batch().v1().cronjobs().inNamespace(NS).withName(ObjectNames.backupSchedule("life")).get() != null);
        edit(() -> clusters.withName("life").edit(c -> {
            c.getSpec().getBackups().setSchedule("30 4 * * *");
            return c;
        }));
        Eventually.until("the schedule moved", TIMEOUT, () -> "30 4 * * *".equals(client.batch().v1().cronjobs().inNamespace(NS)
                .withName(ObjectNames.backupSchedule("life")).get().getSpec().getSchedule()));
        edit(() -> clusters.withName("life").edit(c -> {
            c.getSpec().getParameters().put("work_mem", "8MB");
            c.getSpec().getBackups().setSchedule(null);
            c.getSpec().setInstances(1);
            return c;
        }));
        Eventually.until("the schedule and the budget gone", TIMEOUT, () -> client.batch().v1().cronjobs().inNamespace(NS)
                .withName(ObjectNames.backupSchedule("life")).get() == null
                && client.policy().v1().podDisruptionBudget().inNamespace(NS)
                .withName(ObjectNames.podDisruptionBudget("life")).get() == null);
        clusters.withName("life").delete();
        Eventually.until("the cluster deleted", TIMEOUT, () -> clusters.withName("life").get() == null);
    }

    /** The test's edit races the operator's writes (409): again from the newest copy, as kubectl edit would. */
    private static void edit(Runnable edit) {
        for (int attempt = 1; ; attempt++) {
            try {
                edit.run();
                return;
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 10) {
                    throw e;
                }
            }
        }
    }

    private boolean exists(String apiVersion, String kind, String name) {
        return client.genericKubernetesResources(apiVersion, kind).inNamespace(NS).withName(name).get() != null;
    }

    /** Every "group/resource verb" the installed ClusterRole and Role grant (the core group without a prefix). */
    private static Set<String> granted() {
        var granted = new TreeSet<String>();
        for (HasMetadata object : InstallManifests.build(OPERATOR_NS, "pgo:test")) {
            List<PolicyRule> rules = switch (object) {
                case ClusterRole role -> role.getRules();
                case Role role -> role.getRules();
                default -> List.of();
            };
            for (PolicyRule rule : rules) {
                for (String group : rule.getApiGroups()) {
                    for (String resource : rule.getResources()) {
                        for (String verb : rule.getVerbs()) {
                            granted.add((group.isEmpty() ? "" : group + "/") + resource + " " + verb);
                        }
                    }
                }
            }
        }
        return granted;
    }

    /**
     * The permission a request needs, as RBAC names it: /api/v1/namespaces/db/pods?watch=true is
     * "pods watch", DELETE of /apis/batch/v1/namespaces/db/jobs is "batch/jobs deletecollection".
     */
    static String permission(String request) {
        String method = request.substring(0, request.indexOf(' '));
        String uri = request.substring(request.indexOf(' ') + 1);
        String path = uri.contains("?") ? uri.substring(0, uri.indexOf('?')) : uri;
        String query = uri.contains("?") ? uri.substring(uri.indexOf('?') + 1) : "";
        List<String> parts = List.of(path.substring(1).split("/"));
        String group;
        int rest;
        if (parts.get(0).equals("api")) {
            group = "";
            rest = 2;
        } else {
            group = parts.get(1);
            rest = 3;
        }
        List<String> tail = parts.subList(rest, parts.size());
        if (!tail.isEmpty() && tail.get(0).equals("namespaces") && tail.size() > 2) {
            tail = tail.subList(2, tail.size());
        }
        String resource = tail.get(0) + (tail.size() > 2 ? "/" + tail.get(2) : "");
        boolean named = tail.size() > 1;
        String verb = switch (method) {
            case "GET" -> query.contains("watch=true") ? "watch" : named ? "get" : "list";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> named ? "delete" : "deletecollection";
            default -> method.toLowerCase(java.util.Locale.ROOT);
        };
        return (group.isEmpty() ? "" : group + "/") + resource + " " + verb;
    }

}
