package dev.pgo.platform.kubernetes;

import dev.pgo.api.v1.PgCluster;
import dev.pgo.sql.Endpoint;

/**
 * Applies changed shared settings to a running instance: once the pod's mounted configuration
 * shows what pgo wrote into the ConfigMap, the server is told to reload it.
 */
@FunctionalInterface
interface ConfigReloader {
    /**
     * True when the instance reloaded {@code config}, {@code hba} and the server certificate
     * {@code certificate} (null without TLS); false while its mounts still show older files.
     */
    boolean reload(PgCluster cluster, String instance, Endpoint endpoint, String config, String hba,
                   String certificate);
}
