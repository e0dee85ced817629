package dev.pgo.operator;

import dev.pgo.PgoException;
import dev.pgo.backup.BackupScheduler;
import dev.pgo.reconcile.ReconcileResult;
import dev.pgo.reconcile.Reconciler;
import dev.pgo.reconcile.StepListener;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The operator loop on the local platform. Every cluster is reconciled every {@code resync};
 * between passes each one is looked at every {@code probe} (is every instance running, does the
 * primary answer as one), so that losing the primary is met within the failover delay, not at
 * the next resync. A pass that changed something is followed by another at once: after a
 * failover the old primary rejoins and the replicas follow the new one right away.
 */
public final class LocalOperator {
    private final Reconciler reconciler;
    private final BackupScheduler scheduler;
    private final Supplier<List<String>> clusters;
    private final Settings settings;
    private final StepListener listener;
    private final Consumer<String> log;
    private final Clock clock;
    private final Map<String, Instant> lastPass = new HashMap<>();
    private final Map<String, String> lastFailure = new HashMap<>();
    private final Set<String> again = new HashSet<>();
    private final CountDownLatch stop = new CountDownLatch(1);

    /** How often every cluster is reconciled, and how often its primary is looked at in between. */
    public record Settings(Duration resync, Duration probe) {
        public static final Duration DEFAULT_PROBE = Duration.ofMillis(200);
    }

    public LocalOperator(Reconciler reconciler, BackupScheduler scheduler, Supplier<List<String>> clusters,
                         Settings settings, StepListener listener, Consumer<String> log, Clock clock) {
        this.reconciler = reconciler;
        this.scheduler = scheduler;
        this.clusters = clusters;
        this.settings = settings;
        this.listener = listener;
        this.log = log;
        this.clock = clock;
    }

    /** Runs until {@link #stop()}; the cluster in hand finishes its step first. */
    public void run() {
        Instant nextBackupCheck = Instant.MIN;
        while (stop.getCount() > 0) {
            List<String> names = clusters.get();
            lastPass.keySet().retainAll(names);
            lastFailure.keySet().retainAll(names);
            again.retainAll(names);
            for (String name : names) {
                if (stop.getCount() == 0) {
                    return;
                }
                if (due(name)) {
                    pass(name);
                }
            }
            Instant now = clock.instant();
            if (scheduler != null && !now.isBefore(nextBackupCheck)) {
                scheduler.runDue(now).forEach(name -> log.accept(name + ": scheduled backup started"));
                nextBackupCheck = now.plus(settings.resync());
            }
            pause();
        }
    }

    public void stop() {
        stop.countDown();
    }

    private boolean due(String name) {
        Instant last = lastPass.get(name);
        return again.remove(name) || last == null || !clock.instant().isBefore(last.plus(settings.resync()))
                || !reconciler.looksHealthy(name);
    }

    private void pass(String name) {
        lastPass.put(name, clock.instant());
        try {
            ReconcileResult result = reconciler.reconcile(name, listener, Duration.ZERO);
            if (result.changedSomething()) {
                again.add(name);
            }
            report(name, result.failure());
        } catch (PgoException e) {
            report(name, e.getMessage());
        }
    }

    /** A failure is logged when it appears or changes, not on every pass that meets it again. */
    private void report(String name, String failure) {
        String before = failure == null ? lastFailure.remove(name) : lastFailure.put(name, failure);
        if (failure != null && !Objects.equals(before, failure)) {
            log.accept(name + ": FAILED " + failure);
        } else if (failure == null && before != null) {
            log.accept(name + ": recovered");
        }
    }

    private void pause() {
        try {
            stop.await(settings.probe().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop.countDown();
        }
    }
}
