package dev.pgo.platform.kubernetes;

import dev.pgo.PgoException;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.net.HttpURLConnection;
import java.util.function.Supplier;

/**
 * Turns API server failures into messages a user can act on: what pgo tried, what the server
 * said, and for a refusal which permission is missing. Response bodies are not quoted, so no
 * object content (a Secret's data) reaches a message.
 */
final class Requests {
    private Requests() {
    }

    static <T> T call(String what, Supplier<T> request) {
        try {
            return request.get();
        } catch (KubernetesClientException e) {
            throw failure(what, e);
        }
    }

    static PgoException failure(String what, KubernetesClientException e) {
        // fabric8 gives -1 when no response came at all (refused, reset, a name that does not resolve)
        int code = Math.max(e.getCode(), 0);
        String reason = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
                : code == 0 ? "the API server did not answer (" + rootMessage(e) + ")" : rootMessage(e);
        String hint = switch (code) {
            case HttpURLConnection.HTTP_FORBIDDEN ->
                    "the account pgo runs as lacks a permission; `pgo install --dry-run` prints the RBAC pgo needs";
            case HttpURLConnection.HTTP_UNAUTHORIZED -> "log in to the cluster again (the kubeconfig's credentials expired?)";
            case 0 -> "check that the API server is reachable (kubectl cluster-info)";
            case HttpURLConnection.HTTP_NOT_FOUND -> what.contains("PgCluster")
                    ? "is pgo's CRD installed? pgo install --dry-run | kubectl apply -f - installs it" : null;
            default -> null;
        };
        String message = "cannot " + what + (code > 0 ? " (HTTP " + code + ")" : "") + ": " + reason;
        return hint == null ? new PgoException(message) : new PgoException(message, hint);
    }

    /** Conflicts (someone wrote in between) and server hiccups are worth another attempt. */
    static boolean retryable(KubernetesClientException e, int attempt, int attempts) {
        int code = e.getCode();
        boolean transientFailure = code == HttpURLConnection.HTTP_CONFLICT || code == 429 || code >= 500;
        return transientFailure && attempt < attempts;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
