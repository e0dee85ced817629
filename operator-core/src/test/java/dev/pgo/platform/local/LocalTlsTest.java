package dev.pgo.platform.local;

import dev.pgo.api.v1.InstanceStatus;
import dev.pgo.api.v1.PgCluster;
import dev.pgo.api.v1.PgClusterStatus;
import dev.pgo.api.v1.TlsSpec;
import dev.pgo.manifest.Manifests;
import dev.pgo.process.ProcessRunner;
import dev.pgo.process.ServerUser;
import dev.pgo.sql.Credentials;
import dev.pgo.testing.Clusters;
import dev.pgo.testing.Eventually;
import dev.pgo.testing.LocalClusters;
import dev.pgo.testing.TempPgoHome;
import dev.pgo.tls.CertificateIssuer;
import dev.pgo.tls.TlsKeyPair;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * spec.tls on the local platform with real PostgreSQL servers: connections that do not encrypt
 * are refused, clients verify the server (pgjdbc and libpq's psql), replicas stream over TLS,
 * and TLS can be turned off, on with a user's certificate, without losing a row.
 */
class LocalTlsTest {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private LocalClusters clusters;
    private TempPgoHome home;

    @BeforeEach
    void setUp() {
        clusters = new LocalClusters();
        home = clusters.home();
    }

    @AfterEach
    void tearDown() {
        clusters.close();
    }

    private PgClusterStatus apply(PgCluster cluster) {
        return clusters.apply(cluster, TIMEOUT);
    }

    private static PgCluster withTls(PgCluster cluster, String secretName) {
        var tls = new TlsSpec();
        tls.setSecretName(secretName);
        cluster.getSpec().setTls(tls);
        return cluster;
    }

    private Credentials superuser(String cluster) {
        return home.platform().secrets().get(cluster, "postgres").orElseThrow();
    }

    private static InstanceStatus primary(PgClusterStatus status) {
        return status.getInstances().stream().filter(i -> i.getName().equals(status.getPrimary())).findFirst()
                .orElseThrow();
    }

    private Connection connect(String cluster, String host, int port, String ssl) throws SQLException {
        Credentials su = superuser(cluster);
        return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/postgres?connectTimeout=5&"
                + ssl, su.username(), su.password());
    }

    private static String verifyFull(Path authority) {
        return "sslmode=verify-full&sslrootcert=" + authority;
    }

    private Path clientAuthority(String cluster) {
        return home.root().resolve("secrets").resolve(cluster).resolve("ca.crt");
    }

    private static String query(Connection connection, String sql) throws SQLException {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void aTlsClusterRefusesPlainConnectionsVerifiesAndReplicatesOverTls() throws Exception {
        PgClusterStatus status = apply(withTls(Clusters.spec("secure", 2), null));
        InstanceStatus primary = primary(status);

        SQLException plain = assertThrows(SQLException.class,
                () -> connect("secure", primary.getHost(), primary.getPort(), "sslmode=disable").close());
        assertTrue(plain.getMessage().contains("no encryption"), plain.getMessage());

        for (String host : List.of("127.0.0.1", "localhost")) {
            try (Connection c = connect("secure", host, primary.getPort(), verifyFull(clientAuthority("secure")))) {
                assertEquals("t", query(c, "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"));
                assertEquals("TLSv1.3", query(c, "SELECT version FROM pg_stat_ssl WHERE pid = pg_backend_pid()"));
            }
        }
        // libpq (OpenSSL) checks the certificate as strictly as pgjdbc (the JDK)
        assertEquals("t", psql(primary.getPort(), "sslmode=verify-full sslrootcert=" + clientAuthority("secure"),
                "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", superuser("secure")));

        try (Connection c = connect("secure", primary.getHost(), primary.getPort(), verifyFull(clientAuthority("secure")))) {
            Eventually.until("the replica streams over TLS", Duration.ofSeconds(30), () -> {
                try {
                    return "1".equals(query(c,
                            "SELECT count(*) FROM pg_stat_replication r JOIN pg_stat_ssl s USING (pid) WHERE s.ssl"));
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
        }

        assertTrue(status.getEndpoints().getReadWrite().contains("sslmode=verify-full&sslrootcert="
                + clientAuthority("secure")), status.getEndpoints().getReadWrite());

        // the volume holds the server's files, private to it; the authority's key stays in the secrets
        for (String instance : List.of("secure-0", "secure-1")) {
            Path tls = home.root().resolve("volumes").resolve("pgdata-" + instance).resolve("tls");
            try (Stream<Path> files = Files.list(tls)) {
                assertEquals(Set.of("ca.crt", "server.crt", "server.key"),
                        files.map(f -> f.getFileName().toString()).collect(Collectors.toSet()));
            }
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tls.resolve("server.key"))));
        }
        Path authority = home.root().resolve("secrets/secure/tls-authority.yaml");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(authority)));
        String authorityKey = Files.readString(authority);
        String serverKey = Files.readString(home.root().resolve("volumes/pgdata-secure-0/tls/server.key"));
        assertFalse(authorityKey.contains(serverKey.lines().skip(1).findFirst().orElseThrow()));
    }

    @Test
    void tlsTurnsOffAndOnWithAUsersCertificateWithoutLosingARow() throws Exception {
        PgClusterStatus status = apply(withTls(Clusters.spec("switch", 1), null));
        int port = primary(status).getPort();
        Path pgoAuthority = Files.copy(clientAuthority("switch"), home.root().resolve("pgo-ca.crt"));
        try (Connection c = connect("switch", "127.0.0.1", port, verifyFull(pgoAuthority));
             Statement st = c.createStatement()) {
            st.execute("CREATE TABLE kept (id int primary key)");
            st.execute("INSERT INTO kept VALUES (1)");
        }

        apply(Clusters.spec("switch", 1)); // tls removed
        try (Connection c = connect("switch", "127.0.0.1", port, "sslmode=disable")) {
            assertEquals("off", query(c, "SHOW ssl"));
            assertEquals("1", query(c, "SELECT count(*) FROM kept"));
        }
        assertFalse(Files.exists(home.root().resolve("volumes/pgdata-switch-0/tls")), "no certificate left behind");

        // the user's own authority and certificate, as kubectl create secret tls would write them
        TlsKeyPair userAuthority = CertificateIssuer.authority("Example Corp CA", Instant.now(), Duration.ofDays(30));
        TlsKeyPair userServer = CertificateIssuer.server(userAuthority, "db.example.com",
                List.of("127.0.0.1", "db.example.com"), Instant.now(), Duration.ofDays(30));
        var secret = new SecretBuilder().withNewMetadata().withName("example-cert").endMetadata()
                .withType("kubernetes.io/tls")
                .addToData("tls.crt", base64(userServer.certificatePem()))
                .addToData("tls.key", base64(userServer.keyPem()))
                .addToData("ca.crt", base64(userAuthority.certificatePem()))
                .build();
        Files.writeString(home.root().resolve("secrets/example-cert.yaml"), Manifests.toYaml(secret));
        Path userCa = home.root().resolve("user-ca.crt");
        Files.writeString(userCa, userAuthority.certificatePem());

        apply(withTls(Clusters.spec("switch", 1), "example-cert"));
        try (Connection c = connect("switch", "127.0.0.1", port, verifyFull(userCa))) {
            assertEquals("1", query(c, "SELECT count(*) FROM kept"));
            assertEquals("on", query(c, "SHOW ssl"));
        }
        SQLException strange = assertThrows(SQLException.class,
                () -> connect("switch", "127.0.0.1", port, verifyFull(pgoAuthority)).close());
        assertTrue(strange.getMessage().toLowerCase().contains("ssl") || strange.getCause() != null, strange.getMessage());
        assertEquals(userAuthority.certificatePem(), Files.readString(clientAuthority("switch")),
                "ca.crt follows the Secret");
    }

    @Test
    void aSecretThatIsMissingOrWrongIsAProblemBeforeAnythingIsApplied() throws IOException {
        PgCluster missing = withTls(Clusters.spec("nosecret", 1), "nowhere");
        var problems = home.platform().check(missing);
        assertEquals(1, problems.size(), problems.toString());
        assertEquals("spec.tls.secretName", problems.getFirst().field());
        assertTrue(problems.getFirst().message().contains("does not exist"), problems.getFirst().message());

        TlsKeyPair ca = CertificateIssuer.authority("ca", Instant.now(), Duration.ofDays(30));
        TlsKeyPair server = CertificateIssuer.server(ca, "x", List.of("127.0.0.1"), Instant.now(), Duration.ofDays(30));
        TlsKeyPair other = CertificateIssuer.server(ca, "x", List.of("127.0.0.1"), Instant.now(), Duration.ofDays(30));
        var secret = new SecretBuilder().withNewMetadata().withName("mismatch").endMetadata()
                .addToStringData("tls.crt", server.certificatePem())
                .addToStringData("tls.key", other.keyPem())
                .addToStringData("ca.crt", ca.certificatePem())
                .build();
        Files.writeString(home.root().resolve("secrets/mismatch.yaml"), Manifests.toYaml(secret));
        var wrong = home.platform().check(withTls(Clusters.spec("nosecret", 1), "mismatch"));
        assertTrue(wrong.getFirst().message().contains("is not the private key"), wrong.toString());
        assertFalse(wrong.toString().contains(other.keyPem().lines().skip(1).findFirst().orElseThrow()),
                "the key never shows in a message");
    }

    private static String base64(String text) {
        return java.util.Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** psql's answer to one query, with the password in a passfile, as pgo's programs get theirs. */
    private String psql(int port, String ssl, String sql, Credentials credentials) throws Exception {
        var binaries = new PgBinaries(new ProcessRunner(ServerUser.detect()));
        Path psql = binaries.installed().lastEntry().getValue().resolve("psql");
        Path passfile = home.root().resolve("test-pgpass");
        Files.writeString(passfile, Passfiles.anyHost(credentials));
        Files.setPosixFilePermissions(passfile, PosixFilePermissions.fromString("rw-------"));
        var command = new ArrayList<>(List.of(psql.toString(), "--no-psqlrc", "-qAt", "-c", sql,
                "host=127.0.0.1 port=" + port + " user=" + credentials.username() + " dbname=postgres " + ssl));
        var builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("PG"));
        builder.environment().put("PGPASSFILE", passfile.toString());
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, process.waitFor(), out);
        return out;
    }
}
