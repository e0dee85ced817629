package dev.pgo.reconcile;

import java.time.Duration;

/** Hears about steps as they run, to show progress. */
public interface StepListener {
    StepListener SILENT = new StepListener() {
    };

    default void started(String cluster, Step step) {
    }

    default void finished(String cluster, Step step, Duration took) {
    }

    default void failed(String cluster, Step step, RuntimeException error) {
    }

    /** What a cluster waits for, when someone else (an operator) does the steps. */
    default void waiting(String cluster, String message) {
    }
}
