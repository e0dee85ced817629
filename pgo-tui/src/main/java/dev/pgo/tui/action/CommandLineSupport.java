package dev.pgo.tui.action;

import java.util.Arrays;
import java.util.List;

/**
 * What the `:` prompt needs from the command line it imitates: a typed line split into words
 * as a shell would, and completion of the last word (empty after a space) from the words
 * before it.
 */
public interface CommandLineSupport {
    /** Splits on spaces and completes nothing: enough where no command model is at hand. */
    CommandLineSupport PLAIN = new CommandLineSupport() {
        @Override
        public List<String> split(String line) {
            return line.isBlank() ? List.of() : Arrays.asList(line.strip().split("\\s+"));
        }

        @Override
        public List<String> complete(List<String> words) {
            return List.of();
        }
    };

    List<String> split(String line);

    List<String> complete(List<String> words);
}
