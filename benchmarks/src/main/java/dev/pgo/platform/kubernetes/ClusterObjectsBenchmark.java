package dev.pgo.platform.kubernetes;

import dev.pgo.api.v1.PgCluster;
import dev.pgo.manifest.ManifestSamples;
import io.fabric8.kubernetes.api.model.HasMetadata;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the operator wants to exist for a cluster (ConfigMap with its scripts, three Services, a
 * disruption budget, a backup CronJob, the StatefulSet), built and fingerprinted as a pass over a
 * changed cluster does, beside the fingerprints a pass over an unchanged cluster reuses.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ClusterObjectsBenchmark {
    private PgCluster cluster;
    private KubernetesResources resources;

    @Setup
    public void setUp() {
        cluster = ManifestSamples.orders();
        // No API server: building objects for a cluster that is not being restored reads nothing.
        resources = new KubernetesResources(null, "db", () -> OperatorConfig.DEFAULTS, ObjectReads.api(null));
    }

    @Benchmark
    public List<HasMetadata> builtAndFingerprinted() {
        return resources.desired(cluster, "orders-0");
    }

    @Benchmark
    public Object unchangedFromTheLastPass() {
        return resources.wanted(cluster, "orders-0");
    }
}
