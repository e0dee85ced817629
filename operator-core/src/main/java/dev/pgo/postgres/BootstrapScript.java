package dev.pgo.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The script that prepares and starts one instance where pgo cannot run programs itself (in a
 * Kubernetes pod): initdb for a new primary, pg_basebackup for a new replica, and for existing
 * data the role the operator assigned; then it becomes the server. Its inputs are environment
 * variables, listed at its top.
 */
public final class BootstrapScript {
    public static final String FILE_NAME = "bootstrap.sh";
    /** The file in the configuration directory that names the instance pgo made primary. */
    public static final String PRIMARY_FILE = "primary";

    private BootstrapScript() {
    }

    public static String text() {
        try (InputStream in = BootstrapScript.class.getResourceAsStream(FILE_NAME)) {
            if (in == null) {
                throw new IllegalStateException(FILE_NAME + " is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
