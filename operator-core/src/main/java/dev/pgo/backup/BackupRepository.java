package dev.pgo.backup;

import dev.pgo.FileTrees;
import dev.pgo.PgoException;
import dev.pgo.manifest.Manifests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A backup repository on a mounted volume, in the layout pgo has always used:
 * <pre>
 *   &lt;cluster&gt;-backups/                  the repository's path in its volume
 *     2026-01-31-02-00-00/               one base backup, named by its start time (UTC)
 *       backup.json                      its catalog entry
 *       base.tar.lz4, pg_wal.tar, backup_manifest
 *     wal/                               archived WAL, written by the servers' archive_command
 * </pre>
 * The catalog is the entries in the directories: there is no index to fall out of step.
 */
public final class BackupRepository implements BackupCatalog {
    public static final String ENTRY_FILE = "backup.json";
    public static final String WAL_DIR = "wal";
    public static final String RUNNING_LOCK = "running.lock";

    /** Makes a directory the PostgreSQL server user can write into (pg_basebackup and archive_command run as it). */
    public interface DirectoryMaker {
        void make(Path dir) throws IOException;
    }

    private final String volume;
    private final String path;
    private final Path dir;
    private final DirectoryMaker maker;

    /**
     * @param volume the volume (PVC) name
     * @param path   the repository's path in the volume, e.g. {@code orders-backups}
     * @param dir    where that path is mounted here
     */
    public BackupRepository(String volume, String path, Path dir, DirectoryMaker maker) {
        this.volume = volume;
        this.path = path;
        this.dir = dir;
        this.maker = maker;
    }

    /** The default repository path of a cluster, also the name of its backup volume. */
    public static String defaultName(String cluster) {
        return cluster + "-backups";
    }

    @Override
    public String volume() {
        return volume;
    }

    @Override
    public String path() {
        return path;
    }

    public Path dir() {
        return dir;
    }

    public Path walDir() {
        return dir.resolve(WAL_DIR);
    }

    public Path backupDir(String id) {
        return dir.resolve(id);
    }

    /**
     * Where pg_basebackup writes (it wants an empty directory): hidden beside the backups, and
     * moved into the backup's directory once complete.
     */
    public Path partialDir(String id) {
        return dir.resolve("." + id + ".partial");
    }

    /** Moves a finished copy from its partial directory into the backup's directory. */
    public void adoptPartial(String id) {
        Path partial = partialDir(id);
        try (var files = Files.list(partial)) {
            for (Path f : files.toList()) {
                Files.move(f, backupDir(id).resolve(f.getFileName()), StandardCopyOption.ATOMIC_MOVE);
            }
            Files.delete(partial);
        } catch (IOException e) {
            throw new PgoException("cannot move backup " + id + " into place: " + e.getMessage());
        }
    }

    /**
     * Every entry, oldest first. A Running entry whose backup no longer runs (its process was
     * killed: the lock it held is free) is recorded as Failed here, so it is never offered.
     */
    @Override
    public List<BackupEntry> entries() {
        var entries = new ArrayList<BackupEntry>();
        for (Path child : children(dir)) {
            String name = child.getFileName().toString();
            if (BackupIds.isId(name) && Files.exists(child.resolve(ENTRY_FILE))) {
                entries.add(settle(read(child)));
            }
        }
        entries.sort(Comparator.comparing(BackupEntry::id));
        return entries;
    }

    @Override
    public Optional<BackupEntry> entry(String id) {
        if (!BackupIds.isId(id) || !Files.exists(backupDir(id).resolve(ENTRY_FILE))) {
            return Optional.empty();
        }
        return Optional.of(settle(read(backupDir(id))));
    }

    public void save(BackupEntry entry) {
        Path file = backupDir(entry.id()).resolve(ENTRY_FILE);
        Path tmp = file.resolveSibling(ENTRY_FILE + ".tmp");
        try {
            Files.writeString(tmp, Manifests.toJson(entry));
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new PgoException("cannot write the catalog entry of backup " + entry.id() + ": " + e.getMessage());
        }
    }

    /**
     * Creates the backup's directory and records it as Running, holding a lock for as long as
     * the returned handle is open. Also creates the WAL archive, so that from now on the servers
     * archive every segment the backup and its restores will need.
     */
    public Run begin(BackupEntry entry) {
        Path backupDir = backupDir(entry.id());
        if (Files.exists(backupDir)) {
            throw new PgoException("backup " + entry.id() + " already exists in " + path,
                    "wait a second and run it again");
        }
        try {
            maker.make(dir);
            maker.make(walDir());
            maker.make(backupDir);
            Path lockFile = backupDir.resolve(RUNNING_LOCK);
            FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.lock();
            save(entry);
            return new Run(lockFile, channel, lock);
        } catch (IOException e) {
            throw new PgoException("cannot start backup " + entry.id() + " in " + dir + ": " + e.getMessage());
        }
    }

    /** The lock of a running backup; closing it says the backup is no longer running. */
    public static final class Run implements AutoCloseable {
        private final Path file;
        private final FileChannel channel;
        private final FileLock lock;

        private Run(Path file, FileChannel channel, FileLock lock) {
            this.file = file;
            this.channel = channel;
            this.lock = lock;
        }

        /** The entry's status is final by now, so the lock file goes with the lock. */
        @Override
        public void close() {
            try {
                Files.deleteIfExists(file);
                lock.release();
                channel.close();
            } catch (IOException ignored) {
                // closing the channel releases the lock in any case
            }
        }
    }

    /** Deletes a backup's files and then its entry, so a half-deleted backup is never restorable. */
    public void delete(String id) {
        Path backupDir = backupDir(id);
        try {
            Files.deleteIfExists(backupDir.resolve(ENTRY_FILE));
        } catch (IOException e) {
            throw new PgoException("cannot delete backup " + id + ": " + e.getMessage());
        }
        FileTrees.delete(backupDir);
    }

    @Override
    public boolean archivesWal() {
        return Files.isDirectory(walDir());
    }

    /** Archived segment file names, in segment order. */
    public List<String> walSegments() {
        return children(walDir()).stream().map(p -> p.getFileName().toString()).filter(WalSegments::isSegment)
                .sorted(Comparator.comparingLong(WalSegments::segmentNumber)
                        .thenComparing(Comparator.naturalOrder()))
                .toList();
    }

    /** When the newest archived segment arrived, if any did. */
    @Override
    public Optional<Instant> lastArchived() {
        Instant newest = null;
        for (String segment : walSegments()) {
            try {
                Instant t = Files.getLastModifiedTime(walDir().resolve(segment)).toInstant();
                newest = newest == null || t.isAfter(newest) ? t : newest;
            } catch (IOException ignored) {
                // pruned while listing
            }
        }
        return Optional.ofNullable(newest);
    }

    /**
     * Deletes archived segments older than the one {@code lsn} is in (the start of the oldest
     * kept backup): no restore can use them. Timeline history files stay. Returns how many went.
     */
    public int pruneWalBefore(String lsn) {
        long keepFrom = WalSegments.segmentOf(lsn);
        int removed = 0;
        for (String segment : walSegments()) {
            if (WalSegments.segmentNumber(segment) < keepFrom) {
                try {
                    Files.deleteIfExists(walDir().resolve(segment));
                    removed++;
                } catch (IOException e) {
                    throw new PgoException("cannot prune WAL segment " + segment + ": " + e.getMessage());
                }
            }
        }
        return removed;
    }

    private BackupEntry settle(BackupEntry entry) {
        if (entry.status() != BackupStatus.Running || stillRunning(backupDir(entry.id()))) {
            return entry;
        }
        // the backup may have finished between the two reads: its final entry stands
        BackupEntry again = read(backupDir(entry.id()));
        if (again.status() != BackupStatus.Running) {
            return again;
        }
        BackupEntry failed = entry.failed("interrupted: the process running it stopped before it finished");
        save(failed);
        FileTrees.delete(partialDir(entry.id()));
        return failed;
    }

    private static boolean stillRunning(Path backupDir) {
        try (FileChannel channel = FileChannel.open(backupDir.resolve(RUNNING_LOCK), StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                return true;
            }
            lock.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true; // this process runs it
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            return true; // cannot tell: leave it as it is
        }
    }

    private static BackupEntry read(Path backupDir) {
        Path file = backupDir.resolve(ENTRY_FILE);
        try {
            return Manifests.readAs(Files.readString(file), BackupEntry.class, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> children(Path dir) {
        var out = new ArrayList<Path>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            stream.forEach(out::add);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new PgoException("cannot list " + dir + ": " + e.getMessage());
        }
        return out;
    }
}
