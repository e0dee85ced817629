package dev.pgo.testing;

import dev.pgo.platform.local.LocalHome;
import dev.pgo.platform.local.LocalPlatform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A throw-away $PGO_HOME for one test: a local platform in a temporary directory whose servers
 * are stopped and whose files are deleted on close, also when the test failed.
 */
public final class TempPgoHome implements AutoCloseable {
    private final Path root;
    private final LocalPlatform platform;

    public TempPgoHome() {
        this(newDirectory(null));
    }

    /** A home in a new directory under {@code parent} (a small filesystem, say), removed on close like the other. */
    public static TempPgoHome under(Path parent) {
        return new TempPgoHome(newDirectory(parent));
    }

    private TempPgoHome(Path root) {
        this.root = root;
        platform = new LocalPlatform(root);
    }

    private static Path newDirectory(Path parent) {
        try {
            return parent == null ? Files.createTempDirectory("pgo-test-") : Files.createTempDirectory(parent, "pgo-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path root() {
        return root;
    }

    public LocalPlatform platform() {
        return platform;
    }

    /** A connection as the superuser to the primary that the cluster's status names. */
    public java.sql.Connection connectToPrimary(String cluster) throws java.sql.SQLException {
        var superuser = platform().secrets().get(cluster, "postgres").orElseThrow();
        var stored = platform().clusters().get(cluster).orElseThrow();
        var status = stored.getStatus();
        var primary = status.getInstances().stream().filter(i -> i.getName().equals(status.getPrimary())).findFirst()
                .orElseThrow();
        // a TLS cluster refuses plain connections; its clients verify with the authority pgo keeps
        String ssl = dev.pgo.api.v1.TlsSpec.on(stored.getSpec())
                ? "sslmode=verify-full&sslrootcert=" + root.resolve("secrets").resolve(cluster).resolve("ca.crt")
                : "sslmode=disable";
        return java.sql.DriverManager.getConnection("jdbc:postgresql://" + primary.getHost() + ":" + primary.getPort()
                + "/postgres?" + ssl, superuser.username(), superuser.password());
    }

    /** The pid of an instance's postmaster, from its postmaster.pid. */
    public long serverPid(String instance) {
        try {
            return Long.parseLong(Files.readAllLines(root.resolve("volumes/pgdata-" + instance + "/pgdata/postmaster.pid"))
                    .getFirst().trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** kill -9 of an instance's postmaster, as a crash would do; its backends stay until they notice. */
    public void killServer(String instance) {
        ProcessHandle.of(serverPid(instance)).ifPresent(ProcessHandle::destroyForcibly);
    }

    @Override
    public void close() {
        try {
            platform.stopAllInstances();
        } finally {
            platform.close();
            LocalHome.deleteTree(root);
        }
    }
}
