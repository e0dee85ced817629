package dev.pgo.bench;

import dev.pgo.api.v1.PgCluster;
import dev.pgo.testing.Clusters;
import dev.pgo.testing.MockKubernetes;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;

/**
 * fabric8's mock API server (CRUD mode, pgo's CRD) as a process of its own, for benchmarks that
 * run pgo, kubectl and the operator against it as separate processes.
 *
 * <p>Arguments: KUBECONFIG (written, pointing at the server) and CLUSTERS (PgClusters of three
 * instances to create in namespace "bench" first). Prints "ready PORT" and serves until killed.
 */
public final class MockApiServer {
    public static final String NAMESPACE = "bench";
    /** Held here: java.util.logging keeps loggers weakly, and a collected one forgets its level. */
    private static final java.util.logging.Logger REQUEST_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    private MockApiServer() {
    }

    public static void main(String[] args) throws Exception {
        // It logs every request at INFO; the benchmarks' own output says enough, unless the
        // requests are what is being looked at (bench.requests=true: count them per path).
        if (!Boolean.getBoolean("bench.requests")) {
            REQUEST_LOG.setLevel(java.util.logging.Level.WARNING);
        }
        Path kubeconfig = Path.of(args[0]);
        int clusters = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        var server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(List.of()), false);
        server.init(InetAddress.getByName("127.0.0.1"), 0);
        try (var client = server.createClient()) {
            MockKubernetes.installCrd(client);
            var resources = client.resources(PgCluster.class).inNamespace(NAMESPACE);
            for (int i = 0; i < clusters; i++) {
                resources.resource(Clusters.spec(String.format(Locale.ROOT, "c%04d", i), 3)).create();
            }
        }
        Files.writeString(kubeconfig, MockKubernetes.kubeconfig("http://127.0.0.1:" + server.getPort(), NAMESPACE));
        System.out.println("ready " + server.getPort());
        System.out.flush();
        Thread.currentThread().join();
    }
}
