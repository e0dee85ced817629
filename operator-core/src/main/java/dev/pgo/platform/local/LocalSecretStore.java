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
        Path file = file(cluster, role);
        try {
            Secret secret = Manifests.readAs(Files.readString(file), Secret.class, file.toString());
            Map<String, String> data = secret.getStringData();
            return Optional.of(new Credentials(data.get("username"), data.get("password")));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new PgoException("cannot read the secret of role " + role + " in " + cluster + ": " + e.getMessage());
        }
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
        try {
            Path clusterDir = dir.resolve(cluster);
            Files.createDirectories(clusterDir, java.nio.file.attribute.PosixFilePermissions
                    .asFileAttribute(LocalHome.PRIVATE_DIR));
        } catch (IOException e) {
            throw new PgoException("cannot create the secrets directory of " + cluster + ": " + e.getMessage());
        }
        LocalHome.writeAtomically(file(cluster, role), Manifests.toYaml(secret), LocalHome.PRIVATE_FILE);
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
