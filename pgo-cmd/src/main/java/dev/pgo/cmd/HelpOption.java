package dev.pgo.cmd;

import picocli.CommandLine.Option;

/**
 * -h/--help for every subcommand. Only the top command has -V/--version: on `create` that
 * name is the PostgreSQL version option.
 */
public final class HelpOption {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;
}
