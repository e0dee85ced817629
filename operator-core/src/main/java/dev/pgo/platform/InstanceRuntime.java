package dev.pgo.platform;

import dev.pgo.sql.Endpoint;

/**
 * What a platform knows of one instance without asking PostgreSQL: its volume, whether the data
 * directory was initialised (or the platform took it on to initialise), whether the server runs,
 * and where it listens. {@code pending} says why an instance that is not running yet is on its way
 * without anyone's help (a pod being scheduled or cloning); null when nothing is under way.
 * {@code diverged} marks a primary that a failover fenced: its data may hold WAL the new primary
 * never received, so it runs again only as a replica, after pg_rewind.
 */
public record InstanceRuntime(String name, int ordinal, String pvc, boolean initialized, boolean running,
                              Endpoint endpoint, String pending, boolean diverged) {

    public InstanceRuntime(String name, int ordinal, String pvc, boolean initialized, boolean running,
                           Endpoint endpoint, String pending) {
        this(name, ordinal, pvc, initialized, running, endpoint, pending, false);
    }

    public InstanceRuntime(String name, int ordinal, String pvc, boolean initialized, boolean running,
                           Endpoint endpoint) {
        this(name, ordinal, pvc, initialized, running, endpoint, null, false);
    }
}
