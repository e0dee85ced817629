package dev.pgo.platform.kubernetes;

import dev.pgo.api.v1.PgCluster;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything that deploys the operator, as `pgo install --dry-run` prints it: the CRD, the
 * namespace, a service account with least-privilege RBAC, the operator's ConfigMap and its
 * Deployment. A pure function of the namespace and image.
 */
public final class InstallManifests {
    public static final String NAME = "pgo-operator";
    private static final String CRD_RESOURCE = "/META-INF/fabric8/pgclusters.pgo.dev-v1.yml";
    /** Watched, read, and replaced whole. */
    private static final List<String> READ_WRITE = List.of("get", "list", "watch", "create", "update", "delete");
    /** The same, and edited. */
    private static final List<String> MANAGE = concat(READ_WRITE, "patch");

    private InstallManifests() {
    }

    public static List<HasMetadata> build(String namespace, String image) {
        var labels = Map.of("app.kubernetes.io/name", NAME, ClusterLabels.MANAGED_BY, "pgo");
        var objects = new ArrayList<HasMetadata>();
        objects.add(crd());
        objects.add(new NamespaceBuilder().withNewMetadata().withName(namespace).withLabels(labels).endMetadata().build());
        objects.add(new ServiceAccountBuilder().withNewMetadata().withName(NAME).withNamespace(namespace)
                .withLabels(labels).endMetadata().build());
        objects.add(new ClusterRoleBuilder().withNewMetadata().withName(NAME).withLabels(labels).endMetadata()
                .withRules(clusterRules()).build());
        objects.add(new ClusterRoleBindingBuilder().withNewMetadata().withName(NAME).withLabels(labels).endMetadata()
                .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole").withName(NAME).endRoleRef()
                .addNewSubject().withKind("ServiceAccount").withName(NAME).withNamespace(namespace).endSubject()
                .build());
        // Only in its own namespace: the leader Lease.
        objects.add(new RoleBuilder().withNewMetadata().withName(NAME).withNamespace(namespace).withLabels(labels).endMetadata()
                // the leader election renews the Lease with a patch
                .withRules(rule("coordination.k8s.io", List.of("leases"), List.of("get", "create", "patch")))
                .build());
        objects.add(new RoleBindingBuilder().withNewMetadata().withName(NAME).withNamespace(namespace).withLabels(labels)
                .endMetadata()
                .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role").withName(NAME).endRoleRef()
                .addNewSubject().withKind("ServiceAccount").withName(NAME).withNamespace(namespace).endSubject()
                .build());
        objects.add(new ConfigMapBuilder().withNewMetadata().withName("pgo-config").withNamespace(namespace)
                .withLabels(labels).endMetadata().withData(defaultConfiguration()).build());
        objects.add(deployment(namespace, image, labels));
        return objects;
    }

    /**
     * What the operator reads and writes across the namespaces it watches, and nothing more:
     * RbacTest compares these verbs with the requests the operator makes. Objects are watched
     * (list, watch) and read (get); "update" is a replace of the whole object, "patch" an edit.
     */
    static List<PolicyRule> clusterRules() {
        return List.of(
                rule(PgCluster.GROUP, List.of("pgclusters"), List.of("get", "list", "watch", "update")),
                rule(PgCluster.GROUP, List.of("pgclusters/status"), List.of("update")),
                // the API server asks for it when pgo's objects block their owner's deletion
                rule(PgCluster.GROUP, List.of("pgclusters/finalizers"), List.of("update")),
                // scaled with a patch
                rule("apps", List.of("statefulsets"), MANAGE),
                rule("", List.of("services"), READ_WRITE),
                // backup catalogs are edited (a patch)
                rule("", List.of("configmaps"), MANAGE),
                // a deleted cluster's Secrets go in one request, by label
                rule("", List.of("secrets"), concat(READ_WRITE, "deletecollection")),
                // pods: role labels (a patch), and deleting one to restart it in a rolling update
                rule("", List.of("pods"), List.of("get", "list", "watch", "patch", "delete")),
                // PVCs: the backup volume, and a restored primary's volume made before its pod
                // and marked restored (a patch) once its Job is done
                rule("", List.of("persistentvolumeclaims"), List.of("get", "list", "watch", "create", "patch", "delete")),
                // restores run as Jobs; scheduled backups as a CronJob
                rule("batch", List.of("jobs"), List.of("get", "list", "create", "delete")),
                rule("batch", List.of("cronjobs"), READ_WRITE),
                rule("policy", List.of("poddisruptionbudgets"), READ_WRITE),
                // created once, counted up (get, update) when it happens again
                rule("", List.of("events"), List.of("get", "create", "update")));
    }

    private static List<String> concat(List<String> verbs, String more) {
        var all = new ArrayList<>(verbs);
        all.add(more);
        return all;
    }

    private static PolicyRule rule(String group, List<String> resources, List<String> verbs) {
        return new PolicyRuleBuilder().withApiGroups(group).withResources(resources).withVerbs(verbs).build();
    }

    /** Every key with its default, so the ConfigMap documents what can be set. */
    static Map<String, String> defaultConfiguration() {
        OperatorConfig d = OperatorConfig.DEFAULTS;
        var data = new LinkedHashMap<String, String>();
        data.put(OperatorConfig.IMAGE, d.imageTemplate());
        data.put(OperatorConfig.RESYNC_SECONDS, String.valueOf(d.resyncPeriod().toSeconds()));
        data.put(OperatorConfig.WATCHED_NAMESPACES, "");
        data.put(OperatorConfig.CPU_REQUEST, d.defaultResources().getRequests().get("cpu").toString());
        data.put(OperatorConfig.MEMORY_REQUEST, d.defaultResources().getRequests().get("memory").toString());
        data.put(OperatorConfig.CPU_LIMIT, "");
        data.put(OperatorConfig.MEMORY_LIMIT, d.defaultResources().getLimits().get("memory").toString());
        data.put(OperatorConfig.KEEP_VOLUMES, String.valueOf(d.keepVolumesOnDelete()));
        data.put(OperatorConfig.BACKUP_ACCESS_MODE, d.backupAccessMode());
        return data;
    }

    private static HasMetadata deployment(String namespace, String image, Map<String, String> labels) {
        return new DeploymentBuilder()
                .withNewMetadata().withName(NAME).withNamespace(namespace).withLabels(labels).endMetadata()
                .withNewSpec()
                // Two replicas: the Lease makes one the actor, the other takes over within seconds.
                .withReplicas(2)
                .withNewSelector().withMatchLabels(Map.of("app.kubernetes.io/name", NAME)).endSelector()
                .withNewTemplate()
                .withNewMetadata().withLabels(labels).endMetadata()
                .withNewSpec()
                .withServiceAccountName(NAME)
                .withNewSecurityContext().withRunAsNonRoot(true).withRunAsUser(65532L)
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile().endSecurityContext()
                .addNewContainer()
                .withName("operator")
                .withImage(image)
                .withArgs("operator", "--platform", "kubernetes")
                .withEnv(new EnvVarBuilder().withName("POD_NAME").withNewValueFrom().withNewFieldRef()
                                .withFieldPath("metadata.name").endFieldRef().endValueFrom().build(),
                        new EnvVarBuilder().withName("POD_NAMESPACE").withNewValueFrom().withNewFieldRef()
                                .withFieldPath("metadata.namespace").endFieldRef().endValueFrom().build())
                .withNewResources()
                .addToRequests("cpu", new Quantity("100m")).addToRequests("memory", new Quantity("256Mi"))
                .addToLimits("memory", new Quantity("512Mi"))
                .endResources()
                .withNewSecurityContext().withAllowPrivilegeEscalation(false).withReadOnlyRootFilesystem(true)
                .withNewCapabilities().withDrop("ALL").endCapabilities().endSecurityContext()
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    private static CustomResourceDefinition crd() {
        try (InputStream in = InstallManifests.class.getResourceAsStream(CRD_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the build did not generate the PgCluster CRD");
            }
            return Serialization.unmarshal(in, CustomResourceDefinition.class);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the PgCluster CRD: " + e.getMessage(), e);
        }
    }
}
