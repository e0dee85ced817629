package dev.pgo.manifest;

import dev.pgo.api.v1.PgCluster;

/** The PgCluster the micro benchmarks work on: 3 instances, roles, databases, a backup schedule. */
public final class ManifestSamples {
    private ManifestSamples() {
    }

    public static PgCluster orders() {
        PgCluster cluster = Manifests.parse(ManifestBenchmark.MANIFEST, "orders.yaml").getFirst();
        cluster.getMetadata().setNamespace("db");
        cluster.getMetadata().setUid("5f0c2a8e-1d7b-4c39-9a61-0b9f3e2d7c11");
        cluster.getMetadata().setGeneration(1L);
        return cluster;
    }
}
