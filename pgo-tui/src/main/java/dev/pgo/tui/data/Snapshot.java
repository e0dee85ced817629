package dev.pgo.tui.data;

import dev.pgo.platform.Volume;

import java.time.Instant;
import java.util.List;

/** One reading of the platform: its clusters with live facts, its volumes, and when it was read. */
public record Snapshot(List<ClusterFacts> clusters, List<Volume> volumes, Instant readAt) {
    public static final Snapshot EMPTY = new Snapshot(List.of(), List.of(), null);

    public Snapshot {
        clusters = List.copyOf(clusters);
        volumes = List.copyOf(volumes);
    }
}
