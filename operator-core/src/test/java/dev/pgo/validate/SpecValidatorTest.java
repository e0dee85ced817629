package dev.pgo.validate;

import dev.pgo.api.v1.PgCluster;
import dev.pgo.api.v1.StorageSpec;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class SpecValidatorTest {

    /** A spec that uses every feature the validator checks, all of it correct. */
    static PgCluster validCluster() {
        var cluster = new PgCluster();
        cluster.getMetadata().setName("orders");
        cluster.getMetadata().setLabels(new LinkedHashMap<>(Map.of(
                "team", "dba",
                "app.kubernetes.io/part-of", "billing")));
        var spec = cluster.getSpec();
        spec.setInstances(3);
        spec.setPostgresVersion(17);
        spec.setStorage(new StorageSpec("10Gi"));
        var parameters = new LinkedHashMap<String, String>();
        parameters.put("max_connections", "200");
        parameters.put("shared_buffers", "256MB");
        parameters.put("auto_explain.log_min_duration", "250ms");
        parameters.put("search_path", "\"$user\", public");
        parameters.put("log_line_prefix", "%m [%p]\t%q%u@%d ");
        spec.setParameters(parameters);
        var users = new LinkedHashMap<String, List<String>>();
        users.put("app", new ArrayList<>(List.of("LOGIN", "CREATEDB")));
        users.put("reporting", new ArrayList<>(List.of("nologin", "inherit")));
        users.put("etl", new ArrayList<>());
        spec.setUsers(users);
        var databases = new LinkedHashMap<String, String>();
        databases.put("app", "app");
        databases.put("reports", "reporting");
        databases.put("scratch", "postgres");
        spec.setDatabases(databases);
        spec.setLabels(new LinkedHashMap<>(Map.of("example.com/cost-centre", "cc-42", "tier", "")));
        return cluster;
    }

    private static PgCluster validClusterWith(Consumer<PgCluster> change) {
        PgCluster cluster = validCluster();
        change.accept(cluster);
        return cluster;
    }

    private static Consumer<PgCluster> parameter(String name, String value) {
        return c -> c.getSpec().getParameters().put(name, value);
    }

    private static Consumer<PgCluster> user(String name, String... flags) {
        return c -> c.getSpec().getUsers().put(name, flags == null ? null : new ArrayList<>(Arrays.asList(flags)));
    }

    private static Consumer<PgCluster> database(String name, String owner) {
        return c -> c.getSpec().getDatabases().put(name, owner);
    }

    private static void assertSingleProblem(List<Problem> problems, String field, String... words) {
        assertEquals(1, problems.size(), () -> "expected exactly one problem on " + field + " but got " + problems);
        Problem problem = problems.getFirst();
        assertEquals(field, problem.field(), () -> "wrong field in " + problem);
        for (String word : words) {
            assertTrue(problem.message().contains(word),
                    () -> "message '" + problem.message() + "' should mention '" + word + "'");
        }
    }

    @Test
    void acceptsAFullyValidSpecWithoutProblems() {
        assertEquals(List.of(), SpecValidator.validate(validCluster()));
        assertDoesNotThrow(() -> SpecValidator.require(validCluster()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedSpecs")
    @DisplayName("refuses a spec with exactly one thing wrong, naming the field and saying why")
    void refusesASpecWithOneThingWrong(String behaviour, Consumer<PgCluster> change, String field, String[] words) {
        assertSingleProblem(SpecValidator.validate(validClusterWith(change)), field, words);
    }

    static Stream<Arguments> refusedSpecs() {
        return Stream.of(
                // cluster name
                arguments("refuses a cluster without a name",
                        (Consumer<PgCluster>) c -> c.getMetadata().setName(null),
                        "metadata.name", new String[]{"is required"}),
                arguments("refuses an empty cluster name",
                        (Consumer<PgCluster>) c -> c.getMetadata().setName(""),
                        "metadata.name", new String[]{"is required"}),
                arguments("refuses a cluster name of 41 characters",
                        (Consumer<PgCluster>) c -> c.getMetadata().setName("a".repeat(41)),
                        "metadata.name", new String[]{"41 characters", "at most 40"}),
                arguments("refuses an upper-case cluster name",
                        (Consumer<PgCluster>) c -> c.getMetadata().setName("Orders"),
                        "metadata.name", new String[]{"'Orders'", "not a valid name", "lower-case"}),
                arguments("refuses a cluster name starting with a digit",
                        (Consumer<PgCluster>) c -> c.getMetadata().setName("1orders"),
                        "metadata.name", new String[]{"not a valid name", "starting with a letter"}),
                arguments("refuses a cluster name ending with a dash",
                        (Consumer<PgCluster>) c -> c.getMetadata().setName("orders-"),
                        "metadata.name", new String[]{"not a valid name", "ending with a letter or digit"}),
                arguments("refuses a cluster name with an underscore",
                        (Consumer<PgCluster>) c -> c.getMetadata().setName("my_orders"),
                        "metadata.name", new String[]{"not a valid name"}),
                arguments("refuses a cluster name with a dot",
                        (Consumer<PgCluster>) c -> c.getMetadata().setName("my.orders"),
                        "metadata.name", new String[]{"not a valid name"}),
                arguments("refuses a cluster name that is a path",
                        (Consumer<PgCluster>) c -> c.getMetadata().setName("../etc"),
                        "metadata.name", new String[]{"not a valid name"}),
                arguments("refuses a spec without metadata",
                        (Consumer<PgCluster>) c -> c.setMetadata(null),
                        "metadata.name", new String[]{"is required"}),

                // instances
                arguments("refuses zero instances",
                        (Consumer<PgCluster>) c -> c.getSpec().setInstances(0),
                        "spec.instances", new String[]{"between 1 and 16", "not 0"}),
                arguments("refuses a negative instance count",
                        (Consumer<PgCluster>) c -> c.getSpec().setInstances(-2),
                        "spec.instances", new String[]{"between 1 and 16", "not -2"}),
                arguments("refuses 17 instances",
                        (Consumer<PgCluster>) c -> c.getSpec().setInstances(17),
                        "spec.instances", new String[]{"between 1 and 16", "not 17"}),

                // version
                arguments("refuses a spec without a PostgreSQL version",
                        (Consumer<PgCluster>) c -> c.getSpec().setPostgresVersion(null),
                        "spec.postgresVersion", new String[]{"is required"}),
                arguments("refuses PostgreSQL 12 as unsupported",
                        (Consumer<PgCluster>) c -> c.getSpec().setPostgresVersion(12),
                        "spec.postgresVersion", new String[]{"PostgreSQL 12 is not supported", "13 to 18"}),
                arguments("refuses PostgreSQL 19 as unsupported",
                        (Consumer<PgCluster>) c -> c.getSpec().setPostgresVersion(19),
                        "spec.postgresVersion", new String[]{"PostgreSQL 19 is not supported"}),
                arguments("refuses a minor-version-looking number such as 164",
                        (Consumer<PgCluster>) c -> c.getSpec().setPostgresVersion(164),
                        "spec.postgresVersion", new String[]{"164 is not supported"}),

                // storage
                arguments("refuses a spec without storage",
                        (Consumer<PgCluster>) c -> c.getSpec().setStorage(null),
                        "spec.storage.size", new String[]{"is required", "1Gi"}),
                arguments("refuses a blank storage size",
                        (Consumer<PgCluster>) c -> c.getSpec().setStorage(new StorageSpec("  ")),
                        "spec.storage.size", new String[]{"is required"}),
                arguments("refuses a storage size in words",
                        (Consumer<PgCluster>) c -> c.getSpec().setStorage(new StorageSpec("ten gigs")),
                        "spec.storage.size", new String[]{"'ten gigs' is not a size", "500Mi"}),
                arguments("refuses a storage size in GB (not a Kubernetes unit)",
                        (Consumer<PgCluster>) c -> c.getSpec().setStorage(new StorageSpec("10GB")),
                        "spec.storage.size", new String[]{"'10GB' is not a size"}),
                arguments("refuses a negative storage size",
                        (Consumer<PgCluster>) c -> c.getSpec().setStorage(new StorageSpec("-1Gi")),
                        "spec.storage.size", new String[]{"is not a size"}),
                arguments("refuses a storage size with a space before the unit",
                        (Consumer<PgCluster>) c -> c.getSpec().setStorage(new StorageSpec("1 Gi")),
                        "spec.storage.size", new String[]{"is not a size"}),
                arguments("refuses a zero storage size as too small",
                        (Consumer<PgCluster>) c -> c.getSpec().setStorage(new StorageSpec("0")),
                        "spec.storage.size", new String[]{"too small", "at least 16Mi"}),
                arguments("refuses 15Mi as too small",
                        (Consumer<PgCluster>) c -> c.getSpec().setStorage(new StorageSpec("15Mi")),
                        "spec.storage.size", new String[]{"15Mi is too small"}),
                arguments("refuses 16M (decimal megabytes, under 16Mi) as too small",
                        (Consumer<PgCluster>) c -> c.getSpec().setStorage(new StorageSpec("16M")),
                        "spec.storage.size", new String[]{"16M is too small"}),

                // parameters pgo owns
                arguments("refuses data_directory", parameter("data_directory", "/tmp/x"),
                        "spec.parameters.data_directory", new String[]{"cannot be set", "data directory"}),
                arguments("refuses port", parameter("port", "5433"),
                        "spec.parameters.port", new String[]{"cannot be set", "port"}),
                arguments("refuses listen_addresses", parameter("listen_addresses", "*"),
                        "spec.parameters.listen_addresses", new String[]{"cannot be set", "listen"}),
                arguments("refuses unix_socket_directories", parameter("unix_socket_directories", "/tmp"),
                        "spec.parameters.unix_socket_directories", new String[]{"cannot be set"}),
                arguments("refuses hba_file", parameter("hba_file", "/tmp/trust.conf"),
                        "spec.parameters.hba_file", new String[]{"cannot be set", "pg_hba.conf"}),
                arguments("refuses config_file", parameter("config_file", "/tmp/evil.conf"),
                        "spec.parameters.config_file", new String[]{"cannot be set"}),
                arguments("refuses primary_conninfo", parameter("primary_conninfo", "host=evil"),
                        "spec.parameters.primary_conninfo", new String[]{"cannot be set", "replicas"}),
                arguments("refuses primary_slot_name", parameter("primary_slot_name", "x"),
                        "spec.parameters.primary_slot_name", new String[]{"cannot be set"}),
                arguments("refuses wal_level", parameter("wal_level", "minimal"),
                        "spec.parameters.wal_level", new String[]{"cannot be set", "wal_level replica"}),
                arguments("refuses hot_standby", parameter("hot_standby", "off"),
                        "spec.parameters.hot_standby", new String[]{"cannot be set"}),
                arguments("refuses archive_command", parameter("archive_command", "rm -rf /"),
                        "spec.parameters.archive_command", new String[]{"cannot be set"}),
                arguments("refuses restore_command", parameter("restore_command", "cp %f %p"),
                        "spec.parameters.restore_command", new String[]{"cannot be set"}),
                arguments("refuses recovery_target_time", parameter("recovery_target_time", "2024-01-01"),
                        "spec.parameters.recovery_target_time", new String[]{"cannot be set", "restore"}),
                arguments("refuses cluster_name", parameter("cluster_name", "x"),
                        "spec.parameters.cluster_name", new String[]{"cannot be set"}),
                arguments("refuses synchronous_standby_names", parameter("synchronous_standby_names", "*"),
                        "spec.parameters.synchronous_standby_names", new String[]{"cannot be set"}),

                // parameter names and values
                arguments("refuses a parameter name with a dash", parameter("work-mem", "64MB"),
                        "spec.parameters.work-mem", new String[]{"is not a PostgreSQL parameter name"}),
                arguments("refuses a parameter name starting with a digit", parameter("1work_mem", "64MB"),
                        "spec.parameters.1work_mem", new String[]{"is not a PostgreSQL parameter name"}),
                arguments("refuses a parameter name with a space", parameter("work mem", "64MB"),
                        "spec.parameters.work mem", new String[]{"is not a PostgreSQL parameter name"}),
                arguments("refuses a parameter name that smuggles a second line",
                        parameter("work_mem = '1MB'\nport", "1"),
                        "spec.parameters.work_mem = '1MB'\\x0aport", new String[]{"is not a PostgreSQL parameter name"}),
                arguments("refuses a parameter name with two dots", parameter("a.b.c", "1"),
                        "spec.parameters.a.b.c", new String[]{"is not a PostgreSQL parameter name"}),
                arguments("refuses an empty parameter name", parameter("", "1"),
                        "spec.parameters.", new String[]{"is not a PostgreSQL parameter name"}),
                arguments("refuses an upper-case spelling of a forbidden parameter", parameter("PORT", "1"),
                        "spec.parameters.PORT", new String[]{}),
                arguments("refuses a value with a newline", parameter("work_mem", "64MB\nport = 1"),
                        "spec.parameters.work_mem", new String[]{"one line", "control characters"}),
                arguments("refuses a value with a carriage return", parameter("work_mem", "64MB\r"),
                        "spec.parameters.work_mem", new String[]{"control characters"}),
                arguments("refuses a value with a NUL", parameter("work_mem", "64MB\0"),
                        "spec.parameters.work_mem", new String[]{"control characters"}),
                arguments("refuses a value with an escape character", parameter("application_name", "\u001b[2J"),
                        "spec.parameters.application_name", new String[]{"control characters"}),
                arguments("refuses a parameter without a value", parameter("work_mem", null),
                        "spec.parameters.work_mem", new String[]{"needs a value"}),
                arguments("refuses a value longer than 4096 characters", parameter("application_name", "x".repeat(4097)),
                        "spec.parameters.application_name", new String[]{"longer than 4096"}),

                // roles
                arguments("refuses a role named postgres", user("postgres", "LOGIN"),
                        "spec.users.postgres", new String[]{"'postgres' is reserved", "pgo manages it"}),
                arguments("refuses a role named standby", user("standby"),
                        "spec.users.standby", new String[]{"'standby' is reserved", "pgo manages it"}),
                arguments("refuses a role named public", user("public"),
                        "spec.users.public", new String[]{"'public' is reserved"}),
                arguments("refuses a role named current_user", user("current_user"),
                        "spec.users.current_user", new String[]{"'current_user' is reserved"}),
                arguments("refuses a pg_ role", user("pg_monitor"),
                        "spec.users.pg_monitor", new String[]{"'pg_monitor' is reserved", "pg_ names belong to PostgreSQL"}),
                arguments("refuses a role named like SQL injection", user("x\"; drop table t; --", "LOGIN"),
                        "spec.users.x\"; drop table t; --", new String[]{"is not a valid role name", "lower-case"}),
                arguments("refuses a role name with a single quote", user("o'brien"),
                        "spec.users.o'brien", new String[]{"is not a valid role name"}),
                arguments("refuses an upper-case role name", user("App"),
                        "spec.users.App", new String[]{"'App' is not a valid role name"}),
                arguments("refuses a role name starting with a digit", user("1app"),
                        "spec.users.1app", new String[]{"not starting with a digit"}),
                arguments("refuses a role name with a dash", user("app-user"),
                        "spec.users.app-user", new String[]{"is not a valid role name"}),
                arguments("refuses an empty role name", user(""),
                        "spec.users.", new String[]{"a role needs a name"}),
                arguments("refuses a role name longer than 63 bytes", user("a".repeat(64)),
                        "spec.users." + "a".repeat(64), new String[]{"at most 63 bytes"}),
                arguments("refuses a 32-character role name that is 64 bytes in UTF-8", user("é".repeat(32)),
                        "spec.users." + "é".repeat(32), new String[]{"at most 63 bytes"}),
                arguments("refuses an unknown role flag", user("app", "LOGIN", "SUPERDUPER"),
                        "spec.users.app", new String[]{"unknown role flag 'SUPERDUPER'", "LOGIN", "NO<flag>"}),
                arguments("refuses SQL smuggled in as a role flag", user("app", "LOGIN PASSWORD 'x'"),
                        "spec.users.app", new String[]{"unknown role flag 'LOGIN PASSWORD 'x''"}),
                arguments("refuses a missing role flag", user("app", "LOGIN", null),
                        "spec.users.app", new String[]{"unknown role flag 'null'"}),
                arguments("refuses LOGIN together with NOLOGIN", user("app", "LOGIN", "NOLOGIN"),
                        "spec.users.app", new String[]{"sets both LOGIN and NOLOGIN"}),
                arguments("refuses createdb together with nocreatedb, whatever the case",
                        user("app", "nocreatedb", "CreateDB"),
                        "spec.users.app", new String[]{"sets both CREATEDB and NOCREATEDB"}),

                // databases
                arguments("refuses a database whose owner is not declared", database("app", "ghost"),
                        "spec.databases.app", new String[]{"owner 'ghost' is not one of spec.users", "postgres"}),
                arguments("refuses a database owned by the replication role", database("app", "standby"),
                        "spec.databases.app", new String[]{"owner 'standby' is not one of spec.users"}),
                arguments("refuses a database with an empty owner", database("app", ""),
                        "spec.databases.app", new String[]{"needs an owner role"}),
                arguments("refuses a database without an owner", database("app", null),
                        "spec.databases.app", new String[]{"needs an owner role"}),
                arguments("refuses a database named postgres", database("postgres", "app"),
                        "spec.databases.postgres", new String[]{"'postgres' already exists in every cluster", "reserved"}),
                arguments("refuses a database named template0", database("template0", "app"),
                        "spec.databases.template0", new String[]{"reserved"}),
                arguments("refuses a database named template1", database("template1", "app"),
                        "spec.databases.template1", new String[]{"reserved"}),
                arguments("refuses a database named like SQL injection", database("app\"; drop database x; --", "app"),
                        "spec.databases.app\"; drop database x; --", new String[]{"is not a valid database name"}),
                arguments("refuses a database name with a dash", database("my-db", "app"),
                        "spec.databases.my-db", new String[]{"'my-db' is not a valid database name"}),
                arguments("refuses a database name longer than 63 bytes", database("d".repeat(64), "app"),
                        "spec.databases." + "d".repeat(64), new String[]{"database names are at most 63 bytes"}),

                // labels
                arguments("refuses a metadata label key starting with a dash",
                        (Consumer<PgCluster>) c -> c.getMetadata().getLabels().put("-team", "dba"),
                        "metadata.labels", new String[]{"'-team' is not a valid label key"}),
                arguments("refuses a label key with two slashes",
                        (Consumer<PgCluster>) c -> c.getSpec().getLabels().put("a/b/c", "x"),
                        "spec.labels", new String[]{"'a/b/c' is not a valid label key"}),
                arguments("refuses a label key with a space",
                        (Consumer<PgCluster>) c -> c.getSpec().getLabels().put("cost centre", "x"),
                        "spec.labels", new String[]{"not a valid label key"}),
                arguments("refuses a label name part of 64 characters",
                        (Consumer<PgCluster>) c -> c.getSpec().getLabels().put("k".repeat(64), "x"),
                        "spec.labels", new String[]{"not a valid label key"}),
                arguments("refuses a label value of 64 characters",
                        (Consumer<PgCluster>) c -> c.getSpec().getLabels().put("team", "v".repeat(64)),
                        "spec.labels.team", new String[]{"is not a valid label value", "at most 63"}),
                arguments("refuses a label value with a space",
                        (Consumer<PgCluster>) c -> c.getMetadata().getLabels().put("team", "d b a"),
                        "metadata.labels.team", new String[]{"'d b a' is not a valid label value"}),
                arguments("refuses a label value ending with a dot",
                        (Consumer<PgCluster>) c -> c.getSpec().getLabels().put("team", "dba."),
                        "spec.labels.team", new String[]{"is not a valid label value"}),
                arguments("refuses a missing label value",
                        (Consumer<PgCluster>) c -> c.getSpec().getLabels().put("team", null),
                        "spec.labels.team", new String[]{"is not a valid label value"}),
                // TLS
                arguments("refuses ssl as a parameter, pointing at spec.tls",
                        (Consumer<PgCluster>) c -> c.getSpec().getParameters().put("ssl", "on"),
                        "spec.parameters.ssl", new String[]{"spec.tls"}),
                arguments("refuses a certificate file as a parameter",
                        (Consumer<PgCluster>) c -> c.getSpec().getParameters().put("ssl_key_file", "/tmp/k"),
                        "spec.parameters.ssl_key_file", new String[]{"spec.tls.secretName"}),
                arguments("refuses a Secret name that is a path",
                        (Consumer<PgCluster>) c -> c.getSpec().setTls(tls("../../etc/passwd")),
                        "spec.tls.secretName", new String[]{"'../../etc/passwd'", "is not a Secret name"}),
                arguments("refuses an upper-case Secret name",
                        (Consumer<PgCluster>) c -> c.getSpec().setTls(tls("MyCert")),
                        "spec.tls.secretName", new String[]{"is not a Secret name"}));
    }

    private static dev.pgo.api.v1.TlsSpec tls(String secretName) {
        var tls = new dev.pgo.api.v1.TlsSpec();
        tls.setSecretName(secretName);
        return tls;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("acceptedSpecs")
    @DisplayName("accepts values at the edges of what is allowed")
    void acceptsValuesAtTheEdges(String behaviour, Consumer<PgCluster> change) {
        assertEquals(List.of(), SpecValidator.validate(validClusterWith(change)));
    }

    static Stream<Arguments> acceptedSpecs() {
        return Stream.of(
                arguments("accepts a one-letter cluster name", (Consumer<PgCluster>) c -> c.getMetadata().setName("a")),
                arguments("accepts TLS with a certificate pgo makes", (Consumer<PgCluster>) c -> c.getSpec().setTls(tls(null))),
                arguments("accepts TLS with a cert-manager style Secret name",
                        (Consumer<PgCluster>) c -> c.getSpec().setTls(tls("orders.example.com-tls"))),
                arguments("accepts a 40-character cluster name",
                        (Consumer<PgCluster>) c -> c.getMetadata().setName("a".repeat(39) + "1")),
                arguments("accepts a cluster name with dashes and digits",
                        (Consumer<PgCluster>) c -> c.getMetadata().setName("orders-eu-2")),
                arguments("accepts a single instance", (Consumer<PgCluster>) c -> c.getSpec().setInstances(1)),
                arguments("accepts 16 instances", (Consumer<PgCluster>) c -> c.getSpec().setInstances(16)),
                arguments("accepts PostgreSQL 13", (Consumer<PgCluster>) c -> c.getSpec().setPostgresVersion(13)),
                arguments("accepts PostgreSQL 18", (Consumer<PgCluster>) c -> c.getSpec().setPostgresVersion(18)),
                arguments("accepts exactly 16Mi of storage",
                        (Consumer<PgCluster>) c -> c.getSpec().setStorage(new StorageSpec("16Mi"))),
                arguments("accepts fractional Gi of storage",
                        (Consumer<PgCluster>) c -> c.getSpec().setStorage(new StorageSpec("1.5Gi"))),
                arguments("accepts decimal G of storage",
                        (Consumer<PgCluster>) c -> c.getSpec().setStorage(new StorageSpec("10G"))),
                arguments("accepts a plain byte count of storage",
                        (Consumer<PgCluster>) c -> c.getSpec().setStorage(new StorageSpec("20000000"))),
                arguments("accepts a value with a tab", parameter("log_line_prefix", "%m\t%p ")),
                arguments("accepts a value of exactly 4096 characters", parameter("application_name", "x".repeat(4096))),
                arguments("accepts an empty value", parameter("shared_preload_libraries", "")),
                arguments("accepts values with quotes and backslashes", parameter("application_name", "it's a \\ test")),
                arguments("accepts an extension's dotted parameter", parameter("pg_stat_statements.max", "10000")),
                arguments("accepts lower-case flags and a flag repeated", user("app", "login", "LOGIN", " createdb ")),
                arguments("accepts a role without flags", user("app")),
                arguments("accepts a role with a null flag list", user("app", (String[]) null)),
                arguments("accepts a role name of exactly 63 bytes", user("a".repeat(63))),
                arguments("accepts a role named pgadmin (pg without underscore)", user("pgadmin")),
                arguments("accepts a database owned by postgres", database("app", "postgres")),
                arguments("accepts a label key with a DNS prefix",
                        (Consumer<PgCluster>) c -> c.getSpec().getLabels().put("pgo.dev/kind", "database")),
                arguments("accepts an empty label value",
                        (Consumer<PgCluster>) c -> c.getMetadata().getLabels().put("flag", "")),
                arguments("accepts no parameters, users, databases or labels at all", (Consumer<PgCluster>) c -> {
                    c.getMetadata().setLabels(null);
                    c.getSpec().setParameters(null);
                    c.getSpec().setUsers(null);
                    c.getSpec().setDatabases(null);
                    c.getSpec().setLabels(null);
                }));
    }

    @Test
    void refusesADatabaseOwnedByAnUndeclaredRoleWhenNoUsersAreDeclaredAtAll() {
        var problems = SpecValidator.validate(validClusterWith(c -> {
            c.getSpec().setUsers(null);
            c.getSpec().setDatabases(new LinkedHashMap<>(Map.of("app", "app")));
        }));
        assertSingleProblem(problems, "spec.databases.app", "owner 'app' is not one of spec.users");
    }

    @Test
    void refusesAReservedPgRoleWithoutAlsoCallingItsNameInvalid() {
        var problems = SpecValidator.validate(validClusterWith(user("pg_read_all_data")));
        assertSingleProblem(problems, "spec.users.pg_read_all_data", "reserved");
    }

    @Test
    void reportsEveryProblemAtOnce() {
        var problems = SpecValidator.validate(validClusterWith(c -> {
            c.getMetadata().setName("Bad_Name");
            c.getSpec().setInstances(0);
            c.getSpec().setPostgresVersion(9);
            c.getSpec().setStorage(new StorageSpec("lots"));
            c.getSpec().getParameters().put("port", "1");
            c.getSpec().getUsers().put("postgres", List.of("LOGIN"));
            c.getSpec().getDatabases().put("template1", "nobody");
        }));
        assertEquals(List.of("metadata.name", "spec.instances", "spec.postgresVersion", "spec.storage.size",
                        "spec.parameters.port", "spec.users.postgres", "spec.databases.template1",
                        "spec.databases.template1"),
                problems.stream().map(Problem::field).toList());
    }

    @Test
    void refusesASpecThatIsMissing() {
        var cluster = validCluster();
        cluster.setSpec(null);
        assertSingleProblem(SpecValidator.validate(cluster), "spec", "is required");
    }

    @Test
    void showsControlCharactersInANameAsEscapesSoTheTerminalIsNotRewritten() {
        var problems = SpecValidator.validate(validClusterWith(c -> c.getMetadata().setName("db\u001b[2J\u0007")));
        assertSingleProblem(problems, "metadata.name", "db\\x1b[2J\\x07", "not a valid name");
        assertFalse(problems.getFirst().message().contains("\u001b"), "raw escape character in the message");
    }

    @Test
    void shortensAVeryLongInvalidNameInTheMessage() {
        String name = "x\"".repeat(100);
        var problems = SpecValidator.validate(validClusterWith(user(name)));
        assertEquals(1, problems.size());
        assertTrue(problems.getFirst().field().endsWith("..."), problems.getFirst().field());
        assertTrue(problems.getFirst().field().length() < 120, problems.getFirst().field());
    }

    @Test
    void requireThrowsListingEveryProblemAndTheClusterName() {
        var cluster = validClusterWith(c -> {
            c.getSpec().setInstances(99);
            c.getSpec().getUsers().put("standby", List.of());
        });
        var e = assertThrows(InvalidSpecException.class, () -> SpecValidator.require(cluster));
        assertEquals(List.of("spec.instances", "spec.users.standby"),
                e.problems().stream().map(Problem::field).toList());
        assertTrue(e.getMessage().contains("PgCluster 'orders' is invalid"), e.getMessage());
        assertTrue(e.getMessage().contains("  - spec.instances: must be between 1 and 16"), e.getMessage());
        assertTrue(e.getMessage().contains("  - spec.users.standby: 'standby' is reserved"), e.getMessage());
        assertTrue(e.hint().contains("nothing was changed"), e.hint());
    }

    @Test
    void requireNamesAClusterWithoutANameAsSuch() {
        var e = assertThrows(InvalidSpecException.class,
                () -> SpecValidator.require(validClusterWith(c -> c.getMetadata().setName(null))));
        assertTrue(e.getMessage().startsWith("PgCluster (no name) is invalid"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "orders", "orders-2", "a1234567890123456789012345678901234567b"})
    void isValidClusterNameAcceptsGoodNames(String name) {
        assertTrue(SpecValidator.isValidClusterName(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Orders", "-a", "a-", "1a", "a_b", "a.b", "a/b", "..", "a b",
            "a12345678901234567890123456789012345678901"})
    void isValidClusterNameRefusesBadNames(String name) {
        assertFalse(SpecValidator.isValidClusterName(name));
    }

    @Test
    void isValidClusterNameRefusesNull() {
        assertFalse(SpecValidator.isValidClusterName(null));
    }

    // ---- regressions: each of these once failed ----

    @ParameterizedTest(name = "refuses config-file directive ''{0}'' given as a parameter")
    @ValueSource(strings = {"include", "include_dir", "include_if_exists"})
    void refusesConfigFileDirectivesGivenAsParameters(String directive) {
        var problems = SpecValidator.validate(validClusterWith(parameter(directive, "/tmp/evil.conf")));
        assertEquals(1, problems.size(), () -> "include directive accepted: " + problems);
        assertEquals("spec.parameters." + directive, problems.getFirst().field());
    }

    @Test
    void acceptsParameterNamesSpelledAsPgSettingsShowsThem() {
        assertEquals(List.of(), SpecValidator.validate(validClusterWith(parameter("TimeZone", "UTC"))));
    }

    @Test
    void refusesALabelKeyWhosePrefixIsLongerThan253Characters() {
        String prefix = String.join(".", List.of("a".repeat(60), "b".repeat(60), "c".repeat(60), "d".repeat(60),
                "e".repeat(60)));  // 304 characters
        var problems = SpecValidator.validate(validClusterWith(c -> c.getSpec().getLabels().put(prefix + "/k", "v")));
        assertSingleProblem(problems, "spec.labels", "not a valid label key");
    }

    private static Consumer<PgCluster> backups(String schedule, Integer keepLast, Integer keepDays) {
        return c -> {
            var b = new dev.pgo.api.v1.BackupSpec();
            b.setSchedule(schedule);
            b.setKeepLast(keepLast);
            b.setKeepDays(keepDays);
            c.getSpec().setBackups(b);
        };
    }

    private static Consumer<PgCluster> restore(String cluster, String backup, String volume, String path, String time) {
        return c -> {
            var r = new dev.pgo.api.v1.RestoreSpec();
            r.setCluster(cluster);
            r.setBackup(backup);
            r.setVolume(volume);
            r.setPath(path);
            r.setTargetTime(time);
            c.getSpec().setRestore(r);
        };
    }

    @Test
    void acceptsBackupPoliciesAndEachFormOfRestore() {
        assertEquals(List.of(), SpecValidator.validate(validClusterWith(backups("@daily", 7, 30))));
        assertEquals(List.of(), SpecValidator.validate(validClusterWith(
                restore("orders", "2026-01-31-02-00-00", null, null, "2026-01-31T14:05:00+01:00"))));
        assertEquals(List.of(), SpecValidator.validate(validClusterWith(
                restore(null, null, "foo-backups", "foo-backups/2017-03-21-15-57-21", null))));
    }

    @Test
    void refusesBadBackupPoliciesAndRestoresNamingTheField() {
        assertSingleProblem(SpecValidator.validate(validClusterWith(backups("0 25 * * *", null, null))),
                "spec.backups.schedule", "hour 25");
        assertSingleProblem(SpecValidator.validate(validClusterWith(backups(null, 0, null))), "spec.backups.keepLast");
        assertSingleProblem(SpecValidator.validate(validClusterWith(backups(null, null, -3))), "spec.backups.keepDays");
        assertSingleProblem(SpecValidator.validate(validClusterWith(restore(null, null, null, null, null))),
                "spec.restore", "either cluster");
        assertSingleProblem(SpecValidator.validate(validClusterWith(restore("orders", "yesterday", null, null, null))),
                "spec.restore.backup", "not a backup id");
        assertSingleProblem(SpecValidator.validate(validClusterWith(restore("orders", null, null, null, "last tuesday"))),
                "spec.restore.targetTime", "ISO-8601");
        assertSingleProblem(SpecValidator.validate(validClusterWith(
                restore(null, null, "foo-backups", "../etc/2017-03-21-15-57-21", null))), "spec.restore.path");
        assertSingleProblem(SpecValidator.validate(validClusterWith(restore(null, null, "foo-backups", null, null))),
                "spec.restore.path", "required");
    }

    private static Consumer<PgCluster> replication(int instances, Integer standbys, String method, Double delay) {
        return c -> {
            c.getSpec().setInstances(instances);
            if (standbys != null) {
                var synchronous = new dev.pgo.api.v1.SynchronousSpec();
                synchronous.setStandbys(standbys);
                synchronous.setMethod(method);
                c.getSpec().setSynchronous(synchronous);
            }
            var failover = new dev.pgo.api.v1.FailoverSpec();
            failover.setDelaySeconds(delay);
            c.getSpec().setFailover(failover);
        };
    }

    @Test
    void checksSynchronousReplicationAndTheFailoverDelay() {
        assertEquals(List.of(), SpecValidator.validate(validClusterWith(replication(3, 2, "priority", 0.5))));
        assertSingleProblem(SpecValidator.validate(validClusterWith(replication(1, 1, null, null))),
                "spec.synchronous.standbys", "needs replicas");
        assertSingleProblem(SpecValidator.validate(validClusterWith(replication(3, 3, null, null))),
                "spec.synchronous.standbys", "between 1 and 2");
        assertSingleProblem(SpecValidator.validate(validClusterWith(replication(3, 1, "all", null))),
                "spec.synchronous.method", "quorum or priority");
        assertSingleProblem(SpecValidator.validate(validClusterWith(replication(2, null, null, 0.0))),
                "spec.failover.delaySeconds");
    }
}
