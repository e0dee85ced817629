package dev.pgo.cmd.create;

import dev.pgo.PgoException;
import dev.pgo.api.v1.ClusterKind;
import dev.pgo.api.v1.PgCluster;
import dev.pgo.api.v1.PgClusterSpec;
import dev.pgo.api.v1.RestoreSpec;
import dev.pgo.api.v1.StorageSpec;
import dev.pgo.api.v1.TlsSpec;
import dev.pgo.cmd.ClientConfig;
import dev.pgo.cmd.SubmitOptions;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Options shared by `create cluster` and `create database`. */
public final class ClusterOptions {
    @Option(names = "--storage", paramLabel = "SIZE", description = "Volume size per instance, e.g. 1Gi, 500Mi (default 1Gi).")
    String storage;

    @Option(names = "--version", paramLabel = "MAJOR", description = "PostgreSQL major version (default: the newest installed).")
    Integer version;

    @Option(names = "--user", paramLabel = "NAME[=FLAG,...]",
            description = "A role to create, with flags such as LOGIN,CREATEDB (repeatable). LOGIN unless NOLOGIN.")
    List<String> users = List.of();

    @Option(names = "--database-name", paramLabel = "NAME=OWNER", description = "A database to create and its owner (repeatable).")
    List<String> databases = List.of();

    @Option(names = "--parameter", paramLabel = "NAME=VALUE", description = "A postgresql.conf parameter (repeatable).")
    List<String> parameters = List.of();

    @Option(names = "--label", paramLabel = "KEY=VALUE", description = "A label on the cluster (repeatable).")
    List<String> labels = List.of();

    @Option(names = "--restore-from", paramLabel = "CLUSTER",
            description = "Restore the data from CLUSTER's backups instead of starting empty (to its last archived WAL "
                    + "unless --backup or --to-time says otherwise).")
    String restoreFrom;

    @Option(names = "--backup", paramLabel = "ID", description = "With --restore-from: the backup to restore, as it ended.")
    String backup;

    @Option(names = "--to-time", paramLabel = "TIMESTAMP",
            description = "With --restore-from: recover every transaction committed up to this moment (ISO-8601, "
                    + "e.g. 2026-01-31T14:05:00Z), none after.")
    String toTime;

    @Option(names = "--backup-pvc", paramLabel = "PVC", description = "Restore from a backup in this volume (with --backup-path).")
    String backupPvc;

    @Option(names = "--backup-path", paramLabel = "PATH",
            description = "The backup directory in --backup-pvc, e.g. mycluster-backups/2026-01-31-02-00-00.")
    String backupPath;

    @Option(names = "--tls", description = "Encrypt client and replication connections with a certificate pgo makes; "
            + "connections without TLS are refused. Clients verify with the cluster's ca.crt.")
    boolean tls;

    @Option(names = "--tls-secret", paramLabel = "SECRET",
            description = "Encrypt with your own certificate: a Secret with tls.crt, tls.key and ca.crt "
                    + "(on the local platform $PGO_HOME/secrets/SECRET.yaml). Implies --tls.")
    String tlsSecret;

    @Mixin
    SubmitOptions submit;

    /** The TLS the options ask for, or null for none. */
    TlsSpec tlsSpec() {
        if (!tls && tlsSecret == null) {
            return null;
        }
        var spec = new TlsSpec();
        spec.setSecretName(tlsSecret);
        return spec;
    }

    /** The restore the options ask for, or null when the cluster starts empty. */
    RestoreSpec restore() {
        if (restoreFrom == null && backupPvc == null && backupPath == null) {
            if (backup != null || toTime != null) {
                throw new PgoException("--backup and --to-time go with --restore-from",
                        "e.g. pgo create cluster copy --restore-from mycluster --to-time 2026-01-31T14:05:00Z");
            }
            return null;
        }
        if (restoreFrom != null && (backupPvc != null || backupPath != null)) {
            throw new PgoException("--restore-from and --backup-pvc/--backup-path name two sources; give one");
        }
        if (restoreFrom == null && (backupPvc == null || backupPath == null)) {
            throw new PgoException("--backup-pvc and --backup-path go together",
                    "e.g. --backup-pvc=mycluster-backups --backup-path=mycluster-backups/2026-01-31-02-00-00");
        }
        var restore = new RestoreSpec();
        restore.setCluster(restoreFrom);
        restore.setBackup(backup);
        restore.setVolume(backupPvc);
        restore.setPath(backupPath);
        restore.setTargetTime(toTime);
        return restore;
    }

    PgCluster toCluster(String name, ClusterKind kind, int instances) {
        var spec = new PgClusterSpec();
        spec.setInstances(instances);
        spec.setPostgresVersion(version);
        spec.setStorage(new StorageSpec(storage != null ? storage : ClientConfig.load().defaultStorage()));
        spec.setParameters(pairs("--parameter", parameters));
        var userMap = new LinkedHashMap<String, List<String>>();
        for (String user : users) {
            int eq = user.indexOf('=');
            String role = eq < 0 ? user : user.substring(0, eq);
            List<String> flags = eq < 0 || eq == user.length() - 1 ? List.of()
                    : Arrays.stream(user.substring(eq + 1).split(",")).map(String::trim).toList();
            userMap.put(role, flags);
        }
        spec.setUsers(userMap);
        spec.setDatabases(pairs("--database-name", databases));
        spec.setRestore(restore());
        spec.setTls(tlsSpec());
        var labelMap = new LinkedHashMap<String, String>(pairs("--label", labels));
        labelMap.put(PgCluster.KIND_LABEL, kind.label());
        var cluster = new PgCluster();
        cluster.setMetadata(new ObjectMetaBuilder().withName(name).withLabels(labelMap).build());
        cluster.setSpec(spec);
        return cluster;
    }

    private static Map<String, String> pairs(String option, List<String> values) {
        var map = new LinkedHashMap<String, String>();
        for (String value : values) {
            int eq = value.indexOf('=');
            if (eq <= 0) {
                throw new PgoException(option + " expects NAME=VALUE, got '" + value + "'");
            }
            map.put(value.substring(0, eq), value.substring(eq + 1));
        }
        return map;
    }
}
