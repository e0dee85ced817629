package dev.pgo.cmd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.pgo.PgoException;
import dev.pgo.TextFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The client's defaults from $PGO_CONFIG or ~/.pgo/config.yaml: which platform, how many
 * replicas `pgo create cluster` makes, and the storage size. Missing file, missing keys: defaults.
 */
public record ClientConfig(String platform, int defaultReplicas, String defaultStorage) {
    public static final ClientConfig DEFAULTS = new ClientConfig("local", 2, "1Gi");

    public static ClientConfig load() {
        String env = System.getenv("PGO_CONFIG");
        Path file = env != null && !env.isBlank() ? Path.of(env)
                : Path.of(System.getProperty("user.home"), ".pgo", "config.yaml");
        if (!Files.exists(file)) {
            return DEFAULTS;
        }
        return Parser.parse(file, TextFiles.read(file));
    }

    /**
     * Apart, so that the YAML library is loaded only when there is a file to read: the class
     * verifier loads every type a class's methods use, and a Tab must not wait for Jackson.
     */
    private static final class Parser {
        static ClientConfig parse(Path file, String text) {
            try {
                JsonNode node = new ObjectMapper(new YAMLFactory()).readTree(text);
                if (node == null || node.isMissingNode() || node.isNull()) {
                    return DEFAULTS;
                }
                JsonNode replicas = node.path("defaultReplicas");
                if (!replicas.isMissingNode() && (!replicas.canConvertToInt() || !replicas.isIntegralNumber()
                        || replicas.asInt() < 0)) {
                    throw new PgoException(file + ": defaultReplicas must be a whole number of 0 or more, not '"
                            + replicas.asText() + "'");
                }
                return new ClientConfig(node.path("platform").asText(DEFAULTS.platform()),
                        replicas.asInt(DEFAULTS.defaultReplicas()),
                        node.path("defaultStorage").asText(DEFAULTS.defaultStorage()));
            } catch (IOException e) {
                throw new PgoException("cannot read " + file + ": " + e.getMessage());
            }
        }
    }
}
