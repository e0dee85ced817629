package dev.pgo.cmd;

import dev.pgo.cmd.output.OutputFormat;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Options of every command that stores desired state: preview it, or wait (or not) for Running. */
public final class SubmitOptions {
    @Option(names = "--dry-run", description = "Validate and print the manifest that would be applied; change nothing.")
    public boolean dryRun;

    @Option(names = {"-o", "--output"}, paramLabel = "yaml|json", description = "Format of --dry-run output (default yaml).")
    public OutputFormat output = OutputFormat.yaml;

    @Mixin
    public WaitOptions wait = new WaitOptions();
}
