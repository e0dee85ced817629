package dev.pgo.platform.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * The operator's writes of watched objects whose events its watches have not brought back yet:
 * until they do, a watch holds an older copy than the API server, and reads of those objects
 * must go to the server ({@link WatchedReads}).
 *
 * <p>Every request of the operator's client passes by here (an interceptor of its HTTP client),
 * so no write is missed, whichever code made it. A write is waited for from the moment it is
 * sent until the watch delivers an event of the object; one that fails is not waited for. A
 * write whose event has not come after {@link #PATIENCE} is not waited for either: the watch is
 * broken then, and lists again by itself.
 */
public final class OwnWrites implements Interceptor {
    static final String NAME = "pgo-own-writes";
    static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");

    /** An object by kind (its plural), namespace and name; no name: a collection deleted by label. */
    record Key(String plural, String namespace, String name) {
    }

    /** Writes of one object still waiting for their events; the cluster when the request said it. */
    private record Waiting(String cluster, int writes, long lastWriteNanos) {
    }

    private final Set<String> plurals;
    private final LongSupplier nanos;
    private final Map<Key, Waiting> waiting = new ConcurrentHashMap<>();

    /** Follows writes of objects of these kinds. */
    public OwnWrites(Collection<Class<? extends HasMetadata>> kinds) {
        this(kinds, System::nanoTime);
    }

    OwnWrites(Collection<Class<? extends HasMetadata>> kinds, LongSupplier nanos) {
        this.plurals = kinds.stream().map(HasMetadata::getPlural).collect(Collectors.toUnmodifiableSet());
        this.nanos = nanos;
    }

    /** A client like {@code client} (its configuration) whose every request passes by here. */
    public KubernetesClient client(KubernetesClient client) {
        return new KubernetesClientBuilder().withConfig(client.getConfiguration())
                .withHttpClientBuilderConsumer(builder -> builder.addOrReplaceInterceptor(NAME, this)).build();
    }

    @Override
    public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
        Write write = write(request);
        if (write != null) {
            waiting.merge(write.key(), new Waiting(write.cluster(), 1, nanos.getAsLong()),
                    (was, now) -> new Waiting(was.cluster() != null ? was.cluster() : now.cluster(),
                            was.writes() + 1, now.lastWriteNanos()));
        }
    }

    @Override
    public void after(HttpRequest request, HttpResponse<?> response, AsyncBody.Consumer<List<ByteBuffer>> consumer) {
        if (!response.isSuccessful()) {
            unanswered(request);
        }
    }

    @Override
    public void afterConnectionFailure(HttpRequest request, Throwable failure) {
        unanswered(request);
    }

    /** A write refused or never delivered changed nothing: no event of it comes. */
    private void unanswered(HttpRequest request) {
        Write write = write(request);
        if (write != null) {
            answered(write.key());
        }
    }

    /** The watch delivered an event of this object: it answers one write of it. */
    void seen(String plural, String namespace, String name) {
        answered(new Key(plural, namespace, name));
    }

    /** The watch holds no object of this kind of the cluster any more: a delete of them all is answered. */
    void allGone(String plural, String namespace, String cluster) {
        waiting.computeIfPresent(new Key(plural, namespace, null),
                (key, w) -> w.cluster() == null || w.cluster().equals(cluster) ? null : w);
    }

    private void answered(Key key) {
        waiting.computeIfPresent(key, (k, w) -> w.writes() <= 1 ? null : new Waiting(w.cluster(), w.writes() - 1,
                w.lastWriteNanos()));
    }

    /** Whether a write of this object (or of every object of its kind in the namespace) waits for its event. */
    boolean waiting(String plural, String namespace, String name) {
        return waits(new Key(plural, namespace, name)) || collectionWaits(plural, namespace, null);
    }

    /**
     * Whether a write of an object of this kind of this cluster waits for its event;
     * {@code clusterOf} tells the cluster of an object by name when the write did not say.
     */
    boolean waitingFor(String plural, String namespace, String cluster, Function<String, String> clusterOf) {
        if (collectionWaits(plural, namespace, cluster)) {
            return true;
        }
        for (Map.Entry<Key, Waiting> entry : waiting.entrySet()) {
            Key key = entry.getKey();
            if (key.name() != null && key.plural().equals(plural) && key.namespace().equals(namespace)
                    && waits(key)) {
                String of = entry.getValue().cluster() != null ? entry.getValue().cluster() : clusterOf.apply(key.name());
                if (of == null || of.equals(cluster)) {
                    return true; // an object of unknown cluster might be one of these
                }
            }
        }
        return false;
    }

    private boolean collectionWaits(String plural, String namespace, String cluster) {
        Key key = new Key(plural, namespace, null);
        Waiting w = waiting.get(key);
        return w != null && (w.cluster() == null || cluster == null || w.cluster().equals(cluster)) && waits(key);
    }

    /** Whether the writes of this key wait still; those waited for longer than {@link #PATIENCE} are dropped. */
    private boolean waits(Key key) {
        Waiting w = waiting.get(key);
        if (w == null) {
            return false;
        }
        if (nanos.getAsLong() - w.lastWriteNanos() > PATIENCE.toNanos()) {
            waiting.remove(key, w);
            return false;
        }
        return true;
    }

    /** A request that writes a watched object, or null. */
    private record Write(Key key, String cluster) {
    }

    private Write write(HttpRequest request) {
        if (request == null || !WRITES.contains(request.method())) {
            return null;
        }
        URI uri = request.uri();
        // /api/v1/namespaces/NS/PLURAL[/NAME[/SUBRESOURCE]] or /apis/GROUP/VERSION/namespaces/...
        List<String> parts = List.of(uri.getRawPath().split("/"));
        int at = parts.indexOf("namespaces");
        if (at < 0 || parts.size() < at + 3 || !plurals.contains(parts.get(at + 2))) {
            return null;
        }
        String namespace = decode(parts.get(at + 1));
        String plural = parts.get(at + 2);
        String name = parts.size() > at + 3 ? decode(parts.get(at + 3)) : null;
        JsonNode body = request.method().equals("POST") || request.method().equals("PUT") ? body(request) : null;
        if (name == null && body != null) {
            name = body.path("metadata").path("name").asText(null); // a create: the name is in the object
        }
        String cluster = body == null ? null
                : body.path("metadata").path("labels").path(ClusterLabels.CLUSTER).asText(null);
        if (name == null && cluster == null) {
            cluster = clusterInSelector(uri.getRawQuery()); // a delete of every object with the cluster's label
        }
        return new Write(new Key(plural, namespace, name), cluster);
    }

    private static JsonNode body(HttpRequest request) {
        String text = request.bodyString();
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            return null;
        }
    }

    private static String clusterInSelector(String query) {
        if (query == null) {
            return null;
        }
        for (String parameter : query.split("&")) {
            if (parameter.startsWith("labelSelector=")) {
                for (String term : decode(parameter.substring("labelSelector=".length())).split(",")) {
                    if (term.startsWith(ClusterLabels.CLUSTER + "=")) {
                        return term.substring(ClusterLabels.CLUSTER.length() + 1);
                    }
                }
            }
        }
        return null;
    }

    private static String decode(String part) {
        return URLDecoder.decode(part, StandardCharsets.UTF_8);
    }
}
