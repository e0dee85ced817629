package dev.pgo.platform.local;

import dev.pgo.FileTrees;
import dev.pgo.Pause;
import dev.pgo.PgoException;
import dev.pgo.api.v1.PgCluster;
import dev.pgo.backup.BackupEntry;
import dev.pgo.backup.BackupRepository;
import dev.pgo.backup.RestorePoint;
import dev.pgo.postgres.ServerConfig;
import dev.pgo.process.Command;
import dev.pgo.process.ProcessRunner;
import dev.pgo.sql.Credentials;
import dev.pgo.sql.PasswordReset;
import dev.pgo.validate.SpecValidator;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes a new primary from a backup on this machine: unpack, check against the manifest,
 * replay archived WAL to the restore point and promote, then give the roles this cluster's
 * passwords. Until the promotion is done the volume has no bootstrap marker, so an interrupted
 * restore starts again from an empty directory.
 */
final class LocalRestore {
    private static final Duration RECOVERY_TIMEOUT = Duration.ofHours(12);
    private static final Pattern STATE = Pattern.compile("Database cluster state:\\s+(.+)");

    private final LocalInstances instances;
    private final LocalBackups backups;
    private final ProcessRunner runner;
    private final PgBinaries binaries;

    LocalRestore(LocalInstances instances, LocalBackups backups, ProcessRunner runner, PgBinaries binaries) {
        this.instances = instances;
        this.backups = backups;
        this.runner = runner;
        this.binaries = binaries;
    }

    void restore(PgCluster cluster, String instance, RestorePoint point, List<Credentials> logins) {
        BackupEntry backup = point.backup();
        int version = cluster.getSpec().getPostgresVersion();
        BackupRepository repository = backups.repository(point.repository().volume(), point.repository().path())
                .orElseThrow(() -> new PgoException("the backup repository " + point.describe() + " is gone"));
        Path backupDir = repository.backupDir(backup.id());
        if (backup.logical()) {
            restoreDumps(cluster, instance, backupDir, backup, logins);
            return;
        }
        LocalVolume volume = instances.prepareVolume(cluster, instance);
        Path pgdata = volume.pgdata();
        try {
            backups.unpackChecked(backup, backupDir, pgdata);
        } catch (RuntimeException e) {
            FileTrees.delete(pgdata);
            throw e;
        }
        // pgo's own configuration for this instance, plus what the first start replays.
        instances.writeConfig(cluster, volume, instance, instance);
        String recovery = ServerConfig.settingsText(point.recoverySettings(
                ServerConfig.restoreCommand(repository.walDir().toString())));
        instances.writeServerFile(pgdata.resolve(ServerConfig.FILE_NAME),
                instances.renderConfig(cluster, volume, instance, instance) + "# Restore of " + point.describe() + "\n"
                        + recovery);
        instances.writeServerFile(pgdata.resolve("recovery.signal"), "");
        instances.launch(cluster, volume, instance);
        awaitPromotion(version, volume, instance);
        instances.stop(cluster, volume, instance);
        instances.writeConfig(cluster, volume, instance, instance);
        resetPasswords(version, volume, instance, logins);
        instances.start(cluster, instance, instance);
        volume.markBootstrapped();
    }

    /**
     * A logical backup goes into a new server: initdb, start, then the dumps. The volume is
     * marked bootstrapped only once every database is in, so a restore that fails or is
     * interrupted is begun again from an empty directory.
     */
    private void restoreDumps(PgCluster cluster, String instance, Path backupDir, BackupEntry backup,
                              List<Credentials> logins) {
        backups.dumps().check(backupDir, backup);
        Credentials superuser = logins.stream().filter(c -> c.username().equals(SpecValidator.SUPERUSER)).findFirst()
                .orElseThrow(() -> new PgoException("the superuser of " + cluster.name() + " has no password yet"));
        LocalVolume volume = instances.prepareVolume(cluster, instance);
        instances.initialise(cluster, volume, instance, superuser);
        instances.start(cluster, instance, instance);
        try {
            backups.dumps().restore(backupDir, volume.dir().resolve("pgpass-restore"), backup,
                    cluster.getSpec().getPostgresVersion(), instances.endpoint(volume), superuser);
        } catch (RuntimeException e) {
            instances.stop(cluster, volume, instance);
            FileTrees.delete(volume.pgdata());
            throw e;
        }
        volume.markBootstrapped();
    }

    /** Waits until recovery reached its target and the server promoted itself (pg_control says "in production"). */
    private void awaitPromotion(int version, LocalVolume volume, String instance) {
        long deadline = System.nanoTime() + RECOVERY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (volume.runningPid().isEmpty()) {
                Path log = instances.home().logs().resolve(instance + ".log");
                throw new PgoException("the restore of " + instance + " stopped before it finished"
                        + LocalInstances.logTail(log), "the server log is " + log);
            }
            String out = runner.run(Command.asServer("reading the control file of " + instance, List.of(
                    binaries.program(version, "pg_controldata").toString(), volume.pgdata().toString()))).stdout();
            Matcher m = STATE.matcher(out);
            if (m.find() && m.group(1).trim().equals("in production")) {
                return;
            }
            // pg_controldata reads one small file: asking often costs little and the restore's
            // end is seen within a tenth of a second
            Pause.sleep(Duration.ofMillis(100), "the restore of " + instance + " was cancelled");
        }
        throw new PgoException("the restore of " + instance + " did not finish within " + RECOVERY_TIMEOUT.toHours()
                + " hours");
    }

    /** In single-user mode each role that exists gets this cluster's password. */
    private void resetPasswords(int version, LocalVolume volume, String instance, List<Credentials> logins) {
        var result = runner.run(Command.asServer("setting the passwords of " + instance, List.of(
                        binaries.program(version, "postgres").toString(), "--single", "-D", volume.pgdata().toString(),
                        "postgres"))
                .withInput(PasswordReset.singleUserSql(logins)).withTimeout(Duration.ofMinutes(5)));
        String output = result.stdout() + result.stderr();
        if (output.contains("ERROR:")) {
            String error = output.substring(output.indexOf("ERROR:")).lines().findFirst().orElse("");
            throw new PgoException("setting the passwords of " + instance + " failed: " + error);
        }
    }
}
