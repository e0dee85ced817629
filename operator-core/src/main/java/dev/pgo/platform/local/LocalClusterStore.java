package dev.pgo.platform.local;

import dev.pgo.PgoException;
import dev.pgo.api.v1.ClusterKind;
import dev.pgo.api.v1.Metadata;
import dev.pgo.api.v1.PgCluster;
import dev.pgo.api.v1.PgClusterStatus;
import dev.pgo.manifest.Manifests;
import dev.pgo.platform.ClusterLock;
import dev.pgo.platform.ClusterStore;
import dev.pgo.validate.SpecValidator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Map;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Desired state as PgCluster manifests under $PGO_HOME/clusters (name.yaml), status beside them
 * (name.status.yaml), each written atomically; spec writes hold a lock so concurrent applies do
 * not lose each other's changes.
 */
final class LocalClusterStore implements ClusterStore {
    static final String KEEP_DATA_ANNOTATION = PgCluster.GROUP + "/keep-data";
    private static final String STATUS_SUFFIX = ".status.yaml";
    private static final Pattern KIND_LABEL_LINE = Pattern.compile(
            "(?m)^\\s+" + Pattern.quote(PgCluster.KIND_LABEL) + ":\\s*\"?([a-z]+)\"?\\s*$");
    /** spec.instances as pgo writes it: the first line indented by two under the spec: line. */
    private static final Pattern SPEC_INSTANCES_LINE = Pattern.compile(
            "(?m)^spec:[ \\t]*\\n(?:(?: {4,}.*| {2}(?!instances:).*)?\\n)*? {2}instances:[ \\t]*(\\d+)[ \\t]*$");

    private final Path dir;
    private final FileLocks locks;

    LocalClusterStore(Path dir, FileLocks locks) {
        this.dir = dir;
        this.locks = locks;
    }

    @Override
    public List<PgCluster> list() {
        var clusters = new ArrayList<PgCluster>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.sorted().toList()) {
                String fileName = file.getFileName().toString();
                if (fileName.endsWith(".yaml") && !fileName.endsWith(STATUS_SUFFIX) && !fileName.startsWith(".")) {
                    get(fileName.substring(0, fileName.length() - ".yaml".length())).ifPresent(clusters::add);
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new PgoException("cannot list " + dir + ": " + e.getMessage());
        }
        return clusters;
    }

    /**
     * From the file names, and for a kind the label line of each manifest, without parsing YAML:
     * pgo writes these files itself, and the YAML library alone takes longer to load than a Tab
     * may.
     */
    @Override
    public List<String> names(ClusterKind kind) {
        var names = new ArrayList<String>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.sorted().toList()) {
                String fileName = file.getFileName().toString();
                if (!fileName.endsWith(".yaml") || fileName.endsWith(STATUS_SUFFIX) || fileName.startsWith(".")) {
                    continue;
                }
                String name = fileName.substring(0, fileName.length() - ".yaml".length());
                if (SpecValidator.isValidClusterName(name) && (kind == null || kindOf(file) == kind)) {
                    names.add(name);
                }
            }
        } catch (IOException e) {
            return List.of();
        }
        return names;
    }

    private static ClusterKind kindOf(Path manifest) {
        try {
            Matcher label = KIND_LABEL_LINE.matcher(Files.readString(manifest));
            return ClusterKind.fromLabel(label.find() ? label.group(1) : null);
        } catch (IOException e) {
            return ClusterKind.CLUSTER;
        }
    }

    /** Like {@link #names}, from one line of the manifest; a manifest of another shape is read whole. */
    @Override
    public Optional<Integer> wantedInstances(String name) {
        if (!SpecValidator.isValidClusterName(name)) {
            return Optional.empty();
        }
        try {
            Matcher line = SPEC_INSTANCES_LINE.matcher(Files.readString(dir.resolve(name + ".yaml")));
            if (line.find()) {
                return Optional.of(Integer.parseInt(line.group(1)));
            }
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | NumberFormatException e) {
            // read the whole manifest below, which reports what is wrong with it
        }
        return ClusterStore.super.wantedInstances(name);
    }

    @Override
    public Optional<PgCluster> get(String name) {
        if (!SpecValidator.isValidClusterName(name)) {
            return Optional.empty();
        }
        Optional<PgCluster> manifest = readManifest(name);
        manifest.ifPresent(cluster -> readStatus(name).ifPresent(cluster::setStatus));
        return manifest;
    }

    @Override
    public PgCluster apply(PgCluster desired) {
        String name = desired.getMetadata().getName();
        try (ClusterLock ignored = storeLock()) {
            Optional<PgCluster> existing = readManifest(name);
            PgCluster stored = existing.orElseGet(() -> fresh(desired));
            if (existing.isPresent()) {
                if (stored.deletionRequested()) {
                    throw new PgoException(name + " is being deleted", "wait until the deletion finishes");
                }
                boolean specChanged = !Manifests.toJson(stored.getSpec()).equals(Manifests.toJson(desired.getSpec()));
                if (specChanged) {
                    stored.getMetadata().setGeneration(generation(stored) + 1);
                }
                stored.setSpec(desired.getSpec());
                Metadata.addLabels(stored.getMetadata(), desired.getMetadata().getLabels());
            }
            stored.getMetadata().setResourceVersion(String.valueOf(resourceVersion(stored) + 1));
            writeManifest(stored);
            readStatus(name).ifPresent(stored::setStatus);
            return stored;
        }
    }

    private static PgCluster fresh(PgCluster desired) {
        PgCluster stored = Manifests.copy(desired);
        stored.setStatus(null);
        var meta = stored.getMetadata();
        if (meta.getNamespace() == null) {
            meta.setNamespace("default");
        }
        meta.setUid(UUID.randomUUID().toString());
        meta.setCreationTimestamp(Instant.now().toString());
        meta.setGeneration(1L);
        meta.setResourceVersion("0");
        return stored;
    }

    @Override
    public void annotate(String name, Map<String, String> annotations) {
        try (ClusterLock ignored = storeLock()) {
            PgCluster stored = readManifest(name).orElseThrow(() -> new PgoException("no cluster named " + name));
            Metadata.addAnnotations(stored.getMetadata(), annotations);
            stored.getMetadata().setResourceVersion(String.valueOf(resourceVersion(stored) + 1));
            writeManifest(stored);
        }
    }

    @Override
    public void requestDeletion(String name, boolean keepData) {
        try (ClusterLock ignored = storeLock()) {
            PgCluster stored = readManifest(name).orElseThrow(() -> new PgoException("no cluster named " + name));
            if (!stored.deletionRequested()) {
                stored.getMetadata().setDeletionTimestamp(Instant.now().toString());
            }
            // Without --keep-data the platform's default decides (keep_volumes_on_delete on Kubernetes).
            if (keepData) {
                Metadata.addAnnotations(stored.getMetadata(), Map.of(KEEP_DATA_ANNOTATION, "true"));
            }
            stored.getMetadata().setResourceVersion(String.valueOf(resourceVersion(stored) + 1));
            writeManifest(stored);
        }
    }

    @Override
    public void remove(String name) {
        try (ClusterLock ignored = storeLock()) {
            Files.deleteIfExists(statusFile(name));
            Files.deleteIfExists(manifestFile(name));
        } catch (IOException e) {
            throw new PgoException("cannot remove the manifest of " + name + ": " + e.getMessage());
        }
    }

    @Override
    public void writeStatus(String name, PgClusterStatus status) {
        if (Files.exists(manifestFile(name))) {
            LocalHome.writeAtomically(statusFile(name), Manifests.toYaml(status), LocalHome.PRIVATE_FILE);
        }
    }

    private ClusterLock storeLock() {
        return locks.acquire("store", Duration.ofSeconds(30), "the cluster store");
    }

    private Optional<PgCluster> readManifest(String name) {
        Path file = manifestFile(name);
        try {
            return Optional.of(Manifests.read(Files.readString(file), file.toString()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new PgoException("cannot read " + file + ": " + e.getMessage());
        }
    }

    private Optional<PgClusterStatus> readStatus(String name) {
        Path file = statusFile(name);
        try {
            return Optional.of(Manifests.readAs(Files.readString(file), PgClusterStatus.class, file.toString()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new PgoException("cannot read " + file + ": " + e.getMessage());
        }
    }

    private void writeManifest(PgCluster cluster) {
        PgCluster copy = Manifests.copy(cluster);
        copy.setStatus(null);
        LocalHome.writeAtomically(manifestFile(cluster.getMetadata().getName()), Manifests.toYaml(copy),
                LocalHome.PRIVATE_FILE);
    }

    private Path manifestFile(String name) {
        return dir.resolve(Objects.requireNonNull(name) + ".yaml");
    }

    private Path statusFile(String name) {
        return dir.resolve(name + STATUS_SUFFIX);
    }

    private static long generation(PgCluster cluster) {
        Long g = cluster.getMetadata().getGeneration();
        return g == null ? 1 : g;
    }

    private static long resourceVersion(PgCluster cluster) {
        try {
            return Long.parseLong(cluster.getMetadata().getResourceVersion());
        } catch (NumberFormatException | NullPointerException e) {
            return 0;
        }
    }
}
