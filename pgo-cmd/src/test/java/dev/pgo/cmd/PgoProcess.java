package dev.pgo.cmd;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/** pgo as a process of its own (this JVM's java and class path) on a $PGO_HOME; its output goes to ROOT/NAME.out. */
final class PgoProcess {
    private PgoProcess() {
    }

    static Process start(Path root, String name, String... args) throws IOException {
        List<String> argv = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "--home", root.toString()));
        argv.addAll(List.of(args));
        return new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log(root, name).toFile()).start();
    }

    static Path log(Path root, String name) {
        return root.resolve(name + ".out");
    }

    /** Its exit code, once it ends; the test fails if it runs longer than three minutes. */
    static int await(Process process, String name) throws InterruptedException {
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            fail(name + " did not finish");
        }
        return process.exitValue();
    }
}
