package dev.pgo.bench;

import dev.pgo.api.v1.PgCluster;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Waits, from outside the operator, until it has reconciled every PgCluster of a namespace: each
 * cluster has its StatefulSet and a status that lists its instances. On the mock API server no
 * pod ever runs, so that (phase Creating, waiting for pods) is as far as a cluster gets there.
 *
 * <p>It watches rather than lists, so that it adds no load of its own to the server it measures.
 *
 * <p>Arguments: KUBECONFIG, NAMESPACE, CLUSTERS (how many to expect) and TIMEOUT_SECONDS. Prints
 * one progress line a second and at the end "reconciled N at EPOCH_MS" (exit 0), or exits 1.
 */
public final class ReconcileWatch {
    private ReconcileWatch() {
    }

    public static void main(String[] args) throws Exception {
        Config config = Config.fromKubeconfig(Files.readString(Path.of(args[0])));
        String namespace = args[1];
        int expected = Integer.parseInt(args[2]);
        long deadline = System.nanoTime() + Long.parseLong(args[3]) * 1_000_000_000L;
        try (var client = new KubernetesClientBuilder().withConfig(config).build();
             var clusterWatch = client.resources(PgCluster.class).inNamespace(namespace).inform();
             var statefulSetWatch = client.apps().statefulSets().inNamespace(namespace).inform()) {
            long lastReport = 0;
            while (System.nanoTime() < deadline) {
                var clusters = clusterWatch.getStore().list();
                var statefulSets = statefulSetWatch.getStore().list();
                        var named = statefulSets.stream().map(s -> s.getMetadata().getName()).collect(Collectors.toSet());
                long reconciled = clusters.stream().filter(c -> named.contains(c.name()) && statusListsInstances(c)).count();
                long now = System.currentTimeMillis();
                if (clusters.size() >= expected && reconciled >= expected && statefulSets.size() >= expected) {
                    System.out.println("phases " + phases(clusters));
                    System.out.println("reconciled " + reconciled + " at " + now);
                    return;
                }
                if (now - lastReport >= 1000) {
                    System.out.println("  " + reconciled + " of " + expected + " reconciled, "
                            + statefulSets.size() + " StatefulSets");
                    lastReport = now;
                }
                Thread.sleep(200);
            }
        }
        System.out.println("timed out");
        System.exit(1);
    }

    private static boolean statusListsInstances(PgCluster cluster) {
        var status = cluster.getStatus();
        return status != null && status.getPhase() != null && status.getInstances() != null
                && status.getInstances().size() == cluster.getSpec().getInstances();
    }

    private static Map<String, Integer> phases(Iterable<PgCluster> clusters) {
        var phases = new TreeMap<String, Integer>();
        for (PgCluster cluster : clusters) {
            phases.merge(String.valueOf(cluster.getStatus().getPhase()), 1, Integer::sum);
        }
        return phases;
    }
}
