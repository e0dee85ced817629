package dev.pgo.tui.model;

import dev.pgo.platform.Volume;
import dev.pgo.tui.data.ClusterFacts;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the views draw, as of one refresh, immutable: the drawing thread reads it while
 * the next is being made.
 */
public record Board(List<ClusterRow> clusters, Map<String, ClusterFacts> facts, List<Volume> volumes,
                    List<BackupRow> backups, Instant refreshedAt) {
    public static final Board EMPTY = new Board(List.of(), Map.of(), List.of(), List.of(), null);

    public Optional<ClusterFacts> facts(String cluster) {
        return Optional.ofNullable(facts.get(cluster));
    }

    /** The clusters view's row of {@code cluster}. */
    public Optional<ClusterRow> row(String cluster) {
        return clusters.stream().filter(r -> r.name().equals(cluster)).findFirst();
    }
}
