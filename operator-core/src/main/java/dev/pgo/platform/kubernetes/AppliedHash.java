package dev.pgo.platform.kubernetes;

import dev.pgo.api.v1.Metadata;
import dev.pgo.manifest.Manifests;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * The fingerprint of what pgo set on an object, kept in an annotation on it. The API server fills
 * in defaults (a Service's clusterIP, a pod template's dnsPolicy, ...), so comparing whole objects
 * would find a difference on every pass and rewrite, or restart, everything; comparing this
 * fingerprint compares only what pgo itself decided.
 */
final class AppliedHash {
    static final String ANNOTATION = "pgo.dev/applied";

    private AppliedHash() {
    }

    static String of(Object whatPgoSets) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(Manifests.toJson(whatPgoSets).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 10);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** Stamps the object with the fingerprint of its current content. */
    static <T extends HasMetadata> T stamp(T object) {
        String hash = of(object);
        Metadata.addAnnotations(object.getMetadata(), Map.of(ANNOTATION, hash));
        return object;
    }

    static String read(HasMetadata object) {
        Map<String, String> annotations = object.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(ANNOTATION);
    }
}
