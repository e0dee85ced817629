package dev.pgo.cmd.ha;

import dev.pgo.api.v1.ClusterKind;
import dev.pgo.cmd.CliContext;
import dev.pgo.cmd.HelpOption;
import dev.pgo.cmd.WaitOptions;
import dev.pgo.cmd.complete.CompletesNames;
import dev.pgo.cmd.complete.Names;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.List;

/** What pgo switchover and pgo failover share: the cluster, waiting, and what completes. */
abstract class PrimaryMoveCommand implements Runnable, CompletesNames {
    @Mixin
    HelpOption helpOption;

    private final CliContext context;

    @Parameters(index = "0", paramLabel = "CLUSTER", description = "The cluster.")
    String name;

    @Mixin
    WaitOptions wait;

    PrimaryMoveCommand(CliContext context) {
        this.context = context;
    }

    /** The replica named with --target, or null. */
    abstract String target();

    /** Whether the target is promoted even when the primary does not answer. */
    abstract boolean force();

    @Override
    public void run() {
        new PrimaryMove(context).run(name, target(), force(), wait);
    }

    @Override
    public List<String> positional(int index, List<String> before, Names names) {
        return names.clusters(ClusterKind.CLUSTER);
    }

    @Override
    public List<String> optionValue(String option, List<String> positionals, Names names) {
        return option.equals("--target") && !positionals.isEmpty() ? names.instances(positionals.getFirst()) : List.of();
    }
}
