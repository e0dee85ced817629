package dev.pgo.manifest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.pgo.api.v1.PgCluster;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Reading a PgCluster manifest as `pgo apply -f` and the local platform's store do: strictly
 * (alias and size limits, duplicate keys, unknown fields, each document checked to be a
 * PgCluster before it is bound), beside a plain Jackson read of the same text, which is what the
 * strictness costs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ManifestBenchmark {
    static final String MANIFEST = """
            apiVersion: pgo.dev/v1
            kind: PgCluster
            metadata:
              name: orders
              labels:
                team: payments
            spec:
              instances: 3
              postgresVersion: 15
              storage:
                size: 20Gi
              parameters:
                max_connections: "200"
                shared_buffers: 1GB
                work_mem: 16MB
              users:
                app: [login, createdb]
                reporting: [login]
              databases:
                orders: app
                audit: app
              backups:
                schedule: "0 3 * * *"
                keepLast: 7
            """;

    private final ObjectMapper plain = new ObjectMapper(new YAMLFactory());

    @Benchmark
    public List<PgCluster> strict() {
        return Manifests.parse(MANIFEST, "orders.yaml");
    }

    @Benchmark
    public PgCluster plainJackson() throws IOException {
        return plain.readValue(MANIFEST, PgCluster.class);
    }
}
