package dev.pgo.cmd;

import picocli.CommandLine.Option;

import java.time.Duration;

/** Options of every command that asks for a change and waits, with progress, until it is done. */
public final class WaitOptions {
    @Option(names = "--no-wait", description = "Return as soon as the request is stored; pgo carries it out in the background.")
    public boolean noWait;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "300",
            description = "How long to wait (default ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    public Duration timeout() {
        return Duration.ofSeconds(timeoutSeconds);
    }
}
