package dev.pgo.api.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Where a new cluster's data comes from instead of initdb: a backup of another cluster, by
 * cluster name (its {@code <cluster>-backups} repository) or by volume and path, replayed to a
 * point in time or to the end of the archived WAL. Read only when the primary is first made.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"cluster", "backup", "volume", "path", "targetTime"})
public class RestoreSpec {
    @JsonPropertyDescription("The cluster whose backup repository to restore from.")
    private String cluster;

    @JsonPropertyDescription("Backup id (YYYY-MM-DD-HH-MM-SS) in that repository. Without targetTime, the cluster is "
            + "restored as the backup left it; with neither, to the last archived WAL.")
    private String backup;

    @JsonPropertyDescription("A backup volume (PVC) to restore from, with path; instead of cluster.")
    private String volume;

    @JsonPropertyDescription("A backup directory in the volume, e.g. orders-backups/2026-01-31-02-00-00.")
    private String path;

    @JsonPropertyDescription("Recover to this moment (ISO-8601, e.g. 2026-01-31T14:05:00Z): every transaction committed "
            + "up to it, none after.")
    private String targetTime;

    public String getCluster() {
        return cluster;
    }

    public void setCluster(String cluster) {
        this.cluster = cluster;
    }

    public String getBackup() {
        return backup;
    }

    public void setBackup(String backup) {
        this.backup = backup;
    }

    public String getVolume() {
        return volume;
    }

    public void setVolume(String volume) {
        this.volume = volume;
    }

    public String getPath() {
        return path;
    }

    public void setPath(String path) {
        this.path = path;
    }

    public String getTargetTime() {
        return targetTime;
    }

    public void setTargetTime(String targetTime) {
        this.targetTime = targetTime;
    }

    /** Where the restore comes from, for people: the backup path, or the source cluster's backups, and the target. */
    public String describe() {
        String from = path != null ? path
                : "the backups of " + cluster + (backup != null ? " (" + backup + ")" : "");
        return from + (targetTime != null ? " to " + targetTime : "");
    }
}
