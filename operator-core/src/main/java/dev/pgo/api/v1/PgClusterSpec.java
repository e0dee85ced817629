package dev.pgo.api.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the user wants: instance count, PostgreSQL version, storage, parameters, roles and databases. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"instances", "postgresVersion", "image", "storage", "resources", "parameters", "users", "databases",
        "backups", "restore", "failover", "synchronous", "tls", "labels"})
public class PgClusterSpec {
    @Min(1)
    @Max(16)
    @JsonPropertyDescription("Number of PostgreSQL instances: 1 is a standalone database, more is a primary with streaming replicas.")
    private int instances = 1;

    @JsonPropertyDescription("PostgreSQL major version, e.g. 15.")
    private Integer postgresVersion;

    @JsonPropertyDescription("Container image of the PostgreSQL pods on Kubernetes; default from the operator configuration.")
    private String image;

    @JsonPropertyDescription("Volume for each instance's data directory.")
    private StorageSpec storage = new StorageSpec();

    @JsonPropertyDescription("CPU and memory requests and limits of each PostgreSQL container on Kubernetes; "
            + "default from the operator configuration.")
    private ResourceRequirements resources;

    @JsonPropertyDescription("postgresql.conf parameters, name to value. Settings pgo manages itself (port, data_directory, ...) are refused.")
    private Map<String, String> parameters = new LinkedHashMap<>();

    @JsonPropertyDescription("Roles to create, name to role flags (LOGIN, CREATEDB, CREATEROLE, SUPERUSER, REPLICATION, BYPASSRLS, INHERIT and their NO forms).")
    private Map<String, List<String>> users = new LinkedHashMap<>();

    @JsonPropertyDescription("Databases to create, name to owner role.")
    private Map<String, String> databases = new LinkedHashMap<>();

    @JsonPropertyDescription("Backup schedule and retention of the cluster's backup repository.")
    private BackupSpec backups;

    @JsonPropertyDescription("Make the primary from a backup instead of initdb; read only when the cluster is created.")
    private RestoreSpec restore;

    @JsonPropertyDescription("Automatic failover: on unless turned off, and how long the primary may be lost first.")
    private FailoverSpec failover;

    @JsonPropertyDescription("Synchronous replication: commits wait for this many replicas, so a failover loses none.")
    private SynchronousSpec synchronous;

    @JsonPropertyDescription("TLS for client and replication connections; connections without it are refused.")
    private TlsSpec tls;

    @JsonPropertyDescription("Labels put on every object pgo makes for this cluster.")
    private Map<String, String> labels = new LinkedHashMap<>();

    public int getInstances() {
        return instances;
    }

    public void setInstances(int instances) {
        this.instances = instances;
    }

    public Integer getPostgresVersion() {
        return postgresVersion;
    }

    public void setPostgresVersion(Integer postgresVersion) {
        this.postgresVersion = postgresVersion;
    }

    public String getImage() {
        return image;
    }

    public void setImage(String image) {
        this.image = image;
    }

    public ResourceRequirements getResources() {
        return resources;
    }

    public void setResources(ResourceRequirements resources) {
        this.resources = resources;
    }

    public StorageSpec getStorage() {
        return storage;
    }

    public void setStorage(StorageSpec storage) {
        this.storage = storage;
    }

    public Map<String, String> getParameters() {
        return parameters;
    }

    public void setParameters(Map<String, String> parameters) {
        this.parameters = parameters;
    }

    public Map<String, List<String>> getUsers() {
        return users;
    }

    public void setUsers(Map<String, List<String>> users) {
        this.users = users;
    }

    public Map<String, String> getDatabases() {
        return databases;
    }

    public void setDatabases(Map<String, String> databases) {
        this.databases = databases;
    }

    public Map<String, String> getLabels() {
        return labels;
    }

    public void setLabels(Map<String, String> labels) {
        this.labels = labels;
    }

    public BackupSpec getBackups() {
        return backups;
    }

    public void setBackups(BackupSpec backups) {
        this.backups = backups;
    }

    public RestoreSpec getRestore() {
        return restore;
    }

    public void setRestore(RestoreSpec restore) {
        this.restore = restore;
    }

    public FailoverSpec getFailover() {
        return failover;
    }

    public void setFailover(FailoverSpec failover) {
        this.failover = failover;
    }

    public SynchronousSpec getSynchronous() {
        return synchronous;
    }

    public void setSynchronous(SynchronousSpec synchronous) {
        this.synchronous = synchronous;
    }

    public TlsSpec getTls() {
        return tls;
    }

    public void setTls(TlsSpec tls) {
        this.tls = tls;
    }
}
