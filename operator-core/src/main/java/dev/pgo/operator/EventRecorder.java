package dev.pgo.operator;

import dev.pgo.api.v1.PgCluster;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Kubernetes Events on a PgCluster, as `kubectl describe pgcluster` shows them. The same reason
 * and message again raises the count of the existing Event instead of adding one, as the
 * kubelet's recorder does, so a retried failure does not flood the namespace.
 */
public final class EventRecorder {
    private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
    public static final String COMPONENT = "pgo-operator";

    private final KubernetesClient client;

    public EventRecorder(KubernetesClient client) {
        this.client = client;
    }

    public void normal(PgCluster cluster, String reason, String message) {
        record(cluster, "Normal", reason, message);
    }

    public void warning(PgCluster cluster, String reason, String message) {
        record(cluster, "Warning", reason, message);
    }

    private void record(PgCluster cluster, String type, String reason, String message) {
        String namespace = cluster.getMetadata().getNamespace();
        String name = cluster.name() + "." + key(cluster.getMetadata().getUid(), type, reason, message);
        String now = Instant.now().toString();
        String text = message.length() > 1000 ? message.substring(0, 1000) + "..." : message;
        try {
            // most are new: create first, and only on a conflict read the one there to count it
            try {
                client.v1().events().inNamespace(namespace).resource(new EventBuilder()
                        .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                        .withNewInvolvedObject()
                        .withApiVersion(PgCluster.API_VERSION).withKind(PgCluster.KIND)
                        .withName(cluster.name()).withNamespace(namespace).withUid(cluster.getMetadata().getUid())
                        .endInvolvedObject()
                        .withType(type).withReason(reason).withMessage(text)
                        .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                        .withEventTime(new MicroTime(now))
                        .withReportingComponent(COMPONENT).withNewSource().withComponent(COMPONENT).endSource()
                        .build()).create();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                    throw e;
                }
            }
            Event existing = client.v1().events().inNamespace(namespace).withName(name).get();
            if (existing != null) {
                existing.setCount(existing.getCount() == null ? 2 : existing.getCount() + 1);
                existing.setLastTimestamp(now);
                client.v1().events().inNamespace(namespace).resource(existing).update();
            }
        } catch (KubernetesClientException e) {
            // Events are a courtesy; failing to record one must not fail the reconcile.
            LOG.debug("could not record event {} on {}: {}", reason, cluster.name(), e.getCode());
        }
    }

    private static String key(String uid, String type, String reason, String message) {
        try {
            var digest = MessageDigest.getInstance("SHA-256");
            digest.update((uid + "\0" + type + "\0" + reason + "\0" + message).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
