package dev.pgo.api.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The cluster's backup repository: when base backups run by themselves and how many are kept.
 * WAL is archived into the repository whether or not a schedule is set, once it holds a backup.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"schedule", "keepLast", "keepDays", "storage"})
public class BackupSpec {
    @JsonPropertyDescription("Cron expression (minute hour day-of-month month day-of-week, UTC, or @daily, @hourly, "
            + "@weekly) at which pgo takes a base backup.")
    private String schedule;

    @JsonPropertyDescription("Keep this many of the newest restorable backups (with keepDays: a backup either rule keeps stays).")
    private Integer keepLast;

    @JsonPropertyDescription("Keep the backups younger than this many days (with keepLast: a backup either rule keeps stays).")
    private Integer keepDays;

    @JsonPropertyDescription("Size of the backup volume, the <cluster>-backups PVC.")
    private StorageSpec storage;

    public String getSchedule() {
        return schedule;
    }

    public void setSchedule(String schedule) {
        this.schedule = schedule;
    }

    public Integer getKeepLast() {
        return keepLast;
    }

    public void setKeepLast(Integer keepLast) {
        this.keepLast = keepLast;
    }

    public Integer getKeepDays() {
        return keepDays;
    }

    public void setKeepDays(Integer keepDays) {
        this.keepDays = keepDays;
    }

    public StorageSpec getStorage() {
        return storage;
    }

    public void setStorage(StorageSpec storage) {
        this.storage = storage;
    }
}
