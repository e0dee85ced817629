package dev.pgo.cmd.create;

import dev.pgo.api.v1.ClusterKind;
import dev.pgo.cmd.CliContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** `pgo create database NAME`: a standalone PostgreSQL instance. */
@Command(name = "database",
        description = {"Create a standalone database: one PostgreSQL instance with no replicas.",
                "Waits until it is ready, showing each step."},
        footer = {"", "Examples:", "  pgo create database mydatabase",
                "  pgo create database reports --version 15 --storage 2Gi"})
public final class CreateDatabaseCommand implements Runnable {
    @picocli.CommandLine.Mixin
    dev.pgo.cmd.HelpOption helpOption;

    private final CliContext context;

    @Parameters(index = "0", paramLabel = "NAME", description = "Database name: lower-case letters, digits and '-'.")
    String name;

    @Mixin
    ClusterOptions options;

    public CreateDatabaseCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public void run() {
        CreateClusterCommand.create(context, options.toCluster(name, ClusterKind.DATABASE, 1), options);
    }
}
