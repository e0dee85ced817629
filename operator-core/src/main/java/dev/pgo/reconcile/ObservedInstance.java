package dev.pgo.reconcile;

import dev.pgo.platform.InstanceRuntime;
import dev.pgo.sql.InstanceFacts;

/**
 * An instance as the platform sees it, what it says over SQL when it answers (else null and
 * the reason in {@code error}), and whether its configuration differs from what pgo would write.
 */
public record ObservedInstance(InstanceRuntime runtime, InstanceFacts facts, String error, boolean configDrifted) {
    public String name() {
        return runtime.name();
    }

    public int ordinal() {
        return runtime.ordinal();
    }

    public boolean answers() {
        return facts != null;
    }

    public boolean isPrimary() {
        return facts != null && !facts.inRecovery();
    }
}
