package dev.pgo.platform.kubernetes;

import dev.pgo.PgoException;
import dev.pgo.api.v1.PgCluster;
import dev.pgo.api.v1.TlsSpec;
import dev.pgo.sql.Endpoint;
import dev.pgo.tls.ClusterCertificates;
import dev.pgo.tls.TlsBundle;
import dev.pgo.tls.TlsKeyPair;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The certificates of TLS clusters on Kubernetes: two Secrets the cluster owns, CLUSTER.tls-ca
 * (the authority; its key is never mounted anywhere) and CLUSTER.tls (tls.crt, tls.key and
 * ca.crt, which the pods mount), or the Secret the spec names. pgo's own connections check the
 * servers against ca.crt, copied to a private temporary file for the driver and libpq.
 */
final class KubernetesTls {
    /** Where the pods mount the server's Secret. */
    static final String MOUNT = "/etc/pgo-tls";
    static final String VOLUME = "tls";

    private final KubernetesClient client;
    private final String namespace;
    private final ObjectReads reads;
    private final Clock clock;
    private final Map<String, Path> authorityFiles = new ConcurrentHashMap<>();
    private Path authorityDir;

    KubernetesTls(KubernetesClient client, String namespace, ObjectReads reads, Clock clock) {
        this.client = client;
        this.namespace = namespace;
        this.reads = reads;
        this.clock = clock;
    }

    /** The Secret the pods mount: the one the spec names, else the one pgo makes. */
    static String serverSecret(PgCluster cluster) {
        var tls = cluster.getSpec().getTls();
        return tls != null && tls.getSecretName() != null ? tls.getSecretName()
                : ObjectNames.tlsSecret(cluster.name());
    }

    /** The names clients reach the cluster by: its Services and each pod, short and qualified. */
    static List<String> hostNames(PgCluster cluster) {
        String name = cluster.name();
        String ns = cluster.getMetadata().getNamespace();
        var names = new ArrayList<String>();
        for (String service : List.of(ObjectNames.readWriteService(name), ObjectNames.readOnlyService(name),
                "*." + ObjectNames.podsService(name))) {
            names.add(service);
            names.add(service + "." + ns);
            names.add(service + "." + ns + ".svc");
            names.add(service + "." + ns + ".svc.cluster.local");
        }
        names.add("localhost"); // a port forward
        names.add("127.0.0.1");
        return names;
    }

    /** Whether pgo must make or renew the cluster's certificate before its pods can use it. */
    boolean drifted(PgCluster cluster) {
        if (!TlsSpec.on(cluster.getSpec()) || cluster.getSpec().getTls().getSecretName() != null) {
            return false;
        }
        Optional<TlsBundle> server = read(ObjectNames.tlsSecret(cluster.name()));
        return server.isEmpty() || dueForRenewal(cluster, server.get());
    }

    /** Makes the authority once and the server certificate when it is missing or due for renewal. */
    void ensure(PgCluster cluster) {
        if (!drifted(cluster)) {
            return;
        }
        String authorityName = ObjectNames.tlsAuthoritySecret(cluster.name());
        TlsKeyPair authority = read(authorityName)
                .map(bundle -> TlsKeyPair.read(bundle.certificatePem(), bundle.keyPem(), "Secret " + authorityName))
                .orElseGet(() -> {
                    TlsKeyPair made = ClusterCertificates.authority(cluster.name(), clock.instant());
                    write(ClusterObjects.tlsSecret(cluster, authorityName, TlsBundle.of(made, made)));
                    return made;
                });
        TlsKeyPair server = ClusterCertificates.server(authority, cluster.name(), hostNames(cluster), clock.instant());
        write(ClusterObjects.tlsSecret(cluster, ObjectNames.tlsSecret(cluster.name()), TlsBundle.of(authority, server)));
    }

    /** The server certificate the pods should have now, when there is one. */
    Optional<TlsBundle> current(PgCluster cluster) {
        return TlsSpec.on(cluster.getSpec()) ? read(serverSecret(cluster)) : Optional.empty();
    }

    /**
     * The endpoint of a pod, with the authority to check it against when the pod mounts the
     * certificate: a pod that started before TLS was turned on still speaks plain TCP until the
     * rolling update restarts it.
     */
    Endpoint endpoint(PgCluster cluster, Pod pod, Endpoint address) {
        boolean mounted = pod.getSpec() != null && pod.getSpec().getVolumes() != null
                && pod.getSpec().getVolumes().stream().anyMatch(v -> VOLUME.equals(v.getName()));
        if (!mounted || !TlsSpec.on(cluster.getSpec())) {
            return address;
        }
        return current(cluster).map(bundle -> new Endpoint(address.host(), address.port(),
                authorityFile(cluster.name(), bundle.authorityPem()))).orElse(address);
    }

    private synchronized Path authorityFile(String cluster, String pem) {
        Path known = authorityFiles.get(cluster);
        try {
            if (known != null && pem.equals(Files.readString(known))) {
                return known;
            }
            if (authorityDir == null) {
                authorityDir = Files.createTempDirectory("pgo-tls-", PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
                authorityDir.toFile().deleteOnExit();
            }
            Path file = authorityDir.resolve(namespace + "-" + cluster + "-ca.crt");
            Files.writeString(file, pem, StandardCharsets.US_ASCII);
            file.toFile().deleteOnExit();
            authorityFiles.put(cluster, file);
            return file;
        } catch (IOException e) {
            throw new PgoException("cannot write the certificate authority of " + cluster + ": " + e.getMessage());
        }
    }

    private boolean dueForRenewal(PgCluster cluster, TlsBundle bundle) {
        try {
            var authority = TlsKeyPair.readCertificate(bundle.authorityPem(), "the authority");
            return ClusterCertificates.needsRenewal(bundle.certificate(), authority, hostNames(cluster), clock.instant());
        } catch (PgoException e) {
            return true; // unreadable: made again
        }
    }

    private Optional<TlsBundle> read(String name) {
        Secret secret = Requests.call("read Secret " + name, () -> reads.get(Secret.class, namespace, name));
        if (secret == null) {
            return Optional.empty();
        }
        String certificate = KubernetesSecretStore.value(secret, TlsBundle.CERTIFICATE_KEY);
        String key = KubernetesSecretStore.value(secret, TlsBundle.KEY_KEY);
        String authority = KubernetesSecretStore.value(secret, TlsBundle.AUTHORITY_KEY);
        if (certificate == null || key == null || authority == null) {
            return Optional.empty();
        }
        return Optional.of(new TlsBundle(authority, certificate, key));
    }

    private void write(Secret secret) {
        String name = secret.getMetadata().getName();
        Requests.call("write Secret " + name, () -> client.secrets().inNamespace(namespace).resource(secret)
                .createOr(existing -> existing.update()));
    }
}
