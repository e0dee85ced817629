package dev.pgo.cmd;

import dev.pgo.cmd.complete.Names;
import dev.pgo.cmd.shell.Shell;
import dev.pgo.testing.Clusters;
import dev.pgo.testing.TempPgoHome;
import org.jline.terminal.impl.ExternalTerminal;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The interactive shell driven through a terminal (JLine's external terminal over streams, so
 * keys such as Tab and the arrows go through the real line editor), and pgo fed a script on
 * its input. The clusters are manifests in the store: no server is needed to name them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ShellTest {
    private static final String VERSION_LINE = "pgo 0.1.0";

    private TempPgoHome home;
    private Path root;
    private Path history;

    @BeforeAll
    void setUp() {
        home = new TempPgoHome();
        root = home.root();
        history = root.resolve("history");
        home.platform().clusters().apply(Clusters.spec("alpha", 2));
    }

    @AfterAll
    void tearDown() {
        home.close();
    }

    /** One shell session that reads {@code keys} as typed and ends when they run out (as Ctrl-D). */
    private String session(String keys) throws Exception {
        var screen = new ByteArrayOutputStream();
        session(new ByteArrayInputStream(keys.getBytes(StandardCharsets.UTF_8)), screen);
        return screen.toString(StandardCharsets.UTF_8);
    }

    private void session(InputStream in, ByteArrayOutputStream screen) throws Exception {
        try (var terminal = new ExternalTerminal("pgo-test", "xterm", in, screen, StandardCharsets.UTF_8);
             var context = new CliContext(InputStream.nullInputStream(), new PrintStream(screen, true),
                     new PrintStream(screen, true))) {
            var model = PgoCommand.commandLine(context);
            model.parseArgs("--home", root.toString());
            int exit = new Shell(terminal, history, List.of("--home", root.toString()), model.getCommandSpec(),
                    new Names(context), "pgo> ").run();
            assertEquals(ExitCodes.OK, exit);
        }
    }

    @Test
    void tabCompletesACommandAnOptionAndALiveClusterName() throws Exception {
        String screen = session("vers\t\nshow cluster alp\t\nshow cluster all --no-hea\t\n");
        assertTrue(screen.contains(VERSION_LINE), "'vers' completed to version and ran:\n" + screen);
        assertTrue(screen.contains("Name:        alpha"), "'alp' completed to the cluster alpha:\n" + screen);
        assertTrue(screen.lines().anyMatch(l -> l.matches(".*alpha\\s+\\S+\\s+0/2.*")),
                "--no-hea completed to --no-headers: the row without its header\n" + screen);
        assertFalse(screen.contains("NAME   PHASE"), screen);
    }

    /** -f takes a file: Tab completes its name (the manifest here is broken on purpose, so nothing is applied). */
    @Test
    void tabCompletesAFileNameAfterDashFAndHelpExplainsACommand() throws Exception {
        Path manifest = root.resolve("broken-manifest.yaml");
        Files.writeString(manifest, "kind: [unclosed\n");
        String screen = session("apply -f " + root.resolve("broken-man") + "\t\nhelp switchover\n");
        assertTrue(screen.contains(manifest.toString()), "the file name completed:\n" + screen);
        assertTrue(screen.contains("broken-manifest.yaml: line 2: not valid YAML"),
                "apply ran on the completed file and failed on its content:\n" + screen);
        assertTrue(screen.contains("Usage: pgo switchover"), "help COMMAND prints the command's usage:\n" + screen);
    }

    @Test
    void anErrorDoesNotEndTheShellAndExitLeavesIt() throws Exception {
        String screen = session("show cluster nosuch\nversion\nexit\nshow cluster alpha\n");
        assertTrue(screen.contains("no cluster named nosuch"), screen);
        assertTrue(screen.indexOf(VERSION_LINE) > screen.indexOf("no cluster named nosuch"),
                "the next command ran after the error:\n" + screen);
        assertFalse(screen.contains("Name:        alpha"), "nothing runs after exit:\n" + screen);
    }

    /** Ctrl-C while `pgo operator` runs (it runs until stopped) ends it; the shell takes the next command. */
    @Test
    void ctrlCCancelsTheRunningCommandAndTheShellGoesOn() throws Exception {
        var keys = new PipedOutputStream();
        var in = new PipedInputStream(keys);
        var screen = new ByteArrayOutputStream();
        var errors = new java.util.concurrent.CopyOnWriteArrayList<Throwable>();
        Thread shell = Thread.ofPlatform().name("shell-under-test").start(() -> {
            try {
                session(in, screen);
            } catch (Throwable e) {
                errors.add(e);
            }
        });
        type(keys, "operator --interval 60\n");
        awaitScreen(screen, "operator started");
        keys.write(3); // Ctrl-C
        keys.flush();
        awaitScreen(screen, "operator stopped");
        type(keys, "version\nexit\n");
        shell.join(java.time.Duration.ofSeconds(30));
        assertFalse(shell.isAlive(), "the shell ended at exit:\n" + screen);
        assertEquals(List.of(), errors);
        String text = screen.toString(StandardCharsets.UTF_8);
        assertTrue(text.indexOf(VERSION_LINE) > text.indexOf("operator stopped"), text);
    }

    private static void type(PipedOutputStream keys, String text) throws java.io.IOException {
        keys.write(text.getBytes(StandardCharsets.UTF_8));
        keys.flush();
    }

    private static void awaitScreen(ByteArrayOutputStream screen, String text) throws InterruptedException {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        while (!screen.toString(StandardCharsets.UTF_8).contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no '" + text + "' on the screen:\n" + screen.toString(StandardCharsets.UTF_8));
            }
            Thread.sleep(20);
        }
    }

    @Test
    void historySurvivesARestartAndIsPrivate() throws Exception {
        session("show pvc all\n");
        assertTrue(Files.readString(history).contains("show pvc all"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(history)));
        // a new shell: arrow up brings back the last command of the session before
        String screen = session("\u001b[A\n");
        assertTrue(screen.contains("no volumes") || screen.contains("NAME"), "the recalled command ran:\n" + screen);
        assertTrue(screen.contains("show pvc all"), screen);
    }

    @Test
    void pipedInputRunsLineByLineAndStopsAtTheFirstError() {
        PgoRun stops = PgoRun.piped(root, "show cluster all --no-headers\n# a comment\n\nshow cluster nosuch\nversion\n");
        assertEquals(ExitCodes.ERROR, stops.exit(), stops.toString());
        assertTrue(stops.out().startsWith("alpha"), stops.toString());
        assertFalse(stops.out().contains(VERSION_LINE), "nothing runs after the failure: " + stops);
        assertTrue(stops.err().contains("pgo: line 4 failed (exit 1): show cluster nosuch"), stops.toString());

        PgoRun goesOn = PgoRun.piped(root, "show cluster nosuch\nversion\n", "--continue-on-error");
        assertEquals(ExitCodes.ERROR, goesOn.exit(), "the last failure's code");
        assertTrue(goesOn.out().contains(VERSION_LINE), goesOn.toString());

        PgoRun fine = PgoRun.piped(root, "version\n");
        assertEquals(ExitCodes.OK, fine.exit(), fine.toString());
    }
}
