package dev.pgo.sql;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where one PostgreSQL instance listens, and the certificate authority its server certificate is
 * checked against when the cluster speaks TLS (null when it does not).
 */
public record Endpoint(String host, int port, Path rootCertificate) {
    public Endpoint(String host, int port) {
        this(host, port, null);
    }

    public boolean tls() {
        return rootCertificate != null;
    }

    /**
     * libpq's SSL settings for a program pgo runs against this endpoint. verify-ca: the
     * authority is the cluster's own, and pgo reaches servers by addresses (a pod IP, a port
     * forward) that no certificate could list.
     */
    public Map<String, String> libpqEnvironment(Path passfile) {
        var environment = new java.util.HashMap<String, String>();
        environment.put("PGPASSFILE", passfile.toString());
        if (tls()) {
            environment.put("PGSSLMODE", "verify-ca");
            environment.put("PGSSLROOTCERT", rootCertificate.toString());
            environment.put("PGSSLCERT", noClientCertificate().toString());
            environment.put("PGSSLKEY", noClientCertificate().toString());
        } else {
            environment.put("PGSSLMODE", "disable");
        }
        return Map.copyOf(environment);
    }

    /** The same settings as conninfo keywords, for primary_conninfo and pg_rewind's source. */
    public String conninfoSsl() {
        if (!tls()) {
            return "sslmode=disable";
        }
        String none = Conninfo.value(noClientCertificate().toString());
        return "sslmode=verify-ca sslrootcert=" + Conninfo.value(rootCertificate.toString())
                + " sslcert=" + none + " sslkey=" + none;
    }

    /**
     * pgo logs in with passwords, never with a client certificate. Without this, libpq would
     * look for one in ~/.postgresql of whatever HOME the program inherited, and a program
     * running as the server user with root's HOME fails on that directory instead of skipping
     * it; a file that does not exist is skipped.
     */
    private Path noClientCertificate() {
        return rootCertificate.resolveSibling("no-client-certificate");
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
