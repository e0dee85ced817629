package dev.pgo.cmd;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The man pages the build writes: one per command, with its options and examples, that man(1) renders cleanly. */
class ManPagesTest {
    @TempDir
    Path dir;

    @Test
    void everyCommandHasAPageThatRendersWithoutWarnings() throws Exception {
        PgoRun run = PgoRun.pgo(dir.resolve("home"), "__man", dir.resolve("man1").toString());
        assertEquals(ExitCodes.OK, run.exit(), run.toString());
        for (String page : new String[]{"pgo", "pgo-show-cluster", "pgo-switchover", "pgo-create-backup", "pgo-shell",
                "pgo-completion"}) {
            assertTrue(Files.exists(dir.resolve("man1/" + page + ".1")), page);
        }
        assertFalse(Files.exists(dir.resolve("man1/pgo-__complete.1")), "hidden commands have no page");

        String switchover = Files.readString(dir.resolve("man1/pgo-switchover.1"));
        assertTrue(switchover.startsWith(".TH PGO-SWITCHOVER 1"), switchover);
        assertTrue(switchover.contains(".B \\-\\-target \\fIINSTANCE\\fR"), switchover);
        assertTrue(switchover.contains("pgo switchover mycluster \\-\\-target mycluster\\-2"), "its examples");
        String root = Files.readString(dir.resolve("man1/pgo.1"));
        assertTrue(root.contains(".BR pgo\\-switchover (1)"), "the root page lists the commands");

        assumeTrue(Files.isExecutable(Path.of("/usr/bin/groff")), "groff renders the pages where it is installed");
        for (Path page : Files.list(dir.resolve("man1")).toList()) {
            var groff = new ProcessBuilder("groff", "-man", "-Tutf8", "-ww", "-z", page.toString())
                    .redirectErrorStream(true).start();
            assertTrue(groff.waitFor(30, TimeUnit.SECONDS));
            String warnings = new String(groff.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals("", warnings, page.getFileName() + " renders without warnings");
        }
    }
}
