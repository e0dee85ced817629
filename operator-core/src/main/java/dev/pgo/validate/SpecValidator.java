package dev.pgo.validate;

import dev.pgo.api.v1.PgCluster;
import dev.pgo.api.v1.PgClusterSpec;
import dev.pgo.sql.RoleFlag;
import io.fabric8.kubernetes.api.model.Quantity;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a PgCluster before anything acts on it, with messages a DBA understands. Platform-neutral:
 * whether a version's binaries or images exist is the platform's question.
 */
public final class SpecValidator {
    public static final int MIN_INSTANCES = 1;
    public static final int MAX_INSTANCES = 16;
    public static final int MIN_VERSION = 13;
    public static final int MAX_VERSION = 18;
    /** Instance names add "-NN" and PVC names "pgdata-", which must stay within Kubernetes' 63. */
    public static final int MAX_NAME_LENGTH = 40;
    private static final long MIN_STORAGE_BYTES = 16L * 1024 * 1024;

    private static final Pattern CLUSTER_NAME = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
    /** A Kubernetes object name (DNS subdomain); on the local platform also a file name. */
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("(?=.{1,253}$)[a-z0-9]([-a-z0-9.]*[a-z0-9])?");
    private static final Pattern SQL_NAME = Pattern.compile("[a-z_][a-z0-9_]*");
    /** PostgreSQL matches parameter names case-insensitively (pg_settings shows TimeZone, DateStyle). */
    private static final Pattern PARAMETER_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");
    private static final Pattern QUANTITY = Pattern.compile("([0-9]+(\\.[0-9]+)?)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?");
    private static final Pattern LABEL_KEY = Pattern.compile(
            "([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
    private static final Pattern LABEL_VALUE = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?");

    /** Roles pgo itself owns: the superuser and the replication user. */
    public static final String SUPERUSER = "postgres";
    public static final String REPLICATION_USER = "standby";
    private static final Set<String> RESERVED_ROLES = Set.of(SUPERUSER, REPLICATION_USER, "public", "none",
            "current_user", "session_user", "current_role");
    private static final Set<String> RESERVED_DATABASES = Set.of("postgres", "template0", "template1");

    /** Settings pgo manages itself; a spec that sets them would break the instance or its replication. */
    private static final Map<String, String> FORBIDDEN_PARAMETERS = Map.ofEntries(
            Map.entry("data_directory", "pgo places the data directory on the instance's volume"),
            Map.entry("config_file", "pgo writes the configuration files"),
            Map.entry("hba_file", "pgo writes pg_hba.conf"),
            Map.entry("ident_file", "pgo writes the configuration files"),
            Map.entry("external_pid_file", "pgo tracks the server process itself"),
            Map.entry("port", "pgo assigns each instance's port"),
            Map.entry("listen_addresses", "pgo decides where instances listen"),
            Map.entry("unix_socket_directories", "pgo decides where instances listen"),
            Map.entry("primary_conninfo", "pgo points replicas at the primary"),
            Map.entry("primary_slot_name", "pgo gives each replica its replication slot"),
            Map.entry("restore_command", "pgo sets it when it restores a backup"),
            Map.entry("archive_command", "pgo archives WAL into the backup repository"),
            Map.entry("archive_mode", "pgo archives WAL into the backup repository"),
            Map.entry("recovery_target", "recovery targets belong to a restore, not to a running cluster"),
            Map.entry("recovery_target_time", "recovery targets belong to a restore, not to a running cluster"),
            Map.entry("recovery_target_lsn", "recovery targets belong to a restore, not to a running cluster"),
            Map.entry("recovery_target_xid", "recovery targets belong to a restore, not to a running cluster"),
            Map.entry("recovery_target_name", "recovery targets belong to a restore, not to a running cluster"),
            Map.entry("promote_trigger_file", "pgo promotes replicas itself"),
            Map.entry("hot_standby", "replicas must accept read-only queries"),
            Map.entry("wal_level", "replication needs wal_level replica or higher; pgo sets it"),
            Map.entry("synchronous_standby_names", "set spec.synchronous instead (standbys, method)"),
            Map.entry("cluster_name", "pgo names each instance"),
            Map.entry("ssl", "set spec.tls instead"),
            Map.entry("ssl_cert_file", "set spec.tls.secretName instead"),
            Map.entry("ssl_key_file", "set spec.tls.secretName instead"),
            Map.entry("ssl_ca_file", "set spec.tls.secretName instead"),
            Map.entry("include", "configuration files cannot be included from a spec"),
            Map.entry("include_dir", "configuration files cannot be included from a spec"),
            Map.entry("include_if_exists", "configuration files cannot be included from a spec"));

    private SpecValidator() {
    }

    /** Throws {@link InvalidSpecException} listing every problem, or returns quietly. */
    public static void require(PgCluster cluster) {
        List<Problem> problems = validate(cluster);
        if (!problems.isEmpty()) {
            String name = cluster.getMetadata() == null ? null : cluster.getMetadata().getName();
            throw new InvalidSpecException("PgCluster " + (name == null ? "(no name)" : "'" + name + "'"), problems);
        }
    }

    public static List<Problem> validate(PgCluster cluster) {
        var problems = new ArrayList<Problem>();
        if (cluster.getMetadata() == null) {
            problems.add(new Problem("metadata.name", "is required"));
        } else {
            checkClusterName(cluster.getMetadata().getName(), problems);
            checkLabels("metadata.labels", cluster.getMetadata().getLabels(), problems);
        }
        PgClusterSpec spec = cluster.getSpec();
        if (spec == null) {
            problems.add(new Problem("spec", "is required"));
            return problems;
        }
        if (spec.getInstances() < MIN_INSTANCES || spec.getInstances() > MAX_INSTANCES) {
            problems.add(new Problem("spec.instances", "must be between " + MIN_INSTANCES + " and " + MAX_INSTANCES
                    + " (1 is a standalone database, more is a primary with replicas), not " + spec.getInstances()));
        }
        checkVersion(spec.getPostgresVersion(), problems);
        checkStorage(spec.getStorage() == null ? null : spec.getStorage().getSize(), problems);
        checkImage(spec.getImage(), problems);
        checkResources(spec.getResources(), problems);
        checkParameters(spec.getParameters(), problems);
        checkUsers(spec.getUsers(), problems);
        checkDatabases(spec, problems);
        checkBackups(spec.getBackups(), problems);
        checkRestore(spec.getRestore(), problems);
        checkFailover(spec.getFailover(), problems);
        checkSynchronous(spec, problems);
        checkTls(spec.getTls(), problems);
        checkLabels("spec.labels", spec.getLabels(), problems);
        return problems;
    }

    private static void checkBackups(dev.pgo.api.v1.BackupSpec backups, List<Problem> problems) {
        if (backups == null) {
            return;
        }
        if (backups.getSchedule() != null) {
            try {
                dev.pgo.backup.CronSchedule.parse(backups.getSchedule()).next(java.time.Instant.now());
            } catch (IllegalArgumentException e) {
                problems.add(new Problem("spec.backups.schedule", "'" + printable(backups.getSchedule()) + "' "
                        + e.getMessage()));
            }
        }
        if (backups.getKeepLast() != null && (backups.getKeepLast() < 1 || backups.getKeepLast() > 10_000)) {
            problems.add(new Problem("spec.backups.keepLast", "must be between 1 and 10000, not " + backups.getKeepLast()));
        }
        if (backups.getKeepDays() != null && (backups.getKeepDays() < 1 || backups.getKeepDays() > 36_500)) {
            problems.add(new Problem("spec.backups.keepDays", "must be between 1 and 36500, not " + backups.getKeepDays()));
        }
        if (backups.getStorage() != null) {
            var sizeProblems = new ArrayList<Problem>();
            checkStorage(backups.getStorage().getSize(), sizeProblems);
            sizeProblems.forEach(p -> problems.add(new Problem("spec.backups.storage.size", p.message())));
        }
    }

    private static void checkTls(dev.pgo.api.v1.TlsSpec tls, List<Problem> problems) {
        String secret = tls == null ? null : tls.getSecretName();
        if (secret != null && !DNS_SUBDOMAIN.matcher(secret).matches()) {
            problems.add(new Problem("spec.tls.secretName", "'" + printable(secret)
                    + "' is not a Secret name (lower-case letters, digits, '-' and '.', at most 253)"));
        }
    }

    private static void checkFailover(dev.pgo.api.v1.FailoverSpec failover, List<Problem> problems) {
        Double delay = failover == null ? null : failover.getDelaySeconds();
        if (delay != null && (delay.isNaN() || delay < 0.1 || delay > 3600)) {
            problems.add(new Problem("spec.failover.delaySeconds", "must be between 0.1 and 3600, not " + delay));
        }
    }

    private static void checkSynchronous(PgClusterSpec spec, List<Problem> problems) {
        var synchronous = spec.getSynchronous();
        if (synchronous == null) {
            return;
        }
        int replicas = spec.getInstances() - 1;
        if (synchronous.getStandbys() < 1 || synchronous.getStandbys() > replicas) {
            problems.add(new Problem("spec.synchronous.standbys", replicas < 1
                    ? "needs replicas: set spec.instances to 2 or more"
                    : "must be between 1 and " + replicas + " (instances - 1), not " + synchronous.getStandbys()));
        }
        String method = synchronous.getMethod();
        if (method != null && !method.equals(dev.pgo.api.v1.SynchronousSpec.QUORUM)
                && !method.equals(dev.pgo.api.v1.SynchronousSpec.PRIORITY)) {
            problems.add(new Problem("spec.synchronous.method", "must be quorum or priority, not '" + printable(method) + "'"));
        }
    }

    private static void checkRestore(dev.pgo.api.v1.RestoreSpec restore, List<Problem> problems) {
        if (restore == null) {
            return;
        }
        boolean byCluster = restore.getCluster() != null;
        boolean byPath = restore.getVolume() != null || restore.getPath() != null;
        if (byCluster == byPath) {
            problems.add(new Problem("spec.restore", "name either cluster (its backups) or volume and path (a backup)"));
        }
        if (byCluster && !isValidClusterName(restore.getCluster())) {
            problems.add(new Problem("spec.restore.cluster", "'" + printable(restore.getCluster()) + "' is not a cluster name"));
        }
        if (byPath && (restore.getVolume() == null || !isValidClusterName(restore.getVolume().replace('.', '-')))) {
            problems.add(new Problem("spec.restore.volume", "a volume (PVC) name is required with path"));
        }
        if (byPath && restore.getBackup() != null) {
            problems.add(new Problem("spec.restore.backup", "the path names the backup already"));
        }
        if (restore.getPath() != null) {
            try {
                dev.pgo.backup.RestorePoint.idOfPath(restore.getPath());
            } catch (dev.pgo.PgoException e) {
                problems.add(new Problem("spec.restore.path", e.getMessage() + "; " + e.hint()));
            }
        } else if (byPath) {
            problems.add(new Problem("spec.restore.path", "is required with volume, e.g. mycluster-backups/2026-01-31-02-00-00"));
        }
        if (restore.getBackup() != null && !dev.pgo.backup.BackupIds.isId(restore.getBackup())) {
            problems.add(new Problem("spec.restore.backup", "'" + printable(restore.getBackup())
                    + "' is not a backup id (YYYY-MM-DD-HH-MM-SS)"));
        }
        try {
            dev.pgo.backup.RestorePoint.parseTime(restore.getTargetTime());
        } catch (dev.pgo.PgoException e) {
            problems.add(new Problem("spec.restore.targetTime", e.getMessage() + "; " + e.hint()));
        }
    }

    /**
     * Problems with changing an existing cluster's spec into {@code desired}: a major version
     * change would need pg_upgrade, which pgo does not do, so it is refused rather than breaking
     * the data directory.
     */
    public static List<Problem> validateUpdate(PgCluster existing, PgCluster desired) {
        var problems = new ArrayList<Problem>();
        Integer before = existing.getSpec().getPostgresVersion();
        Integer after = desired.getSpec() == null ? null : desired.getSpec().getPostgresVersion();
        if (before != null && after != null && !before.equals(after)) {
            problems.add(new Problem("spec.postgresVersion", "cannot change from " + before + " to " + after
                    + " on an existing cluster; create a new cluster and move the data with pg_dump or a restore"));
        }
        return problems;
    }

    /** Whether a name could be a cluster's; used to refuse odd names before touching storage. */
    public static boolean isValidClusterName(String name) {
        return name != null && name.length() <= MAX_NAME_LENGTH && CLUSTER_NAME.matcher(name).matches();
    }

    static void checkClusterName(String name, List<Problem> problems) {
        if (name == null || name.isEmpty()) {
            problems.add(new Problem("metadata.name", "is required"));
        } else if (name.length() > MAX_NAME_LENGTH) {
            problems.add(new Problem("metadata.name", "'" + printable(name) + "' is " + name.length()
                    + " characters; at most " + MAX_NAME_LENGTH + " are allowed"));
        } else if (!CLUSTER_NAME.matcher(name).matches()) {
            problems.add(new Problem("metadata.name", "'" + printable(name) + "' is not a valid name: use lower-case "
                    + "letters, digits and '-', starting with a letter and ending with a letter or digit"));
        }
    }

    private static void checkVersion(Integer version, List<Problem> problems) {
        if (version == null) {
            problems.add(new Problem("spec.postgresVersion", "is required"));
        } else if (version < MIN_VERSION || version > MAX_VERSION) {
            problems.add(new Problem("spec.postgresVersion", "PostgreSQL " + version + " is not supported; use "
                    + MIN_VERSION + " to " + MAX_VERSION));
        }
    }

    private static void checkStorage(String size, List<Problem> problems) {
        if (size == null || size.isBlank()) {
            problems.add(new Problem("spec.storage.size", "is required, e.g. 1Gi"));
            return;
        }
        if (!QUANTITY.matcher(size).matches()) {
            problems.add(new Problem("spec.storage.size", "'" + printable(size) + "' is not a size; write a number "
                    + "with an optional unit such as 500Mi, 1Gi or 10G"));
            return;
        }
        BigDecimal bytes = Quantity.getAmountInBytes(new Quantity(size));
        if (bytes.compareTo(BigDecimal.valueOf(MIN_STORAGE_BYTES)) < 0) {
            problems.add(new Problem("spec.storage.size", size + " is too small; PostgreSQL needs at least 16Mi"));
        }
    }

    private static final Pattern RESOURCE_QUANTITY =
            Pattern.compile("([0-9]+(\\.[0-9]+)?)(m|Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?");
    private static final Pattern IMAGE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/:@-]{0,254}");

    private static void checkImage(String image, List<Problem> problems) {
        if (image != null && !IMAGE.matcher(image).matches()) {
            problems.add(new Problem("spec.image", "'" + printable(image) + "' is not a container image reference,"
                    + " e.g. postgres:17 or registry.example.com/postgres@sha256:..."));
        }
    }

    private static void checkResources(io.fabric8.kubernetes.api.model.ResourceRequirements resources,
                                       List<Problem> problems) {
        if (resources == null) {
            return;
        }
        checkQuantities("spec.resources.requests", resources.getRequests(), problems);
        checkQuantities("spec.resources.limits", resources.getLimits(), problems);
    }

    private static void checkQuantities(String field, Map<String, Quantity> quantities, List<Problem> problems) {
        if (quantities == null) {
            return;
        }
        quantities.forEach((name, quantity) -> {
            if (!name.equals("cpu") && !name.equals("memory")) {
                problems.add(new Problem(field + "." + printable(name), "only cpu and memory can be set"));
            } else if (quantity == null || !RESOURCE_QUANTITY.matcher(quantity.toString()).matches()) {
                problems.add(new Problem(field + "." + name, "'" + printable(String.valueOf(quantity))
                        + "' is not a quantity, e.g. 500m or 2 for cpu, 512Mi or 2Gi for memory"));
            }
        });
    }

    private static void checkParameters(Map<String, String> parameters, List<Problem> problems) {
        if (parameters == null) {
            return;
        }
        parameters.forEach((name, value) -> {
            String field = "spec.parameters." + printable(name);
            String lower = name == null ? "" : name.toLowerCase(Locale.ROOT);
            if (name == null || !PARAMETER_NAME.matcher(name).matches()) {
                problems.add(new Problem(field, "is not a PostgreSQL parameter name"));
            } else if (FORBIDDEN_PARAMETERS.containsKey(lower)) {
                problems.add(new Problem(field, "cannot be set: " + FORBIDDEN_PARAMETERS.get(lower)));
            } else if (value == null) {
                problems.add(new Problem(field, "needs a value (remove the parameter to keep PostgreSQL's default)"));
            } else if (value.chars().anyMatch(c -> c < 0x20 && c != '\t')) {
                problems.add(new Problem(field, "value must be on one line with no control characters"));
            } else if (value.length() > 4096) {
                problems.add(new Problem(field, "value is longer than 4096 characters"));
            }
        });
    }

    private static void checkUsers(Map<String, List<String>> users, List<Problem> problems) {
        if (users == null) {
            return;
        }
        users.forEach((name, flags) -> {
            String field = "spec.users." + printable(name);
            checkSqlName(field, "role", name, problems);
            if (RESERVED_ROLES.contains(name) || name.startsWith("pg_")) {
                problems.add(new Problem(field, "'" + name + "' is reserved"
                        + (name.startsWith("pg_") ? " (pg_ names belong to PostgreSQL)" : " (pgo manages it)")));
            }
            var seen = new EnumMap<RoleFlag, Boolean>(RoleFlag.class);
            for (String word : flags == null ? List.<String>of() : flags) {
                var setting = word == null ? java.util.Optional.<RoleFlag.Setting>empty() : RoleFlag.parse(word);
                if (setting.isEmpty()) {
                    problems.add(new Problem(field, "unknown role flag '" + printable(String.valueOf(word))
                            + "'; use LOGIN, CREATEDB, CREATEROLE, SUPERUSER, REPLICATION, BYPASSRLS, INHERIT or NO<flag>"));
                    continue;
                }
                Boolean before = seen.put(setting.get().flag(), setting.get().on());
                if (before != null && before != setting.get().on()) {
                    problems.add(new Problem(field, "sets both " + setting.get().flag().keyword(true) + " and "
                            + setting.get().flag().keyword(false)));
                }
            }
        });
    }

    private static void checkDatabases(PgClusterSpec spec, List<Problem> problems) {
        if (spec.getDatabases() == null) {
            return;
        }
        spec.getDatabases().forEach((name, owner) -> {
            String field = "spec.databases." + printable(name);
            checkSqlName(field, "database", name, problems);
            if (RESERVED_DATABASES.contains(name)) {
                problems.add(new Problem(field, "'" + name + "' already exists in every cluster and is reserved"));
            }
            if (owner == null || owner.isEmpty()) {
                problems.add(new Problem(field, "needs an owner role"));
            } else if (!owner.equals(SUPERUSER) && (spec.getUsers() == null || !spec.getUsers().containsKey(owner))) {
                problems.add(new Problem(field, "owner '" + printable(owner) + "' is not one of spec.users"
                        + " (or postgres)"));
            }
        });
    }

    private static void checkSqlName(String field, String what, String name, List<Problem> problems) {
        if (name == null || name.isEmpty()) {
            problems.add(new Problem(field, "a " + what + " needs a name"));
        } else if (name.getBytes(StandardCharsets.UTF_8).length > 63) {
            problems.add(new Problem(field, what + " names are at most 63 bytes in PostgreSQL"));
        } else if (!SQL_NAME.matcher(name).matches()) {
            problems.add(new Problem(field, "'" + printable(name) + "' is not a valid " + what + " name: use lower-case "
                    + "letters, digits and '_', not starting with a digit"));
        }
    }

    private static void checkLabels(String field, Map<String, String> labels, List<Problem> problems) {
        if (labels == null) {
            return;
        }
        labels.forEach((key, value) -> {
            if (key == null || !labelKeyLengthsOk(key) || !LABEL_KEY.matcher(key).matches()) {
                problems.add(new Problem(field, "'" + printable(String.valueOf(key)) + "' is not a valid label key"));
            } else if (value == null || !LABEL_VALUE.matcher(value).matches()) {
                problems.add(new Problem(field + "." + key, "'" + printable(String.valueOf(value))
                        + "' is not a valid label value (at most 63 letters, digits, '-', '_', '.')"));
            }
        });
    }

    /** A label key is an optional DNS prefix of at most 253 characters, a slash, and a name of at most 63. */
    private static boolean labelKeyLengthsOk(String key) {
        int slash = key.indexOf('/');
        String prefix = slash < 0 ? "" : key.substring(0, slash);
        String name = slash < 0 ? key : key.substring(slash + 1);
        return prefix.length() <= 253 && name.length() <= 63;
    }

    /** Shows control characters as escapes so an error message cannot rewrite the terminal. */
    static String printable(String s) {
        var out = new StringBuilder();
        s.codePoints().limit(80).forEach(cp -> {
            if (cp < 0x20 || cp == 0x7f) {
                out.append(String.format(Locale.ROOT, "\\x%02x", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return s.codePointCount(0, s.length()) > 80 ? out + "..." : out.toString();
    }
}
