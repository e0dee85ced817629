package dev.pgo.platform;

import dev.pgo.sql.Endpoint;

/**
 * What a platform knows of one instance without asking PostgreSQL: its volume, whether the data
 * directory was initialised, whether the server runs, and where it listens.
 */
public record InstanceRuntime(String name, int ordinal, String pvc, boolean initialized, boolean running,
                              Endpoint endpoint) {
}
