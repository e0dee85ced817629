package dev.pgo.tui.action;

import org.junit.jupiter.api.Test;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A command's output as the dashboard shows it: whole lines, progress redraws as lines, no escapes. */
class LineCaptureTest {
    @Test
    void progressRedrawsAndColoursBecomePlainLines() {
        var lines = new ArrayList<String>();
        try (var out = new PrintStream(new LineCapture(lines::add), true, StandardCharsets.UTF_8)) {
            out.print("backup alpha: 10%\rbackup alpha: 55%\r");
            out.println("\u001b[32mdone\u001b[0m");
            out.print("error: no cluster named x");
        }
        assertEquals(List.of("backup alpha: 10%", "backup alpha: 55%", "done", "error: no cluster named x"), lines);
    }
}
