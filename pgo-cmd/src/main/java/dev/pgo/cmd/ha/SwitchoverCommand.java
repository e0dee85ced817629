package dev.pgo.cmd.ha;

import dev.pgo.cmd.CliContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `pgo switchover CLUSTER [--target INSTANCE]`: a planned move of the primary role. */
@Command(name = "switchover",
        description = {"Make a replica the primary without losing a committed transaction.",
                "The primary shuts down cleanly first, the target receives its last WAL and is promoted, and the old"
                        + " primary follows it as a replica. Clients of the read-write connection string reconnect to"
                        + " the new primary."},
        footer = {"", "Examples:", "  pgo switchover mycluster                      to the most advanced replica",
                "  pgo switchover mycluster --target mycluster-2"})
public final class SwitchoverCommand extends PrimaryMoveCommand {
    @Option(names = "--target", paramLabel = "INSTANCE",
            description = "The replica to promote (default: the streaming replica that received the most WAL).")
    String target;

    public SwitchoverCommand(CliContext context) {
        super(context);
    }

    @Override
    String target() {
        return target;
    }

    @Override
    boolean force() {
        return false;
    }
}
