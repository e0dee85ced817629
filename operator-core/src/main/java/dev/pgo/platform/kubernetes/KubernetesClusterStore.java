package dev.pgo.platform.kubernetes;

import dev.pgo.PgoException;
import dev.pgo.api.v1.Metadata;
import dev.pgo.api.v1.PgCluster;
import dev.pgo.api.v1.PgClusterStatus;
import dev.pgo.manifest.Manifests;
import dev.pgo.platform.ClusterStore;
import dev.pgo.validate.SpecValidator;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;

import java.net.HttpURLConnection;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * PgCluster custom resources in one namespace. Spec and status are written separately (status
 * through the status subresource), each as an update with the resourceVersion just read, so a
 * concurrent writer causes a conflict and a retry instead of a lost change.
 */
final class KubernetesClusterStore implements ClusterStore {
    /** Holds a deleted PgCluster until pgo has torn it down. */
    static final String FINALIZER = PgCluster.GROUP + "/teardown";
    static final String KEEP_DATA_ANNOTATION = PgCluster.GROUP + "/keep-data";
    private static final int ATTEMPTS = 5;

    private final KubernetesClient client;
    private final String namespace;
    private final ObjectReads reads;

    KubernetesClusterStore(KubernetesClient client, String namespace, ObjectReads reads) {
        this.client = client;
        this.namespace = namespace;
        this.reads = reads;
    }

    private MixedOperation<PgCluster, KubernetesResourceList<PgCluster>, Resource<PgCluster>> resources() {
        return client.resources(PgCluster.class);
    }

    /** With a null namespace the store reads every namespace (kubectl's -A) and changes none. */
    @Override
    public List<PgCluster> list() {
        var items = new ArrayList<>(namespace == null
                ? Requests.call("list the PgClusters in every namespace", () -> resources().inAnyNamespace().list().getItems())
                : Requests.call("list the PgClusters in " + namespace, () -> resources().inNamespace(namespace).list().getItems()));
        items.sort(Comparator.comparing((PgCluster c) -> c.getMetadata().getNamespace()).thenComparing(PgCluster::name));
        return items;
    }

    @Override
    public Optional<PgCluster> get(String name) {
        if (!SpecValidator.isValidClusterName(name)) {
            return Optional.empty();
        }
        if (namespace == null) {
            List<PgCluster> found = list().stream().filter(c -> c.name().equals(name)).toList();
            if (found.size() > 1) {
                throw new PgoException(name + " exists in several namespaces: "
                        + found.stream().map(c -> c.getMetadata().getNamespace()).toList(), "choose one with -n");
            }
            return found.stream().findFirst();
        }
        return Optional.ofNullable(Requests.call("read PgCluster " + name,
                () -> reads.get(PgCluster.class, namespace, name)));
    }

    /** The API server's copy: after a conflict the watch may not have the write that caused it yet. */
    private Optional<PgCluster> fresh(String name) {
        return Optional.ofNullable(Requests.call("read PgCluster " + name,
                () -> resources().inNamespace(namespace).withName(name).get()));
    }

    private void requireNamespace() {
        if (namespace == null) {
            throw new PgoException("--all-namespaces only lists and shows", "choose the cluster's namespace with -n");
        }
    }

    @Override
    public PgCluster apply(PgCluster desired) {
        requireNamespace();
        String name = desired.name();
        Optional<PgCluster> existing = get(name);
        if (existing.isEmpty()) {
            PgCluster fresh = Manifests.copy(desired);
            fresh.setStatus(null);
            fresh.getMetadata().setNamespace(namespace);
            fresh.getMetadata().setResourceVersion(null);
            fresh.getMetadata().setFinalizers(List.of(FINALIZER));
            try {
                return resources().inNamespace(namespace).resource(fresh).create();
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                    throw Requests.failure("create PgCluster " + name, e);
                }
                // created by someone else meanwhile: update it like any existing cluster
            }
        }
        return modify(name, stored -> {
            if (stored.deletionRequested()) {
                throw new PgoException(name + " is being deleted", "wait until the deletion finishes");
            }
            stored.setSpec(desired.getSpec());
            Metadata.addLabels(stored.getMetadata(), desired.getMetadata().getLabels());
            return stored;
        });
    }

    @Override
    public void claim(PgCluster cluster) {
        List<String> finalizers = cluster.getMetadata().getFinalizers();
        if (finalizers != null && finalizers.contains(FINALIZER)) {
            return;
        }
        PgCluster stored = modify(cluster.name(), c -> {
            var list = new ArrayList<>(c.getMetadata().getFinalizers() == null ? List.of() : c.getMetadata().getFinalizers());
            if (!list.contains(FINALIZER)) {
                list.add(FINALIZER);
            }
            c.getMetadata().setFinalizers(list);
            return c;
        });
        cluster.getMetadata().setFinalizers(stored.getMetadata().getFinalizers());
        cluster.getMetadata().setResourceVersion(stored.getMetadata().getResourceVersion());
    }

    @Override
    public void annotate(String name, Map<String, String> annotations) {
        requireNamespace();
        modify(name, stored -> {
            Metadata.addAnnotations(stored.getMetadata(), annotations);
            return stored;
        });
    }

    @Override
    public void requestDeletion(String name, boolean keepData) {
        requireNamespace();
        modify(name, stored -> {
            // Without --keep-data the platform's default decides (keep_volumes_on_delete on Kubernetes).
            if (keepData) {
                Metadata.addAnnotations(stored.getMetadata(), Map.of(KEEP_DATA_ANNOTATION, "true"));
            }
            return stored;
        });
        Requests.call("delete PgCluster " + name, () -> resources().inNamespace(namespace).withName(name).delete());
    }

    @Override
    public void remove(String name) {
        if (get(name).isEmpty()) {
            return;
        }
        modify(name, stored -> {
            var list = new ArrayList<>(stored.getMetadata().getFinalizers() == null ? List.<String>of()
                    : stored.getMetadata().getFinalizers());
            list.remove(FINALIZER);
            stored.getMetadata().setFinalizers(list);
            return stored;
        });
    }

    @Override
    public void writeStatus(String name, PgClusterStatus status) {
        for (int attempt = 1; ; attempt++) {
            PgCluster stored = (attempt == 1 ? get(name) : fresh(name)).orElse(null);
            if (stored == null) {
                return;
            }
            stored.setStatus(status);
            try {
                resources().inNamespace(namespace).resource(stored).updateStatus();
                return;
            } catch (KubernetesClientException e) {
                if (!Requests.retryable(e, attempt, ATTEMPTS)) {
                    throw Requests.failure("write the status of PgCluster " + name, e);
                }
            }
        }
    }

    /** Reads the latest version, changes it, and updates it; retries when someone else wrote in between. */
    private PgCluster modify(String name, UnaryOperator<PgCluster> change) {
        for (int attempt = 1; ; attempt++) {
            PgCluster stored = (attempt == 1 ? get(name) : fresh(name)).orElseThrow(() -> new PgoException("no cluster named " + name
                    + " in namespace " + namespace));
            PgCluster changed = change.apply(stored);
            try {
                return resources().inNamespace(namespace).resource(changed).update();
            } catch (KubernetesClientException e) {
                if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
                    throw new PgoException("no cluster named " + name + " in namespace " + namespace);
                }
                if (!Requests.retryable(e, attempt, ATTEMPTS)) {
                    throw Requests.failure("update PgCluster " + name, e);
                }
            }
        }
    }
}
