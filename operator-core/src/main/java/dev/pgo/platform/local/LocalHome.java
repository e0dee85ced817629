package dev.pgo.platform.local;

import dev.pgo.PgoException;
import dev.pgo.process.ServerUser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The directory that holds everything of the local platform ($PGO_HOME, by default ~/.pgo, or
 * /var/lib/pgo for root): manifests, status, secrets (0600), volumes, logs and locks.
 * It also owns file permissions, so secrets are never readable by others and the server user
 * can reach exactly the directories it runs in.
 */
public final class LocalHome {
    static final Set<PosixFilePermission> PRIVATE_FILE = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> PRIVATE_DIR = PosixFilePermissions.fromString("rwx------");
    /** Lets the server user pass through to its volume without listing or reading anything. */
    private static final Set<PosixFilePermission> TRAVERSE_DIR = PosixFilePermissions.fromString("rwx--x--x");

    private final Path root;
    private final ServerUser serverUser;

    public LocalHome(Path root, ServerUser serverUser) {
        this.root = root.toAbsolutePath().normalize();
        this.serverUser = serverUser;
    }

    /** $PGO_HOME, else ~/.pgo, or /var/lib/pgo when running as root (root's home is closed to the server user). */
    public static Path defaultRoot(ServerUser serverUser) {
        String env = System.getenv("PGO_HOME");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        if (serverUser.switchNeeded()) {
            return Path.of("/var/lib/pgo");
        }
        return Path.of(System.getProperty("user.home"), ".pgo");
    }

    public Path root() {
        return root;
    }

    public ServerUser serverUser() {
        return serverUser;
    }

    public Path clusters() {
        return root.resolve("clusters");
    }

    public Path secrets() {
        return root.resolve("secrets");
    }

    public Path volumes() {
        return root.resolve("volumes");
    }

    public Path logs() {
        return root.resolve("logs");
    }

    public Path locks() {
        return root.resolve("locks");
    }

    /** Creates the layout on first use and checks that the server user can reach its volumes. */
    public void prepare() {
        boolean shared = serverUser.switchNeeded();
        if (shared) {
            requireTraversable(root);
        }
        try {
            Files.createDirectories(root.getParent());
            makeDir(root, shared ? TRAVERSE_DIR : PRIVATE_DIR);
            makeDir(clusters(), PRIVATE_DIR);
            makeDir(secrets(), PRIVATE_DIR);
            makeDir(locks(), PRIVATE_DIR);
            makeDir(volumes(), shared ? TRAVERSE_DIR : PRIVATE_DIR);
            makeServerDir(logs());
        } catch (IOException e) {
            throw new PgoException("cannot prepare " + root + ": " + e.getMessage(),
                    "set PGO_HOME to a directory you can write");
        }
    }

    /** A directory owned by the server user, private to it (a data volume, the logs). */
    public void makeServerDir(Path dir) throws IOException {
        makeDir(dir, PRIVATE_DIR);
        giveToServer(dir);
    }

    public void giveToServer(Path path) throws IOException {
        if (serverUser.switchNeeded()) {
            Files.setAttribute(path, "unix:uid", serverUser.uid(), java.nio.file.LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(path, "unix:gid", serverUser.gid(), java.nio.file.LinkOption.NOFOLLOW_LINKS);
        }
    }

    private static void makeDir(Path dir, Set<PosixFilePermission> permissions) throws IOException {
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(permissions));
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw e;
            }
        }
        Files.setPosixFilePermissions(dir, permissions);
    }

    private void requireTraversable(Path dir) {
        for (Path p = dir.getParent(); p != null; p = p.getParent()) {
            if (!Files.exists(p)) {
                continue;
            }
            try {
                if (!Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                    throw new PgoException("pgo runs as root, so PostgreSQL runs as the OS user '" + serverUser.name()
                            + "', who cannot enter " + p + " to reach " + root,
                            "set PGO_HOME to a directory outside it, e.g. /var/lib/pgo");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Writes a file atomically (temp file and rename) with the given permissions from the start. */
    public static void writeAtomically(Path file, String content, Set<PosixFilePermission> permissions) {
        Path tmp = file.resolveSibling("." + file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        try {
            Files.deleteIfExists(tmp);
            try (var channel = Files.newByteChannel(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(permissions))) {
                channel.write(java.nio.ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)));
            }
            Files.setPosixFilePermissions(tmp, permissions);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new PgoException("cannot write " + file + ": " + e.getMessage());
        }
    }

    /** Deletes a directory tree; missing is fine. */
    public static void deleteTree(Path dir) {
        dev.pgo.FileTrees.delete(dir);
    }
}
