package dev.pgo.platform.local;

import dev.pgo.PgoException;
import dev.pgo.api.v1.PgCluster;
import dev.pgo.api.v1.TlsSpec;
import dev.pgo.tls.ClusterCertificates;
import dev.pgo.tls.TlsBundle;
import dev.pgo.tls.TlsKeyPair;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The certificates of the local platform's TLS clusters, kept beside the role passwords in
 * $PGO_HOME/secrets/CLUSTER/: the cluster's authority (its key never leaves that directory),
 * the server certificate it signed, and ca.crt, the file clients name as sslrootcert. A cluster
 * whose spec names a Secret uses $PGO_HOME/secrets/NAME.yaml instead.
 */
final class LocalTls {
    /** Every local instance listens on the loopback address; clients reach it by these names. */
    static final List<String> HOST_NAMES = List.of("localhost", LocalInstances.HOST, "::1");
    static final String CLIENT_AUTHORITY_FILE = "ca.crt";
    private static final String AUTHORITY_FILE = "tls-authority.yaml";
    private static final String SERVER_FILE = "tls-server.yaml";

    private final LocalSecretStore secrets;
    private final Clock clock;

    LocalTls(LocalSecretStore secrets, Clock clock) {
        this.secrets = secrets;
        this.clock = clock;
    }

    /**
     * What the cluster's servers should hold now, made or renewed first where needed: empty
     * when the spec asks for no TLS. Also refreshes ca.crt for clients.
     */
    Optional<TlsBundle> ensure(PgCluster cluster) {
        if (!TlsSpec.on(cluster.getSpec())) {
            return Optional.empty();
        }
        String name = cluster.name();
        TlsBundle bundle = userSecret(cluster).orElseGet(() -> generated(name));
        Path clientCopy = secrets.clusterFile(name, CLIENT_AUTHORITY_FILE);
        if (!bundle.authorityPem().equals(readQuietly(clientCopy))) {
            LocalHome.writeAtomically(clientCopy, bundle.authorityPem(), LocalHome.PRIVATE_FILE);
        }
        return Optional.of(bundle);
    }

    /**
     * What {@link #ensure} would return without making anything: empty when TLS is off, when
     * nothing is stored yet, when the stored certificate is due for renewal, or when the user's
     * Secret is missing or unusable (ensure then says why).
     */
    Optional<TlsBundle> current(PgCluster cluster) {
        if (!TlsSpec.on(cluster.getSpec())) {
            return Optional.empty();
        }
        try {
            if (cluster.getSpec().getTls().getSecretName() != null) {
                return userSecret(cluster);
            }
            return stored(cluster.name(), SERVER_FILE).filter(bundle -> !dueForRenewal(bundle));
        } catch (PgoException e) {
            return Optional.empty();
        }
    }

    /** The file a client names as sslrootcert to verify the cluster's servers. */
    Path clientAuthority(String cluster) {
        return secrets.clusterFile(cluster, CLIENT_AUTHORITY_FILE);
    }

    /** Problems with the Secret a spec names, for the platform's check before anything is applied. */
    Optional<String> problem(PgCluster cluster) {
        try {
            userSecret(cluster);
            return Optional.empty();
        } catch (PgoException e) {
            return Optional.of(e.getMessage());
        }
    }

    private Optional<TlsBundle> userSecret(PgCluster cluster) {
        TlsSpec tls = cluster.getSpec().getTls();
        if (tls == null || tls.getSecretName() == null) {
            return Optional.empty();
        }
        Path file = secrets.userSecret(tls.getSecretName());
        String what = "the Secret '" + tls.getSecretName() + "' (" + file + ")";
        Map<String, String> values = secrets.values(file, what).orElseThrow(() -> new PgoException(
                what + " named by spec.tls.secretName does not exist",
                "write it with tls.crt, tls.key and ca.crt, e.g. kubectl create secret tls " + tls.getSecretName()
                        + " --cert=server.crt --key=server.key --dry-run=client -o yaml, plus ca.crt"));
        for (String key : List.of(TlsBundle.CERTIFICATE_KEY, TlsBundle.KEY_KEY, TlsBundle.AUTHORITY_KEY)) {
            if (values.get(key) == null || values.get(key).isBlank()) {
                throw new PgoException(what + " has no " + key, "it needs tls.crt, tls.key and ca.crt");
            }
        }
        return Optional.of(new TlsBundle(values.get(TlsBundle.AUTHORITY_KEY), values.get(TlsBundle.CERTIFICATE_KEY),
                values.get(TlsBundle.KEY_KEY)).check(what, clock.instant()));
    }

    /** The authority made once per cluster, and a server certificate made again when due. */
    private synchronized TlsBundle generated(String cluster) {
        Optional<TlsBundle> server = stored(cluster, SERVER_FILE);
        if (server.isPresent() && !dueForRenewal(server.get())) {
            return server.get();
        }
        TlsKeyPair authority = stored(cluster, AUTHORITY_FILE)
                .map(bundle -> TlsKeyPair.read(bundle.certificatePem(), bundle.keyPem(), "the authority of " + cluster))
                .orElseGet(() -> {
                    TlsKeyPair made = ClusterCertificates.authority(cluster, clock.instant());
                    store(cluster, AUTHORITY_FILE, TlsBundle.of(made, made));
                    return made;
                });
        TlsBundle made = TlsBundle.of(authority,
                ClusterCertificates.server(authority, cluster, HOST_NAMES, clock.instant()));
        store(cluster, SERVER_FILE, made);
        return made;
    }

    private boolean dueForRenewal(TlsBundle bundle) {
        var authority = TlsKeyPair.readCertificate(bundle.authorityPem(), "the authority");
        return ClusterCertificates.needsRenewal(bundle.certificate(), authority, HOST_NAMES, clock.instant());
    }

    private Optional<TlsBundle> stored(String cluster, String fileName) {
        return secrets.values(secrets.clusterFile(cluster, fileName), "the certificate of " + cluster)
                .map(values -> new TlsBundle(values.get(TlsBundle.AUTHORITY_KEY),
                        values.get(TlsBundle.CERTIFICATE_KEY), values.get(TlsBundle.KEY_KEY)));
    }

    private void store(String cluster, String fileName, TlsBundle bundle) {
        Secret secret = new SecretBuilder()
                .withNewMetadata().withName(cluster + "-" + fileName.replace(".yaml", ""))
                .addToLabels("pgo.dev/cluster", cluster).endMetadata()
                .withType("kubernetes.io/tls")
                .addToStringData(TlsBundle.CERTIFICATE_KEY, bundle.certificatePem())
                .addToStringData(TlsBundle.KEY_KEY, bundle.keyPem())
                .addToStringData(TlsBundle.AUTHORITY_KEY, bundle.authorityPem())
                .build();
        secrets.write(cluster, fileName, secret);
    }

    private static String readQuietly(Path file) {
        try {
            return java.nio.file.Files.readString(file);
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
