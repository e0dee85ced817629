package dev.pgo.platform.local;

import dev.pgo.PgoException;
import dev.pgo.process.Command;
import dev.pgo.process.ProcessRunner;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds the PostgreSQL server programs installed on this machine, by major version: in
 * $PGO_PG_BINDIR, Debian's /usr/lib/postgresql/N/bin, RPM's /usr/pgsql-N/bin, and on PATH.
 */
public final class PgBinaries {
    private static final Pattern VERSIONED_DIR = Pattern.compile(".*/(?:postgresql/|pgsql-)(\\d+)/bin");
    private static final Pattern VERSION_OUTPUT = Pattern.compile("\\(PostgreSQL\\) (\\d+)");

    private final ProcessRunner runner;
    private SortedMap<Integer, Path> installed;

    public PgBinaries(ProcessRunner runner) {
        this.runner = runner;
    }

    /** Major version to bin directory, newest last. Found once per process. */
    public synchronized SortedMap<Integer, Path> installed() {
        if (installed == null) {
            installed = discover();
        }
        return installed;
    }

    Path program(int version, String name) {
        Path bindir = installed().get(version);
        if (bindir == null) {
            throw new PgoException("PostgreSQL " + version + " server programs are not installed on this machine"
                    + (installed().isEmpty() ? "" : " (installed: " + installed().keySet() + ")"),
                    installed().isEmpty()
                            ? "install them, e.g. apt-get install postgresql, or set PGO_PG_BINDIR"
                            : "use --version " + installed().lastKey() + ", or install PostgreSQL " + version);
        }
        return bindir.resolve(name);
    }

    private SortedMap<Integer, Path> discover() {
        var found = new TreeMap<Integer, Path>();
        String override = System.getenv("PGO_PG_BINDIR");
        if (override != null && !override.isBlank()) {
            addDir(found, Path.of(override));
        }
        for (String base : List.of("/usr/lib/postgresql", "/usr")) {
            try (Stream<Path> dirs = Files.list(Path.of(base))) {
                dirs.map(d -> d.resolve("bin")).filter(d -> VERSIONED_DIR.matcher(d.toString()).matches())
                        .forEach(d -> addDir(found, d));
            } catch (IOException ignored) {
                // no such layout on this machine
            }
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String entry : path.split(File.pathSeparator)) {
                if (!entry.isEmpty() && Files.isExecutable(Path.of(entry, "initdb"))) {
                    addDir(found, Path.of(entry));
                }
            }
        }
        if (found.isEmpty()) {
            addFromPgConfig(found);
        }
        return found;
    }

    /** pg_config knows where its installation's programs are, wherever that is. */
    private void addFromPgConfig(SortedMap<Integer, Path> found) {
        try {
            var result = runner.runAllowingFailure(Command.of("asking pg_config for the bin directory",
                    List.of("pg_config", "--bindir")).withTimeout(Duration.ofSeconds(10)));
            if (result.succeeded() && !result.stdout().isBlank()) {
                addDir(found, Path.of(result.stdout().trim()));
            }
        } catch (PgoException noPgConfig) {
            // not installed either: nothing found
        }
    }

    private void addDir(SortedMap<Integer, Path> found, Path dir) {
        Path initdb = dir.resolve("initdb");
        if (!Files.isExecutable(initdb) || !Files.isExecutable(dir.resolve("pg_ctl"))) {
            return;
        }
        try {
            Path real = initdb.toRealPath().getParent();
            if (!Files.isExecutable(real.resolve("pg_basebackup"))) {
                return;
            }
            Integer version = versionOf(real);
            if (version != null) {
                found.putIfAbsent(version, real);
            }
        } catch (IOException ignored) {
            // a broken link: not an installation
        }
    }

    private Integer versionOf(Path bindir) {
        Matcher m = VERSIONED_DIR.matcher(bindir.toString());
        if (m.matches()) {
            return Integer.valueOf(m.group(1));
        }
        var result = runner.runAllowingFailure(Command.of("asking initdb for its version",
                List.of(bindir.resolve("initdb").toString(), "--version")).withTimeout(Duration.ofSeconds(10)));
        Matcher v = VERSION_OUTPUT.matcher(result.stdout());
        return result.succeeded() && v.find() ? Integer.valueOf(v.group(1)) : null;
    }
}
