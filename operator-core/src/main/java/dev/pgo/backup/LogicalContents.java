package dev.pgo.backup;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a logical backup holds: one pg_dump file (custom format) per database, with the owner
 * the database had, and the names of the roles that existed then. A restore creates the roles
 * the new cluster lacks (without login and without passwords: a dump never carries those), so
 * ownership and grants come back as they were.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"roles", "databases"})
public record LogicalContents(List<String> roles, List<DatabaseDump> databases) {
    public LogicalContents {
        roles = roles == null ? List.of() : List.copyOf(roles);
        databases = databases == null ? List.of() : List.copyOf(databases);
    }

    /** One database's dump: the file in the backup's directory, its size and SHA-256 once written. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"name", "owner", "file", "sizeBytes", "sha256"})
    public record DatabaseDump(String name, String owner, String file, Long sizeBytes, String sha256) {
        public DatabaseDump written(long size, String digest) {
            return new DatabaseDump(name, owner, file, size, digest);
        }
    }

    /**
     * What to dump: these roles, and these databases (name to owner, in order). Files are
     * numbered, not named after the database, because a database name may hold any character.
     */
    public static LogicalContents plan(List<String> roles, Map<String, String> owners) {
        var numbered = new ArrayList<DatabaseDump>();
        owners.forEach((name, owner) -> numbered.add(
                new DatabaseDump(name, owner, "db-" + (numbered.size() + 1) + ".dump", null, null)));
        return new LogicalContents(roles, numbered);
    }

    public LogicalContents withDatabases(List<DatabaseDump> written) {
        return new LogicalContents(roles, written);
    }

    /** The bytes of every written dump. */
    public long sizeBytes() {
        return databases.stream().map(DatabaseDump::sizeBytes).filter(Objects::nonNull).mapToLong(Long::longValue).sum();
    }
}
