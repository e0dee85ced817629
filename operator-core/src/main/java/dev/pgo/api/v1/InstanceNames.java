package dev.pgo.api.v1;

/** How a cluster's instances, volumes and replication slots are named, on every platform. */
public final class InstanceNames {
    private InstanceNames() {
    }

    /** As a StatefulSet names its pods: {@code mycluster-0}, {@code mycluster-1}, ... */
    public static String instance(String cluster, int ordinal) {
        return cluster + "-" + ordinal;
    }

    /** The instances a spec of {@code count} instances wants: ordinals 0 to count - 1. */
    public static java.util.List<String> instances(String cluster, int count) {
        return java.util.stream.IntStream.range(0, count).mapToObj(ordinal -> instance(cluster, ordinal)).toList();
    }

    /** As a StatefulSet's volumeClaimTemplate "pgdata" names its PVCs. */
    public static String dataVolume(String instance) {
        return "pgdata-" + instance;
    }

    /** The instance a data volume belongs to ({@code pgdata-mycluster-1} → {@code mycluster-1}), or "". */
    public static String instanceOfVolume(String volume) {
        String prefix = dataVolume("");
        return volume.startsWith(prefix) ? volume.substring(prefix.length()) : "";
    }

    /** Replication slot names allow only [a-z0-9_]. */
    public static String slot(String instance) {
        return instance.replace('-', '_');
    }

    /** The ordinal of {@code cluster-N}, or -1 when the name is not one of the cluster's instances. */
    public static int ordinal(String cluster, String instance) {
        String prefix = cluster + "-";
        if (!instance.startsWith(prefix)) {
            return -1;
        }
        try {
            return Integer.parseInt(instance.substring(prefix.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The cluster an instance name belongs to: the name without its "-ordinal". */
    public static String clusterOf(String instance) {
        return instance.replaceFirst("-[0-9]+$", "");
    }
}
