package dev.pgo.platform.local;

import dev.pgo.PgoException;
import dev.pgo.manifest.Manifests;
import dev.pgo.platform.Passwords;
import dev.pgo.platform.SecretStore;
import dev.pgo.sql.Credentials;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Role passwords as Kubernetes-schema Secrets under $PGO_HOME/secrets/CLUSTER/ROLE.yaml,
 * files 0600 in directories 0700.
 */
final class LocalSecretStore implements SecretStore {
    private final Path dir;

    LocalSecretStore(Path dir) {
        this.dir = dir;
    }

    @Override
    public Optional<Credentials> get(String cluster, String role) {
        return values(file(cluster, role), "the secret of role " + role + " in " + cluster)
                .map(data -> new Credentials(data.get("username"), data.get("password")));
    }

    /**
     * The keys and values of a Secret manifest file, from stringData and from data (base64), as
     * {@code kubectl create secret ... --dry-run=client -o yaml} writes them; empty when there
     * is no such file.
     */
    Optional<Map<String, String>> values(Path file, String what) {
        try {
            Secret secret = Manifests.readAs(Files.readString(file), Secret.class, file.toString());
            var values = new java.util.LinkedHashMap<String, String>();
            if (secret.getData() != null) {
                secret.getData().forEach((key, value) -> values.put(key, decode(value, file, key)));
            }
            if (secret.getStringData() != null) {
                values.putAll(secret.getStringData());
            }
            return Optional.of(values);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new PgoException("cannot read " + what + ": " + e.getMessage());
        }
    }

    private static String decode(String base64, Path file, String key) {
        try {
            return new String(java.util.Base64.getMimeDecoder().decode(base64), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new PgoException(file + ": data." + key + " is not base64", "put plain text under stringData instead");
        }
    }

    /** A user's own Secret (one the spec names), $PGO_HOME/secrets/NAME.yaml. */
    Path userSecret(String name) {
        return dir.resolve(name + ".yaml");
    }

    /** A file in the cluster's secrets directory, made 0700 on first use. */
    Path clusterFile(String cluster, String fileName) {
        try {
            Files.createDirectories(dir.resolve(cluster), java.nio.file.attribute.PosixFilePermissions
                    .asFileAttribute(LocalHome.PRIVATE_DIR));
        } catch (IOException e) {
            throw new PgoException("cannot create the secrets directory of " + cluster + ": " + e.getMessage());
        }
        return dir.resolve(cluster).resolve(fileName);
    }

    /** Writes a Secret of the cluster as a manifest file, 0600. */
    void write(String cluster, String fileName, Secret secret) {
        LocalHome.writeAtomically(clusterFile(cluster, fileName), Manifests.toYaml(secret), LocalHome.PRIVATE_FILE);
    }

    @Override
    public synchronized Credentials ensure(String cluster, String role) {
        Optional<Credentials> existing = get(cluster, role);
        if (existing.isPresent()) {
            return existing.get();
        }
        var credentials = new Credentials(role, Passwords.generate());
        Secret secret = new SecretBuilder()
                .withNewMetadata().withName(cluster + "-" + role.replace('_', '-'))
                .addToLabels("pgo.dev/cluster", cluster).endMetadata()
                .withType("kubernetes.io/basic-auth")
                .addToStringData("username", credentials.username())
                .addToStringData("password", credentials.password())
                .build();
        write(cluster, role + ".yaml", secret);
        return credentials;
    }

    @Override
    public void deleteAll(String cluster) {
        LocalHome.deleteTree(dir.resolve(cluster));
    }

    private Path file(String cluster, String role) {
        return dir.resolve(cluster).resolve(role + ".yaml");
    }
}
