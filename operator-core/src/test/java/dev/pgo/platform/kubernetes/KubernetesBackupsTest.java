package dev.pgo.platform.kubernetes;

import dev.pgo.api.v1.BackupSpec;
import dev.pgo.api.v1.PgCluster;
import dev.pgo.api.v1.RestoreSpec;
import dev.pgo.backup.BackupCatalog;
import dev.pgo.backup.BackupEntry;
import dev.pgo.backup.BackupProgress;
import dev.pgo.backup.BackupStatus;
import dev.pgo.manifest.Manifests;
import dev.pgo.postgres.ServerConfig;
import dev.pgo.reconcile.ReconcileResult;
import dev.pgo.reconcile.Reconciler;
import dev.pgo.reconcile.StepListener;
import dev.pgo.sql.ConnectionPools;
import dev.pgo.sql.Credentials;
import dev.pgo.sql.Endpoint;
import dev.pgo.testing.Clusters;
import dev.pgo.testing.MockKubernetes;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Backups and restores on Kubernetes against the mock API server: the objects pgo makes (backup
 * volume, CronJob, backup Job, restore Job and Secret) and how the catalog follows the Jobs.
 * This test plays the Job controller: it finishes a Job with the termination message its script
 * would write. The scripts themselves run against real PostgreSQL in {@link PodBackupScriptsTest}.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesBackupsTest {
    private static final String NS = "db";
    private static final String ID = "2026-01-31-02-00-00";

    KubernetesClient client;

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
        return reconciler.reconcile(name, StepListener.SILENT, Duration.ofSeconds(30));
    }

    /** Finishes a Job as the Job controller and kubelet would, with its container's termination message. */
    private void finish(String job, boolean succeeded, String message) {
        client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName(job + "-x")
                .withLabels(Map.of("job-name", job)).endMetadata()
                .withNewStatus().addNewContainerStatus().withName("job").withNewState().withNewTerminated()
                .withExitCode(succeeded ? 0 : 1).withMessage(message).endTerminated().endState().endContainerStatus()
                .endStatus().build()).create();
        Job current = client.batch().v1().jobs().inNamespace(NS).withName(job).get();
        current.setStatus(succeeded ? new JobStatusBuilder().withSucceeded(1).build()
                : new JobStatusBuilder().withFailed(1).build());
        client.batch().v1().jobs().inNamespace(NS).resource(current).updateStatus();
    }

    private Job awaitJob(String name) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            Job job = client.batch().v1().jobs().inNamespace(NS).withName(name).get();
            if (job != null) {
                return job;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no Job " + name);
    }

    private static String verified(String id) {
        return "id=" + id + "\nstatus=Verified\nstartTime=2026-01-31T02:00:00.100Z\nstopTime=2026-01-31T02:00:07.600Z\n"
                + "startLsn=0/2000028\nstopLsn=0/2000138\ntimeline=1\nsizeBytes=3145728\n";
    }

    @Test
    void aClusterArchivesIntoItsBackupVolumeAndASchedulesIsACronJob() {
        PgCluster spec = Clusters.spec("orders", 2);
        var backups = new BackupSpec();
        backups.setSchedule("@daily");
        spec.getSpec().setBackups(backups);
        platform.clusters().apply(spec);
        reconcile("orders");

        PersistentVolumeClaim volume = client.persistentVolumeClaims().inNamespace(NS).withName("orders-backups").get();
        assertNotNull(volume, "the backup volume is made with the cluster");
        assertTrue(volume.getMetadata().getOwnerReferences() == null || volume.getMetadata().getOwnerReferences().isEmpty(),
                "backups outlive their cluster");
        String settings = client.configMaps().inNamespace(NS).withName("orders-config").get().getData().get("pgo.conf");
        assertTrue(settings.contains("archive_mode = 'on'") && settings.contains("/pgo/backups/orders-backups/wal"),
                settings);
        var pod = client.apps().statefulSets().inNamespace(NS).withName("orders").get().getSpec().getTemplate().getSpec();
        assertEquals("orders-backups", pod.getVolumes().stream().filter(v -> v.getName().equals("backups")).findFirst()
                .orElseThrow().getPersistentVolumeClaim().getClaimName());

        var cron = client.batch().v1().cronjobs().inNamespace(NS).withName("orders-backup").get();
        assertNotNull(cron, "a schedule is a CronJob");
        assertEquals("@daily", cron.getSpec().getSchedule());
        assertEquals("Etc/UTC", cron.getSpec().getTimeZone());
        assertEquals("Forbid", cron.getSpec().getConcurrencyPolicy());

        PgCluster unscheduled = platform.clusters().get("orders").orElseThrow();
        unscheduled.getSpec().setBackups(null);
        platform.clusters().apply(unscheduled);
        reconcile("orders");
        assertNull(client.batch().v1().cronjobs().inNamespace(NS).withName("orders-backup").get(),
                "no schedule, no CronJob");
    }

    @Test
    void theBackupTreeIsListedThroughAnyRunningPodOfTheCluster() {
        platform.clusters().apply(Clusters.spec("orders", 2));
        reconcile("orders");
        var volumes = new KubernetesVolumes(client, NS);
        var backupVolume = volumes.get("orders-backups").orElseThrow();
        assertEquals("orders", backupVolume.cluster());
        assertTrue(volumes.listingMount(backupVolume).isEmpty(), "no pod runs yet");
        assertTrue(volumes.tree("orders-backups", 3, 100).getFirst().contains("only through a running pod"));

        for (String pod : List.of("orders-1", "orders-0")) {
            client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName(pod)
                    .withLabels(Map.of(ClusterLabels.CLUSTER, "orders")).endMetadata()
                    .withNewStatus().withPhase(pod.equals("orders-0") ? "Pending" : "Running").endStatus().build()).create();
        }
        assertEquals(new KubernetesVolumes.Mount("orders-1", BackupObjects.BACKUP_MOUNT),
                volumes.listingMount(backupVolume).orElseThrow(), "a running pod, at the backup mount");
        client.persistentVolumeClaims().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model
                .PersistentVolumeClaimBuilder().withNewMetadata().withName("pgdata-orders-0")
                .withLabels(Map.of(ClusterLabels.CLUSTER, "orders")).endMetadata().withNewSpec().endSpec().build())
                .create();
        assertEquals(new KubernetesVolumes.Mount("orders-0", ClusterObjects.DATA_MOUNT),
                volumes.listingMount(volumes.get("pgdata-orders-0").orElseThrow()).orElseThrow(),
                "a data volume through its own instance");
    }

    @Test
    void aBackupIsAJobOnTheBackupVolumeWhoseOutcomeTheCatalogRecords() throws Exception {
        platform.clusters().apply(Clusters.spec("orders", 1));
        reconcile("orders");
        PgCluster cluster = platform.clusters().get("orders").orElseThrow();
        BackupEntry starting = BackupEntry.starting(ID, "orders", "orders-0", 15, Instant.parse("2026-01-31T02:00:00Z"));
        var taken = CompletableFuture.supplyAsync(() -> platform.backups().take(cluster, starting,
                new Endpoint("orders-0", ServerConfig.POD_PORT), new Credentials("standby", "replication-secret"), BackupProgress.SILENT));

        Job job = awaitJob("orders-backup-" + ID);
        var container = job.getSpec().getTemplate().getSpec().getContainers().getFirst();
        assertEquals("postgres:15", container.getImage(), "the cluster's own image");
        assertEquals("Never", job.getSpec().getTemplate().getSpec().getRestartPolicy());
        assertEquals(0, job.getSpec().getBackoffLimit(), "a failed backup is not retried over its leftovers");
        assertEquals("orders-backups", job.getSpec().getTemplate().getSpec().getVolumes().getFirst()
                .getPersistentVolumeClaim().getClaimName());
        var password = container.getEnv().stream().filter(e -> e.getName().equals("PGO_REPLICATION_PASSWORD"))
                .findFirst().orElseThrow();
        assertEquals("orders-standby", password.getValueFrom().getSecretKeyRef().getName());
        assertFalse(Manifests.toJson(job).contains("replication-secret"), "the Job carries no password");
        assertEquals(BackupStatus.Running, platform.backups().find("orders-backups", "orders-backups").orElseThrow()
                .entry(ID).orElseThrow().status(), "the catalog shows the backup while it runs");

        finish(job.getMetadata().getName(), true, verified(ID));
        BackupEntry entry = taken.get();
        assertEquals(BackupStatus.Verified, entry.status());
        assertEquals("0/2000028", entry.startLsn());
        assertEquals(3145728L, entry.sizeBytes());
        assertEquals(7.5, entry.durationSeconds());
        BackupCatalog catalog = platform.backups().find("orders-backups", "orders-backups").orElseThrow();
        assertEquals(entry, catalog.entry(ID).orElseThrow(), "the catalog ConfigMap holds the outcome");
        assertTrue(catalog.window().isPresent());
    }

    @Test
    void aLogicalBackupIsAJobThatDumpsAsTheSuperuserAndNeedsNoConnectionFromHere() throws Exception {
        platform.clusters().apply(Clusters.spec("orders", 1));
        reconcile("orders");
        PgCluster cluster = platform.clusters().get("orders").orElseThrow();
        BackupEntry starting = BackupEntry.starting(ID, "orders", BackupEntry.TYPE_LOGICAL, "orders-0", 15,
                Instant.parse("2026-01-31T02:00:00Z"));
        var taken = CompletableFuture.supplyAsync(() -> platform.backups().takeLogical(cluster, starting,
                new Endpoint("orders-0", ServerConfig.POD_PORT), new Credentials("postgres", "superuser-secret"),
                () -> { throw new AssertionError("the Job lists the databases itself"); }, BackupProgress.SILENT));

        Job job = awaitJob("orders-backup-" + ID);
        var env = job.getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv();
        assertEquals("logical", env.stream().filter(e -> e.getName().equals("PGO_TYPE")).findFirst().orElseThrow()
                .getValue());
        assertEquals("orders-postgres", env.stream().filter(e -> e.getName().equals("PGO_SUPERUSER_PASSWORD"))
                .findFirst().orElseThrow().getValueFrom().getSecretKeyRef().getName());
        assertFalse(Manifests.toJson(job).contains("superuser-secret"), "the Job carries no password");

        finish(job.getMetadata().getName(), true, "id=" + ID + "\nstatus=Verified\nstartTime=2026-01-31T02:00:00.000Z\n"
                + "stopTime=2026-01-31T02:00:04.000Z\nsizeBytes=4096\n");
        BackupEntry entry = taken.get();
        assertEquals(BackupStatus.Verified, entry.status());
        assertTrue(entry.logical() && entry.startLsn() == null && entry.sizeBytes() == 4096, entry.toString());
        BackupCatalog catalog = platform.backups().find("orders-backups", "orders-backups").orElseThrow();
        assertTrue(catalog.window().isEmpty(), "a dump opens no point-in-time window");
        assertEquals(BackupEntry.TYPE_LOGICAL, catalog.entry(ID).orElseThrow().type());
    }

    @Test
    void theCatalogAdoptsScheduledJobsAndFailsABackupWhoseJobVanished() {
        platform.clusters().apply(Clusters.spec("orders", 1));
        reconcile("orders");
        // a Job the CronJob made for 2026-01-31 02:00 UTC (minute 29497080), which nobody waited for
        var labels = Map.of(ClusterLabels.CLUSTER, "orders", BackupObjects.JOB_LABEL, "backup",
                BackupObjects.VERSION_LABEL, "15");
        client.batch().v1().jobs().inNamespace(NS).resource(new JobBuilder().withNewMetadata()
                .withName("orders-backup-29497080").withLabels(labels).endMetadata().withNewSpec().endSpec().build())
                .create();
        finish("orders-backup-29497080", true, verified(ID));
        String lost = "2026-01-30-02-00-00";
        client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName("orders-backups")
                .endMetadata().addToData(lost, Manifests.toJson(BackupEntry.starting(lost, "orders", "orders-0", 15,
                        Instant.parse("2026-01-30T02:00:00Z")))).build()).create();

        var entries = platform.backups().find("orders-backups", "orders-backups").orElseThrow().entries();
        assertEquals(2, entries.size(), entries.toString());
        assertEquals(BackupStatus.Failed, entries.get(0).status());
        assertTrue(entries.get(0).error().contains("interrupted"), entries.get(0).error());
        assertEquals(ID, entries.get(1).id());
        assertEquals(BackupStatus.Verified, entries.get(1).status());
        assertEquals(15, entries.get(1).postgresVersion());
        var recorded = client.configMaps().inNamespace(NS).withName("orders-backups").get().getData();
        assertTrue(recorded.get(ID).contains("Verified") && recorded.get(lost).contains("Failed"), recorded.toString());
    }

    @Test
    void aRestoreFillsThePrimaryVolumeWithAJobBeforeAnyPodRuns() throws Exception {
        client.persistentVolumeClaims().inNamespace(NS).resource(BackupObjects.backupVolume(Clusters.spec("orders", 1),
                OperatorConfig.DEFAULTS)).create();
        BackupEntry backup = KubernetesBackupCatalog.settle(BackupEntry.starting(ID, "orders", "orders-0", 15,
                Instant.parse("2026-01-31T02:00:00Z")), new JobRun.Outcome(true, JobRun.parse(verified(ID))));
        client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName("orders-backups")
                .endMetadata().addToData(ID, Manifests.toJson(backup)).build()).create();

        PgCluster copy = Clusters.spec("copy", 2);
        var restore = new RestoreSpec();
        restore.setVolume("orders-backups");
        restore.setPath("orders-backups/" + ID);
        copy.getSpec().setRestore(restore);
        platform.clusters().apply(copy);
        var reconciled = CompletableFuture.supplyAsync(() -> reconcile("copy"));

        Job job = awaitJob("copy-restore");
        assertEquals(0, client.apps().statefulSets().inNamespace(NS).withName("copy").get().getSpec().getReplicas(),
                "no pod runs while the restore fills the primary's volume");
        assertTrue(client.configMaps().inNamespace(NS).withName("copy-config").get().getData().containsKey("restore"),
                "the bootstrap script learns that the primary comes from a backup");
        assertNotNull(client.persistentVolumeClaims().inNamespace(NS).withName("pgdata-copy-0").get());
        var spec = job.getSpec().getTemplate().getSpec();
        assertEquals("pgdata-copy-0", spec.getVolumes().stream().filter(v -> v.getName().equals("pgdata")).findFirst()
                .orElseThrow().getPersistentVolumeClaim().getClaimName());
        var source = spec.getVolumes().stream().filter(v -> v.getName().equals("source")).findFirst().orElseThrow();
        assertEquals("orders-backups", source.getPersistentVolumeClaim().getClaimName());
        assertTrue(source.getPersistentVolumeClaim().getReadOnly());
        assertTrue(spec.getContainers().getFirst().getEnv().stream().anyMatch(e -> e.getName().equals("PGO_BACKUP_DIR")
                && e.getValue().equals("/pgo/restore/orders-backups/" + ID)));
        var secret = client.secrets().inNamespace(NS).withName("copy-restore").get();
        String passwords = secret.getStringData() != null ? secret.getStringData().get(BackupObjects.PASSWORDS_FILE)
                : new String(java.util.Base64.getDecoder().decode(secret.getData().get(BackupObjects.PASSWORDS_FILE)));
        String superuser = new KubernetesSecretStore(client, NS, ObjectReads.api(client)).get("copy", "postgres").orElseThrow().password();
        assertTrue(passwords.contains("SCRAM-SHA-256$"), "new passwords go in as verifiers");
        assertFalse(passwords.contains(superuser), "never in clear");

        finish("copy-restore", true, "status=Restored\n");
        ReconcileResult result = reconciled.get();
        assertNull(result.failure(), result.failure());
        assertEquals(2, client.apps().statefulSets().inNamespace(NS).withName("copy").get().getSpec().getReplicas(),
                "the instances start once the primary's volume is restored");
        assertTrue(client.persistentVolumeClaims().inNamespace(NS).withName("pgdata-copy-0").get().getMetadata()
                .getAnnotations().containsKey(BackupObjects.RESTORED_ANNOTATION));
        assertNull(client.secrets().inNamespace(NS).withName("copy-restore").get(), "the restore's Secret is gone");
    }
}
