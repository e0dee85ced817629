package dev.pgo.cmd;

import dev.pgo.testing.TempPgoHome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;

import static dev.pgo.cmd.PgoRun.pgo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A one-liner builds the model of the command it runs only (a new JVM's start is most of its
 * time), and behaves as if the whole tree were there: help, inherited options, completion,
 * typos.
 */
class CommandTreeTest {
    private TempPgoHome home;
    private CliContext context;

    @BeforeEach
    void setUp() {
        home = new TempPgoHome();
        var sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        context = new CliContext(InputStream.nullInputStream(), sink, sink, null);
    }

    @AfterEach
    void tearDown() {
        context.close();
        home.close();
    }

    private Set<String> commandsFor(String... args) {
        return PgoCommand.commandLine(context, args).getSubcommands().keySet();
    }

    @Test
    void aOneLinerGetsTheCommandItNamesOnly() {
        assertEquals(Set.of("show"), commandsFor("show", "cluster", "all"));
        assertEquals(Set.of("show"), commandsFor("--home", "/tmp/x", "--platform=local", "-A", "show", "pvc", "x"));
        assertEquals(Set.of("create"), commandsFor("create", "cluster", "c", "--replicas", "1"));
        assertEquals(Set.of("__complete", "show"), commandsFor("__complete", "--", "show", "cluster", ""));
    }

    @Test
    void whatListsOrRunsEveryCommandGetsTheWholeTree() {
        int all = PgoCommand.commandLine(context).getSubcommands().size();
        for (String[] args : new String[][] {{}, {"--help"}, {"help", "show"}, {"shell"}, {"tui"}, {"completion", "bash"},
                {"__man", "/tmp/x"}, {"shw", "cluster"}, {"__complete", "--", "sh"}, {"__complete", "help", ""},
                {"--home"}, {"--bogus", "show"}}) {
            assertEquals(all, commandsFor(args).size(), String.join(" ", args));
        }
    }

    @Test
    void aSubcommandsHelpListsTheGlobalOptionsItInherits() {
        PgoRun run = pgo(home.root(), "show", "cluster", "--help");
        assertEquals(0, run.exit(), run.toString());
        assertTrue(run.out().contains("--platform=local|kubernetes"), run.out());
        assertTrue(run.out().contains("--kubeconfig=FILE"), run.out());
    }

    @Test
    void globalOptionsAfterTheCommandStillApply() {
        PgoRun run = pgo(home.root(), "show", "cluster", "all", "--platform", "local");
        assertEquals(0, run.exit(), run.toString());
        assertTrue(run.err().contains("no clusters on local (" + home.root() + ")"), run.toString());
    }

    @Test
    void aMistypedCommandIsAnsweredWithTheCommandsItResembles() {
        PgoRun run = pgo(home.root(), "shw", "cluster", "all");
        assertEquals(2, run.exit(), run.toString());
        assertTrue(run.err().contains("Did you mean: pgo show"), run.err());
    }

    @Test
    void completionOfTheFirstWordOffersEveryCommand() {
        PgoRun run = pgo(home.root(), "__complete", "--", "s");
        assertEquals(0, run.exit(), run.toString());
        for (String command : new String[] {"show", "scale", "switchover", "shell"}) {
            assertTrue(run.out().lines().anyMatch(command::equals), command + " in " + run.out());
        }
    }

    @Test
    void everyTopLevelCommandHasHelpAsAOneLiner() {
        for (CommandLine command : PgoCommand.commandLine(context).getSubcommands().values()) {
            String name = command.getCommandName();
            if (name.equals("help") || command.getCommandSpec().usageMessage().hidden()) {
                continue;
            }
            PgoRun run = pgo(home.root(), name, "--help");
            assertEquals(0, run.exit(), name + ": " + run);
            assertTrue(run.out().startsWith("Usage: pgo " + name), name + ": " + run.out());
        }
    }
}
