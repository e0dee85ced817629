package dev.pgo.postgres;

import dev.pgo.api.v1.InstanceNames;
import dev.pgo.api.v1.PgClusterSpec;
import dev.pgo.api.v1.SynchronousSpec;
import dev.pgo.sql.Conninfo;
import dev.pgo.sql.Endpoint;
import dev.pgo.sql.SqlQuote;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The configuration pgo writes for one instance (pgo.conf, included from postgresql.conf): the
 * user's parameters, then what pgo needs for replication and listening, which the user cannot
 * override. A pure function of the spec and the instance's place, so it can be compared as text.
 */
public final class ServerConfig {
    public static final String FILE_NAME = "pgo.conf";

    private ServerConfig() {
    }

    /**
     * Where the instance listens, for a replica whom it follows, and where it archives WAL (the
     * backup repository's wal directory as the server sees it; none when null).
     */
    public record Placement(String instance, String listenAddress, int port, Standby standby, String archiveDir,
                            ServerTls tls) {
        public Placement(String instance, String listenAddress, int port, Standby standby) {
            this(instance, listenAddress, port, standby, null, null);
        }
    }

    /**
     * A replica's upstream: where it is (and the authority its certificate is checked against),
     * who logs in (the password in a passfile) and the slot.
     */
    public record Standby(Endpoint primary, String user, String passfile, String slot) {
    }

    /** The server's certificate and key files when the cluster speaks TLS. */
    public record ServerTls(String certificateFile, String keyFile) {
    }

    public static String render(PgClusterSpec spec, Placement placement) {
        var settings = clusterSettings(spec, InstanceNames.clusterOf(placement.instance()),
                placement.listenAddress(), placement.port());
        archiveSettings(settings, placement.archiveDir());
        tlsSettings(settings, placement.tls());
        settings.putAll(instanceSettings(placement));
        return "# Written by pgo for " + placement.instance() + "; edits are replaced on the next reconcile.\n"
                + lines(settings);
    }

    /**
     * The settings every pod of a cluster shares (Kubernetes, where one ConfigMap serves all
     * pods): listening on all addresses of the pod on 5432. What differs per instance (its name,
     * whom a replica follows) the bootstrap script writes into {@value #INSTANCE_FILE_NAME}, which
     * postgresql.conf includes after this file. WAL is archived into {@code archiveDir}, the
     * backup volume's wal directory as the pods mount it.
     */
    public static String renderShared(PgClusterSpec spec, String cluster, String archiveDir, ServerTls tls) {
        var settings = clusterSettings(spec, cluster, "*", POD_PORT);
        archiveSettings(settings, archiveDir);
        tlsSettings(settings, tls);
        return "# Written by pgo; edits are replaced on the next reconcile.\n" + lines(settings);
    }

    /**
     * TLS on, with the given files, or explicitly off: a parameter the user set in postgresql.conf
     * by hand must not turn it on with files pgo does not manage.
     */
    static void tlsSettings(Map<String, String> settings, ServerTls tls) {
        settings.put("ssl", tls == null ? "off" : "on");
        if (tls != null) {
            settings.put("ssl_cert_file", tls.certificateFile());
            settings.put("ssl_key_file", tls.keyFile());
            settings.put("ssl_min_protocol_version", "TLSv1.2");
        }
    }

    private static void archiveSettings(Map<String, String> settings, String archiveDir) {
        if (archiveDir != null) {
            settings.putIfAbsent("archive_timeout", "5min");
            settings.put("archive_mode", "on");
            settings.put("archive_command", archiveCommand(archiveDir));
        }
    }

    public static final String INSTANCE_FILE_NAME = "pgo-instance.conf";
    public static final int POD_PORT = 5432;

    private static LinkedHashMap<String, String> clusterSettings(PgClusterSpec spec, String cluster, String listen,
                                                                 int port) {
        var settings = new LinkedHashMap<String, String>();
        if (spec.getParameters() != null) {
            // PostgreSQL folds parameter names to lower case; so does pgo, so one name is one line.
            spec.getParameters().forEach((name, value) -> settings.put(name.toLowerCase(java.util.Locale.ROOT), value));
        }
        int replicas = Math.max(spec.getInstances() - 1, 0);
        settings.putIfAbsent("max_wal_senders", String.valueOf(Math.max(10, replicas + 5)));
        settings.putIfAbsent("max_replication_slots", String.valueOf(Math.max(10, replicas + 5)));
        settings.putIfAbsent("wal_keep_size", "128MB");
        settings.putIfAbsent("password_encryption", "scram-sha-256");
        // Below: owned by pgo. The validator refuses these names in a spec; putting them last
        // also means a later line wins should one slip through.
        settings.put("listen_addresses", listen);
        settings.put("port", String.valueOf(port));
        settings.put("unix_socket_directories", "");
        settings.put("wal_level", "replica");
        settings.put("hot_standby", "on");
        if (spec.getSynchronous() != null) {
            settings.put("synchronous_standby_names", synchronousStandbyNames(spec, cluster));
        }
        return settings;
    }

    /**
     * Every instance of the cluster by name (replicas connect with their instance name as
     * application_name; the primary never counts itself). Naming them, rather than '*', keeps
     * a backup's WAL stream from ever confirming a commit.
     */
    static String synchronousStandbyNames(PgClusterSpec spec, String cluster) {
        SynchronousSpec synchronous = spec.getSynchronous();
        var names = InstanceNames.instances(cluster, spec.getInstances()).stream().map(SqlQuote::identifier).toList();
        return (synchronous.priority() ? "FIRST " : "ANY ") + synchronous.getStandbys()
                + " (" + String.join(", ", names) + ")";
    }

    private static LinkedHashMap<String, String> instanceSettings(Placement placement) {
        var settings = new LinkedHashMap<String, String>();
        settings.put("cluster_name", placement.instance());
        if (placement.standby() != null) {
            Standby s = placement.standby();
            settings.put("primary_conninfo", "host=" + s.primary().host() + " port=" + s.primary().port()
                    + " user=" + s.user() + " passfile=" + Conninfo.value(s.passfile())
                    + " application_name=" + placement.instance() + " " + s.primary().conninfoSsl());
            settings.put("primary_slot_name", s.slot());
        }
        return settings;
    }

    /**
     * Copies a finished WAL segment into the archive directory, and only once that directory
     * exists: the first base backup makes it, and WAL older than the first backup is of no use.
     * A segment archived before is accepted again only if identical (after a crash PostgreSQL
     * may offer it twice). The copy is flushed to disk before it takes its final name.
     */
    static String archiveCommand(String archiveDir) {
        String dir = shellWord(archiveDir);
        return "d=" + dir + "; [ -d \"$d\" ] || exit 0; if [ -f \"$d/%f\" ]; then cmp -s \"%p\" \"$d/%f\"; "
                + "else cp \"%p\" \"$d/%f.part\" && sync \"$d/%f.part\" && mv \"$d/%f.part\" \"$d/%f\"; fi";
    }

    /** The command a restoring server fetches archived segments with. */
    public static String restoreCommand(String archiveDir) {
        String dir = shellWord(archiveDir);
        return "cp " + dir + "/\"%f\" \"%p\"";
    }

    /** A path as one shell word inside a PostgreSQL command setting, where % must be doubled. */
    private static String shellWord(String path) {
        return "'" + path.replace("'", "'\\''").replace("%", "%%") + "'";
    }

    /** Settings as postgresql.conf lines. */
    public static String settingsText(Map<String, String> settings) {
        return lines(settings);
    }

    private static String lines(Map<String, String> settings) {
        return settings.entrySet().stream()
                .map(e -> e.getKey() + " = " + quote(e.getValue()))
                .collect(Collectors.joining("\n", "", "\n"));
    }

    /** A postgresql.conf string value: single-quoted, quotes and backslashes escaped. */
    static String quote(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    /**
     * The host-based authentication rules: SCRAM over TCP from the given addresses only, and
     * with {@code tls} only over TLS (hostssl), so a client that does not encrypt is refused.
     */
    public static String hba(String replicationUser, List<String> clientNetworks, boolean tls) {
        String type = tls ? "hostssl" : "host   ";
        var out = new StringBuilder("# Written by pgo; edits are replaced on the next reconcile.\n");
        out.append("# TYPE  DATABASE     USER      ADDRESS          METHOD\n");
        clientNetworks.forEach(network -> {
            out.append(String.format("%s replication  %-9s %-16s scram-sha-256%n", type, replicationUser, network));
            out.append(String.format("%s all          all       %-16s scram-sha-256%n", type, network));
        });
        return out.toString();
    }
}
