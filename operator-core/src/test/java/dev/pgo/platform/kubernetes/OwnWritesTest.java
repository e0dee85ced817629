package dev.pgo.platform.kubernetes;

import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.StandardHttpRequest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which of the operator's requests leave an object to be read from the API server until its event comes back. */
class OwnWritesTest {
    private static final String API = "https://kubernetes.default.svc";
    private final AtomicLong now = new AtomicLong();
    private final OwnWrites writes = new OwnWrites(WatchedReads.KINDS, now::get);

    private static HttpRequest request(String method, String path, String body) {
        var builder = new StandardHttpRequest.Builder().uri(API + path);
        return (body == null ? builder : builder.method(method, "application/json", body)).build();
    }

    private void send(String method, String path, String body) {
        writes.before(null, request(method, path, body), null);
    }

    @Test
    void anUpdateWaitsForItsEventThenTheWatchHasIt() {
        send("PUT", "/api/v1/namespaces/db/configmaps/a-config", "{\"metadata\":{\"name\":\"a-config\"}}");

        assertTrue(writes.waiting("configmaps", "db", "a-config"));
        assertFalse(writes.waiting("configmaps", "db", "b-config"), "only what was written");
        assertFalse(writes.waiting("configmaps", "other", "a-config"), "in its own namespace");

        writes.seen("configmaps", "db", "a-config");
        assertFalse(writes.waiting("configmaps", "db", "a-config"));
    }

    @Test
    void aCreateIsKnownByTheNameAndClusterInTheObjectItSends() {
        send("POST", "/apis/apps/v1/namespaces/db/statefulsets",
                "{\"metadata\":{\"name\":\"a\",\"labels\":{\"" + ClusterLabels.CLUSTER + "\":\"a\"}}}");

        assertTrue(writes.waiting("statefulsets", "db", "a"));
        assertTrue(writes.waitingFor("statefulsets", "db", "a", name -> null), "a list of cluster a's");
        assertFalse(writes.waitingFor("statefulsets", "db", "b", name -> null), "cluster b's list is not held up");
        assertFalse(writes.waitingFor("pods", "db", "a", name -> null), "nor another kind");
    }

    @Test
    void aWriteThatSaysNoClusterHoldsUpTheListsOfTheClusterItsObjectIsIn() {
        send("PATCH", "/api/v1/namespaces/db/persistentvolumeclaims/pgdata-a-0", "[]");

        assertTrue(writes.waitingFor("persistentvolumeclaims", "db", "a", name -> "a"));
        assertFalse(writes.waitingFor("persistentvolumeclaims", "db", "b", name -> "a"));
        assertTrue(writes.waitingFor("persistentvolumeclaims", "db", "b", name -> null),
                "an object whose cluster is not known could be anyone's");
    }

    @Test
    void twoWritesOfAnObjectWaitForTwoEvents() {
        send("PUT", "/api/v1/namespaces/db/secrets/a-postgres", "{}");
        send("PUT", "/api/v1/namespaces/db/secrets/a-postgres", "{}");

        writes.seen("secrets", "db", "a-postgres");
        assertTrue(writes.waiting("secrets", "db", "a-postgres"), "the second write's event is still to come");
        writes.seen("secrets", "db", "a-postgres");
        assertFalse(writes.waiting("secrets", "db", "a-postgres"));
    }

    @Test
    void aWriteTheServerRefusedWaitsForNothing() {
        HttpRequest create = request("POST", "/api/v1/namespaces/db/services", "{\"metadata\":{\"name\":\"a-rw\"}}");
        writes.before(null, create, null);
        writes.after(create, refused(create), null);

        assertFalse(writes.waiting("services", "db", "a-rw"));

        HttpRequest update = request("PUT", "/api/v1/namespaces/db/services/a-rw", "{}");
        writes.before(null, update, null);
        writes.afterConnectionFailure(update, new java.io.IOException("connection reset"));
        assertFalse(writes.waiting("services", "db", "a-rw"));
    }

    @Test
    void readsAndWritesOfWhatIsNotWatchedAreNotFollowed() {
        writes.before(null, request("GET", "/api/v1/namespaces/db/configmaps/a-config", null), null);
        send("POST", "/apis/batch/v1/namespaces/db/jobs", "{\"metadata\":{\"name\":\"a-backup\"}}");
        send("PUT", "/apis/pgo.dev/v1/namespaces/db/pgclusters/a/status", "{}");

        assertFalse(writes.waiting("configmaps", "db", "a-config"));
        assertFalse(writes.waitingFor("configmaps", "db", "a", name -> null));
    }

    @Test
    void aDeleteOfAClustersObjectsWaitsUntilTheWatchHoldsNoneOfThem() {
        send("DELETE", "/api/v1/namespaces/db/secrets?labelSelector=" + ClusterLabels.CLUSTER.replace("/", "%2F")
                + "%3Da", "{\"propagationPolicy\":\"Background\"}");

        assertTrue(writes.waitingFor("secrets", "db", "a", name -> null));
        assertTrue(writes.waiting("secrets", "db", "a-postgres"), "each of them, read by name");
        assertFalse(writes.waitingFor("secrets", "db", "b", name -> null));

        writes.allGone("secrets", "db", "b");
        assertTrue(writes.waitingFor("secrets", "db", "a", name -> null), "another cluster's are gone, not a's");
        writes.allGone("secrets", "db", "a");
        assertFalse(writes.waitingFor("secrets", "db", "a", name -> null));
    }

    @Test
    void aWriteWhoseEventNeverComesIsNotWaitedForForever() {
        send("PUT", "/api/v1/namespaces/db/configmaps/a-config", "{}");
        now.addAndGet(OwnWrites.PATIENCE.minus(Duration.ofSeconds(1)).toNanos());
        assertTrue(writes.waiting("configmaps", "db", "a-config"));

        now.addAndGet(Duration.ofSeconds(2).toNanos());
        assertFalse(writes.waiting("configmaps", "db", "a-config"), "the watch is broken then and lists again");
    }

    private static HttpResponse<?> refused(HttpRequest request) {
        return new HttpResponse<Void>() {
            @Override
            public int code() {
                return 409;
            }

            @Override
            public Void body() {
                return null;
            }

            @Override
            public HttpRequest request() {
                return request;
            }

            @Override
            public Optional<HttpResponse<?>> previousResponse() {
                return Optional.empty();
            }

            @Override
            public java.util.List<String> headers(String key) {
                return java.util.List.of();
            }

            @Override
            public java.util.Map<String, java.util.List<String>> headers() {
                return java.util.Map.of();
            }
        };
    }
}
