package dev.pgo.process;

import dev.pgo.PgoException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The one place pgo runs external programs (initdb, pg_ctl, pg_basebackup, ...): with a timeout,
 * output captured (the tail, bounded), the whole process tree killed on timeout or interrupt, and
 * an error that names the program, its exit code and what it printed last.
 */
public final class ProcessRunner {
    private static final int CAPTURE_LIMIT = 64 * 1024;
    private static final int MESSAGE_LINES = 8;

    private final ServerUser serverUser;

    public ProcessRunner(ServerUser serverUser) {
        this.serverUser = serverUser;
    }

    public ServerUser serverUser() {
        return serverUser;
    }

    /** Runs the command to completion; throws {@link ProcessFailedException} unless it exits 0. */
    public ProcessResult run(Command command) {
        ProcessResult result = runAllowingFailure(command);
        if (!result.succeeded()) {
            throw new ProcessFailedException(command.description() + " failed: " + command.program()
                    + " exited with code " + result.exitCode() + tail(result), null, result);
        }
        return result;
    }

    /** Runs the command to completion and returns how it ended, whatever its exit code. */
    public ProcessResult runAllowingFailure(Command command) {
        long started = System.nanoTime();
        Process process = start(command, ProcessBuilder.Redirect.PIPE);
        StreamedOutput streamed = command.stdout() == null ? null
                : new StreamedOutput(process, command.stdout());
        var out = streamed != null ? null : new BoundedCapture(process.getInputStream(), null);
        var err = new BoundedCapture(process.getErrorStream(), command.stderrLines());
        feed(process, command.input());
        try {
            if (!process.waitFor(command.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                killTree(process);
                throw new ProcessFailedException(command.description() + " timed out after "
                        + human(command.timeout()) + " (" + command.program() + " was stopped)" + tailOf(err.text()),
                        "look at the program's log, or retry", null);
            }
            if (streamed != null) {
                streamed.finish(command.description());
            } else {
                out.join();
            }
            err.join();
        } catch (InterruptedException e) {
            killTree(process);
            Thread.currentThread().interrupt();
            throw new PgoException(command.description() + " was cancelled");
        }
        return new ProcessResult(process.exitValue(), out == null ? "" : out.text(), err.text(),
                Duration.ofNanos(System.nanoTime() - started));
    }

    /**
     * Starts a program that outlives this process (a background reconcile), with its output
     * appended to a log file. Returns its pid.
     */
    public long spawnDetached(Command command, Path logFile) {
        Process process = start(command, ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        closeQuietly(process.getOutputStream());
        return process.pid();
    }

    private Process start(Command command, ProcessBuilder.Redirect output) {
        List<String> argv = new ArrayList<>();
        if (command.asServerUser() && serverUser.switchNeeded()) {
            argv.addAll(List.of("setpriv", "--reuid=" + serverUser.uid(), "--regid=" + serverUser.gid(),
                    "--init-groups", "--"));
        }
        argv.addAll(command.argv());
        var builder = new ProcessBuilder(argv);
        if (command.workDir() != null) {
            builder.directory(command.workDir().toFile());
        }
        // libpq settings of the user's shell (PGPASSWORD, PGHOST, PGSSLMODE, ...) would override
        // what pgo passes its programs, e.g. a password for another role; they never reach them.
        builder.environment().keySet().removeIf(name -> name.startsWith("PG") && !name.startsWith("PGO_"));
        builder.environment().putAll(command.env());
        // Server programs print messages in the C locale so errors read the same everywhere.
        builder.environment().put("LC_MESSAGES", "C");
        builder.redirectInput(ProcessBuilder.Redirect.PIPE);
        builder.redirectOutput(output);
        builder.redirectError(output == ProcessBuilder.Redirect.PIPE ? ProcessBuilder.Redirect.PIPE : output);
        try {
            return builder.start();
        } catch (IOException e) {
            throw new ProcessFailedException(command.description() + " failed: cannot start "
                    + command.argv().getFirst() + " (" + e.getMessage() + ")",
                    "check that PostgreSQL's programs are installed", null);
        }
    }

    private static void killTree(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String tail(ProcessResult result) {
        String text = result.stderr().isBlank() ? result.stdout() : result.stderr();
        return tailOf(text);
    }

    private static String tailOf(String text) {
        if (text.isBlank()) {
            return "";
        }
        String[] lines = text.strip().split("\n");
        int from = Math.max(0, lines.length - MESSAGE_LINES);
        return ":\n  " + String.join("\n  ", java.util.Arrays.copyOfRange(lines, from, lines.length));
    }

    private static String human(Duration d) {
        return d.toSeconds() >= 1 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    /** Writes the input on its own thread, so a program that prints before it reads cannot deadlock. */
    private static void feed(Process process, String input) {
        if (input == null) {
            closeQuietly(process.getOutputStream());
            return;
        }
        Thread.ofVirtual().start(() -> {
            try (OutputStream in = process.getOutputStream()) {
                in.write(input.getBytes(StandardCharsets.UTF_8));
            } catch (IOException ignored) {
                // the program exited without reading everything; its exit code tells
            }
        });
    }

    private static void closeQuietly(OutputStream stream) {
        try {
            stream.close();
        } catch (IOException ignored) {
            // the child may already have exited
        }
    }

    /**
     * Drains a stream on a virtual thread, keeping only the last CAPTURE_LIMIT bytes, and hands
     * each complete line (ended by a newline or a carriage return) to the listener, if any.
     */
    /**
     * Standard output handed to a reader on its own thread. A reader that fails stops the
     * program (which would otherwise block writing to a pipe nobody reads); one that is done
     * early has the rest drained, so the program can finish.
     */
    private static final class StreamedOutput {
        private final Thread thread;
        private volatile Exception failure;

        StreamedOutput(Process process, Command.OutputReader reader) {
            thread = Thread.ofVirtual().start(() -> {
                try (InputStream in = process.getInputStream()) {
                    reader.read(in);
                    in.transferTo(java.io.OutputStream.nullOutputStream());
                } catch (IOException | RuntimeException e) {
                    failure = e;
                    killTree(process);
                }
            });
        }

        void finish(String description) throws InterruptedException {
            thread.join();
            Exception e = failure;
            if (e instanceof PgoException pgo) {
                throw pgo;
            }
            if (e != null) {
                throw new PgoException(description + " failed reading the program's output: " + e.getMessage(),
                        null, e);
            }
        }
    }

    private static final class BoundedCapture {
        private final Thread thread;
        private final byte[] ring = new byte[CAPTURE_LIMIT];
        private final Consumer<String> lines;
        private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
        private long total;

        BoundedCapture(InputStream in, Consumer<String> lines) {
            this.lines = lines;
            thread = Thread.ofVirtual().start(() -> drain(in));
        }

        private void drain(InputStream in) {
            byte[] buffer = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    synchronized (this) {
                        for (int i = 0; i < n; i++) {
                            ring[(int) (total++ % CAPTURE_LIMIT)] = buffer[i];
                        }
                    }
                    if (lines != null) {
                        split(buffer, n);
                    }
                }
            } catch (IOException ignored) {
                // the process was killed; keep what was read
            }
        }

        private void split(byte[] buffer, int n) {
            for (int i = 0; i < n; i++) {
                byte b = buffer[i];
                if (b == '\n' || b == '\r') {
                    if (line.size() > 0) {
                        String text = line.toString(StandardCharsets.UTF_8);
                        line.reset();
                        try {
                            lines.accept(text);
                        } catch (RuntimeException ignored) {
                            // a listener's failure must not stop the draining, or the program would block
                        }
                    }
                } else if (line.size() < 4096) {
                    line.write(b);
                }
            }
        }

        void join() throws InterruptedException {
            thread.join(Duration.ofSeconds(10));
        }

        synchronized String text() {
            if (total <= CAPTURE_LIMIT) {
                return new String(ring, 0, (int) total, StandardCharsets.UTF_8);
            }
            int start = (int) (total % CAPTURE_LIMIT);
            byte[] ordered = new byte[CAPTURE_LIMIT];
            System.arraycopy(ring, start, ordered, 0, CAPTURE_LIMIT - start);
            System.arraycopy(ring, 0, ordered, CAPTURE_LIMIT - start, start);
            return new String(ordered, StandardCharsets.UTF_8);
        }
    }
}
