package dev.pgo.platform.kubernetes;

import dev.pgo.api.v1.Condition;
import dev.pgo.api.v1.PgCluster;
import dev.pgo.api.v1.Phase;
import dev.pgo.postgres.ServerConfig;
import dev.pgo.reconcile.ReconcileResult;
import dev.pgo.reconcile.Reconciler;
import dev.pgo.reconcile.StepListener;
import dev.pgo.sql.ConnectionPools;
import dev.pgo.testing.Clusters;
import dev.pgo.testing.MockKubernetes;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Kubernetes platform driven by the same reconciler as the local one, against fabric8's mock
 * API server in CRUD mode. No pod ever becomes ready here (nothing runs them), so these tests are
 * about the objects pgo keeps: what a new cluster gets, what a change touches, what a resync
 * writes, and what a deletion leaves.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesPlatformTest {
    private static final String NS = "db";

    KubernetesClient client;
    KubernetesMockServer server;

    private KubernetesPlatform platform;
    private ConnectionPools pools;
    private Reconciler reconciler;

    @BeforeEach
    void setUp() {
        MockKubernetes.installCrd(client);
        platform = new KubernetesPlatform(client, NS, "test", () -> OperatorConfig.DEFAULTS, PodAddresses.IN_CLUSTER);
        pools = new ConnectionPools(Duration.ofSeconds(1));
        reconciler = new Reconciler(platform, pools, Clock.systemUTC());
    }

    @AfterEach
    void tearDown() {
        pools.close();
    }

    private ReconcileResult reconcile(String name) {
        return reconciler.reconcile(name, StepListener.SILENT, Duration.ofSeconds(5));
    }

    private PgCluster stored(String name) {
        return client.resources(PgCluster.class).inNamespace(NS).withName(name).get();
    }

    /** Every object of the kinds pgo makes in the namespace. */
    private Stream<HasMetadata> ownedKinds() {
        return Stream.<List<? extends HasMetadata>>of(
                        client.apps().statefulSets().inNamespace(NS).list().getItems(),
                        client.services().inNamespace(NS).list().getItems(),
                        client.configMaps().inNamespace(NS).list().getItems(),
                        client.secrets().inNamespace(NS).list().getItems(),
                        client.policy().v1().podDisruptionBudget().inNamespace(NS).list().getItems())
                .flatMap(List::stream);
    }

    /** The objects as "Kind/name". */
    private TreeSet<String> objects() {
        var all = new TreeSet<String>();
        ownedKinds().forEach(o -> all.add(MockKubernetes.describe(o)));
        return all;
    }

    /** uid and resourceVersion of every object, to tell untouched from updated from recreated. */
    private Map<String, String> versions() {
        var versions = new TreeMap<String, String>();
        ownedKinds().forEach(o -> versions.put(MockKubernetes.describe(o),
                o.getMetadata().getUid() + "@" + o.getMetadata().getResourceVersion()));
        return versions;
    }

    @Test
    void aNewClusterGetsExactlyItsObjectsLabelledAndOwned() {
        platform.clusters().apply(Clusters.spec("orders", 3));
        ReconcileResult result = reconcile("orders");

        assertNull(result.failure(), result.failure());
        assertEquals(new TreeSet<>(List.of("ConfigMap/orders-config", "PodDisruptionBudget/orders-primary",
                "Secret/orders-postgres", "Secret/orders-standby", "Service/orders-pods", "Service/orders-ro",
                "Service/orders-rw", "StatefulSet/orders")), objects());

        PgCluster cluster = stored("orders");
        assertTrue(cluster.getMetadata().getFinalizers().contains(KubernetesClusterStore.FINALIZER),
                "a deletion must wait for pgo's teardown");
        String uid = cluster.getMetadata().getUid();
        Stream.<HasMetadata>of(client.apps().statefulSets().inNamespace(NS).withName("orders").get(),
                        client.services().inNamespace(NS).withName("orders-rw").get(),
                        client.configMaps().inNamespace(NS).withName("orders-config").get(),
                        client.secrets().inNamespace(NS).withName("orders-postgres").get(),
                        client.policy().v1().podDisruptionBudget().inNamespace(NS).withName("orders-primary").get())
                .forEach(o -> {
                    assertEquals("orders", o.getMetadata().getLabels().get(ClusterLabels.CLUSTER), MockKubernetes.describe(o));
                    assertEquals("pgo", o.getMetadata().getLabels().get(ClusterLabels.MANAGED_BY), MockKubernetes.describe(o));
                    assertEquals(uid, o.getMetadata().getOwnerReferences().getFirst().getUid(), MockKubernetes.describe(o));
                });
        assertEquals(3, client.apps().statefulSets().inNamespace(NS).withName("orders").get().getSpec().getReplicas());
        assertEquals("orders-0\n", client.configMaps().inNamespace(NS).withName("orders-config").get().getData().get("primary"));

        // No pod runs yet: the cluster is being created and says what it waits for.
        var status = cluster.getStatus();
        assertEquals(Phase.Creating, status.getPhase());
        assertEquals(3, status.getInstances().size());
        assertEquals("WaitingForInstances", status.condition(Condition.RECONCILED).getReason());
        assertTrue(status.condition(Condition.READY).getMessage().contains("waiting for the StatefulSet to create the pod"),
                status.condition(Condition.READY).getMessage());
        assertEquals("postgresql://orders-rw.db.svc:" + ServerConfig.POD_PORT + "/postgres",
                status.getEndpoints().getReadWrite());
        assertEquals("postgresql://orders-ro.db.svc:" + ServerConfig.POD_PORT + "/postgres",
                status.getEndpoints().getReadOnly());
    }

    private static PgCluster withTls(PgCluster cluster, String secretName) {
        var tls = new dev.pgo.api.v1.TlsSpec();
        tls.setSecretName(secretName);
        cluster.getSpec().setTls(tls);
        return cluster;
    }

    private dev.pgo.tls.TlsBundle bundle(String secret) {
        Secret s = client.secrets().inNamespace(NS).withName(secret).get();
        return new dev.pgo.tls.TlsBundle(KubernetesSecretStore.value(s, "ca.crt"),
                KubernetesSecretStore.value(s, "tls.crt"), KubernetesSecretStore.value(s, "tls.key"));
    }

    @Test
    void aTlsClusterGetsItsAuthorityAndACertificateForItsServicesAndPodsMountIt() throws Exception {
        platform.clusters().apply(withTls(Clusters.spec("secure", 2), null));
        ReconcileResult result = reconcile("secure");
        assertNull(result.failure(), result.failure());

        assertTrue(objects().containsAll(List.of("Secret/secure.tls", "Secret/secure.tls-ca")), objects().toString());
        var server = bundle("secure.tls").check("Secret secure.tls", java.time.Instant.now());
        var names = server.certificate().getSubjectAlternativeNames().stream().map(n -> String.valueOf(n.get(1))).toList();
        assertTrue(names.containsAll(List.of("secure-rw", "secure-rw.db.svc", "secure-ro.db.svc.cluster.local",
                "*.secure-pods.db.svc")), names.toString());
        var authority = bundle("secure.tls-ca");
        assertEquals(authority.certificatePem(), server.authorityPem(), "signed by the cluster's own authority");
        String uid = stored("secure").getMetadata().getUid();
        for (String name : List.of("secure.tls", "secure.tls-ca")) {
            Secret secret = client.secrets().inNamespace(NS).withName(name).get();
            assertEquals("kubernetes.io/tls", secret.getType());
            assertEquals(uid, secret.getMetadata().getOwnerReferences().getFirst().getUid(), "deleted with the cluster");
        }

        var pod = client.apps().statefulSets().inNamespace(NS).withName("secure").get().getSpec().getTemplate().getSpec();
        var volume = pod.getVolumes().stream().filter(v -> v.getName().equals("tls")).findFirst().orElseThrow();
        assertEquals("secure.tls", volume.getSecret().getSecretName());
        assertEquals(0640, volume.getSecret().getDefaultMode());
        String conf = client.configMaps().inNamespace(NS).withName("secure-config").get().getData().get("pgo.conf");
        assertTrue(conf.contains("ssl = 'on'") && conf.contains("ssl_cert_file = '/etc/pgo-tls/tls.crt'"), conf);
        String hba = client.configMaps().inNamespace(NS).withName("secure-config").get().getData().get("pg_hba.conf");
        assertTrue(hba.lines().filter(l -> !l.startsWith("#")).allMatch(l -> l.startsWith("hostssl ")), hba);
        assertEquals("postgresql://secure-rw.db.svc:" + ServerConfig.POD_PORT + "/postgres?sslmode=verify-full",
                stored("secure").getStatus().getEndpoints().getReadWrite());

        // a pass with nothing changed makes no new certificate
        String serial = server.certificate().getSerialNumber().toString();
        reconcile("secure");
        assertEquals(serial, bundle("secure.tls").certificate().getSerialNumber().toString());
    }

    @Test
    void aCertificateDueForRenewalIsMadeAgainByTheSameAuthority() {
        platform.clusters().apply(withTls(Clusters.spec("renew", 1), null));
        reconcile("renew");
        var authority = bundle("renew.tls-ca");
        var ca = dev.pgo.tls.TlsKeyPair.read(authority.certificatePem(), authority.keyPem(), "ca");
        // what a certificate made 380 days ago looks like: 17 days left
        var old = dev.pgo.tls.ClusterCertificates.server(ca, "renew", KubernetesTls.hostNames(stored("renew")),
                java.time.Instant.now().minus(Duration.ofDays(380)));
        client.secrets().inNamespace(NS).resource(ClusterObjects.tlsSecret(stored("renew"), "renew.tls",
                dev.pgo.tls.TlsBundle.of(ca, old))).update();
        assertTrue(platform.resources().drift(stored("renew"), "renew-0").contains("Secret renew.tls"));

        reconcile("renew");
        var renewed = bundle("renew.tls").check("renewed", java.time.Instant.now());
        assertTrue(renewed.certificate().getNotAfter().toInstant().isAfter(java.time.Instant.now().plus(Duration.ofDays(390))));
        assertEquals(authority.certificatePem(), renewed.authorityPem(), "clients keep trusting the same authority");
        assertFalse(platform.resources().drift(stored("renew"), "renew-0").contains("Secret renew.tls"));
    }

    @Test
    void aClusterNamingItsOwnSecretGetsNoneMadeAndItsPodsMountThatOne() {
        platform.clusters().apply(withTls(Clusters.spec("own", 1), "own-cert"));
        ReconcileResult result = reconcile("own");
        assertNull(result.failure(), result.failure());
        assertFalse(objects().stream().anyMatch(o -> o.startsWith("Secret/own.tls")), objects().toString());
        var pod = client.apps().statefulSets().inNamespace(NS).withName("own").get().getSpec().getTemplate().getSpec();
        assertEquals("own-cert", pod.getVolumes().stream().filter(v -> v.getName().equals("tls")).findFirst()
                .orElseThrow().getSecret().getSecretName());
    }

    @Test
    void aPassWithNothingChangedWritesNothing() {
        platform.clusters().apply(Clusters.spec("orders", 2));
        reconcile("orders");
        reconcile("orders");
        Map<String, String> before = versions();
        MockKubernetes.drainRequests(server);

        ReconcileResult result = reconcile("orders");

        List<String> requests = MockKubernetes.drainRequests(server);
        assertTrue(result.done().isEmpty(), "steps taken: " + result.done());
        assertEquals(List.of(), MockKubernetes.writes(requests));
        assertFalse(requests.isEmpty(), "the pass must have read the cluster's objects");
        assertEquals(before, versions());
    }

    @Test
    void aSpecChangeUpdatesOnlyTheObjectsItAffectsAndRecreatesNone() {
        platform.clusters().apply(Clusters.spec("orders", 2));
        reconcile("orders");
        Map<String, String> before = versions();

        PgCluster changed = Clusters.spec("orders", 3);
        changed.getSpec().getParameters().put("work_mem", "64MB");
        platform.clusters().apply(changed);
        assertNull(reconcile("orders").failure());

        Map<String, String> after = versions();
        assertEquals(before.keySet(), after.keySet());
        for (String object : before.keySet()) {
            String uidBefore = before.get(object).split("@")[0];
            assertEquals(uidBefore, after.get(object).split("@")[0], object + " was recreated");
        }
        var updated = before.keySet().stream().filter(o -> !before.get(o).equals(after.get(o))).sorted().toList();
        // replicas and max_wal_senders follow the instance count; work_mem is in the ConfigMap
        assertEquals(List.of("ConfigMap/orders-config", "StatefulSet/orders"), updated);
        assertEquals(3, client.apps().statefulSets().inNamespace(NS).withName("orders").get().getSpec().getReplicas());
        assertTrue(client.configMaps().inNamespace(NS).withName("orders-config").get().getData().get("pgo.conf")
                .contains("work_mem = '64MB'"));
        assertEquals(2L, stored("orders").getMetadata().getGeneration());
    }

    @Test
    void anObjectEditedOrDeletedByHandIsPutBack() {
        platform.clusters().apply(Clusters.spec("orders", 2));
        reconcile("orders");
        client.services().inNamespace(NS).withName("orders-ro").delete();
        client.configMaps().inNamespace(NS).withName("orders-config").edit(cm -> {
            cm.getData().put("pgo.conf", "# emptied by hand\n");
            cm.getMetadata().getAnnotations().remove(AppliedHash.ANNOTATION);
            return cm;
        });
        String configUid = client.configMaps().inNamespace(NS).withName("orders-config").get().getMetadata().getUid();

        reconcile("orders");

        assertNotNull(client.services().inNamespace(NS).withName("orders-ro").get());
        ConfigMap config = client.configMaps().inNamespace(NS).withName("orders-config").get();
        assertEquals(configUid, config.getMetadata().getUid());
        assertTrue(config.getData().get("pgo.conf").contains("max_connections = '40'"));
    }

    @Test
    void anInvalidSpecFailsWithAClearConditionAndGetsNoObjects() {
        PgCluster bad = Clusters.spec("orders", 3);
        bad.getSpec().getParameters().put("listen_addresses", "*");
        bad.getSpec().setInstances(0);
        platform.clusters().apply(bad);

        ReconcileResult result = reconcile("orders");

        assertNotNull(result.failure());
        var status = stored("orders").getStatus();
        assertEquals(Phase.Failed, status.getPhase());
        Condition valid = status.condition(Condition.SPEC_VALID);
        assertFalse(valid.isTrue());
        assertEquals("InvalidSpec", valid.getReason());
        assertTrue(valid.getMessage().contains("spec.instances"), valid.getMessage());
        assertTrue(valid.getMessage().contains("listen_addresses"), valid.getMessage());
        assertEquals(new TreeSet<>(), objects());
    }

    @Test
    void aSingleInstanceHasNoDisruptionBudgetAndLosesItWhenScaledDownToOne() {
        platform.clusters().apply(Clusters.spec("solo", 1));
        reconcile("solo");
        assertFalse(objects().contains("PodDisruptionBudget/solo-primary"), "one instance: a budget would block drains");

        platform.clusters().apply(Clusters.spec("solo", 2));
        reconcile("solo");
        assertTrue(objects().contains("PodDisruptionBudget/solo-primary"));

        platform.clusters().apply(Clusters.spec("solo", 1));
        reconcile("solo");
        assertFalse(objects().contains("PodDisruptionBudget/solo-primary"));
    }

    private void claimVolumes(String cluster, int instances) {
        for (int i = 0; i < instances; i++) {
            client.persistentVolumeClaims().inNamespace(NS).resource(new PersistentVolumeClaimBuilder()
                    .withNewMetadata().withName("pgdata-" + cluster + "-" + i)
                    .withLabels(ClusterLabels.selector(cluster)).endMetadata()
                    .withNewSpec().withAccessModes("ReadWriteOnce").withNewResources()
                    .addToRequests("storage", new Quantity("1Gi")).endResources().endSpec()
                    .build()).create();
        }
    }

    @Test
    void deletingRemovesEveryObjectAndVolumeThenReleasesTheResource() {
        platform.clusters().apply(Clusters.spec("orders", 2));
        reconcile("orders");
        claimVolumes("orders", 2);

        platform.clusters().requestDeletion("orders", false);
        assertNotNull(stored("orders"), "the finalizer holds the resource until pgo tore the cluster down");
        ReconcileResult result = reconcile("orders");

        assertTrue(result.gone(), String.valueOf(result.failure()));
        assertNull(stored("orders"));
        assertEquals(new TreeSet<>(), objects());
        assertEquals(List.of("orders-backups"), claimNames(),
                "only the backup volume stays: backups outlive their cluster");
    }

    private List<String> claimNames() {
        return client.persistentVolumeClaims().inNamespace(NS).list().getItems().stream()
                .map(c -> c.getMetadata().getName()).sorted().toList();
    }

    @Test
    void deletingWithKeepDataKeepsVolumesAndSecretsWithoutAnOwner() {
        platform.clusters().apply(Clusters.spec("orders", 2));
        reconcile("orders");
        claimVolumes("orders", 2);

        platform.clusters().requestDeletion("orders", true);
        assertTrue(reconcile("orders").gone());

        assertNull(stored("orders"));
        assertEquals(new TreeSet<>(List.of("Secret/orders-postgres", "Secret/orders-standby")), objects());
        for (Secret secret : client.secrets().inNamespace(NS).list().getItems()) {
            assertTrue(secret.getMetadata().getOwnerReferences() == null || secret.getMetadata().getOwnerReferences().isEmpty(),
                    "an owned Secret would be collected with the PgCluster");
        }
        assertEquals(List.of("orders-backups", "pgdata-orders-0", "pgdata-orders-1"), claimNames());
    }

    @Test
    void theOperatorConfigurationCanKeepVolumesOfEveryDeletedCluster() {
        var keeping = new OperatorConfig(OperatorConfig.DEFAULTS.imageTemplate(), OperatorConfig.DEFAULTS.resyncPeriod(),
                List.of(), OperatorConfig.DEFAULTS.defaultResources(), true, "ReadWriteOnce");
        var keepingPlatform = new KubernetesPlatform(client, NS, "test", () -> keeping, PodAddresses.IN_CLUSTER);
        var keepingReconciler = new Reconciler(keepingPlatform, pools, Clock.systemUTC());
        keepingPlatform.clusters().apply(Clusters.spec("orders", 2));
        keepingReconciler.reconcile("orders", StepListener.SILENT, Duration.ofSeconds(5));
        claimVolumes("orders", 2);

        keepingPlatform.clusters().requestDeletion("orders", false);
        assertTrue(keepingReconciler.reconcile("orders", StepListener.SILENT, Duration.ofSeconds(5)).gone());

        assertEquals(List.of("orders-backups", "pgdata-orders-0", "pgdata-orders-1"), claimNames());
        assertEquals(new TreeSet<>(List.of("Secret/orders-postgres", "Secret/orders-standby")), objects());
    }

    @Test
    void secretsHoldGeneratedPasswordsThatStayTheSame() {
        platform.clusters().apply(Clusters.spec("orders", 1));
        reconcile("orders");
        var first = platform.secrets().get("orders", "postgres").orElseThrow();
        assertEquals("postgres", first.username());
        assertEquals(24, first.password().length());
        assertEquals(first, platform.secrets().ensure("orders", "postgres"));
        assertNotEquals(first.password(), platform.secrets().get("orders", "standby").orElseThrow().password());
        Secret secret = client.secrets().inNamespace(NS).withName("orders-postgres").get();
        assertEquals("kubernetes.io/basic-auth", secret.getType());
    }

    @Test
    void volumesAreListedWithTheirClusterAndInstance() {
        claimVolumes("orders", 2);
        var volumes = platform.volumes().list();
        assertEquals(List.of("pgdata-orders-0", "pgdata-orders-1"), volumes.stream().map(v -> v.name()).toList());
        var volume = platform.volumes().get("pgdata-orders-1").orElseThrow();
        assertEquals("orders", volume.cluster());
        assertEquals("orders-1", volume.instance());
        assertEquals("1Gi", volume.capacity());
        assertEquals("Pending", volume.status());
        assertTrue(platform.volumes().get("pgdata-nothing-0").isEmpty());
    }
}
