package dev.pgo.platform.kubernetes;

import dev.pgo.PgoException;
import dev.pgo.api.v1.PgCluster;
import dev.pgo.platform.SecretStore;
import dev.pgo.sql.Credentials;
import dev.pgo.sql.Endpoint;
import dev.pgo.sql.SqlErrors;
import dev.pgo.validate.SpecValidator;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * Reloads over SQL as the superuser. The mounted files are found beside the server's hba_file
 * (the bootstrap script points it into the configuration mount) and read with pg_read_file, so
 * the reload happens only once the kubelet has brought the new ConfigMap into the pod, and a
 * renewed certificate's Secret too.
 */
final class SqlConfigReloader implements ConfigReloader {
    private static final String MOUNTED = """
            SELECT pg_read_file(regexp_replace(current_setting('hba_file'), 'pg_hba[.]conf$', 'pgo.conf')) = ?
               AND pg_read_file(current_setting('hba_file')) = ?
               AND (?::text IS NULL OR pg_read_file(?, 0, 1048576, true) = ?)""";

    private final SecretStore secrets;

    SqlConfigReloader(SecretStore secrets) {
        this.secrets = secrets;
    }

    @Override
    public boolean reload(PgCluster cluster, String instance, Endpoint endpoint, String config, String hba,
                          String certificate) {
        Credentials superuser = secrets.get(cluster.name(), SpecValidator.SUPERUSER)
                .orElseThrow(() -> new PgoException("the superuser secret of " + cluster.name() + " is missing"));
        var properties = new Properties();
        properties.setProperty("user", superuser.username());
        properties.setProperty("password", superuser.password());
        properties.setProperty("connectTimeout", "5");
        properties.setProperty("socketTimeout", "10");
        if (endpoint.tls()) {
            properties.setProperty("sslmode", "verify-ca");
            properties.setProperty("sslrootcert", endpoint.rootCertificate().toString());
        } else {
            properties.setProperty("sslmode", "prefer");
        }
        properties.setProperty("ApplicationName", "pgo");
        String url = "jdbc:postgresql://" + endpoint.host() + ":" + endpoint.port() + "/postgres";
        try (Connection connection = DriverManager.getConnection(url, properties);
             PreparedStatement mounted = connection.prepareStatement(MOUNTED)) {
            mounted.setString(1, config);
            mounted.setString(2, hba);
            mounted.setString(3, certificate);
            mounted.setString(4, KubernetesTls.MOUNT + "/" + dev.pgo.tls.TlsBundle.CERTIFICATE_KEY);
            mounted.setString(5, certificate);
            try (ResultSet rs = mounted.executeQuery()) {
                if (!rs.next() || !rs.getBoolean(1)) {
                    return false;
                }
            }
            try (Statement st = connection.createStatement()) {
                st.execute("SELECT pg_reload_conf()");
            }
            return true;
        } catch (SQLException e) {
            throw new PgoException("cannot reload the configuration of " + instance + ": " + SqlErrors.describe(e));
        }
    }
}
