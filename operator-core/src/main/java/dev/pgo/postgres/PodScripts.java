package dev.pgo.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The scripts that run PostgreSQL's programs where pgo cannot run them itself (in Kubernetes
 * pods), shipped in each cluster's ConfigMap. Their inputs are environment variables, listed at
 * the top of each.
 */
public final class PodScripts {
    /** Prepares and starts one instance: initdb, a clone, or the role pgo assigned; then it becomes the server. */
    public static final String BOOTSTRAP = "bootstrap.sh";
    /** Takes a base backup into the backup volume and verifies it, or deletes backups from it (a Job). */
    public static final String BACKUP = "backup.sh";
    /** Makes a new primary from a backup before the instance first starts (a Job). */
    public static final String RESTORE = "restore.sh";
    /** The file in the configuration directory that names the instance pgo made primary. */
    public static final String PRIMARY_FILE = "primary";
    /**
     * The file in the configuration directory of a cluster made from a backup: the bootstrap
     * script then never runs initdb for the primary, it waits for the restore.
     */
    public static final String RESTORE_FILE = "restore";

    private PodScripts() {
    }

    public static String text(String script) {
        try (InputStream in = PodScripts.class.getResourceAsStream(script)) {
            if (in == null) {
                throw new IllegalStateException(script + " is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
