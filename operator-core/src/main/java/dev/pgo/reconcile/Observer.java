package dev.pgo.reconcile;

import dev.pgo.PgoException;
import dev.pgo.api.v1.InstanceNames;
import dev.pgo.api.v1.PgCluster;
import dev.pgo.platform.InstanceRuntime;
import dev.pgo.platform.Platform;
import dev.pgo.sql.ClusterCatalog;
import dev.pgo.sql.ConnectionPools;
import dev.pgo.sql.Credentials;
import dev.pgo.sql.InstanceFacts;
import dev.pgo.sql.InstanceProbe;
import dev.pgo.sql.SqlErrors;
import dev.pgo.validate.SpecValidator;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Gathers what is true now: the platform's view of each instance, then what each says over SQL. */
public final class Observer {
    private final Platform platform;
    private final ConnectionPools pools;
    private final HealthTracker health = new HealthTracker();
    private final Clock clock;

    public Observer(Platform platform, ConnectionPools pools, Clock clock) {
        this.platform = platform;
        this.pools = pools;
        this.clock = clock;
    }

    public ObservedCluster observe(PgCluster cluster) {
        String name = cluster.name();
        List<InstanceRuntime> runtimes = platform.instances().observe(cluster);
        Optional<Credentials> superuser = platform.secrets().get(name, SpecValidator.SUPERUSER);
        boolean secretsExist = superuser.isPresent()
                && platform.secrets().get(name, SpecValidator.REPLICATION_USER).isPresent();

        var facts = new LinkedHashMap<String, InstanceFacts>();
        var errors = new LinkedHashMap<String, String>();
        var answeredWithError = new java.util.HashSet<String>();
        var asked = new java.util.HashMap<String, Instant>();
        var running = new ArrayList<InstanceRuntime>();
        for (InstanceRuntime runtime : runtimes) {
            asked.put(runtime.name(), clock.instant());
            if (!runtime.running()) {
                errors.put(runtime.name(), runtime.pending() != null ? runtime.pending()
                        : runtime.initialized() ? "not running" : "not initialised");
            } else if (superuser.isEmpty()) {
                errors.put(runtime.name(), "no superuser secret");
            } else {
                running.add(runtime);
            }
        }
        askAll(running, superuser.orElse(null)).forEach((instance, answer) -> {
            if (answer.facts() != null) {
                facts.put(instance, answer.facts());
            } else {
                errors.put(instance, answer.error());
                if (answer.answeredWithError()) {
                    answeredWithError.add(instance);
                }
            }
        });
        String primary = choosePrimary(cluster, runtimes, facts);

        ClusterCatalog catalog = null;
        InstanceFacts primaryFacts = facts.get(primary);
        if (primaryFacts != null && !primaryFacts.inRecovery()) {
            InstanceRuntime runtime = runtimes.stream().filter(r -> r.name().equals(primary)).findFirst().orElseThrow();
            try {
                catalog = pools.withConnection(runtime.endpoint(), "postgres", superuser.orElseThrow(),
                        ClusterCatalog::read);
            } catch (SQLException | PgoException e) {
                errors.put(primary, e instanceof SQLException s ? SqlErrors.describe(s) : e.getMessage());
            }
        }

        Map<String, ObservedInstance> instances = new LinkedHashMap<>();
        for (InstanceRuntime runtime : runtimes) {
            boolean drifted = runtime.initialized()
                    && platform.instances().configDrifted(cluster, runtime.name(), primary);
            boolean outdated = runtime.running() && platform.instances().outdated(cluster, runtime.name());
            instances.put(runtime.name(), new ObservedInstance(runtime, facts.get(runtime.name()),
                    errors.get(runtime.name()), drifted, outdated));
        }
        List<String> drift = platform.resources().drift(cluster, primary);
        return new ObservedCluster(instances, secretsExist, primary, catalog, drift,
                primarySilentFor(name, primary, instances.get(primary), answeredWithError.contains(primary),
                        asked.getOrDefault(primary, clock.instant())),
                platform.instances().canFence());
    }

    /** What one instance said, or why it said nothing (and whether that was an answer: a refused login is). */
    private record Answer(InstanceFacts facts, String error, boolean answeredWithError) {
    }

    /**
     * Asks every running instance, in their order. The first is asked alone: in a new JVM it
     * loads the driver and sets up the login, which beside other probes only slows them all.
     * The others are asked at once, each waiting for its own server, so one that hangs holds
     * up none of the rest.
     */
    private Map<String, Answer> askAll(List<InstanceRuntime> running, Credentials superuser) {
        var answers = new LinkedHashMap<String, Answer>();
        if (running.isEmpty()) {
            return answers;
        }
        answers.put(running.getFirst().name(), ask(running.getFirst(), superuser));
        if (running.size() == 1) {
            return answers;
        }
        // Platform threads: a virtual thread's socket starts the JDK's I/O poller threads, which
        // sit in native code, and a JVM waits up to 300 ms for those when it exits.
        try (var probes = Executors.newThreadPerTaskExecutor(Thread.ofPlatform().name("pgo-probe-", 0).daemon().factory())) {
            var pending = new LinkedHashMap<String, Future<Answer>>();
            for (InstanceRuntime runtime : running.subList(1, running.size())) {
                pending.put(runtime.name(), probes.submit(() -> ask(runtime, superuser)));
            }
            pending.forEach((instance, answer) -> answers.put(instance, outcome(answer)));
        }
        return answers;
    }

    private Answer ask(InstanceRuntime runtime, Credentials superuser) {
        try {
            return new Answer(pools.probe(runtime.endpoint(), "postgres", superuser, InstanceProbe::probe), null, false);
        } catch (SQLException | PgoException e) {
            return new Answer(null, e instanceof SQLException s ? SqlErrors.describe(s) : e.getMessage(),
                    !ConnectionPools.serverLost(e));
        }
    }

    private static Answer outcome(Future<Answer> answer) {
        try {
            return answer.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PgoException("interrupted while asking the instances for their state");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException unexpected) {
                throw unexpected;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * Zero while the primary answers (a refused login or a full connection table is an answer:
     * the server is there); else how long it has not, as this process saw it.
     */
    private Duration primarySilentFor(String cluster, String primary, ObservedInstance observed, boolean answered,
                                      Instant asked) {
        if (observed == null || observed.answers() || answered) {
            health.answered(cluster, primary);
            return Duration.ZERO;
        }
        // silent since it was asked, at the latest: a question that went unanswered until the
        // timeout is that long a silence already
        return health.silentFor(cluster, primary, asked, clock.instant());
    }

    /** Drops what was tracked of a cluster that is gone. */
    void forget(String cluster) {
        health.forget(cluster);
    }

    /**
     * The primary is the instance status names, while it has data; before that, the lowest
     * initialised instance, or ordinal 0 for a new cluster. An instance that answers as a primary
     * wins over a recorded one that does not. Promoting a replica is failover's decision, not this.
     */
    static String choosePrimary(PgCluster cluster, List<InstanceRuntime> runtimes, Map<String, InstanceFacts> facts) {
        String recorded = cluster.getStatus() == null ? null : cluster.getStatus().getPrimary();
        var answeringPrimaries = runtimes.stream()
                .filter(r -> facts.containsKey(r.name()) && !facts.get(r.name()).inRecovery())
                .map(InstanceRuntime::name).toList();
        if (recorded != null && answeringPrimaries.contains(recorded)) {
            return recorded;
        }
        if (!answeringPrimaries.isEmpty()) {
            return answeringPrimaries.getFirst();
        }
        if (recorded != null && runtimes.stream().anyMatch(r -> r.name().equals(recorded) && r.initialized())) {
            return recorded;
        }
        return runtimes.stream().filter(InstanceRuntime::initialized).map(InstanceRuntime::name).findFirst()
                .orElse(InstanceNames.instance(cluster.name(), 0));
    }
}
