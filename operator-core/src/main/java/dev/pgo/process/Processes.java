package dev.pgo.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;

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

    /**
     * Kills a process and every process under it with SIGKILL, and waits until none runs. Its
     * children are listed first: once it is dead they are no longer its descendants.
     */
    public static void killTree(long pid, Duration timeout) {
        var tree = new ArrayList<ProcessHandle>();
        ProcessHandle.of(pid).ifPresent(root -> {
            tree.addAll(root.descendants().toList());
            tree.addFirst(root);
        });
        tree.forEach(ProcessHandle::destroyForcibly);
        long deadline = System.nanoTime() + timeout.toNanos();
        for (ProcessHandle process : tree) {
            while (isRunning(process.pid())) {
                if (System.nanoTime() > deadline) {
                    throw new dev.pgo.PgoException("process " + process.pid() + " did not end within "
                            + timeout.toSeconds() + "s of SIGKILL");
                }
                dev.pgo.Pause.sleep(Duration.ofMillis(10), "interrupted while process " + process.pid() + " ended");
            }
        }
    }

    /**
     * Kills every process working in the data directory {@code dir}: those whose working
     * directory it is (PostgreSQL's server and backends, which a killed server leaves behind
     * serving their clients) and those given it as {@code --pgdata=} (an initdb or pg_basebackup
     * that outlived the pgo that started it, still writing there).
     */
    public static void killAllWorkingIn(Path dir, Duration timeout) {
        Path target = dir.toAbsolutePath().normalize();
        byte[] argument = ("--pgdata=" + target).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (var entries = Files.list(Path.of("/proc"))) {
            entries.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .filter(p -> {
                        try {
                            return Files.readSymbolicLink(p.resolve("cwd")).equals(target)
                                    || hasArgument(Files.readAllBytes(p.resolve("cmdline")), argument);
                        } catch (IOException | UnsupportedOperationException | SecurityException e) {
                            return false; // gone already, or not ours to see
                        }
                    })
                    .map(p -> Long.parseLong(p.getFileName().toString()))
                    .toList()
                    .forEach(pid -> killTree(pid, timeout));
        } catch (IOException e) {
            throw new dev.pgo.PgoException("cannot list processes: " + e.getMessage());
        }
    }

    /** Whether a /proc cmdline (arguments each ended by NUL) holds exactly this argument. */
    private static boolean hasArgument(byte[] cmdline, byte[] argument) {
        int start = 0;
        for (int i = 0; i <= cmdline.length; i++) {
            if (i == cmdline.length || cmdline[i] == 0) {
                if (java.util.Arrays.equals(cmdline, start, i, argument, 0, argument.length)) {
                    return true;
                }
                start = i + 1;
            }
        }
        return false;
    }
}
