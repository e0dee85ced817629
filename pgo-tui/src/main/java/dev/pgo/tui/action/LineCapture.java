package dev.pgo.tui.action;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * An output stream that hands on whole lines, for commands whose output goes to the screen's
 * panes: a carriage return ends a line too (progress bars redraw with it), and terminal escape
 * sequences are dropped.
 */
final class LineCapture extends OutputStream {
    private static final Pattern ESCAPES = Pattern.compile("\u001b\\[[0-9;?]*[ -/]*[@-~]");

    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private final Consumer<String> sink;

    LineCapture(Consumer<String> sink) {
        this.sink = sink;
    }

    @Override
    public synchronized void write(int b) {
        if (b == '\n' || b == '\r') {
            flushLine(b == '\n');
        } else {
            line.write(b);
        }
    }

    private void flushLine(boolean always) {
        if (line.size() > 0 || always) {
            sink.accept(ESCAPES.matcher(line.toString(StandardCharsets.UTF_8)).replaceAll(""));
            line.reset();
        }
    }

    @Override
    public synchronized void close() {
        if (line.size() > 0) {
            flushLine(false);
        }
    }
}
