package dev.pgo.backup;

import dev.pgo.api.v1.PgCluster;
import dev.pgo.api.v1.Phase;
import dev.pgo.platform.Platform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs the backups that spec.backups.schedule asks for where no CronJob does (the local
 * platform's operator loop). Each runs on its own thread, so a long backup never holds up a
 * reconcile, and one cluster has at most one scheduled backup running.
 */
public final class BackupScheduler {
    private static final Logger LOG = LoggerFactory.getLogger(BackupScheduler.class);

    /** How often retention is checked for clusters whose scheduled backups pgo does not take itself. */
    public static final Duration RETENTION_INTERVAL = Duration.ofMinutes(5);

    private final Platform platform;
    private final BackupService backups;
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final Map<String, Instant> retentionChecked = new ConcurrentHashMap<>();

    public BackupScheduler(Platform platform, BackupService backups) {
        this.platform = platform;
        this.backups = backups;
    }

    /**
     * When the cluster's next scheduled backup is due, if it is due at {@code now}: the first
     * scheduled moment after its newest backup started (or after the cluster was created).
     * Missed moments are not made up one by one: one backup catches up.
     */
    public static Optional<Instant> due(PgCluster cluster, List<BackupEntry> entries, Instant now) {
        var spec = cluster.getSpec().getBackups();
        if (spec == null || spec.getSchedule() == null) {
            return Optional.empty();
        }
        // a logical backup taken by hand does not stand in for a scheduled base backup
        List<BackupEntry> full = entries.stream().filter(e -> !e.logical()).toList();
        Instant reference = full.isEmpty() ? created(cluster) : full.getLast().startInstant();
        if (reference == null) {
            return Optional.empty();
        }
        Instant next = CronSchedule.parse(spec.getSchedule()).next(reference);
        return next.isAfter(now) ? Optional.empty() : Optional.of(next);
    }

    /** Starts the backups that are due; returns the clusters it started one for. */
    public List<String> runDue(Instant now) {
        var started = new java.util.ArrayList<String>();
        for (PgCluster cluster : platform.clusters().list()) {
            var spec = cluster.getSpec().getBackups();
            if (spec == null || spec.getSchedule() == null) {
                continue; // no repository to read for a cluster without a schedule
            }
            if (cluster.deletionRequested() || cluster.getStatus() == null
                    || cluster.getStatus().getPhase() != Phase.Running || running.contains(cluster.name())) {
                continue;
            }
            Optional<Instant> due;
            try {
                due = due(cluster, backups.list(cluster.name()), now);
            } catch (RuntimeException e) {
                LOG.warn("{}: cannot read the backup schedule: {}", cluster.name(), e.getMessage());
                continue;
            }
            if (due.isPresent() && running.add(cluster.name())) {
                started.add(cluster.name());
                Thread.ofVirtual().name("backup-" + cluster.name()).start(() -> run(cluster.name(), due.get()));
            }
        }
        return started;
    }

    private void run(String cluster, Instant due) {
        try {
            LOG.info("{}: scheduled backup (due {}) starting", cluster, due);
            BackupEntry entry = backups.create(cluster, BackupProgress.SILENT);
            LOG.info("{}: scheduled backup {} is {}", cluster, entry.id(), entry.status());
        } catch (RuntimeException e) {
            LOG.warn("{}: scheduled backup failed: {}", cluster, e.getMessage());
        } finally {
            running.remove(cluster);
        }
    }

    /**
     * Applies the retention policy of a scheduled cluster whose backups something else takes (on
     * Kubernetes, its CronJob's Jobs, which cannot prune the catalog themselves), beside the
     * caller and at most once per {@link #RETENTION_INTERVAL}. Returns whether a check started.
     */
    public boolean enforceRetention(PgCluster cluster, Instant now) {
        var spec = cluster.getSpec().getBackups();
        String name = cluster.name();
        if (spec == null || spec.getSchedule() == null || !Retention.of(spec).active() || cluster.deletionRequested()) {
            return false;
        }
        Instant last = retentionChecked.get(name);
        if (last != null && now.isBefore(last.plus(RETENTION_INTERVAL)) || !running.add(name)) {
            return false;
        }
        retentionChecked.put(name, now);
        Thread.ofVirtual().name("retention-" + name).start(() -> {
            try {
                backups.repository(name).ifPresent(catalog -> backups.applyRetention(cluster, catalog));
            } catch (RuntimeException e) {
                LOG.warn("{}: applying the retention policy failed: {}", name, e.getMessage());
            } finally {
                running.remove(name);
            }
        });
        return true;
    }

    public boolean idle() {
        return running.isEmpty();
    }

    private static Instant created(PgCluster cluster) {
        String t = cluster.getMetadata().getCreationTimestamp();
        try {
            return t == null ? null : Instant.parse(t);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
