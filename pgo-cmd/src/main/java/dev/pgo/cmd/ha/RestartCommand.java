package dev.pgo.cmd.ha;

import dev.pgo.cmd.complete.Names;
import dev.pgo.cmd.complete.CompletesNames;
import dev.pgo.api.v1.ClusterRequests;
import dev.pgo.api.v1.PgCluster;
import dev.pgo.api.v1.PgClusterStatus;
import dev.pgo.cmd.CliContext;
import dev.pgo.cmd.HelpOption;
import dev.pgo.cmd.WaitOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.time.Instant;
import java.util.List;

/** `pgo restart NAME`: a rolling restart of every instance. */
@Command(name = "restart",
        description = {"Restart every server of a cluster or database, one at a time.",
                "Replicas restart first, each after the last one streams again; then pgo switches over to the most"
                        + " advanced replica and restarts the old primary as a replica, so writes pause only for the"
                        + " switchover. A database (one instance) restarts in place. Settings that wait for a restart"
                        + " take effect."},
        footer = {"", "Examples:", "  pgo restart mycluster", "  pgo restart mydatabase --no-wait"})
public final class RestartCommand implements Runnable, CompletesNames {
    @Mixin
    HelpOption helpOption;

    private final CliContext context;

    @Parameters(index = "0", paramLabel = "NAME", description = "The cluster or database.")
    String name;

    @Mixin
    WaitOptions wait;

    public RestartCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public void run() {
        var actions = new ClusterActions(context);
        PgCluster cluster = actions.find(name, null, "restart");
        Instant requested = Instant.now();
        String id = requested.toString();
        String noun = cluster.clusterKind().label();
        PgClusterStatus done = actions.request(name, ClusterRequests.restart(requested),
                s -> ClusterRequests.restartDone(s, id), wait, "Restart of " + noun + " " + name);
        if (done != null) {
            context.out().println(noun + " " + name + " restarted (" + done.getReadyInstances() + "/"
                    + cluster.getSpec().getInstances() + " ready, primary " + done.getPrimary() + ") after "
                    + actions.progress().elapsed());
        }
    }

    @Override
    public List<String> positional(int index, List<String> before, Names names) {
        return names.clusters(null);
    }
}
