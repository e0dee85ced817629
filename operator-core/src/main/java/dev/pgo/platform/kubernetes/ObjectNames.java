package dev.pgo.platform.kubernetes;

/** Names of the Kubernetes objects pgo makes for a cluster. */
public final class ObjectNames {
    private ObjectNames() {
    }

    /** The StatefulSet has the cluster's name, so its pods are the instances: mycluster-0, ... */
    public static String statefulSet(String cluster) {
        return cluster;
    }

    /** The headless Service that gives each pod a stable DNS name. */
    public static String podsService(String cluster) {
        return cluster + "-pods";
    }

    public static String readWriteService(String cluster) {
        return cluster + "-rw";
    }

    public static String readOnlyService(String cluster) {
        return cluster + "-ro";
    }

    public static String configMap(String cluster) {
        return cluster + "-config";
    }

    public static String podDisruptionBudget(String cluster) {
        return cluster + "-primary";
    }

    /** One Secret per role: mycluster-postgres, mycluster-standby, mycluster-app-user, ... */
    public static String secret(String cluster, String role) {
        return cluster + "-" + role.replace('_', '-');
    }

    /**
     * The server certificate pgo made (mycluster.tls) and its authority (mycluster.tls-ca): a dot,
     * which no role's Secret name holds, so no role can be named into a collision.
     */
    public static String tlsSecret(String cluster) {
        return cluster + ".tls";
    }

    public static String tlsAuthoritySecret(String cluster) {
        return cluster + ".tls-ca";
    }

    /** The backup volume (PVC) and the ConfigMap holding its catalog: mycluster-backups. */
    public static String backups(String cluster) {
        return dev.pgo.backup.BackupRepository.defaultName(cluster);
    }

    /** A backup's Job: mycluster-backup-2026-01-31-02-00-00. */
    public static String backupJob(String cluster, String id) {
        return cluster + "-backup-" + id;
    }

    /** The CronJob of scheduled backups; its Jobs are named mycluster-backup-&lt;minutes since 1970&gt;. */
    public static String backupSchedule(String cluster) {
        return cluster + "-backup";
    }

    /** The Job (and its Secret) that restores a new cluster's primary from a backup. */
    public static String restore(String cluster) {
        return cluster + "-restore";
    }
}
