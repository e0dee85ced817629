package dev.pgo.platform.kubernetes;

import dev.pgo.PgoException;
import dev.pgo.api.v1.InstanceNames;
import dev.pgo.backup.BackupRepository;
import dev.pgo.platform.Volume;
import dev.pgo.platform.VolumeCatalog;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.ExecWatch;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The PVCs of pgo's clusters (labelled with the cluster's name). A volume's files are listed
 * from inside a pod that mounts it, as only a running pod can see them.
 */
final class KubernetesVolumes implements VolumeCatalog {
    private final KubernetesClient client;
    private final String namespace;

    KubernetesVolumes(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    @Override
    public List<Volume> list() {
        var claims = namespace == null
                ? client.persistentVolumeClaims().inAnyNamespace()
                : client.persistentVolumeClaims().inNamespace(namespace);
        return Requests.call("list the PVCs in " + (namespace == null ? "every namespace" : namespace),
                        () -> claims.withLabel(ClusterLabels.CLUSTER).list().getItems()).stream()
                .sorted(Comparator.comparing(c -> c.getMetadata().getName()))
                .map(KubernetesVolumes::describe).toList();
    }

    @Override
    public Optional<Volume> get(String name) {
        PersistentVolumeClaim claim = Requests.call("read PVC " + name,
                () -> client.persistentVolumeClaims().inNamespace(namespace).withName(name).get());
        return Optional.ofNullable(claim).map(KubernetesVolumes::describe);
    }

    static Volume describe(PersistentVolumeClaim claim) {
        var meta = claim.getMetadata();
        Map<String, String> labels = meta.getLabels() == null ? Map.of() : meta.getLabels();
        String name = meta.getName();
        var status = claim.getStatus();
        Quantity capacity = status != null && status.getCapacity() != null ? status.getCapacity().get("storage") : null;
        if (capacity == null && claim.getSpec().getResources() != null && claim.getSpec().getResources().getRequests() != null) {
            capacity = claim.getSpec().getResources().getRequests().get("storage");
        }
        String instance = InstanceNames.instanceOfVolume(name);
        return new Volume(name, capacity == null ? "" : capacity.toString(), -1,
                status == null || status.getPhase() == null ? "Pending" : status.getPhase(),
                claim.getSpec().getStorageClassName() == null ? "(default)" : claim.getSpec().getStorageClassName(),
                labels.getOrDefault(ClusterLabels.CLUSTER, ""), instance,
                claim.getSpec().getVolumeName() == null ? "" : claim.getSpec().getVolumeName(),
                meta.getCreationTimestamp());
    }

    /**
     * Lists the files with find(1) in a pod that mounts the volume: a data volume's instance, or
     * for a backup volume any running pod of its cluster (they all mount it at /pgo/backups).
     */
    @Override
    public List<String> tree(String name, int maxDepth, int maxEntries) {
        Volume volume = get(name).orElseThrow(() -> new PgoException("no PVC named " + name, "pgo show pvc all lists them"));
        Optional<Mount> mount = listingMount(volume);
        if (mount.isEmpty()) {
            return List.of("(the files of " + name + " can be listed only through a running pod that mounts it)");
        }
        String pod = mount.get().pod();
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        try (ExecWatch watch = client.pods().inNamespace(namespace).withName(pod).inContainer("postgres")
                .writingOutput(out).writingError(err)
                .exec("find", mount.get().path(), "-mindepth", "1", "-maxdepth", String.valueOf(maxDepth),
                        "-printf", "%y %P\\n")) {
            Integer code = watch.exitCode().get(30, TimeUnit.SECONDS);
            if (code == null || code != 0) {
                return List.of("(cannot list the files in pod " + pod + ": " + err.toString(StandardCharsets.UTF_8).strip() + ")");
            }
        } catch (KubernetesClientException | ExecutionException | TimeoutException e) {
            return List.of("(cannot list the files in pod " + pod + ": " + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of("(interrupted)");
        }
        return FileTree.indent(out.toString(StandardCharsets.UTF_8).lines().toList(), maxEntries);
    }

    /** Where a pod sees a volume's files. */
    record Mount(String pod, String path) {
    }

    /** The pod and path to list a volume's files through, if a pod that mounts it runs. */
    Optional<Mount> listingMount(Volume volume) {
        if (!volume.instance().isEmpty()) {
            return Optional.of(new Mount(volume.instance(), ClusterObjects.DATA_MOUNT));
        }
        String cluster = volume.cluster();
        if (cluster.isEmpty() || !volume.name().equals(BackupRepository.defaultName(cluster))) {
            return Optional.empty();
        }
        return Requests.call("list the pods of " + cluster, () -> client.pods().inNamespace(namespace)
                        .withLabel(ClusterLabels.CLUSTER, cluster).list().getItems()).stream()
                .filter(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()))
                .map(p -> p.getMetadata().getName()).sorted().findFirst()
                .map(pod -> new Mount(pod, BackupObjects.BACKUP_MOUNT));
    }

    /** Turns find's "TYPE relative/path" lines into the indented tree `pgo show pvc` prints. */
    static final class FileTree {
        private FileTree() {
        }

        static List<String> indent(List<String> findLines, int maxEntries) {
            var entries = new ArrayList<String[]>();
            for (String line : findLines) {
                int space = line.indexOf(' ');
                if (space > 0 && space < line.length() - 1) {
                    entries.add(new String[]{line.substring(0, space), line.substring(space + 1)});
                }
            }
            // children right after their directory: "/" sorts before every other character
            entries.sort(Comparator.comparing(e -> e[1].replace('/', '\0')));
            var lines = new ArrayList<String>();
            for (String[] entry : entries) {
                if (lines.size() >= maxEntries) {
                    lines.add("...");
                    break;
                }
                String path = entry[1];
                int depth = (int) path.chars().filter(c -> c == '/').count();
                String leaf = path.substring(path.lastIndexOf('/') + 1);
                lines.add("  ".repeat(depth) + leaf + ("d".equals(entry[0]) ? "/" : ""));
            }
            return lines;
        }
    }
}
