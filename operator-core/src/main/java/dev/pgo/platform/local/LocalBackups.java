package dev.pgo.platform.local;

import dev.pgo.FileTrees;
import dev.pgo.PgoException;
import dev.pgo.api.v1.PgCluster;
import dev.pgo.backup.BackupCatalog;
import dev.pgo.backup.BackupEntry;
import dev.pgo.backup.BackupManifest;
import dev.pgo.backup.BackupProgress;
import dev.pgo.backup.BackupRepository;
import dev.pgo.backup.BackupStatus;
import dev.pgo.backup.LogicalContents;
import dev.pgo.backup.ManifestCheck;
import dev.pgo.platform.BackupStorage;
import dev.pgo.process.Command;
import dev.pgo.process.ProcessFailedException;
import dev.pgo.process.ProcessRunner;
import dev.pgo.sql.Credentials;
import dev.pgo.sql.Endpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Backup repositories as local volumes: {@code $PGO_HOME/volumes/<cluster>-backups}, holding the
 * repository directory of the same name. pg_basebackup, the decompressors and pg_waldump run as
 * the server user.
 */
final class LocalBackups implements BackupStorage {
    /** lz4 compresses 1 GiB of pgbench data in about the time an uncompressed copy takes, to an eighth of the size. */
    static final String COMPRESSION = "lz4";
    private static final Logger LOG = LoggerFactory.getLogger(LocalBackups.class);
    private static final Duration LONG_RUN = Duration.ofHours(12);
    private static final Pattern PROGRESS = Pattern.compile("(\\d+)/(\\d+) kB");

    private final LocalHome home;
    private final ProcessRunner runner;
    private final PgBinaries binaries;
    private final LocalInstances instances;
    private final LocalDumps dumps;

    LocalBackups(LocalHome home, ProcessRunner runner, PgBinaries binaries, LocalInstances instances) {
        this.home = home;
        this.runner = runner;
        this.binaries = binaries;
        this.instances = instances;
        this.dumps = new LocalDumps(instances, runner, binaries);
    }

    LocalDumps dumps() {
        return dumps;
    }

    /** The cluster's repository in its {@code <cluster>-backups} volume, making the volume on first use. */
    BackupRepository repository(PgCluster cluster) {
        String name = BackupRepository.defaultName(cluster.name());
        LocalVolume volume = new LocalVolume(home.volumes().resolve(name));
        makeServerDir(volume.dir());
        if (volume.metadata().isEmpty()) {
            var backups = cluster.getSpec().getBackups();
            String capacity = backups != null && backups.getStorage() != null ? backups.getStorage().getSize() : "";
            volume.writeMetadata(new LocalVolume.Metadata(cluster.name(), "", -1, capacity, 0, Instant.now().toString()));
        }
        return open(volume, name);
    }

    /** The cluster's WAL archive as its servers see it (whether or not it exists yet). */
    Path archiveDir(String cluster) {
        String name = BackupRepository.defaultName(cluster);
        return repositoryDir(home.volumes().resolve(name), name).resolve(BackupRepository.WAL_DIR);
    }

    private static Path repositoryDir(Path volumeDir, String path) {
        return volumeDir.resolve(path);
    }

    @Override
    public Optional<BackupCatalog> find(String volume, String path) {
        return repository(volume, path).map(BackupCatalog.class::cast);
    }

    /** The repository {@code path} in {@code volume}, when both exist. */
    Optional<BackupRepository> repository(String volume, String path) {
        return instances.findVolume(volume).map(v -> open(v, path)).filter(r -> Files.isDirectory(r.dir()));
    }

    @Override
    public BackupEntry take(PgCluster cluster, BackupEntry starting, Endpoint source, Credentials replication,
                            BackupProgress progress) {
        return record(cluster, starting, progress, (repository, entry) -> {
            baseBackup(repository, entry, source, replication, progress);
            Path partial = repository.partialDir(entry.id());
            BackupManifest manifest = BackupManifest.read(partial.resolve(BackupManifest.FILE_NAME));
            return entry.completed(Instant.now(), manifest.startLsn(), manifest.stopLsn(), manifest.timeline(),
                    FileTrees.size(partial));
        });
    }

    @Override
    public BackupEntry takeLogical(PgCluster cluster, BackupEntry starting, Endpoint source, Credentials superuser,
                                   java.util.function.Supplier<LogicalContents> plan, BackupProgress progress) {
        return record(cluster, starting, progress, (repository, entry) -> {
            Path partial = repository.partialDir(entry.id());
            makeServerDir(partial);
            LogicalContents written = dumps.dump(partial, passfile(repository, entry), entry, source, superuser,
                    plan.get(), progress);
            return entry.completed(Instant.now(), written);
        });
    }

    /** Copies a backup into its partial directory and returns its Completed entry. */
    private interface Copy {
        BackupEntry into(BackupRepository repository, BackupEntry running);
    }

    /**
     * Records a backup as Running, has {@code copy} fill its partial directory, moves that into
     * place and records the backup Completed, then verifies it. A copy that fails or is cancelled
     * leaves the entry Failed with the reason and none of its files.
     */
    private BackupEntry record(PgCluster cluster, BackupEntry starting, BackupProgress progress, Copy copy) {
        BackupRepository repository = repository(cluster);
        BackupEntry entry = starting;
        try (BackupRepository.Run ignored = repository.begin(entry)) {
            Path dir = repository.backupDir(entry.id());
            try {
                entry = copy.into(repository, entry);
                repository.adoptPartial(entry.id());
                repository.save(entry);
            } catch (RuntimeException e) {
                String why = Thread.currentThread().isInterrupted() ? "cancelled" : e.getMessage();
                repository.save(entry.failed(why));
                FileTrees.delete(repository.partialDir(entry.id()));
                removeData(dir);
                throw new PgoException("backup " + entry.id() + " of " + cluster.name() + " failed: " + why,
                        "the next backup starts afresh; pgo show backup " + cluster.name() + " lists them", e);
            }
            return verified(repository, entry, progress);
        }
    }

    /** Where a program run for this backup finds its password; one per backup, so two at once do not collide. */
    private static Path passfile(BackupRepository repository, BackupEntry entry) {
        return repository.dir().getParent().resolve("pgpass-" + entry.id());
    }

    @Override
    public BackupEntry verify(BackupCatalog catalog, BackupEntry entry, BackupProgress progress) {
        BackupRepository repository = repository(catalog.volume(), catalog.path()).orElseThrow(() ->
                new PgoException("the backup repository " + catalog.pathOf(entry.id()) + " is gone"));
        return verified(repository, entry, progress);
    }

    private BackupEntry verified(BackupRepository repository, BackupEntry entry, BackupProgress progress) {
        Path scratch = repository.dir().resolve(".verify-" + entry.id());
        FileTrees.delete(scratch);
        BackupEntry result;
        try {
            progress.phase("verifying");
            if (entry.logical()) {
                dumps.check(repository.backupDir(entry.id()), entry);
            } else {
                checkArchives(entry, repository.backupDir(entry.id()), scratch);
            }
            result = entry.withStatus(BackupStatus.Verified, null);
        } catch (PgoException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw e; // a cancelled check says nothing about the backup
            }
            result = entry.failed("verification failed: " + e.getMessage());
        } finally {
            FileTrees.delete(scratch);
        }
        repository.save(result);
        return result;
    }

    @Override
    public void delete(BackupCatalog catalog, List<String> ids, String keepWalFromLsn) {
        BackupRepository repository = repository(catalog.volume(), catalog.path()).orElseThrow(() ->
                new PgoException("the backup repository " + catalog.path() + " is gone"));
        ids.forEach(repository::delete);
        if (keepWalFromLsn != null) {
            int pruned = repository.pruneWalBefore(keepWalFromLsn);
            if (pruned > 0) {
                LOG.info("{}: {} archived WAL segments before {} removed", repository.path(), pruned, keepWalFromLsn);
            }
        }
    }

    /** Removes what a failed backup copied, keeping its entry (and the lock it still holds). */
    private static void removeData(Path dir) {
        try (var files = Files.list(dir)) {
            files.filter(f -> !f.getFileName().toString().equals(BackupRepository.ENTRY_FILE)
                    && !f.getFileName().toString().equals(BackupRepository.RUNNING_LOCK)).forEach(FileTrees::delete);
        } catch (IOException e) {
            LOG.warn("could not remove the files of a failed backup in {}: {}", dir, e.getMessage());
        }
    }

    private BackupRepository open(LocalVolume volume, String path) {
        return new BackupRepository(volume.name(), path, repositoryDir(volume.dir(), path), home::makeServerDir);
    }

    private void baseBackup(BackupRepository repository, BackupEntry entry, Endpoint source, Credentials replication,
                            BackupProgress progress) {
        try (var ignored = instances.temporaryPassfile(passfile(repository, entry), replication)) {
            progress.phase("copying");
            runner.run(Command.asServer("backing up " + entry.instance(), List.of(
                            binaries.program(entry.postgresVersion(), "pg_basebackup").toString(),
                            "--pgdata=" + repository.partialDir(entry.id()),
                            "--host=" + source.host(), "--port=" + source.port(),
                            "--username=" + replication.username(), "--no-password",
                            "--format=tar", "--compress=" + COMPRESSION, "--wal-method=stream",
                            "--checkpoint=fast", "--label=pgo " + entry.id(), "--progress", "--verbose"))
                    .withEnv(source.libpqEnvironment(passfile(repository, entry)))
                    .withTimeout(LONG_RUN)
                    .onStderrLine(line -> {
                        Matcher m = PROGRESS.matcher(line);
                        if (m.find()) {
                            progress.bytes(Long.parseLong(m.group(1)) * 1024, Long.parseLong(m.group(2)) * 1024);
                        }
                    }));
        }
    }

    @Override
    public void deleteRepository(String cluster) {
        FileTrees.delete(home.volumes().resolve(BackupRepository.defaultName(cluster)));
    }

    /**
     * Unpacks a base backup (base.tar[.lz4|.zst|.gz] and pg_wal.tar) into an empty server-owned
     * directory, as a data directory with the WAL the backup needs.
     */
    void unpack(Path backupDir, Path into) {
        makeServerDir(into);
        extract(archive(backupDir, "base"), into);
        Path wal = into.resolve("pg_wal");
        makeServerDir(wal);
        extract(archive(backupDir, "pg_wal"), wal);
    }

    private void makeServerDir(Path dir) {
        try {
            home.makeServerDir(dir);
        } catch (IOException e) {
            throw new PgoException("cannot make " + dir + ": " + e.getMessage());
        }
    }

    /** The lines a program printed, without its program prefix (pg_waldump, tar, lz4). */
    private static String damage(ProcessFailedException e) {
        var lines = new ArrayList<String>();
        String text = e.result() == null ? e.getMessage() : e.result().stderr();
        for (String line : text.strip().split("\n")) {
            lines.add(line.replaceFirst("^[a-z_0-9]+: (error: )?", ""));
        }
        return String.join("; ", lines.subList(0, Math.min(lines.size(), 5)));
    }

    /**
     * What pg_verifybackup checks, without an unpacked copy: each archive is read once,
     * decompressed on the fly, against the manifest; only the WAL (a few segments) is unpacked,
     * for pg_waldump to parse the range the backup needs.
     */
    private void checkArchives(BackupEntry entry, Path backupDir, Path scratch) {
        ManifestCheck check = checkContents(entry, backupDir);
        makeServerDir(scratch);
        Path wal = scratch.resolve("pg_wal");
        makeServerDir(wal);
        extract(archive(backupDir, "pg_wal"), wal);
        parseWal(entry, check, wal);
    }

    /**
     * Unpacks a backup into a data directory and checks it as {@link #checkArchives} does. The
     * archives are read against the manifest while tar writes the files, each on a core of its
     * own, so the check adds little to the time the unpacking takes.
     */
    void unpackChecked(BackupEntry entry, Path backupDir, Path into) {
        var check = new java.util.concurrent.CompletableFuture<ManifestCheck>();
        Thread.ofVirtual().name("pgo-backup-check").start(() -> {
            try {
                check.complete(checkContents(entry, backupDir));
            } catch (RuntimeException e) {
                check.completeExceptionally(e);
            }
        });
        unpack(backupDir, into);
        ManifestCheck checked;
        try {
            checked = check.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PgoException("the check of backup " + entry.id() + " was cancelled");
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof PgoException pgo ? pgo : new PgoException(e.getCause().getMessage());
        }
        parseWal(entry, checked, into.resolve("pg_wal"));
    }

    /** Every archive of the backup against its manifest: sizes, checksums, files missing or extra. */
    private ManifestCheck checkContents(BackupEntry entry, Path backupDir) {
        ManifestCheck check = ManifestCheck.read(backupDir.resolve(BackupManifest.FILE_NAME));
        readArchive(archive(backupDir, "base"), "", check);
        for (var tablespace : tablespaceArchives(backupDir).entrySet()) {
            readArchive(tablespace.getValue(), "pg_tblspc/" + tablespace.getKey() + "/", check);
        }
        List<String> problems = check.problems();
        if (!problems.isEmpty()) {
            throw new PgoException("backup " + entry.id() + " is damaged: " + String.join("; ", problems),
                    "restore another backup (pgo show backup lists them) and take a new one");
        }
        return check;
    }

    /** pg_waldump over the WAL ranges the backup needs, as pg_verifybackup runs it. */
    private void parseWal(BackupEntry entry, ManifestCheck check, Path wal) {
        for (ManifestCheck.WalRange range : check.walRanges()) {
            try {
                runner.run(Command.asServer("parsing the WAL of backup " + entry.id(), List.of(
                        binaries.program(entry.postgresVersion(), "pg_waldump").toString(), "--quiet",
                        "--path=" + wal, "--timeline=" + range.timeline(), "--start=" + range.start(),
                        "--end=" + range.end())).withTimeout(LONG_RUN));
            } catch (ProcessFailedException e) {
                throw new PgoException("backup " + entry.id() + " is damaged: its WAL from " + range.start() + " to "
                        + range.end() + " cannot be read: " + damage(e),
                        "restore another backup (pgo show backup lists them) and take a new one", e);
            }
        }
    }

    /** Streams one archive through the check: read directly, or through its decompressor. */
    private void readArchive(Path archive, String prefix, ManifestCheck check) {
        String name = archive.getFileName().toString();
        String decompressor = name.endsWith(".lz4") ? "lz4" : name.endsWith(".zst") ? "zstd"
                : name.endsWith(".gz") ? "gzip" : null;
        try {
            if (decompressor == null) {
                try (var in = new java.io.BufferedInputStream(Files.newInputStream(archive), 1 << 16)) {
                    check.checkTar(in, prefix);
                }
                return;
            }
            runner.run(Command.asServer("reading " + name, List.of(decompressor, "-dc", archive.toString()))
                    .readingStdout(in -> check.checkTar(new java.io.BufferedInputStream(in, 1 << 16), prefix))
                    .withTimeout(LONG_RUN));
        } catch (ProcessFailedException e) {
            throw new PgoException("backup " + archive.getParent().getFileName() + " is damaged: cannot unpack " + name
                    + ": " + damage(e), "restore another backup (pgo show backup lists them)", e);
        } catch (IOException e) {
            throw new PgoException("cannot read " + archive + ": " + e.getMessage());
        } catch (PgoException e) {
            throw new PgoException("backup " + archive.getParent().getFileName() + " is damaged: " + name + ": "
                    + e.getMessage(), "restore another backup (pgo show backup lists them)", e);
        }
    }

    /** A tablespace's archive, OID.tar[.lz4], by OID. */
    private static java.util.SortedMap<String, Path> tablespaceArchives(Path backupDir) {
        var archives = new java.util.TreeMap<String, Path>();
        try (var files = Files.list(backupDir)) {
            files.forEach(f -> {
                var m = java.util.regex.Pattern.compile("([0-9]+)\\.tar(\\..+)?").matcher(f.getFileName().toString());
                if (m.matches()) {
                    archives.put(m.group(1), f);
                }
            });
        } catch (IOException e) {
            throw new PgoException("cannot list " + backupDir + ": " + e.getMessage());
        }
        return archives;
    }

    private static Path archive(Path backupDir, String base) {
        for (String suffix : List.of(".tar." + COMPRESSION, ".tar", ".tar.zst", ".tar.gz")) {
            Path candidate = backupDir.resolve(base + suffix);
            if (Files.exists(candidate)) {
                return candidate;
            }
        }
        throw new PgoException("backup " + backupDir.getFileName() + " has no " + base + ".tar file",
                "the backup is incomplete; restore another one");
    }

    private void extract(Path archive, Path into) {
        String name = archive.getFileName().toString();
        var argv = new ArrayList<>(List.of("tar", "--extract", "--file=" + archive, "--directory=" + into));
        if (name.endsWith(".lz4")) {
            argv.add("--use-compress-program=lz4");
        } else if (name.endsWith(".zst")) {
            argv.add("--use-compress-program=zstd");
        } else if (name.endsWith(".gz")) {
            argv.add("--gzip");
        }
        try {
            runner.run(Command.asServer("unpacking " + name, argv).withTimeout(LONG_RUN));
        } catch (ProcessFailedException e) {
            throw new PgoException("backup " + archive.getParent().getFileName() + " is damaged: cannot unpack " + name
                    + ": " + damage(e), "restore another backup (pgo show backup lists them)", e);
        }
    }
}
