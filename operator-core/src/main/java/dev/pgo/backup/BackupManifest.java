package dev.pgo.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pgo.PgoException;

import java.io.IOException;
import java.nio.file.Path;

/**
 * What a catalog entry takes from pg_basebackup's backup_manifest: the WAL range the backup
 * needs (start and end LSN, the timeline it ends on) and the size of the files it restores to.
 */
public record BackupManifest(String startLsn, String stopLsn, int timeline, long dataBytes) {
    public static final String FILE_NAME = "backup_manifest";

    public static BackupManifest read(Path file) {
        try {
            JsonNode root = new ObjectMapper().readTree(file.toFile());
            JsonNode ranges = root.path("WAL-Ranges");
            if (!ranges.isArray() || ranges.isEmpty()) {
                throw new PgoException(file + " names no WAL range; the backup is incomplete");
            }
            long bytes = 0;
            for (JsonNode f : root.path("Files")) {
                bytes += f.path("Size").asLong();
            }
            JsonNode first = ranges.get(0);
            JsonNode last = ranges.get(ranges.size() - 1);
            return new BackupManifest(first.path("Start-LSN").asText(), last.path("End-LSN").asText(),
                    last.path("Timeline").asInt(), bytes);
        } catch (IOException e) {
            throw new PgoException("cannot read " + file + ": " + e.getMessage(), "the backup is incomplete or damaged");
        }
    }
}
