package dev.pgo.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Facts about OS processes that ProcessHandle does not tell. */
public final class Processes {
    private Processes() {
    }

    /**
     * Whether a process runs: alive and not a zombie. A killed server whose parent never reaps it
     * (where PID 1 does not) stays a zombie, which ProcessHandle still reports as alive.
     */
    public static boolean isRunning(long pid) {
        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            try {
                String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
                int close = stat.lastIndexOf(')');
                return close < 0 || close + 2 >= stat.length() || stat.charAt(close + 2) != 'Z';
            } catch (IOException e) {
                return false;
            }
        }
        return false;
    }
}
