package dev.pgo.platform.local;

import dev.pgo.PgoException;
import dev.pgo.process.Processes;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * One local PVC: a directory under $PGO_HOME/volumes holding an instance's data directory
 * (pgdata/), the passfile its replication uses, and pgo's record of whom it belongs to and
 * which port it listens on.
 */
record LocalVolume(Path dir) {
    static final String METADATA = "pgo-volume.properties";

    Path pgdata() {
        return dir.resolve("pgdata");
    }

    /** The server's certificate, key and the authority, when its cluster speaks TLS. */
    Path tlsDir() {
        return dir.resolve("tls");
    }

    Path passfile() {
        return dir.resolve("pgpass");
    }

    Path metadataFile() {
        return dir.resolve(METADATA);
    }

    String name() {
        return dir.getFileName().toString();
    }

    /** Written when a bootstrap (initdb or pg_basebackup, configuration, first start) finished. */
    Path bootstrapMarker() {
        return dir.resolve("bootstrapped");
    }

    /**
     * Written when a failover fenced this instance, its primary: its data may hold WAL the new
     * primary never received, so it runs again only as a replica, after pg_rewind.
     */
    Path divergedMarker() {
        return dir.resolve("diverged");
    }

    /**
     * Whether the data directory is complete. PG_VERSION alone does not say so: initdb and
     * pg_basebackup write it early, and an interrupted run leaves it behind.
     */
    boolean initialized() {
        return Files.exists(bootstrapMarker()) && Files.exists(pgdata().resolve("PG_VERSION"));
    }

    void markBootstrapped() {
        LocalHome.writeAtomically(bootstrapMarker(), java.time.Instant.now() + "\n", LocalHome.PRIVATE_FILE);
    }

    /** Who the volume belongs to and how its instance listens. */
    record Metadata(String cluster, String instance, int ordinal, String capacity, int port, String created) {
        String toText() {
            var p = new Properties();
            p.setProperty("cluster", cluster);
            p.setProperty("instance", instance);
            p.setProperty("ordinal", String.valueOf(ordinal));
            p.setProperty("capacity", capacity);
            p.setProperty("port", String.valueOf(port));
            p.setProperty("created", created);
            var out = new StringWriter();
            try {
                p.store(out, "pgo volume");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out.toString();
        }

        static Metadata fromText(String text) throws IOException {
            var p = new Properties();
            p.load(new StringReader(text));
            return new Metadata(p.getProperty("cluster"), p.getProperty("instance"),
                    Integer.parseInt(p.getProperty("ordinal", "0")), p.getProperty("capacity", ""),
                    Integer.parseInt(p.getProperty("port", "0")), p.getProperty("created", ""));
        }
    }

    Optional<Metadata> metadata() {
        try {
            return Optional.of(Metadata.fromText(Files.readString(metadataFile())));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            throw new PgoException("cannot read " + metadataFile() + ": " + e.getMessage(),
                    "the volume's metadata is damaged; remove the volume or restore the file");
        }
    }

    void writeMetadata(Metadata metadata) {
        LocalHome.writeAtomically(metadataFile(), metadata.toText(), LocalHome.PRIVATE_FILE);
    }

    /** The postmaster's pid if its pid file names a live postgres process. */
    Optional<Long> runningPid() {
        Path pidFile = pgdata().resolve("postmaster.pid");
        try {
            String first = Files.readAllLines(pidFile).stream().findFirst().orElse("").trim();
            long pid = Long.parseLong(first);
            return ProcessHandle.of(pid).filter(h -> Processes.isRunning(h.pid()))
                    .filter(h -> h.info().command().map(c -> c.endsWith("postgres")).orElse(true))
                    .map(ProcessHandle::pid);
        } catch (NoSuchFileException | NumberFormatException e) {
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
