package dev.pgo.postgres;

import dev.pgo.api.v1.PgClusterSpec;
import dev.pgo.postgres.ServerConfig.Placement;
import dev.pgo.postgres.ServerConfig.Standby;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServerConfigTest {
    private static final Placement PRIMARY = new Placement("orders-0", "127.0.0.1", 15440, null);
    private static final Placement REPLICA = new Placement("orders-1", "127.0.0.1", 5433,
            new Standby(new dev.pgo.sql.Endpoint("127.0.0.1", 15440), "standby", "/var/lib/pgo/orders-1/.pgpass", "orders_1"));

    private static PgClusterSpec spec(int instances, Map<String, String> parameters) {
        var spec = new PgClusterSpec();
        spec.setInstances(instances);
        spec.setPostgresVersion(17);
        spec.setParameters(new LinkedHashMap<>(parameters));
        return spec;
    }

    /** The setting lines of a rendered file, name to raw (still quoted) value, in file order. */
    private static LinkedHashMap<String, String> settings(String conf) {
        var out = new LinkedHashMap<String, String>();
        for (String line : conf.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf(" = ");
            assertTrue(eq > 0, () -> "not a setting line: " + line);
            String name = line.substring(0, eq);
            assertFalse(out.containsKey(name), () -> "setting written twice: " + name);
            out.put(name, line.substring(eq + 3));
        }
        return out;
    }

    /** Reads a postgresql.conf quoted value back as PostgreSQL's GUC scanner would. */
    private static String unquote(String quoted) {
        assertTrue(quoted.length() >= 2 && quoted.startsWith("'") && quoted.endsWith("'"), quoted);
        var out = new StringBuilder();
        String body = quoted.substring(1, quoted.length() - 1);
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '\\') {
                out.append(body.charAt(++i));
            } else if (c == '\'') {
                assertEquals('\'', body.charAt(++i), () -> "lone quote ends the value early in " + quoted);
                out.append('\'');
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static int lineIndex(String conf, String name) {
        return List.copyOf(settings(conf).keySet()).indexOf(name);
    }

    @Test
    void startsWithAHeaderNamingTheInstance() {
        String conf = ServerConfig.render(spec(1, Map.of()), PRIMARY);
        assertTrue(conf.startsWith("# Written by pgo for orders-0;"), conf);
        assertTrue(conf.endsWith("\n"), conf);
    }

    @Test
    void writesTheUsersParametersQuoted() {
        var conf = settings(ServerConfig.render(spec(1, Map.of("max_connections", "200", "work_mem", "64MB",
                "auto_explain.log_min_duration", "250ms")), PRIMARY));
        assertEquals("'200'", conf.get("max_connections"));
        assertEquals("'64MB'", conf.get("work_mem"));
        assertEquals("'250ms'", conf.get("auto_explain.log_min_duration"));
    }

    @ParameterizedTest(name = "value [{0}] survives quoting")
    @ValueSource(strings = {"it's", "a\\b", "\\'", "'; port = 1; x = '", "\"$user\", public", "C:\\dir\\",
            "''", "\\\\", "%m [%p] ", "grüße ✓", ""})
    void escapesQuotesAndBackslashesSoTheValueReadsBackUnchanged(String value) {
        var conf = settings(ServerConfig.render(spec(1, Map.of("application_name", value)), PRIMARY));
        assertEquals(value, unquote(conf.get("application_name")));
        assertEquals("'15440'", conf.get("port"), "the value broke out of its quotes");
    }

    @ParameterizedTest(name = "{0} is written as {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            it's            | 'it''s'
            a\\b            | 'a\\\\b'
            \\'             | '\\\\'''
            """)
    void escapesQuotesByDoublingAndBackslashesByDoubling(String value, String written) {
        assertEquals(written, settings(ServerConfig.render(spec(1, Map.of("x.y", value)), PRIMARY)).get("x.y"));
    }

    @Test
    void withTlsTheServerUsesItsFilesAndAReplicaVerifiesItsPrimary() {
        var tls = new ServerConfig.ServerTls("/v/tls/server.crt", "/v/tls/server.key");
        var replica = new Placement("orders-1", "127.0.0.1", 5433, new Standby(new dev.pgo.sql.Endpoint("127.0.0.1",
                15440, java.nio.file.Path.of("/v/my tls/ca.crt")), "standby", "/v/pgpass", "orders_1"), null, tls);
        var settings = settings(ServerConfig.render(spec(2, Map.of()), replica));
        assertEquals("'on'", settings.get("ssl"));
        assertEquals("'/v/tls/server.crt'", settings.get("ssl_cert_file"));
        assertEquals("'/v/tls/server.key'", settings.get("ssl_key_file"));
        assertEquals("'TLSv1.2'", settings.get("ssl_min_protocol_version"));
        String conninfo = settings.get("primary_conninfo");
        assertTrue(conninfo.contains(" sslmode=verify-ca sslrootcert=''/v/my tls/ca.crt'' sslcert="), conninfo);
        assertFalse(conninfo.contains("sslmode=disable"), conninfo);
    }

    @Test
    void withTlsEveryHbaRuleIsHostsslSoPlainConnectionsMatchNone() {
        String hba = ServerConfig.hba("standby", List.of("0.0.0.0/0", "::/0"), true);
        var rules = hba.lines().filter(l -> !l.startsWith("#")).toList();
        assertEquals(4, rules.size());
        assertTrue(rules.stream().allMatch(l -> l.startsWith("hostssl ") && l.endsWith("scram-sha-256")), hba);
    }

    @Test
    void writesThePgoOwnedSettingsLastAndWithPgosValues() {
        String conf = ServerConfig.render(spec(3, Map.of("work_mem", "64MB", "max_connections", "200")), PRIMARY);
        var lines = List.copyOf(settings(conf).keySet());
        assertEquals(List.of("listen_addresses", "port", "unix_socket_directories", "wal_level", "hot_standby",
                "ssl", "cluster_name"), lines.subList(lines.size() - 7, lines.size()));
        assertEquals("'off'", settings(conf).get("ssl"), "off unless spec.tls: a hand-set ssl = on cannot slip in");
        assertTrue(lineIndex(conf, "work_mem") < lineIndex(conf, "listen_addresses"));
        assertTrue(lineIndex(conf, "max_connections") < lineIndex(conf, "listen_addresses"));
        var settings = settings(conf);
        assertEquals("'127.0.0.1'", settings.get("listen_addresses"));
        assertEquals("'15440'", settings.get("port"));
        assertEquals("''", settings.get("unix_socket_directories"));
        assertEquals("'replica'", settings.get("wal_level"));
        assertEquals("'on'", settings.get("hot_standby"));
        assertEquals("'orders-0'", settings.get("cluster_name"));
    }

    @Test
    void overridesPgoOwnedSettingsThatSlipIntoTheSpec() {
        var conf = settings(ServerConfig.render(spec(2, Map.of("port", "1", "wal_level", "minimal",
                "listen_addresses", "*", "hot_standby", "off", "cluster_name", "evil")), PRIMARY));
        assertEquals("'15440'", conf.get("port"));
        assertEquals("'replica'", conf.get("wal_level"));
        assertEquals("'127.0.0.1'", conf.get("listen_addresses"));
        assertEquals("'on'", conf.get("hot_standby"));
        assertEquals("'orders-0'", conf.get("cluster_name"));
    }

    @ParameterizedTest(name = "{0} instances get max_wal_senders and max_replication_slots {1}")
    @CsvSource({"1, 10", "3, 10", "6, 10", "7, 11", "16, 20"})
    void sizesReplicationSendersAndSlotsForTheReplicas(int instances, int expected) {
        var conf = settings(ServerConfig.render(spec(instances, Map.of()), PRIMARY));
        assertEquals("'" + expected + "'", conf.get("max_wal_senders"));
        assertEquals("'" + expected + "'", conf.get("max_replication_slots"));
    }

    @Test
    void keepsTheUsersChoiceForDefaultsPgoOnlySuggests() {
        var conf = settings(ServerConfig.render(spec(2, Map.of("max_wal_senders", "30", "wal_keep_size", "1GB",
                "password_encryption", "scram-sha-256")), PRIMARY));
        assertEquals("'30'", conf.get("max_wal_senders"));
        assertEquals("'1GB'", conf.get("wal_keep_size"));
        assertEquals("'10'", conf.get("max_replication_slots"));
    }

    @Test
    void defaultsToScramPasswords() {
        var conf = settings(ServerConfig.render(spec(1, Map.of()), PRIMARY));
        assertEquals("'scram-sha-256'", conf.get("password_encryption"));
        assertEquals("'128MB'", conf.get("wal_keep_size"));
    }

    @Test
    void rendersWithoutAnyParameters() {
        var spec = spec(1, Map.of());
        spec.setParameters(null);
        var conf = settings(ServerConfig.render(spec, PRIMARY));
        assertEquals("'15440'", conf.get("port"));
    }

    @Test
    void writesNoStandbySettingsForThePrimary() {
        String conf = ServerConfig.render(spec(3, Map.of()), PRIMARY);
        assertFalse(conf.contains("primary_conninfo"), conf);
        assertFalse(conf.contains("primary_slot_name"), conf);
    }

    @Test
    void pointsAReplicaAtThePrimaryThroughItsSlot() {
        var conf = settings(ServerConfig.render(spec(3, Map.of()), REPLICA));
        assertEquals("host=127.0.0.1 port=15440 user=standby passfile=/var/lib/pgo/orders-1/.pgpass "
                + "application_name=orders-1 sslmode=disable", unquote(conf.get("primary_conninfo")));
        assertEquals("'orders_1'", conf.get("primary_slot_name"));
        assertEquals("'5433'", conf.get("port"));
        assertEquals("'orders-1'", conf.get("cluster_name"));
        assertFalse(conf.get("primary_conninfo").contains("password"), "no password in the configuration");
        var names = List.copyOf(conf.keySet());
        assertEquals(List.of("primary_conninfo", "primary_slot_name"), names.subList(names.size() - 2, names.size()));
    }

    @Test
    void quotesAPassfileWithSpacesAndQuotesInsideTheConninfo() {
        var replica = new Placement("orders-1", "127.0.0.1", 5433,
                new Standby(new dev.pgo.sql.Endpoint("127.0.0.1", 15440), "standby", "/home/my dir/it's\\pass", "orders_1"));
        String conninfo = unquote(settings(ServerConfig.render(spec(2, Map.of()), replica)).get("primary_conninfo"));
        assertTrue(conninfo.contains(" passfile='/home/my dir/it\\'s\\\\pass' application_name=orders-1"), conninfo);
    }

    @Test
    void refusesEveryoneButScramInTheHbaFile() {
        String hba = ServerConfig.hba("standby", List.of("127.0.0.1/32", "::1/128"), false);
        assertFalse(hba.toLowerCase().contains("trust"), hba);
        assertFalse(hba.contains("md5"), hba);
        assertFalse(hba.contains(" password"), hba);
        var rules = hba.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        assertEquals(4, rules.size(), hba);
        for (String rule : rules) {
            assertTrue(rule.startsWith("host "), () -> "only TCP rules expected: " + rule);
            assertTrue(rule.endsWith(" scram-sha-256"), () -> "rule without scram-sha-256: " + rule);
        }
    }

    @Test
    void allowsReplicationOnlyToTheReplicationUserFromEachNetwork() {
        String hba = ServerConfig.hba("standby", List.of("127.0.0.1/32", "::1/128"), false);
        var rules = hba.lines().filter(l -> !l.startsWith("#")).map(l -> List.of(l.trim().split("\\s+"))).toList();
        assertEquals(List.of(
                List.of("host", "replication", "standby", "127.0.0.1/32", "scram-sha-256"),
                List.of("host", "all", "all", "127.0.0.1/32", "scram-sha-256"),
                List.of("host", "replication", "standby", "::1/128", "scram-sha-256"),
                List.of("host", "all", "all", "::1/128", "scram-sha-256")), rules);
    }

    @Test
    void writesNoRulesForNoNetworks() {
        String hba = ServerConfig.hba("standby", List.of(), false);
        assertEquals(0, hba.lines().filter(l -> !l.startsWith("#")).count(), hba);
    }

    @Test
    void rendersTheSameTextForTheSameInputs() {
        var parameters = new LinkedHashMap<String, String>();
        parameters.put("b_setting", "2");
        parameters.put("a_setting", "1");
        assertEquals(ServerConfig.render(spec(2, parameters), REPLICA), ServerConfig.render(spec(2, parameters), REPLICA));
        var order = List.copyOf(settings(ServerConfig.render(spec(2, parameters), REPLICA)).keySet());
        assertEquals(List.of("b_setting", "a_setting"), order.subList(0, 2), "the user's order is kept");
    }

    /** Runs an archive_command as PostgreSQL would: %p and %f substituted, through sh, in the data directory. */
    private static int archive(String command, java.nio.file.Path pgdata, String segment) throws Exception {
        String shell = command.replace("%p", "pg_wal/" + segment).replace("%f", segment).replace("%%", "%");
        Process p = new ProcessBuilder("sh", "-c", shell).directory(pgdata.toFile()).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor();
    }

    @Test
    void theArchiveCommandCopiesOnceTheRepositoryExistsAndRefusesADifferentSegmentOfTheSameName() throws Exception {
        java.nio.file.Path root = java.nio.file.Files.createTempDirectory("archive test's %dir");
        try {
            java.nio.file.Path pgdata = java.nio.file.Files.createDirectories(root.resolve("pgdata/pg_wal"))
                    .getParent();
            java.nio.file.Path wal = root.resolve("repo/wal");
            String conf = ServerConfig.render(spec(1, Map.of()), new Placement("orders-0", "127.0.0.1", 15440, null,
                    wal.toString(), null));
            var lines = settings(conf);
            assertEquals("'on'", lines.get("archive_mode"));
            assertEquals("'5min'", lines.get("archive_timeout"));
            String command = lines.get("archive_command");
            // undo postgresql.conf quoting: quotes and backslashes are doubled inside '...'
            command = command.substring(1, command.length() - 1).replace("''", "'").replace("\\\\", "\\");
            String segment = "000000010000000000000003";
            java.nio.file.Files.writeString(pgdata.resolve("pg_wal/" + segment), "segment three");

            assertEquals(0, archive(command, pgdata, segment), "no repository yet: accepted, nothing kept");
            assertFalse(java.nio.file.Files.exists(wal));
            java.nio.file.Files.createDirectories(wal);
            assertEquals(0, archive(command, pgdata, segment));
            assertEquals("segment three", java.nio.file.Files.readString(wal.resolve(segment)));
            assertEquals(0, archive(command, pgdata, segment), "the same segment again is fine");
            java.nio.file.Files.writeString(pgdata.resolve("pg_wal/" + segment), "something else");
            assertTrue(archive(command, pgdata, segment) != 0, "a different segment of the same name is refused");
            assertEquals("segment three", java.nio.file.Files.readString(wal.resolve(segment)));
        } finally {
            dev.pgo.FileTrees.delete(root);
        }
    }

    @Test
    void noArchiveSettingsWithoutARepository() {
        var lines = settings(ServerConfig.render(spec(1, Map.of()), PRIMARY));
        assertFalse(lines.containsKey("archive_mode"));
        assertFalse(lines.containsKey("archive_command"));
    }

    @org.junit.jupiter.api.Test
    void synchronousReplicationNamesEveryInstanceQuoted() {
        var spec = new dev.pgo.api.v1.PgClusterSpec();
        spec.setInstances(3);
        var synchronous = new dev.pgo.api.v1.SynchronousSpec();
        synchronous.setStandbys(1);
        spec.setSynchronous(synchronous);
        org.junit.jupiter.api.Assertions.assertEquals("ANY 1 (\"ha-0\", \"ha-1\", \"ha-2\")",
                ServerConfig.synchronousStandbyNames(spec, "ha"));
        synchronous.setMethod("priority");
        org.junit.jupiter.api.Assertions.assertTrue(ServerConfig.renderShared(spec, "ha", null, null)
                .contains("synchronous_standby_names = 'FIRST 1 (\"ha-0\", \"ha-1\", \"ha-2\")'"));
    }
}
