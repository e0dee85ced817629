package dev.pgo.cmd.shell;

import org.jline.reader.Parser;
import org.jline.reader.impl.DefaultParser;

import java.util.List;

/** A line typed in the shell or read from a script, split into arguments as a shell would (quotes, escapes). */
public final class CommandLines {
    private static final DefaultParser PARSER = new DefaultParser();

    private CommandLines() {
    }

    /** The arguments of a line; empty for a blank line or a comment. */
    public static List<String> split(String line) {
        String text = line.strip();
        if (text.isEmpty() || text.startsWith("#")) {
            return List.of();
        }
        return List.copyOf(PARSER.parse(text, text.length(), Parser.ParseContext.ACCEPT_LINE).words());
    }
}
