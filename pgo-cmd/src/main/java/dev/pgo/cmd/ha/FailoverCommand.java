package dev.pgo.cmd.ha;

import dev.pgo.cmd.CliContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `pgo failover CLUSTER --target INSTANCE`: move the primary role to a named replica, now. */
@Command(name = "failover",
        description = {"Make the named replica the primary.",
                "While the primary runs this is a switchover (a clean shutdown first, nothing lost). When the primary"
                        + " does not answer, pgo fences it and promotes the target at once, without waiting for the"
                        + " automatic failover's delay and even when automatic failover is off; transactions the"
                        + " target had not received are lost unless synchronous replication was on."},
        footer = {"", "Examples:", "  pgo failover mycluster --target mycluster-1"})
public final class FailoverCommand extends PrimaryMoveCommand {
    @Option(names = "--target", paramLabel = "INSTANCE", required = true, description = "The replica to promote.")
    String target;

    public FailoverCommand(CliContext context) {
        super(context);
    }

    @Override
    String target() {
        return target;
    }

    @Override
    boolean force() {
        return true;
    }
}
