package dev.pgo.cmd;

import dev.pgo.platform.local.PgBinaries;
import dev.pgo.process.ProcessRunner;
import dev.pgo.process.ServerUser;
import dev.pgo.testing.TempPgoHome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.pgo.cmd.PgoRun.pgo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Promise: a full disk under the data and backup volumes gets a clear error, corrupts nothing,
 * and pgo carries on once there is space again. $PGO_HOME sits on a small tmpfs of its own
 * (mounting it needs root; where mount is refused the test is skipped), filled to the last
 * megabyte with a ballast file while a database runs.
 */
class DiskFullTest {
    private Path mount;
    private TempPgoHome home;

    @BeforeEach
    void mountSmallFilesystem() throws Exception {
        mount = Files.createTempDirectory("pgo-disk-full-");
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=192m,mode=0755", "tmpfs", mount.toString()) == 0,
                "mounting a tmpfs needs root");
        home = TempPgoHome.under(mount);
    }

    @AfterEach
    void unmount() throws Exception {
        try {
            if (home != null) {
                home.close();
            }
        } finally {
            run("umount", "-l", mount.toString());
            Files.deleteIfExists(mount);
        }
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return process.waitFor(30, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }

    /** Writes zeros until one megabyte is left on the filesystem. */
    private Path fill() throws IOException {
        Path ballast = mount.resolve("ballast");
        byte[] block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(ballast)) {
            while (Files.getFileStore(mount).getUsableSpace() > block.length) {
                out.write(block);
            }
        } catch (IOException e) {
            // full already: what this was for
        }
        return ballast;
    }

    @Test
    void aFullDiskIsReportedClearlyCorruptsNothingAndPgoRecoversOnceSpaceIsBack() throws Exception {
        Path root = home.root();
        PgoRun create = pgo(root, "create", "database", "full");
        assertEquals(0, create.exit(), create.toString());
        try (var c = home.connectToPrimary("full"); var st = c.createStatement()) {
            st.execute("CREATE TABLE kept AS SELECT g AS id FROM generate_series(1, 10000) g");
        }
        Path ballast = fill();

        PgoRun backup = pgo(root, "create", "backup", "full");
        assertEquals(1, backup.exit(), backup.toString());
        // PostgreSQL's checkpoint for the backup may find no room for WAL and stop the server
        // (a PANIC): the error then names the server's end rather than the disk
        assertTrue(backup.err().contains("No space left on device") || backup.err().contains("terminated abnormally"),
                "the backup says why it failed:\n" + backup);
        PgoRun backups = pgo(root, "show", "backup", "full");
        assertEquals(0, backups.exit(), "the backup catalog still reads:\n" + backups);
        assertFalse(backups.out().contains("Running"), "no backup left looking as if it ran:\n" + backups.out());

        SQLException refused = null;
        try (var c = home.connectToPrimary("full"); var st = c.createStatement()) {
            st.execute("CREATE TABLE filler AS SELECT repeat('x', 1000) AS pad FROM generate_series(1, 200000)");
        } catch (SQLException e) {
            refused = e;
        }
        assertNotNull(refused, "a write that does not fit fails");
        // the server's own words, or a server that stopped (PANIC) when its WAL could not be written
        assertTrue(String.valueOf(refused.getMessage()).contains("No space left on device")
                || List.of("08001", "08006", "57P02", "57P03").contains(refused.getSQLState()), refused.toString());

        Files.delete(ballast);
        PgoRun operator = pgo(root, "operator", "--once");
        assertEquals(0, operator.exit(), operator.toString());
        PgoRun show = pgo(root, "show", "database", "full");
        assertTrue(show.out().contains("Running"), show.toString());
        try (var c = home.connectToPrimary("full"); var st = c.createStatement();
             var rs = st.executeQuery("SELECT count(*), to_regclass('filler') IS NULL FROM kept")) {
            rs.next();
            assertEquals(10000, rs.getInt(1), "every committed row is there");
            assertTrue(rs.getBoolean(2), "the table whose creation failed is not");
            st.execute("INSERT INTO kept SELECT generate_series(10001, 10100)");
        }
        assertAmcheckPasses();
        Thread.sleep(1100); // backup ids are to the second, and the failed one keeps its id
        PgoRun again = pgo(root, "create", "backup", "full");
        assertEquals(0, again.exit(), "a backup once space is back:\n" + again);
    }

    /** pg_amcheck over every table and index of every database: the catalog and the data are whole. */
    private void assertAmcheckPasses() throws Exception {
        var superuser = home.platform().secrets().get("full", "postgres").orElseThrow();
        var status = home.platform().clusters().get("full").orElseThrow().getStatus();
        var primary = status.getInstances().getFirst();
        int version = home.platform().clusters().get("full").orElseThrow().getSpec().getPostgresVersion();
        Path bindir = new PgBinaries(new ProcessRunner(ServerUser.detect())).installed().get(version);
        var builder = new ProcessBuilder(bindir.resolve("pg_amcheck").toString(), "--all", "--install-missing",
                "--heapallindexed", "-h", primary.getHost(), "-p", String.valueOf(primary.getPort()), "-U", "postgres")
                .redirectErrorStream(true);
        builder.environment().put("PGPASSWORD", superuser.password());
        builder.environment().put("PGSSLMODE", "disable");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(2, TimeUnit.MINUTES), "pg_amcheck finishes");
        assertEquals(0, process.exitValue(), "pg_amcheck found damage:\n" + output);
    }
}
