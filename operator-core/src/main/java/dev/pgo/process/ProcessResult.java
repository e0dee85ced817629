package dev.pgo.process;

import java.time.Duration;

/** How an external program ended and what it printed (the tail of it, if it printed a lot). */
public record ProcessResult(int exitCode, String stdout, String stderr, Duration elapsed) {
    public boolean succeeded() {
        return exitCode == 0;
    }
}
