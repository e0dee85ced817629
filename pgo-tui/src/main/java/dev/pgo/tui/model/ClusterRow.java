package dev.pgo.tui.model;

import java.time.Instant;

/**
 * One line of the clusters view, figures already computed: storage used in bytes (-1 unknown),
 * connections, transactions per second and the largest replica lag (null unknown), the last
 * finished backup (null none), and what is wrong, if anything ({@code problem}, null when fine).
 */
public record ClusterRow(String name, String kind, String phase, int ready, int instances, String primary,
                         String version, long storageUsed, String storageSize, Integer connections, Double tps,
                         Long maxLagBytes, Instant lastBackup, Health health, String problem) {
}
