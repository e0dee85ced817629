package dev.pgo.reconcile;

import dev.pgo.platform.InstanceRuntime;
import dev.pgo.sql.InstanceFacts;
import dev.pgo.sql.Lsn;

/**
 * An instance as the platform sees it, what it says over SQL when it answers (else null and
 * the reason in {@code error}), whether its configuration differs from what pgo would write, and
 * whether it runs something only a restart changes (an image or resources) that pgo would now
 * set differently.
 */
public record ObservedInstance(InstanceRuntime runtime, InstanceFacts facts, String error, boolean configDrifted,
                               boolean outdated) {

    public ObservedInstance(InstanceRuntime runtime, InstanceFacts facts, String error, boolean configDrifted) {
        this(runtime, facts, error, configDrifted, false);
    }

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

    /** The furthest WAL position the instance holds (received or replayed), or -1 when it does not answer. */
    public long walBytes() {
        return facts == null ? -1 : Math.max(facts.lsnBytes(), Lsn.toBytes(facts.receivedLsn()));
    }
}
