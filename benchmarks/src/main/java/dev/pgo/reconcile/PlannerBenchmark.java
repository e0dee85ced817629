package dev.pgo.reconcile;

import dev.pgo.api.v1.InstanceNames;
import dev.pgo.api.v1.PgCluster;
import dev.pgo.manifest.ManifestSamples;
import dev.pgo.platform.InstanceRuntime;
import dev.pgo.sql.ClusterCatalog;
import dev.pgo.sql.Endpoint;
import dev.pgo.sql.InstanceFacts;
import dev.pgo.sql.RoleAttributes;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The planner's decision on every pass of every cluster: a 3-instance cluster with two roles and
 * two databases, running as its spec says, and the same before any of it exists.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PlannerBenchmark {
    private PgCluster cluster;
    private ObservedCluster running;
    private ObservedCluster nothingYet;

    @Setup
    public void setUp() {
        cluster = ManifestSamples.orders();
        var started = Instant.parse("2026-01-01T00:00:00Z");
        var live = new LinkedHashMap<String, ObservedInstance>();
        var fresh = new LinkedHashMap<String, ObservedInstance>();
        for (int ordinal = 0; ordinal < 3; ordinal++) {
            String name = "orders-" + ordinal;
            var endpoint = new Endpoint("127.0.0.1", 15432 + ordinal);
            var facts = ordinal == 0
                    ? new InstanceFacts(false, 1, "0/3000060", 50331744, null, false, null, List.of(), false, started)
                    : new InstanceFacts(true, 1, "0/3000060", 50331744, "0/3000060", true, "15432", List.of(), false, started);
            live.put(name, new ObservedInstance(new InstanceRuntime(name, ordinal, "pgdata-" + name, true, true, endpoint),
                    facts, null, false));
            fresh.put(name, new ObservedInstance(new InstanceRuntime(name, ordinal, "pgdata-" + name, false, false, endpoint),
                    null, "not running", false));
        }
        var roles = new LinkedHashMap<String, RoleAttributes>();
        cluster.getSpec().getUsers().forEach((role, flags) -> roles.put(role, RoleAttributes.fromSpec(flags)));
        var catalog = new ClusterCatalog(roles, Map.copyOf(cluster.getSpec().getDatabases()),
                Set.of(InstanceNames.slot("orders-1"), InstanceNames.slot("orders-2")));
        running = new ObservedCluster(live, true, "orders-0", catalog);
        nothingYet = new ObservedCluster(fresh, false, "orders-0", null);
    }

    @Benchmark
    public List<Step> planARunningCluster() {
        return Planner.plan(cluster, running, false);
    }

    @Benchmark
    public List<Step> planANewCluster() {
        return Planner.plan(cluster, nothingYet, false);
    }
}
