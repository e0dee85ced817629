package dev.pgo.api.v1;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One-off requests a user makes of a cluster, beside its spec: move the primary, restart every
 * instance. They are annotations on the PgCluster, so the client only writes them and whichever
 * pgo reconciles the cluster acts on them (the operator on Kubernetes, the client itself on the
 * local platform). Each carries an id; the status names the last one done, so a request is done
 * exactly once and a later failover does not bring an old one back.
 */
public final class ClusterRequests {
    /** The id (RFC 3339 time of the request) of the latest switchover asked for. */
    public static final String SWITCHOVER = PgCluster.GROUP + "/switchover";
    /** The instance to promote; absent for the most advanced streaming replica. */
    public static final String SWITCHOVER_TARGET = PgCluster.GROUP + "/switchover-target";
    /** "true" when the target is promoted even if the primary is lost (pgo failover). */
    public static final String SWITCHOVER_FORCE = PgCluster.GROUP + "/switchover-force";
    /** RFC 3339 time: every instance whose server started before it restarts, one at a time. */
    public static final String RESTART = PgCluster.GROUP + "/restart";

    private ClusterRequests() {
    }

    /** A request to move the primary to {@code target} (any replica when null). */
    public record Switchover(String id, String target, boolean force) {
        public String describe() {
            return (force ? "failover" : "switchover") + " to " + (target == null ? "the most advanced replica" : target);
        }
    }

    /** The annotations that ask for a switchover; a null value removes an annotation left from an earlier one. */
    public static Map<String, String> switchover(String target, boolean force, Instant now) {
        var annotations = new LinkedHashMap<String, String>();
        annotations.put(SWITCHOVER, now.toString());
        annotations.put(SWITCHOVER_TARGET, target);
        annotations.put(SWITCHOVER_FORCE, force ? "true" : null);
        return annotations;
    }

    public static Map<String, String> restart(Instant now) {
        return Map.of(RESTART, now.toString());
    }

    /** The switchover asked for and not yet done, if any. */
    public static Optional<Switchover> pendingSwitchover(PgCluster cluster) {
        String id = annotation(cluster, SWITCHOVER);
        if (id == null || id.isBlank()) {
            return Optional.empty();
        }
        PgClusterStatus status = cluster.getStatus();
        if (status != null && id.equals(status.getCompletedSwitchover())) {
            return Optional.empty();
        }
        String target = annotation(cluster, SWITCHOVER_TARGET);
        return Optional.of(new Switchover(id, target == null || target.isBlank() ? null : target,
                "true".equals(annotation(cluster, SWITCHOVER_FORCE))));
    }

    /** The time of the latest restart asked for; empty when none was, or it cannot be read. */
    public static Optional<Instant> restartRequested(PgCluster cluster) {
        String value = annotation(cluster, RESTART);
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(value));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** Whether the restart asked for at {@code id} is done, as the status says. */
    public static boolean restartDone(PgClusterStatus status, String id) {
        return status != null && Objects.equals(status.getCompletedRestart(), id);
    }

    public static boolean switchoverDone(PgClusterStatus status, String id) {
        return status != null && Objects.equals(status.getCompletedSwitchover(), id);
    }

    private static String annotation(PgCluster cluster, String key) {
        var annotations = cluster.getMetadata() == null ? null : cluster.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(key);
    }
}
