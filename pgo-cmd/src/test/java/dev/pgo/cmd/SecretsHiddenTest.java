package dev.pgo.cmd;

import com.googlecode.lanterna.input.KeyType;
import dev.pgo.testing.CapturedStderr;
import dev.pgo.testing.TempPgoHome;
import dev.pgo.tui.VirtualScreen;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static dev.pgo.cmd.PgoRun.pgo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Promises about secrets, checked after a full scenario on the local platform with real
 * PostgreSQL (a cluster with a login role, a backup, a restore into a new database, a
 * switchover, a refused command, the dashboard): no password appears in any command's default
 * output or errors, in the log, in a manifest or status file, in a server log or on the
 * dashboard; every file that holds one is its owner's alone; the servers take SCRAM-SHA-256
 * logins only and keep only SCRAM verifiers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecretsHiddenTest {
    private static final List<String> ROLES = List.of("postgres", "standby", "app");

    private TempPgoHome home;
    private Path root;
    /** What each command printed, by command line. */
    private final Map<String, String> outputs = new LinkedHashMap<>();
    private final List<String> dashboard = new ArrayList<>();
    private String logged;
    private List<String> passwords;
    private List<String> privateKeys;
    private String revealed;

    @BeforeAll
    void scenario() throws Exception {
        home = new TempPgoHome();
        root = home.root();
        Path manifest = root.resolve("shop.yaml");
        Files.writeString(manifest, """
                apiVersion: pgo.dev/v1
                kind: PgCluster
                metadata:
                  name: shop
                spec:
                  instances: 2
                  users:
                    app: [CREATEDB]
                  databases:
                    orders: app
                  tls: {}
                """);
        try (var stderr = new CapturedStderr()) {
            run("apply", "-f", manifest.toString());
            run("show", "cluster", "shop");
            run("show", "cluster", "shop", "-o", "yaml");
            run("show", "cluster", "shop", "-o", "json");
            run("show", "cluster", "all");
            run("show", "pvc", "all", "-o", "json");
            run("create", "backup", "shop");
            run("show", "backup", "shop", "-o", "json");
            run("switchover", "shop");
            run("create", "database", "copy", "--restore-from", "shop");
            run("show", "database", "copy", "-o", "yaml");
            outputs.put("create cluster shop (again, refused)", pgo(root, "create", "cluster", "shop").toString());
            var screen = new VirtualScreen(160, 40);
            try (var running = TestDashboard.open(root, screen, false)) {
                screen.await("the clusters", t -> t.contains("shop") && t.contains("copy"));
                dashboard.add(screen.text());
                screen.press(KeyType.Enter);
                screen.await("a cluster's details", t -> t.contains("Password:"));
                dashboard.add(screen.text());
                screen.press(KeyType.Escape);
                for (String view : List.of("[PVCs]", "[Backups]", "[Events]")) {
                    screen.press(KeyType.Tab);
                    screen.await("the " + view + " view", t -> t.contains(view));
                    dashboard.add(screen.text());
                }
            }
            revealed = pgo(root, "show", "cluster", "shop", "--show-secrets").out();
            logged = stderr.text();
        }
        passwords = new ArrayList<>();
        for (String cluster : List.of("shop", "copy")) {
            for (String role : ROLES) {
                home.platform().secrets().get(cluster, role).ifPresent(c -> passwords.add(c.password()));
            }
        }
        // the private keys of shop's certificate and its authority, by a line of their base64
        privateKeys = new ArrayList<>();
        for (String file : List.of("tls-server.yaml", "tls-authority.yaml")) {
            String text = Files.readString(root.resolve("secrets/shop").resolve(file));
            var secret = dev.pgo.manifest.Manifests.readAs(text, io.fabric8.kubernetes.api.model.Secret.class, file);
            privateKeys.add(secret.getStringData().get("tls.key").lines().skip(1).findFirst().orElseThrow());
        }
    }

    @AfterAll
    void tearDown() {
        home.close();
    }

    private void run(String... args) {
        PgoRun run = pgo(root, args);
        assertEquals(0, run.exit(), run.toString());
        outputs.put(String.join(" ", args), run.out() + run.err());
    }

    private void assertNoPassword(String where, String text) {
        for (String password : passwords) {
            assertFalse(text.contains(password), "a password appears in " + where);
        }
        for (String key : privateKeys) {
            assertFalse(text.contains(key), "a private key appears in " + where);
        }
    }

    @Test
    void theScanFindsAPasswordWhereOneIsAskedFor() {
        assertEquals(ROLES.size() * 2, passwords.size(), "every role of both clusters has a password");
        assertTrue(passwords.stream().allMatch(p -> p.length() >= 20), "generated passwords are long");
        // --show-secrets prints them on purpose: what the other tests look for is really there to find
        assertTrue(revealed.contains(home.platform().secrets().get("shop", "postgres").orElseThrow().password()));
    }

    @Test
    void noCommandPrintsAPasswordByDefaultNorInAnError() {
        assertTrue(outputs.get("create cluster shop (again, refused)").contains("exit 1"));
        outputs.forEach((command, text) -> assertNoPassword("the output of pgo " + command, text));
    }

    @Test
    void theLogHoldsNoPassword() {
        assertFalse(logged.isEmpty());
        assertNoPassword("the log", logged);
    }

    @Test
    void theDashboardShowsNoPasswordUntilAskedTo() {
        assertEquals(5, dashboard.size());
        assertTrue(dashboard.get(1).contains("(hidden; p shows it)"), dashboard.get(1));
        for (String frame : dashboard) {
            assertNoPassword("the dashboard", frame);
        }
    }

    /**
     * Every file under $PGO_HOME but PostgreSQL's own data directories: manifests, status,
     * server logs, backup catalogs and manifests. Those that hold a password are the Secrets
     * and the replication passfiles, readable by their owner only, in directories only the
     * owner can enter.
     */
    @Test
    void onlySecretFilesHoldAPasswordAndOnlyTheirOwnerCanReadThem() throws IOException {
        var holding = new ArrayList<Path>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).filter(f -> !insideDataDirectory(f)).toList()) {
                String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                if (passwords.stream().anyMatch(text::contains) || privateKeys.stream().anyMatch(text::contains)) {
                    holding.add(file);
                }
            }
        }
        assertFalse(holding.isEmpty());
        assertTrue(holding.stream().anyMatch(f -> f.endsWith("tls/server.key")), "the scan finds the server's key");
        for (Path file : holding) {
            String relative = root.relativize(file).toString();
            assertTrue(relative.startsWith("secrets/") || file.getFileName().toString().contains("pgpass")
                            || relative.matches("volumes/pgdata-shop-[0-9]+/tls/server.key"),
                    "only Secrets, passfiles and the server's key file hold secrets, not " + relative);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)), relative);
            Set<PosixFilePermission> dir = Files.getPosixFilePermissions(file.getParent());
            assertTrue(dir.stream().allMatch(p -> p.name().startsWith("OWNER_")),
                    "the directory of " + relative + " is " + PosixFilePermissions.toString(dir));
        }
    }

    private boolean insideDataDirectory(Path file) {
        for (Path p = file.getParent(); p != null && !p.equals(root); p = p.getParent()) {
            if (Files.exists(p.resolve("PG_VERSION"))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void theServersTakeScramLoginsOnlyAndKeepOnlyScramVerifiers() throws Exception {
        for (String cluster : List.of("shop", "copy")) {
            try (var c = home.connectToPrimary(cluster); var st = c.createStatement()) {
                try (var rs = st.executeQuery("SELECT type, auth_method, coalesce(address, '') FROM pg_hba_file_rules"
                        + " WHERE error IS NULL")) {
                    int rules = 0;
                    while (rs.next()) {
                        rules++;
                        String rule = rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3);
                        assertEquals("scram-sha-256", rs.getString(2), cluster + ": " + rule);
                        assertTrue(rs.getString(1).startsWith("host"), cluster + ": no Unix socket line: " + rule);
                        assertTrue(List.of("127.0.0.1", "::1").contains(rs.getString(3)),
                                cluster + ": local addresses only on this platform: " + rule);
                    }
                    assertTrue(rules > 0);
                }
                try (var rs = st.executeQuery("SELECT current_setting('password_encryption'),"
                        + " (SELECT count(*) FROM pg_authid WHERE rolpassword IS NOT NULL"
                        + " AND rolpassword NOT LIKE 'SCRAM-SHA-256$%'),"
                        + " (SELECT count(*) FROM pg_authid WHERE rolpassword LIKE 'SCRAM-SHA-256$%')")) {
                    rs.next();
                    assertEquals("scram-sha-256", rs.getString(1), cluster);
                    assertEquals(0, rs.getInt(2), cluster + ": a password kept other than as a SCRAM verifier");
                    assertTrue(rs.getInt(3) >= ROLES.size(), cluster + ": every login role has a SCRAM verifier");
                }
            }
        }
    }
}
