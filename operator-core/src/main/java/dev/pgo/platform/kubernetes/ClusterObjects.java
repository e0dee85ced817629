package dev.pgo.platform.kubernetes;

import dev.pgo.api.v1.PgCluster;
import dev.pgo.api.v1.TlsSpec;
import dev.pgo.postgres.PodScripts;
import dev.pgo.postgres.ServerConfig;
import dev.pgo.sql.Credentials;
import dev.pgo.validate.SpecValidator;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;

import java.util.List;
import java.util.Map;

/**
 * Every Kubernetes object of a cluster as a pure function of its PgCluster and the operator
 * configuration: same input, same object. The reconciler compares only what these set.
 */
public final class ClusterObjects {
    static final String DATA_MOUNT = "/var/lib/postgresql/data";
    static final String PGDATA = DATA_MOUNT + "/pgdata";
    static final String CONFIG_MOUNT = "/etc/pgo";
    static final String HBA_FILE = "pg_hba.conf";
    /** The postgres user and group of the official image. */
    static final long POSTGRES_UID = 999;

    private ClusterObjects() {
    }

    /** Makes the PgCluster the controller of an object, so Kubernetes deletes it with the cluster. */
    static OwnerReference owner(PgCluster cluster) {
        return new OwnerReferenceBuilder()
                .withApiVersion(PgCluster.API_VERSION).withKind(PgCluster.KIND)
                .withName(cluster.name()).withUid(cluster.getMetadata().getUid())
                .withController(true).withBlockOwnerDeletion(true)
                .build();
    }

    private static ObjectMeta metadata(PgCluster cluster, String name, Map<String, String> labels) {
        return new ObjectMetaBuilder()
                .withName(name)
                .withNamespace(cluster.getMetadata().getNamespace())
                .withLabels(labels)
                .withOwnerReferences(owner(cluster))
                .build();
    }

    /**
     * The fingerprint of the pod template pgo built, carried by the template and so by every pod
     * made from it. A pod whose fingerprint differs from the current one runs an older image,
     * resources or environment and is restarted in a rolling update; one that matches never is.
     */
    public static final String TEMPLATE_ANNOTATION = PgCluster.GROUP + "/template";

    public static StatefulSet statefulSet(PgCluster cluster, OperatorConfig config) {
        return statefulSet(cluster, config, cluster.getSpec().getInstances());
    }

    /** The StatefulSet running {@code replicas} pods: none while a restore fills the primary's volume. */
    public static StatefulSet statefulSet(PgCluster cluster, OperatorConfig config, int replicas) {
        StatefulSet set = unstampedStatefulSet(cluster, config, replicas);
        var template = set.getSpec().getTemplate();
        template.getMetadata().setAnnotations(Map.of(TEMPLATE_ANNOTATION, AppliedHash.of(template)));
        return set;
    }

    /** The pod template's fingerprint, as its pods carry it. */
    public static String templateHash(StatefulSet set) {
        return set.getSpec().getTemplate().getMetadata().getAnnotations().get(TEMPLATE_ANNOTATION);
    }

    private static StatefulSet unstampedStatefulSet(PgCluster cluster, OperatorConfig config, int replicas) {
        StatefulSet set = plainStatefulSet(cluster, config, replicas);
        var pod = set.getSpec().getTemplate().getSpec();
        addTls(cluster, pod, pod.getContainers().getFirst(), true);
        return set;
    }

    private static StatefulSet plainStatefulSet(PgCluster cluster, OperatorConfig config, int replicas) {
        String name = cluster.name();
        var spec = cluster.getSpec();
        String image = BackupObjects.image(cluster, config);
        ResourceRequirements resources = spec.getResources() != null ? spec.getResources() : config.defaultResources();
        Probe ready = new ProbeBuilder()
                .withNewExec().withCommand("pg_isready", "--host=127.0.0.1", "--port=" + ServerConfig.POD_PORT).endExec()
                .withPeriodSeconds(5).withTimeoutSeconds(3).withFailureThreshold(3).build();
        return new StatefulSetBuilder()
                .withMetadata(metadata(cluster, ObjectNames.statefulSet(name), ClusterLabels.of(cluster)))
                .withNewSpec()
                .withReplicas(replicas)
                .withServiceName(ObjectNames.podsService(name))
                // Replicas wait for the primary in their bootstrap script, so pods need not start in order.
                .withPodManagementPolicy("Parallel")
                // pgo restarts pods itself, replicas first and the primary after a switchover.
                .withNewUpdateStrategy().withType("OnDelete").endUpdateStrategy()
                .withNewSelector().withMatchLabels(ClusterLabels.selector(name)).endSelector()
                .withNewTemplate()
                .withNewMetadata().withLabels(ClusterLabels.of(cluster)).endMetadata()
                .withNewSpec()
                .withTerminationGracePeriodSeconds(60L)
                .withNewSecurityContext()
                .withRunAsUser(POSTGRES_UID).withRunAsGroup(POSTGRES_UID).withFsGroup(POSTGRES_UID)
                .withRunAsNonRoot(true)
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .endSecurityContext()
                .addNewContainer()
                .withName("postgres")
                .withImage(image)
                .withCommand("bash", CONFIG_MOUNT + "/" + PodScripts.BOOTSTRAP)
                .addNewPort().withName("postgresql").withContainerPort(ServerConfig.POD_PORT).endPort()
                .withEnv(environment(cluster))
                .withResources(resources)
                .withReadinessProbe(ready)
                .withNewLivenessProbe()
                .withNewExec().withCommand("pg_isready", "--host=127.0.0.1", "--port=" + ServerConfig.POD_PORT).endExec()
                .withPeriodSeconds(10).withTimeoutSeconds(5).withFailureThreshold(6).endLivenessProbe()
                // Cloning a large primary takes long; the liveness probe waits for the first start.
                .withNewStartupProbe()
                .withNewExec().withCommand("pg_isready", "--host=127.0.0.1", "--port=" + ServerConfig.POD_PORT).endExec()
                .withPeriodSeconds(10).withFailureThreshold(8640).endStartupProbe()
                // Kubernetes stops a container with SIGTERM, which PostgreSQL takes as a smart
                // shutdown that waits for every client; a fast one ends sessions, sends the last
                // WAL to the standbys and finishes within the grace period.
                .withNewLifecycle().withNewPreStop().withNewExec()
                .withCommand("pg_ctl", "stop", "--pgdata=" + PGDATA, "--mode=fast", "--wait",
                        "--timeout=50")
                .endExec().endPreStop().endLifecycle()
                .withNewSecurityContext()
                .withAllowPrivilegeEscalation(false).withReadOnlyRootFilesystem(false)
                .withNewCapabilities().withDrop("ALL").endCapabilities()
                .endSecurityContext()
                .addNewVolumeMount().withName("pgdata").withMountPath(DATA_MOUNT).endVolumeMount()
                .addNewVolumeMount().withName("config").withMountPath(CONFIG_MOUNT).withReadOnly(true).endVolumeMount()
                // archive_command copies WAL into the repository here
                .addNewVolumeMount().withName("backups").withMountPath(BackupObjects.BACKUP_MOUNT).endVolumeMount()
                .endContainer()
                .addNewVolume().withName("config")
                .withNewConfigMap().withName(ObjectNames.configMap(name)).withDefaultMode(0444).endConfigMap()
                .endVolume()
                .addNewVolume().withName("backups")
                .withNewPersistentVolumeClaim().withClaimName(ObjectNames.backups(name)).endPersistentVolumeClaim()
                .endVolume()
                .endSpec()
                .endTemplate()
                .addNewVolumeClaimTemplate()
                .withNewMetadata().withName("pgdata").withLabels(ClusterLabels.of(cluster)).endMetadata()
                .withNewSpec()
                .withAccessModes("ReadWriteOnce")
                .withNewResources().addToRequests("storage", new Quantity(spec.getStorage().getSize())).endResources()
                .endSpec()
                .endVolumeClaimTemplate()
                .endSpec()
                .build();
    }

    /** What the bootstrap script reads; passwords come from the role Secrets, never from the spec. */
    private static List<EnvVar> environment(PgCluster cluster) {
        String name = cluster.name();
        return List.of(
                new EnvVarBuilder().withName("POD_NAME")
                        .withNewValueFrom().withNewFieldRef().withFieldPath("metadata.name").endFieldRef().endValueFrom()
                        .build(),
                new EnvVarBuilder().withName("PGDATA").withValue(PGDATA).build(),
                new EnvVarBuilder().withName("PGO_CONFIG_DIR").withValue(CONFIG_MOUNT).build(),
                new EnvVarBuilder().withName("PGO_RW_HOST").withValue(ObjectNames.readWriteService(name)).build(),
                new EnvVarBuilder().withName("PGO_RW_PORT").withValue(String.valueOf(ServerConfig.POD_PORT)).build(),
                secretEnv("PGO_SUPERUSER_PASSWORD", ObjectNames.secret(name, SpecValidator.SUPERUSER)),
                secretEnv("PGO_REPLICATION_PASSWORD", ObjectNames.secret(name, SpecValidator.REPLICATION_USER)));
    }

    static EnvVar secretEnv(String variable, String secret) {
        return new EnvVarBuilder().withName(variable)
                .withNewValueFrom().withNewSecretKeyRef().withName(secret).withKey("password").endSecretKeyRef()
                .endValueFrom().build();
    }

    /** Gives each pod a stable DNS name; lists pods before they are ready so replicas can be cloned. */
    public static Service podsService(PgCluster cluster) {
        return new ServiceBuilder()
                .withMetadata(metadata(cluster, ObjectNames.podsService(cluster.name()), ClusterLabels.of(cluster)))
                .withNewSpec()
                .withClusterIP("None")
                .withPublishNotReadyAddresses(true)
                .withSelector(ClusterLabels.selector(cluster.name()))
                .addNewPort().withName("postgresql").withPort(ServerConfig.POD_PORT).endPort()
                .endSpec()
                .build();
    }

    /** The read-write Service: the pod pgo labelled primary. */
    public static Service readWriteService(PgCluster cluster) {
        return roleService(cluster, ObjectNames.readWriteService(cluster.name()), ClusterLabels.PRIMARY);
    }

    /** The read-only Service: the replicas. */
    public static Service readOnlyService(PgCluster cluster) {
        return roleService(cluster, ObjectNames.readOnlyService(cluster.name()), ClusterLabels.REPLICA);
    }

    private static Service roleService(PgCluster cluster, String name, String role) {
        return new ServiceBuilder()
                .withMetadata(metadata(cluster, name, ClusterLabels.of(cluster)))
                .withNewSpec()
                .withType("ClusterIP")
                .withSelector(ClusterLabels.withRole(cluster.name(), role))
                .addNewPort().withName("postgresql").withPort(ServerConfig.POD_PORT).endPort()
                .endSpec()
                .build();
    }

    /** A role's user name and password, as a basic-auth Secret. */
    public static Secret roleSecret(PgCluster cluster, Credentials credentials) {
        var labels = new java.util.LinkedHashMap<>(ClusterLabels.of(cluster));
        labels.put(PgCluster.GROUP + "/role-name", credentials.username().replace('_', '-'));
        return new SecretBuilder()
                .withMetadata(metadata(cluster, ObjectNames.secret(cluster.name(), credentials.username()), labels))
                .withType("kubernetes.io/basic-auth")
                .addToStringData("username", credentials.username())
                .addToStringData("password", credentials.password())
                .build();
    }

    /** A certificate and key with the authority, as a TLS Secret the cluster owns. */
    static Secret tlsSecret(PgCluster cluster, String name, dev.pgo.tls.TlsBundle bundle) {
        return new SecretBuilder()
                .withMetadata(metadata(cluster, name, ClusterLabels.of(cluster)))
                .withType("kubernetes.io/tls")
                .addToStringData(dev.pgo.tls.TlsBundle.CERTIFICATE_KEY, bundle.certificatePem())
                .addToStringData(dev.pgo.tls.TlsBundle.KEY_KEY, bundle.keyPem())
                .addToStringData(dev.pgo.tls.TlsBundle.AUTHORITY_KEY, bundle.authorityPem())
                .build();
    }

    /**
     * postgresql.conf settings, pg_hba.conf, the bootstrap script, which instance is primary, and
     * for a cluster made from a backup, where from (so its primary waits for the restore).
     */
    public static ConfigMap configMap(PgCluster cluster, String primaryInstance) {
        var builder = new ConfigMapBuilder()
                .withMetadata(metadata(cluster, ObjectNames.configMap(cluster.name()), ClusterLabels.of(cluster)))
                .addToData(ServerConfig.FILE_NAME, sharedSettings(cluster))
                .addToData(HBA_FILE, hba(cluster))
                .addToData(PodScripts.BOOTSTRAP, PodScripts.text(PodScripts.BOOTSTRAP))
                .addToData(PodScripts.PRIMARY_FILE, primaryInstance + "\n");
        var restore = cluster.getSpec().getRestore();
        if (restore != null) {
            builder.addToData(PodScripts.RESTORE_FILE, restore.describe() + "\n");
        }
        return builder.build();
    }

    /** The settings every pod shares, WAL archiving into the cluster's backup volume included. */
    static String sharedSettings(PgCluster cluster) {
        ServerConfig.ServerTls tls = TlsSpec.on(cluster.getSpec())
                ? new ServerConfig.ServerTls(KubernetesTls.MOUNT + "/" + dev.pgo.tls.TlsBundle.CERTIFICATE_KEY,
                KubernetesTls.MOUNT + "/" + dev.pgo.tls.TlsBundle.KEY_KEY) : null;
        return ServerConfig.renderShared(cluster.getSpec(), cluster.name(), BackupObjects.archiveDir(cluster.name()),
                tls);
    }

    /** Pods connect from anywhere in the cluster's network; SCRAM passwords guard every role. */
    static String hba(PgCluster cluster) {
        return ServerConfig.hba(SpecValidator.REPLICATION_USER, List.of("0.0.0.0/0", "::/0"),
                TlsSpec.on(cluster.getSpec()));
    }

    /**
     * With TLS, the server's Secret mounted read-only where the configuration names it, and libpq
     * told to check servers against its ca.crt (the scripts' pg_basebackup, pg_rewind and the
     * replicas' primary_conninfo). 0640: the files belong to root and the pod's group, which
     * PostgreSQL accepts for a key. A pod that is no server ({@code withKey} false: a backup
     * Job) gets ca.crt alone.
     */
    static void addTls(PgCluster cluster, io.fabric8.kubernetes.api.model.PodSpec pod,
                       io.fabric8.kubernetes.api.model.Container container, boolean withKey) {
        if (!TlsSpec.on(cluster.getSpec())) {
            return;
        }
        var secret = new io.fabric8.kubernetes.api.model.SecretVolumeSourceBuilder()
                .withSecretName(KubernetesTls.serverSecret(cluster)).withDefaultMode(0640);
        if (!withKey) {
            secret.addNewItem().withKey(dev.pgo.tls.TlsBundle.AUTHORITY_KEY)
                    .withPath(dev.pgo.tls.TlsBundle.AUTHORITY_KEY).endItem();
        }
        pod.getVolumes().add(new io.fabric8.kubernetes.api.model.VolumeBuilder().withName(KubernetesTls.VOLUME)
                .withSecret(secret.build()).build());
        container.getVolumeMounts().add(new io.fabric8.kubernetes.api.model.VolumeMountBuilder()
                .withName(KubernetesTls.VOLUME).withMountPath(KubernetesTls.MOUNT).withReadOnly(true).build());
        container.getEnv().add(new EnvVarBuilder().withName("PGSSLMODE").withValue("verify-ca").build());
        container.getEnv().add(new EnvVarBuilder().withName("PGSSLROOTCERT")
                .withValue(KubernetesTls.MOUNT + "/" + dev.pgo.tls.TlsBundle.AUTHORITY_KEY).build());
        // no client certificate: libpq would otherwise look in ~/.postgresql of whatever HOME the
        // image gives, and fail where that directory cannot be read (see Endpoint)
        for (String variable : List.of("PGSSLCERT", "PGSSLKEY")) {
            container.getEnv().add(new EnvVarBuilder().withName(variable)
                    .withValue(KubernetesTls.MOUNT + "/no-client-certificate").build());
        }
    }

    /** Voluntary disruptions (a node drain) never take the primary down; pgo switches over first. */
    public static PodDisruptionBudget podDisruptionBudget(PgCluster cluster) {
        return new PodDisruptionBudgetBuilder()
                .withMetadata(metadata(cluster, ObjectNames.podDisruptionBudget(cluster.name()), ClusterLabels.of(cluster)))
                .withNewSpec()
                .withNewMinAvailable(1)
                .withNewSelector().withMatchLabels(ClusterLabels.withRole(cluster.name(), ClusterLabels.PRIMARY))
                .endSelector()
                .endSpec()
                .build();
    }
}
