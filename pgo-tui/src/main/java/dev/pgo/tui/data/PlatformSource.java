package dev.pgo.tui.data;

import dev.pgo.api.v1.PgCluster;
import dev.pgo.backup.BackupCatalog;
import dev.pgo.backup.BackupEntry;
import dev.pgo.backup.BackupService;
import dev.pgo.backup.RecoveryWindow;
import dev.pgo.platform.Platform;
import dev.pgo.platform.Volume;
import dev.pgo.reconcile.LiveFigures;
import dev.pgo.reconcile.LiveStatus;
import dev.pgo.validate.SpecValidator;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The dashboard's facts from a platform through operator-core: clusters with live status (as
 * `pgo show` computes it), the primary's activity, backups, volumes. Clusters are read in
 * parallel, a few at a time; one that has not answered by the deadline shows as unreachable,
 * and its read goes on in the background, joined by the next refresh instead of started again.
 */
public final class PlatformSource implements DataSource, AutoCloseable {
    private static final int PARALLEL_READS = 8;

    private final Platform platform;
    private final Function<PgCluster, LiveStatus.LiveView> views;
    private final LiveFigures figures;
    private final BackupService backups;
    private final Duration deadline;
    private final Clock clock;
    private final ExecutorService readers = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("pgo-tui-read-", 0).factory());
    private final Semaphore slots = new Semaphore(PARALLEL_READS);
    /** Each cluster's last read, finished or not; only {@link #read()} (one thread) uses it. */
    private final Map<String, CompletableFuture<ClusterFacts>> inFlight = new HashMap<>();

    /**
     * {@code views} computes a cluster's live status the way this process can (observing it, or
     * as stored when it cannot reach the instances); {@code backups} is null where the platform
     * keeps none.
     */
    public PlatformSource(Platform platform, Function<PgCluster, LiveStatus.LiveView> views, LiveFigures figures,
                          BackupService backups, Duration deadline, Clock clock) {
        this.platform = platform;
        this.views = views;
        this.figures = figures;
        this.backups = backups;
        this.deadline = deadline;
        this.clock = clock;
    }

    @Override
    public Snapshot read() {
        List<PgCluster> clusters = platform.clusters().list();
        var reads = new ArrayList<CompletableFuture<ClusterFacts>>();
        for (PgCluster cluster : clusters) {
            CompletableFuture<ClusterFacts> read = inFlight.get(cluster.name());
            if (read == null || read.isDone()) {
                read = CompletableFuture.supplyAsync(() -> readLimited(cluster), readers);
                inFlight.put(cluster.name(), read);
            }
            reads.add(read);
        }
        inFlight.keySet().retainAll(clusters.stream().map(PgCluster::name).toList());
        List<Volume> volumes = platform.volumes().list();
        long until = System.nanoTime() + deadline.toNanos();
        var facts = new ArrayList<ClusterFacts>();
        for (int i = 0; i < clusters.size(); i++) {
            facts.add(await(reads.get(i), clusters.get(i), until));
        }
        return new Snapshot(facts, volumes, clock.instant());
    }

    private ClusterFacts await(CompletableFuture<ClusterFacts> read, PgCluster cluster, long until) {
        try {
            return read.get(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            return ClusterFacts.unreachable(cluster, "no answer within " + deadline.toSeconds() + "s");
        } catch (java.util.concurrent.ExecutionException e) {
            return ClusterFacts.unreachable(cluster, String.valueOf(e.getCause().getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ClusterFacts.unreachable(cluster, "interrupted");
        }
    }

    private ClusterFacts readLimited(PgCluster cluster) {
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ClusterFacts.unreachable(cluster, "interrupted");
        }
        try {
            return readCluster(cluster);
        } finally {
            slots.release();
        }
    }

    private ClusterFacts readCluster(PgCluster stored) {
        LiveStatus.LiveView view = views.apply(stored);
        var activity = figures.primaryActivity(view).orElse(null);
        var catalog = view.observed() == null ? null : view.observed().catalog();
        List<BackupEntry> entries = List.of();
        RecoveryWindow window = null;
        if (backups != null) {
            try {
                Optional<BackupCatalog> repository = backups.repository(stored.name());
                entries = repository.map(BackupCatalog::entries).orElse(List.of());
                List<BackupEntry> all = entries;
                window = repository.flatMap(r -> r.window(all)).orElse(null);
            } catch (RuntimeException e) {
                // a repository that cannot be read leaves the backups column empty, not the cluster
            }
        }
        return new ClusterFacts(view.cluster(), catalog, activity, entries, window, null);
    }

    @Override
    public List<String> volumeTree(String volume) {
        return platform.volumes().tree(volume, 4, 400);
    }

    @Override
    public Optional<String> password(String cluster) {
        return platform.secrets().get(cluster, SpecValidator.SUPERUSER).map(c -> c.password());
    }

    @Override
    public void close() {
        readers.shutdownNow();
    }
}
