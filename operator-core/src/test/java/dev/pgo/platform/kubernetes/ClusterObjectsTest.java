package dev.pgo.platform.kubernetes;

import dev.pgo.api.v1.PgCluster;
import dev.pgo.postgres.ServerConfig;
import dev.pgo.sql.Credentials;
import dev.pgo.testing.Clusters;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** The Kubernetes objects of a cluster, built from its PgCluster and the operator configuration. */
class ClusterObjectsTest {

    private static PgCluster cluster(Consumer<PgCluster> change) {
        PgCluster cluster = Clusters.spec("orders", 3);
        cluster.getMetadata().setNamespace("db");
        cluster.getMetadata().setUid("3f1c2a9e-0000-4000-8000-000000000001");
        change.accept(cluster);
        return cluster;
    }

    private static Container postgres(StatefulSet sts) {
        return sts.getSpec().getTemplate().getSpec().getContainers().getFirst();
    }

    static Stream<Arguments> statefulSets() {
        Function<StatefulSet, Object> image = sts -> postgres(sts).getImage();
        Function<StatefulSet, Object> replicas = sts -> sts.getSpec().getReplicas();
        Function<StatefulSet, Object> storage = sts -> sts.getSpec().getVolumeClaimTemplates().getFirst().getSpec()
                .getResources().getRequests().get("storage").toString();
        Function<StatefulSet, Object> memoryRequest = sts -> postgres(sts).getResources().getRequests().get("memory")
                .toString();
        Function<StatefulSet, Object> cpuLimit = sts -> String.valueOf(postgres(sts).getResources().getLimits().get("cpu"));
        OperatorConfig defaults = OperatorConfig.DEFAULTS;
        OperatorConfig custom = OperatorConfig.parse(Map.of("image", "registry.example.com/pg:{version}",
                "default_memory_request", "1Gi", "default_cpu_limit", "4")).config();
        Consumer<PgCluster> none = c -> {
        };
        return Stream.of(
                arguments("one pod per instance", none, defaults, replicas, 3),
                arguments("a standalone database has one pod", (Consumer<PgCluster>) c -> c.getSpec().setInstances(1),
                        defaults, replicas, 1),
                arguments("the official image for the version", none, defaults, image, "postgres:15"),
                arguments("the configuration's image template", none, custom, image, "registry.example.com/pg:15"),
                arguments("the cluster's own image wins", (Consumer<PgCluster>) c -> c.getSpec().setImage("postgres:15.8"),
                        custom, image, "postgres:15.8"),
                arguments("the claim asks for spec.storage.size",
                        (Consumer<PgCluster>) c -> c.getSpec().getStorage().setSize("20Gi"), defaults, storage, "20Gi"),
                arguments("default resources from the configuration", none, custom, memoryRequest, "1Gi"),
                arguments("default cpu limit from the configuration", none, custom, cpuLimit, "4"),
                arguments("the cluster's resources win", (Consumer<PgCluster>) c -> c.getSpec().setResources(
                                new ResourceRequirementsBuilder().addToRequests("memory", new Quantity("3Gi")).build()),
                        custom, memoryRequest, "3Gi"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("statefulSets")
    void statefulSet(String behaviour, Consumer<PgCluster> change, OperatorConfig config,
                     Function<StatefulSet, Object> field, Object expected) {
        assertEquals(expected, field.apply(ClusterObjects.statefulSet(cluster(change), config)));
    }

    static Stream<Arguments> templateChanges() {
        OperatorConfig newImage = OperatorConfig.parse(Map.of("image", "registry.example.com/pg:{version}")).config();
        return Stream.of(
                arguments("a new image restarts pods", (Consumer<PgCluster>) c -> c.getSpec().setImage("postgres:15.9"),
                        OperatorConfig.DEFAULTS, true),
                arguments("a new image in the operator configuration restarts pods", (Consumer<PgCluster>) c -> {
                }, newImage, true),
                arguments("new resources restart pods", (Consumer<PgCluster>) c -> c.getSpec().setResources(
                        new ResourceRequirementsBuilder().addToLimits("memory", new Quantity("2Gi")).build()),
                        OperatorConfig.DEFAULTS, true),
                arguments("scaling restarts no pod", (Consumer<PgCluster>) c -> c.getSpec().setInstances(5),
                        OperatorConfig.DEFAULTS, false),
                arguments("a parameter restarts no pod (a reload applies it)",
                        (Consumer<PgCluster>) c -> c.getSpec().getParameters().put("work_mem", "64MB"),
                        OperatorConfig.DEFAULTS, false),
                arguments("a new user restarts no pod",
                        (Consumer<PgCluster>) c -> c.getSpec().getUsers().put("app", List.of()),
                        OperatorConfig.DEFAULTS, false),
                arguments("a larger volume restarts no pod",
                        (Consumer<PgCluster>) c -> c.getSpec().getStorage().setSize("50Gi"),
                        OperatorConfig.DEFAULTS, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("templateChanges")
    void thePodTemplateFingerprintChangesOnlyWithWhatAPodRuns(String behaviour, Consumer<PgCluster> change,
                                                             OperatorConfig config, boolean restarts) {
        String before = ClusterObjects.templateHash(ClusterObjects.statefulSet(cluster(c -> {
        }), OperatorConfig.DEFAULTS));
        StatefulSet after = ClusterObjects.statefulSet(cluster(change), config);
        assertEquals(restarts, !before.equals(ClusterObjects.templateHash(after)));
    }

    @Test
    void aPodStopsWithAFastShutdownBeforeKubernetesSignalsIt() {
        Container container = postgres(ClusterObjects.statefulSet(cluster(c -> {
        }), OperatorConfig.DEFAULTS));
        assertEquals(List.of("pg_ctl", "stop", "--pgdata=/var/lib/postgresql/data/pgdata", "--mode=fast", "--wait",
                "--timeout=50"), container.getLifecycle().getPreStop().getExec().getCommand());
    }

    @Test
    void thePodsRunTheBootstrapScriptAsAnUnprivilegedUserWithPasswordsFromSecrets() {
        StatefulSet sts = ClusterObjects.statefulSet(cluster(c -> {
        }), OperatorConfig.DEFAULTS);
        Container container = postgres(sts);
        assertEquals(List.of("bash", "/etc/pgo/bootstrap.sh"), container.getCommand());
        var pod = sts.getSpec().getTemplate().getSpec();
        assertTrue(pod.getSecurityContext().getRunAsNonRoot());
        assertEquals(999L, pod.getSecurityContext().getRunAsUser());
        assertEquals(List.of("ALL"), container.getSecurityContext().getCapabilities().getDrop());
        assertFalse(container.getSecurityContext().getAllowPrivilegeEscalation());
        Map<String, EnvVar> env = container.getEnv().stream()
                .collect(java.util.stream.Collectors.toMap(EnvVar::getName, e -> e));
        assertEquals("orders-postgres", env.get("PGO_SUPERUSER_PASSWORD").getValueFrom().getSecretKeyRef().getName());
        assertEquals("orders-standby", env.get("PGO_REPLICATION_PASSWORD").getValueFrom().getSecretKeyRef().getName());
        assertNull(env.get("PGO_SUPERUSER_PASSWORD").getValue(), "no password is written into the pod spec");
        assertEquals("orders-rw", env.get("PGO_RW_HOST").getValue());
        assertEquals("metadata.name", env.get("POD_NAME").getValueFrom().getFieldRef().getFieldPath());
        assertEquals("OnDelete", sts.getSpec().getUpdateStrategy().getType(), "pgo restarts pods itself");
        assertEquals("orders-pods", sts.getSpec().getServiceName());
        assertEquals("pgdata", sts.getSpec().getVolumeClaimTemplates().getFirst().getMetadata().getName(),
                "claims are named pgdata-orders-N, as the local platform names its volumes");
        assertEquals(List.of("pg_isready", "--host=127.0.0.1", "--port=" + ServerConfig.POD_PORT),
                container.getReadinessProbe().getExec().getCommand());
    }

    static Stream<Arguments> everyObject() {
        PgCluster c = cluster(x -> x.getSpec().setLabels(new java.util.LinkedHashMap<>(
                Map.of("team", "payments", "pgo.dev/cluster", "someone-else"))));
        return Stream.of(
                arguments(ClusterObjects.statefulSet(c, OperatorConfig.DEFAULTS), "orders"),
                arguments(ClusterObjects.podsService(c), "orders-pods"),
                arguments(ClusterObjects.readWriteService(c), "orders-rw"),
                arguments(ClusterObjects.readOnlyService(c), "orders-ro"),
                arguments(ClusterObjects.configMap(c, "orders-0"), "orders-config"),
                arguments(ClusterObjects.roleSecret(c, new Credentials("app_user", "pw")), "orders-app-user"),
                arguments(ClusterObjects.podDisruptionBudget(c), "orders-primary"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("everyObject")
    void everyObjectIsNamedLabelledAndOwnedByItsCluster(HasMetadata object, String name) {
        var meta = object.getMetadata();
        assertEquals(name, meta.getName());
        assertEquals("db", meta.getNamespace());
        assertEquals("orders", meta.getLabels().get("pgo.dev/cluster"), "pgo's labels win over the user's");
        assertEquals("payments", meta.getLabels().get("team"), "spec.labels are on every object");
        assertEquals("pgo", meta.getLabels().get("app.kubernetes.io/managed-by"));
        var owner = meta.getOwnerReferences().getFirst();
        assertEquals("PgCluster", owner.getKind());
        assertEquals("pgo.dev/v1", owner.getApiVersion());
        assertEquals("3f1c2a9e-0000-4000-8000-000000000001", owner.getUid());
        assertTrue(owner.getController());
    }

    @Test
    void servicesSelectThePrimaryTheReplicasOrEveryPod() {
        PgCluster c = cluster(x -> {
        });
        assertEquals("primary", ClusterObjects.readWriteService(c).getSpec().getSelector().get("pgo.dev/role"));
        assertEquals("replica", ClusterObjects.readOnlyService(c).getSpec().getSelector().get("pgo.dev/role"));
        var pods = ClusterObjects.podsService(c).getSpec();
        assertEquals("None", pods.getClusterIP());
        assertTrue(pods.getPublishNotReadyAddresses());
        assertFalse(pods.getSelector().containsKey("pgo.dev/role"));
        assertEquals(ServerConfig.POD_PORT, ClusterObjects.readWriteService(c).getSpec().getPorts().getFirst().getPort(),
                "the Services reach the port the pods' configuration listens on");
        assertEquals("primary",
                ClusterObjects.podDisruptionBudget(c).getSpec().getSelector().getMatchLabels().get("pgo.dev/role"));
        assertEquals(1, ClusterObjects.podDisruptionBudget(c).getSpec().getMinAvailable().getIntVal());
    }

    @Test
    void theConfigMapCarriesSettingsRulesTheScriptAndThePrimary() {
        PgCluster c = cluster(x -> x.getSpec().getParameters().put("work_mem", "64MB"));
        Map<String, String> data = ClusterObjects.configMap(c, "orders-1").getData();
        assertEquals("orders-1\n", data.get("primary"));
        assertTrue(data.get("pgo.conf").contains("work_mem = '64MB'"), data.get("pgo.conf"));
        assertTrue(data.get("pgo.conf").contains("listen_addresses = '*'"));
        assertTrue(data.get("pgo.conf").contains("port = '" + ServerConfig.POD_PORT + "'"));
        assertFalse(data.get("pgo.conf").contains("include"), "the bootstrap script orders the includes");
        assertTrue(data.get("pg_hba.conf").contains("scram-sha-256"));
        assertFalse(data.get("pg_hba.conf").contains("trust"));
        assertTrue(data.get("bootstrap.sh").startsWith("#!/bin/bash"));
    }

    @Test
    void aRoleSecretHoldsUserAndPassword() {
        var secret = ClusterObjects.roleSecret(cluster(x -> {
        }), new Credentials("app", "s3cret"));
        assertEquals("kubernetes.io/basic-auth", secret.getType());
        assertEquals(Map.of("username", "app", "password", "s3cret"), secret.getStringData());
    }

    @Test
    void theSameClusterGivesTheSameObjects() {
        assertEquals(ClusterObjects.statefulSet(cluster(c -> {
        }), OperatorConfig.DEFAULTS), ClusterObjects.statefulSet(cluster(c -> {
        }), OperatorConfig.DEFAULTS));
        assertEquals(ClusterObjects.configMap(cluster(c -> {
        }), "orders-0"), ClusterObjects.configMap(cluster(c -> {
        }), "orders-0"));
    }
}
