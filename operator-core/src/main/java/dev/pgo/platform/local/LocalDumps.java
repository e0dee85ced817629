package dev.pgo.platform.local;

import dev.pgo.FileTrees;
import dev.pgo.Pause;
import dev.pgo.PgoException;
import dev.pgo.backup.BackupEntry;
import dev.pgo.backup.BackupProgress;
import dev.pgo.backup.LogicalContents;
import dev.pgo.backup.LogicalContents.DatabaseDump;
import dev.pgo.process.Command;
import dev.pgo.process.ProcessFailedException;
import dev.pgo.process.ProcessRunner;
import dev.pgo.sql.Credentials;
import dev.pgo.sql.DatabaseInventory;
import dev.pgo.sql.Endpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Logical backups on this machine: pg_dump of each database (custom format) into a backup's
 * directory, the check of those files, and their restore into a new primary with pg_restore.
 * Database names reach the programs only through PGDATABASE, never as an argument libpq might
 * read as a connection string.
 */
final class LocalDumps {
    private static final Duration LONG_RUN = Duration.ofHours(12);
    /** The database initdb makes; every other one is created by pg_restore as the dump describes it. */
    private static final String INITIAL_DATABASE = "postgres";

    private final LocalInstances instances;
    private final ProcessRunner runner;
    private final PgBinaries binaries;

    LocalDumps(LocalInstances instances, ProcessRunner runner, PgBinaries binaries) {
        this.instances = instances;
        this.runner = runner;
        this.binaries = binaries;
    }

    /** Dumps each planned database into {@code dir}; returns the plan with each file's size and SHA-256. */
    LogicalContents dump(Path dir, Path passfile, BackupEntry entry, Endpoint source, Credentials superuser,
                         LogicalContents plan, BackupProgress progress) {
        var written = new ArrayList<DatabaseDump>();
        int count = plan.databases().size();
        long done = 0;
        try (var ignored = instances.temporaryPassfile(passfile, superuser)) {
            for (DatabaseDump database : plan.databases()) {
                progress.phase("dumping " + database.name() + " (" + (written.size() + 1) + " of " + count + ")");
                Path file = dir.resolve(database.file());
                long before = done;
                Thread watcher = Thread.ofVirtual().start(() -> reportGrowth(file, before, progress));
                try {
                    runner.run(Command.asServer("dumping database " + database.name(), List.of(
                                    program(entry.postgresVersion(), "pg_dump"), "--format=custom", "--compress=1",
                                    "--file=" + file, "--host=" + source.host(), "--port=" + source.port(),
                                    "--username=" + superuser.username(), "--no-password"))
                            .withEnv(connection(source, passfile, database.name())).withTimeout(LONG_RUN));
                } finally {
                    watcher.interrupt();
                }
                long size = size(file);
                done += size;
                progress.bytes(done, 0);
                written.add(database.written(size, FileTrees.sha256(file)));
            }
        }
        return plan.withDatabases(written);
    }

    /** Every dump is there, unchanged since it was written, and readable by pg_restore. */
    void check(Path backupDir, BackupEntry entry) {
        LogicalContents contents = entry.contents();
        if (contents == null) {
            throw damaged(entry, "its entry does not list its dumps");
        }
        for (DatabaseDump database : contents.databases()) {
            Path file = backupDir.resolve(database.file());
            String what = database.file() + " (database " + database.name() + ")";
            if (!Files.isRegularFile(file)) {
                throw damaged(entry, what + " is missing");
            }
            if (database.sizeBytes() != null && size(file) != database.sizeBytes()
                    || database.sha256() != null && !database.sha256().equals(FileTrees.sha256(file))) {
                throw damaged(entry, what + " has changed since it was written (its SHA-256 differs)");
            }
            try {
                runner.run(Command.asServer("reading the dump of " + database.name(), List.of(
                        program(entry.postgresVersion(), "pg_restore"), "--list", file.toString()))
                        .withTimeout(LONG_RUN));
            } catch (ProcessFailedException e) {
                throw damaged(entry, what + " is not a readable dump: " + firstLine(e));
            }
        }
    }

    /**
     * Restores every dump into the freshly initialised server at {@code target}: first the roles
     * it lacks (without login), then each database as pg_dump described it (encoding, locale,
     * owner, settings), stopping at the first error.
     */
    void restore(Path backupDir, Path passfile, BackupEntry entry, int version, Endpoint target,
                 Credentials superuser) {
        LogicalContents contents = entry.contents();
        try (var ignored = instances.temporaryPassfile(passfile, superuser)) {
            runner.run(Command.asServer("creating the roles of backup " + entry.id(), List.of(
                            program(version, "psql"), "--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1",
                            "--host=" + target.host(), "--port=" + target.port(),
                            "--username=" + superuser.username(), "--no-password"))
                    .withEnv(connection(target, passfile, INITIAL_DATABASE))
                    .withInput(DatabaseInventory.createMissingRolesSql(contents.roles())));
            for (DatabaseDump database : contents.databases()) {
                var argv = new ArrayList<>(List.of(program(version, "pg_restore"), "--exit-on-error",
                        "--host=" + target.host(), "--port=" + target.port(),
                        "--username=" + superuser.username(), "--no-password"));
                // pg_restore --create connects to template1 and creates the database from the dump's own entry
                argv.addAll(database.name().equals(INITIAL_DATABASE) ? List.of("--dbname=" + INITIAL_DATABASE)
                        : List.of("--create", "--dbname=template1"));
                argv.add(backupDir.resolve(database.file()).toString());
                try {
                    runner.run(Command.asServer("restoring database " + database.name(), argv)
                            .withEnv(connection(target, passfile, INITIAL_DATABASE)).withTimeout(LONG_RUN));
                } catch (ProcessFailedException e) {
                    throw new PgoException("restoring database " + database.name() + " from backup " + entry.id()
                            + " failed: " + firstLine(e), "the new cluster is removed again; the backup is unchanged", e);
                }
            }
        }
    }

    private String program(Integer version, String name) {
        return binaries.program(version, name).toString();
    }

    private static Map<String, String> connection(Endpoint endpoint, Path passfile, String database) {
        var environment = new java.util.HashMap<>(endpoint.libpqEnvironment(passfile));
        environment.put("PGDATABASE", database);
        return environment;
    }

    /** Reports a dump file's size as it grows, until interrupted. */
    private static void reportGrowth(Path file, long before, BackupProgress progress) {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                progress.bytes(before + size(file), 0);
                Pause.sleep(Duration.ofMillis(500), "stopped");
            }
        } catch (PgoException stopped) {
            // interrupted: the dump finished
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    private static String firstLine(ProcessFailedException e) {
        String text = e.result() == null ? e.getMessage() : e.result().stderr().strip();
        // pg_restore says where it was first ("while PROCESSING TOC:"), then what went wrong
        String line = text.lines().filter(l -> l.contains("error: ")).findFirst()
                .or(() -> text.lines().filter(l -> !l.isBlank()).findFirst()).orElse(text);
        return line.replaceFirst("^(pg_restore|pg_dump): (error: )?", "");
    }

    private static PgoException damaged(BackupEntry entry, String what) {
        return new PgoException("backup " + entry.id() + " is damaged: " + what,
                "restore another backup (pgo show backup lists them) and take a new one");
    }
}
