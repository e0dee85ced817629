package dev.pgo.reconcile;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Since when each instance has not answered, across passes: the failover delay is counted from
 * the first pass that found the primary silent. It lives as long as the process, so a pgo that
 * just started counts from its first look and never fails over on what an earlier one saw.
 */
final class HealthTracker {
    private final Map<String, Instant> silentSince = new ConcurrentHashMap<>();

    void answered(String cluster, String instance) {
        silentSince.remove(key(cluster, instance));
    }

    /**
     * How long the instance has been silent at {@code now}; when this is the first observation
     * that found it silent, since it was {@code asked}.
     */
    Duration silentFor(String cluster, String instance, Instant asked, Instant now) {
        Instant since = silentSince.computeIfAbsent(key(cluster, instance), k -> asked);
        return Duration.between(since, now);
    }

    void forget(String cluster) {
        silentSince.keySet().removeIf(k -> k.startsWith(cluster + "/"));
    }

    private static String key(String cluster, String instance) {
        return cluster + "/" + instance;
    }
}
