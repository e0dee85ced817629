package dev.pgo.cmd;

import com.googlecode.lanterna.input.KeyType;
import dev.pgo.testing.Clusters;
import dev.pgo.testing.TempPgoHome;
import dev.pgo.tui.VirtualScreen;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Path;
import java.util.List;

import static dev.pgo.cmd.PgoRun.pgo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `pgo tui` on Lanterna's virtual terminal, put together as `pgo tui` does it, against the
 * local platform: two clusters stored as manifests, and one created and deleted through the
 * dashboard's own dialogs, with real PostgreSQL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TuiTest {
    private TempPgoHome home;
    private Path root;

    @BeforeAll
    void setUp() {
        home = new TempPgoHome();
        root = home.root();
        home.platform().clusters().apply(Clusters.spec("alpha", 2));
        home.platform().clusters().apply(Clusters.spec("bravo", 3));
    }

    @AfterAll
    void tearDown() {
        home.close();
    }

    private static void assertSucceeds(PgoRun run) {
        assertEquals(ExitCodes.OK, run.exit(), run.toString());
    }

    private AutoCloseable dashboard(VirtualScreen screen, boolean readonly) {
        return TestDashboard.open(root, screen, readonly);
    }

    @Test
    @Order(0)
    void withoutATerminalItSaysWhatToUseInstead() {
        PgoRun run = pgo(root, "tui");
        assertEquals(ExitCodes.ERROR, run.exit(), run.toString());
        assertTrue(run.err().contains("error: pgo tui needs a terminal") && run.err().contains("-o json"), run.toString());
        PgoRun bad = pgo(root, "tui", "--refresh", "0");
        assertEquals(ExitCodes.ERROR, bad.exit(), bad.toString());
        assertTrue(bad.err().contains("--refresh must be 1 second or more, not 0"), bad.toString());
    }

    @Test
    @Order(1)
    void theClustersViewShowsWhatShowSaysAndEnterEscAndFilterMoveAround() throws Exception {
        var screen = new VirtualScreen(120, 30);
        try (var running = dashboard(screen, false)) {
            screen.await("both clusters", t -> t.contains("alpha") && t.contains("bravo"));
            PgoRun show = pgo(root, "show", "cluster", "all", "--no-headers");
            for (String line : show.out().lines().toList()) {
                String[] cells = line.trim().split("\\s+"); // NAME PHASE READY ...
                String row = screen.rowWith(cells[0]);
                assertTrue(row.matches(".*\\b" + cells[0] + "\\s+" + cells[1] + "\\s+" + cells[2] + "\\b.*"),
                        "the row of " + cells[0] + " has the phase and ready count pgo show has (" + line + "):\n" + row);
            }

            screen.press(KeyType.Enter); // the first row: alpha
            screen.await("alpha's details", t -> t.contains("cluster alpha:") && t.contains("Instances")
                    && t.contains("Password:   (hidden; p shows it)"));
            screen.press(KeyType.Escape);
            screen.await("the clusters table again", t -> t.contains("NAME") && t.contains("bravo")
                    && !t.contains("Instances"));

            screen.type("/bra");
            screen.await("only bravo", t -> t.contains("bravo") && !t.contains("alpha"));
            screen.press(KeyType.Enter);
            screen.type("j"); // the filter stays after Enter; keys move again
            assertTrue(screen.text().contains("/bra"), screen.text());
            screen.press(KeyType.Escape);
            screen.await("the filter cleared", t -> t.contains("alpha") && t.contains("bravo"));

            screen.type("+");
            screen.await("a longer interval", t -> t.contains("every 2s"));
            screen.type("--");
            screen.await("the shortest interval", t -> t.contains("every 1s"));
            screen.type("R");

            screen.type("?");
            screen.await("the help", t -> t.contains("Actions on the selected cluster") && t.contains("d "));
            screen.press(KeyType.Escape);
            screen.press(KeyType.Tab);
            screen.await("the PVCs view", t -> t.contains("[PVCs]"));
        }
    }

    @Test
    @Order(3)
    void theCreateDialogCreatesARealClusterAndDeleteWantsItsNameTyped() throws Exception {
        var screen = new VirtualScreen(120, 30);
        try (var running = dashboard(screen, false)) {
            screen.await("the clusters", t -> t.contains("bravo"));
            screen.type("c");
            screen.await("the create dialog", t -> t.contains("Create a cluster"));
            screen.type("tuidb");
            screen.press(KeyType.Tab);
            screen.press(KeyType.ArrowLeft);
            screen.press(KeyType.ArrowLeft); // 3 -> 1 instance
            screen.press(KeyType.Enter);
            screen.await("the create finished", t -> t.contains("done: create cluster tuidb")
                    || t.contains("failed: create cluster tuidb"));
            assertTrue(screen.text().contains("done: create cluster tuidb"), screen.text());
            String row = screen.await("tuidb running", t -> t.matches("(?s).*tuidb\\s+Running\\s+1/1.*"));
            PgoRun show = pgo(root, "show", "cluster", "tuidb");
            assertTrue(show.out().contains("Running"), show.toString());

            screen.press(KeyType.Tab);
            screen.type("/tuidb\n");
            screen.await("its volume", t -> t.contains("[PVCs]") && t.contains("pgdata-tuidb-0"));
            screen.press(KeyType.Enter);
            screen.await("the files in its volume", t -> t.contains("Files in pgdata-tuidb-0") && t.contains("PG_VERSION"));
            screen.press(KeyType.Escape);
            screen.press(KeyType.ReverseTab);

            screen.type("/tuidb\n");
            screen.await("only tuidb", t -> t.contains("tuidb") && !t.contains("bravo"));
            screen.type("b");
            screen.await("the backup", t -> t.contains("done: backup tuidb"));
            screen.press(KeyType.Tab);
            screen.press(KeyType.Tab);
            screen.await("the backup in the Backups view", t -> t.contains("[Backups]")
                    && t.matches("(?s).*tuidb\\s+[-0-9]{19}\\s+full\\s.*(Completed|Verified).*"));
            screen.type("r");
            screen.await("the restore dialog", t -> t.contains("Restore tuidb into a new cluster"));
            screen.press(KeyType.Enter);
            screen.await("the restore", t -> t.contains("done: restore tuidb into tuidb-restored")
                    || t.contains("failed: restore"));
            assertTrue(screen.text().contains("done: restore tuidb into tuidb-restored"), screen.text());
            assertTrue(pgo(root, "show", "cluster", "tuidb-restored").out().contains("Running"));
            assertSucceeds(pgo(root, "delete", "cluster", "tuidb-restored"));
            screen.press(KeyType.Tab);
            screen.press(KeyType.Tab); // back to Clusters, still filtered

            screen.await("only tuidb", t -> t.contains("[Clusters]") && t.contains("tuidb") && !t.contains("bravo"));
            screen.type("d");
            screen.await("the delete dialog", t -> t.contains("Delete cluster tuidb"));
            screen.type("tuidc\n");
            screen.await("the refusal", t -> t.contains("Type tuidb exactly to delete it"));
            assertTrue(home.platform().clusters().get("tuidb").isPresent(), "a wrong name deletes nothing");
            screen.press(KeyType.Backspace);
            screen.type("b\n");
            screen.await("the delete finished", t -> t.contains("done: delete cluster tuidb"));
            assertTrue(home.platform().clusters().get("tuidb").isEmpty(), row);
            screen.await("tuidb gone from the view", t -> t.contains("nothing matches /tuidb"));
        }
    }

    /** bravo's servers were never started: its backup fails, and the dashboard says why. */
    @Test
    @Order(2)
    void aFailedActionShowsItsReasonAndIsInTheEvents() throws Exception {
        var screen = new VirtualScreen(120, 30);
        try (var running = dashboard(screen, false)) {
            screen.await("the clusters", t -> t.contains("bravo"));
            screen.type("/bravo\n");
            screen.type("b");
            String failed = screen.await("the failure", t -> t.contains("failed: backup bravo: "));
            String reason = screen.rowWith("failed: backup bravo: ").replaceFirst(".*failed: backup bravo: ", "");
            assertFalse(reason.isBlank(), failed);
            PgoRun cli = pgo(root, "create", "backup", "bravo");
            assertTrue(cli.err().contains(reason.strip()), "the reason is the command's own: " + cli + "\n" + failed);
            screen.press(KeyType.Escape);
            screen.press(KeyType.ReverseTab); // Events
            screen.await("the events", t -> t.contains("[Events]") && t.contains("failed: backup bravo")
                    && t.contains("started: backup bravo"));
        }
    }

    @Test
    @Order(4)
    void readOnlyHasNoActions() throws Exception {
        var screen = new VirtualScreen(120, 30);
        try (var running = dashboard(screen, true)) {
            String text = screen.await("the clusters", t -> t.contains("bravo"));
            assertTrue(text.contains("READ-ONLY"), text);
            assertFalse(text.contains("c create") || text.contains("d delete"), "no action hints:\n" + text);
            screen.type("d");
            screen.await("the refusal", t -> t.contains("read-only: actions are off"));
            assertFalse(screen.text().contains("Delete cluster"), screen.text());
            screen.type(":scale alpha --replicas 0\n");
            screen.await("the command refused", t -> t.contains("read-only: only show, help and version run here"));
            screen.type(":sho");
            screen.press(KeyType.Tab);
            screen.await("the command completed", t -> t.contains(":show _"));
            screen.type("cluster all\n");
            screen.await("a show command's output", t -> t.contains("pgo show cluster all") && t.contains("(exit 0"));
        }
        assertEquals(2, home.platform().clusters().get("alpha").orElseThrow().getSpec().getInstances(),
                "nothing changed");
    }

    @Test
    @Order(5)
    void aResizeRedrawsForTheNewSize() throws Exception {
        var screen = new VirtualScreen(140, 30);
        try (var running = dashboard(screen, false)) {
            String wide = screen.await("the wide table", t -> t.contains("bravo") && t.contains("PROBLEM"));
            screen.resize(80, 24);
            String narrow = screen.await("the table for 80 columns", t -> !t.contains("PROBLEM") && t.contains("bravo")
                    && t.endsWith("? help  q quit"));
            List<String> rows = screen.rows();
            assertEquals(24, rows.size());
            assertTrue(rows.stream().allMatch(r -> r.length() <= 80), narrow);
            assertTrue(rows.get(23).endsWith("? help  q quit"),
                    "the key line is on the last row:\n" + narrow + "\nwas:\n" + wide);
            assertTrue(screen.rowWith("NAME").matches(".*NAME\\s+PHASE\\s+READY.*"), narrow);
        }
    }
}
