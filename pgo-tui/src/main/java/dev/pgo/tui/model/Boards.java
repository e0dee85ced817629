package dev.pgo.tui.model;

import dev.pgo.api.v1.Condition;
import dev.pgo.api.v1.InstanceStatus;
import dev.pgo.api.v1.PgCluster;
import dev.pgo.api.v1.PgClusterStatus;
import dev.pgo.backup.BackupEntry;
import dev.pgo.platform.Volume;
import dev.pgo.text.Sizes;
import dev.pgo.tui.data.ClusterFacts;
import dev.pgo.tui.data.Snapshot;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns a reading into what the views draw. Transactions per second are the difference of the
 * primary's transaction counter between this reading and the one before, over the time between
 * them; a counter that went back (a restart, a reset) gives no rate rather than a wrong one.
 */
public final class Boards {
    /** Replication lag above which a cluster stands out. */
    static final long LAG_WARNING_BYTES = 64L * 1024 * 1024;

    private Boards() {
    }

    public static Board of(Snapshot now, Snapshot before) {
        Map<String, ClusterFacts> previous = new LinkedHashMap<>();
        before.clusters().forEach(f -> previous.put(f.name(), f));
        var rows = new ArrayList<ClusterRow>();
        var facts = new LinkedHashMap<String, ClusterFacts>();
        var backups = new ArrayList<BackupRow>();
        Map<String, Long> used = usedByCluster(now.volumes());
        for (ClusterFacts f : now.clusters()) {
            facts.put(f.name(), f);
            Double tps = rate(f, previous.get(f.name()), before.readAt(), now.readAt());
            rows.add(row(f, used.getOrDefault(f.name(), -1L), tps));
            f.backups().forEach(b -> backups.add(new BackupRow(b, f.window())));
        }
        rows.sort(Comparator.comparing(ClusterRow::name));
        backups.sort(Comparator.comparing((BackupRow b) -> b.entry().cluster())
                .thenComparing(b -> b.entry().id(), Comparator.reverseOrder()));
        var volumes = new ArrayList<>(now.volumes());
        volumes.sort(Comparator.comparing(Volume::name));
        return new Board(rows, facts, volumes, backups, now.readAt());
    }

    private static Double rate(ClusterFacts now, ClusterFacts before, Instant then, Instant at) {
        if (before == null || now.activity() == null || before.activity() == null || then == null || at == null) {
            return null;
        }
        double seconds = Duration.between(then, at).toMillis() / 1000.0;
        long done = now.activity().transactions() - before.activity().transactions();
        return seconds <= 0 || done < 0 ? null : done / seconds;
    }

    /** Bytes used by each cluster's volumes, summed over those whose use is known. */
    private static Map<String, Long> usedByCluster(List<Volume> volumes) {
        var used = new HashMap<String, Long>();
        for (Volume v : volumes) {
            if (v.cluster() != null && v.usedBytes() >= 0) {
                used.merge(v.cluster(), v.usedBytes(), Long::sum);
            }
        }
        return used;
    }

    /** {@code used}: bytes on the cluster's volumes, -1 when unknown. */
    static ClusterRow row(ClusterFacts f, long used, Double tps) {
        PgCluster c = f.cluster();
        PgClusterStatus status = c.getStatus() == null ? new PgClusterStatus() : c.getStatus();
        int instances = c.getSpec().getInstances();
        int ready = status.getReadyInstances() == null ? 0 : status.getReadyInstances();
        String phase = c.deletionRequested() ? "Deleting" : status.getPhase() == null ? "Pending" : status.getPhase().name();
        Long lag = status.getInstances().stream().map(InstanceStatus::getLagBytes).filter(Objects::nonNull)
                .max(Long::compare).orElse(null);
        Instant lastBackup = f.backups().stream().filter(b -> b.status().restorable() && b.stopTime() != null)
                .map(BackupEntry::stopInstant).max(Comparator.naturalOrder()).orElse(null);
        Health health = Health.OK;
        String problem = null;
        Condition reconciled = status.condition(Condition.RECONCILED);
        if (f.unreachable() != null) {
            health = Health.UNREACHABLE;
            problem = "unreachable: " + f.unreachable();
        } else if ("Failed".equals(phase) || (instances > 0 && ready == 0 && !"Creating".equals(phase))) {
            health = Health.BAD;
            problem = reconciled != null && !reconciled.isTrue() && reconciled.getMessage() != null
                    ? reconciled.getMessage() : ready + "/" + instances + " ready";
        } else if (!"Running".equals(phase) || ready < instances) {
            health = Health.WARN;
            problem = ready < instances ? ready + "/" + instances + " ready" : phase;
        } else if (lag != null && lag > LAG_WARNING_BYTES) {
            health = Health.WARN;
            problem = "replica lag " + Sizes.human(lag);
        }
        return new ClusterRow(c.name(), c.clusterKind().label(), phase, ready, instances,
                status.getPrimary() == null ? "-" : status.getPrimary(),
                c.getSpec().getPostgresVersion() == null ? "-" : String.valueOf(c.getSpec().getPostgresVersion()),
                used, c.getSpec().getStorage().getSize(),
                f.activity() == null ? null : f.activity().connections(), tps, lag, lastBackup, health, problem);
    }
}
