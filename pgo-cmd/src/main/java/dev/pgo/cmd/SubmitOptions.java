package dev.pgo.cmd;

import dev.pgo.cmd.output.OutputFormat;
import picocli.CommandLine.Option;

import java.time.Duration;

/** Options of every command that stores desired state: preview it, or wait (or not) for Running. */
public final class SubmitOptions {
    @Option(names = "--dry-run", description = "Validate and print the manifest that would be applied; change nothing.")
    public boolean dryRun;

    @Option(names = {"-o", "--output"}, paramLabel = "yaml|json", description = "Format of --dry-run output (default yaml).")
    public OutputFormat output = OutputFormat.yaml;

    @Option(names = "--no-wait", description = "Return as soon as the request is stored; reconcile in the background.")
    public boolean noWait;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "300",
            description = "How long to wait for Running (default ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    public Duration timeout() {
        return Duration.ofSeconds(timeoutSeconds);
    }
}
