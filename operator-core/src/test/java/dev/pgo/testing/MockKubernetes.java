package dev.pgo.testing;

import dev.pgo.api.v1.PgCluster;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The fabric8 mock API server in CRUD mode with pgo's generated CRD, and what tests ask of it. */
public final class MockKubernetes {
    private MockKubernetes() {
    }

    /** Installs the CRD the build generated, so the status subresource and generation behave. */
    public static void installCrd(KubernetesClient client) {
        try (InputStream in = PgCluster.class.getResourceAsStream("/META-INF/fabric8/pgclusters.pgo.dev-v1.yml")) {
            if (in == null) {
                throw new IllegalStateException("the generated CRD is missing; build operator-core first");
            }
            CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions().load(in).item();
            client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A kubeconfig for a client of the mock server at {@code serverUrl}, in {@code namespace}, with a dummy token. */
    public static String kubeconfig(String serverUrl, String namespace) {
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: mock
                  cluster:
                    server: %s
                    insecure-skip-tls-verify: true
                contexts:
                - name: mock
                  context:
                    cluster: mock
                    user: tester
                    namespace: %s
                current-context: mock
                users:
                - name: tester
                  user:
                    token: not-a-real-token
                """.formatted(serverUrl, namespace);
    }

    /** Takes every request recorded so far, as "METHOD path". */
    public static List<String> drainRequests(KubernetesMockServer server) {
        var requests = new ArrayList<String>();
        try {
            RecordedRequest request;
            while ((request = server.takeRequest(1, TimeUnit.MILLISECONDS)) != null) {
                requests.add(request.getMethod() + " " + request.getPath());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return requests;
    }

    /** Requests that change something: everything but GET. */
    public static List<String> writes(List<String> requests) {
        return requests.stream().filter(r -> !r.startsWith("GET ")).toList();
    }

    public static String describe(HasMetadata o) {
        return o.getKind() + "/" + o.getMetadata().getName();
    }
}
