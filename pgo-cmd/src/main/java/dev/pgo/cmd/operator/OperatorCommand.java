package dev.pgo.cmd.operator;

import dev.pgo.cmd.complete.Names;
import dev.pgo.cmd.complete.CompletesNames;
import dev.pgo.PgoException;
import dev.pgo.api.v1.PgCluster;
import dev.pgo.cmd.CliContext;
import dev.pgo.operator.KubernetesOperator;
import dev.pgo.operator.LocalOperator;
import dev.pgo.platform.kubernetes.KubernetesPlatform;
import dev.pgo.reconcile.ReconcileResult;
import dev.pgo.reconcile.Reconciler;
import dev.pgo.reconcile.Step;
import dev.pgo.reconcile.StepListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** `pgo operator`: the reconcile loop, headless, until stopped (or one pass with --once). */
@Command(name = "operator",
        description = {"Run the operator: reconcile every cluster now and then every --interval, until stopped",
                "(Ctrl-C or SIGTERM). Restarts stopped instances, applies spec changes, finishes deletions.",
                "On Kubernetes (--platform kubernetes) it is the in-cluster controller: it campaigns for the",
                "Lease pgo-operator in its namespace (-n, else $POD_NAMESPACE), watches PgClusters and its",
                "ConfigMap pgo-config there, and resyncs every resync_period_seconds of that ConfigMap."},
        footer = {"", "Examples:", "  pgo operator", "  pgo operator --once", "  pgo operator --interval 5",
                "  pgo operator --platform kubernetes -n pgo-system"})
public final class OperatorCommand implements Runnable, CompletesNames {
    @picocli.CommandLine.Mixin
    dev.pgo.cmd.HelpOption helpOption;

    private final CliContext context;

    @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "10",
            description = "Seconds between resyncs of every cluster (default ${DEFAULT-VALUE}).")
    long intervalSeconds;

    @Option(names = "--once", description = "Reconcile each cluster until it converges (or fails), then exit.")
    boolean once;

    @Parameters(arity = "0..*", paramLabel = "NAME", description = "Only these clusters (default: all).")
    List<String> names = List.of();

    private final CountDownLatch stopped = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);

    public OperatorCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public void run() {
        timestampLogLines();
        if (intervalSeconds < 1) {
            throw new PgoException("--interval must be at least 1 second");
        }
        if (context.platform() instanceof KubernetesPlatform) {
            runOnKubernetes();
            return;
        }
        Reconciler reconciler = context.reconciler();
        // "started" is said once SIGTERM is handled: a stop right after it still logs "stopped".
        String started = "operator started on " + context.platform().name() + " (" + context.platform().location() + ")"
                + (once ? ", one pass" : ", resync every " + intervalSeconds + "s, primaries watched every "
                + LocalOperator.Settings.DEFAULT_PROBE.toMillis() + " ms");
        if (!once) {
            var loop = new LocalOperator(reconciler,
                    new dev.pgo.backup.BackupScheduler(context.platform(), context.backups()), this::targets,
                    new LocalOperator.Settings(Duration.ofSeconds(intervalSeconds), LocalOperator.Settings.DEFAULT_PROBE),
                    stepLog(), this::log, java.time.Clock.systemUTC());
            Thread hook = addShutdownHook(loop::stop);
            log(started);
            try {
                loop.run();
            } finally {
                log("operator stopped");
                finished.countDown();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // stopped by SIGTERM: the hook is what ran
                }
            }
            return;
        }
        Thread hook = addShutdownHook(stopped::countDown);
        log(started);
        try {
            for (String name : targets()) {
                if (stopped.getCount() == 0) {
                    break;
                }
                reconcileOne(reconciler, name);
            }
        } finally {
            if (stopped.getCount() > 0) {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
            log("operator stopped");
            finished.countDown();
        }
    }

    /**
     * On SIGTERM the hook asks the operator to stop and waits for the cluster in hand to finish
     * its step. It waits on a latch, not on the main thread, which calls System.exit and would
     * itself wait for this hook.
     */
    private Thread addShutdownHook(Runnable stop) {
        Thread hook = new Thread(() -> {
            stop.run();
            try {
                finished.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }

    /** Until SIGTERM, or until the Lease is lost: then the process ends, and Kubernetes restarts it. */
    private void runOnKubernetes() {
        String namespace = context.kubernetesTarget().namespace() != null ? context.kubernetesTarget().namespace()
                : System.getenv().getOrDefault("POD_NAMESPACE", ((KubernetesPlatform) context.platform()).namespace());
        String identity = System.getenv().getOrDefault("POD_NAME", hostName()) + "-" + ProcessHandle.current().pid();
        var operator = new KubernetesOperator(context.kubernetesClient(),
                KubernetesOperator.Settings.defaults(namespace, identity), java.time.Clock.systemUTC());
        operator.onReconciled((key, result) -> {
            if (result.failure() != null) {
                log(key + ": FAILED " + result.failure());
            }
        });
        addShutdownHook(operator::close);
        log("operator " + identity + " started on kubernetes (" + context.platform().location()
                + "); campaigning for the Lease " + namespace + "/" + KubernetesOperator.LEASE_NAME);
        operator.start();
        try {
            operator.stopped().join();
        } finally {
            log("operator stopped");
            finished.countDown();
        }
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "pgo";
        }
    }

    private List<String> targets() {
        if (!names.isEmpty()) {
            return names;
        }
        return context.platform().clusters().list().stream().map(PgCluster::name).toList();
    }

    private StepListener stepLog() {
        return new StepListener() {
            @Override
            public void finished(String cluster, Step step, Duration took) {
                log(cluster + ": " + step.describe() + " (" + took.toMillis() + " ms)");
            }
        };
    }

    /** Reconciles one cluster while progress is made, so a create started in the background finishes. */
    private void reconcileOne(Reconciler reconciler, String name) {
        var listener = stepLog();
        try {
            for (int round = 0; round < 30; round++) {
                ReconcileResult result = reconciler.reconcile(name, listener, Duration.ofMinutes(5));
                if (result.gone() || result.failure() != null || (result.status() != null
                        && result.status().getPhase() == dev.pgo.api.v1.Phase.Running && !result.changedSomething())) {
                    if (result.failure() != null) {
                        log(name + ": FAILED " + result.failure());
                    }
                    return;
                }
                if (!result.changedSomething()) {
                    Thread.sleep(500);
                }
            }
        } catch (PgoException e) {
            log(name + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The operator's log lines carry their time, like the lines it prints itself. Only here:
     * the logger reads this when the first logger is made, which no command does before it
     * runs, and the date format costs every other command's start about 25 ms.
     */
    private static void timestampLogLines() {
        if (System.getProperty("org.slf4j.simpleLogger.showDateTime") == null) {
            System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
            System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
        }
    }

    private void log(String message) {
        context.out().println(Instant.now() + " " + message);
        context.out().flush();
    }

    @Override
    public List<String> positional(int index, List<String> before, Names names) {
        return names.clusters(null);
    }
}
