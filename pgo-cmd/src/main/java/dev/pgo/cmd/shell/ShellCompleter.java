package dev.pgo.cmd.shell;

import dev.pgo.cmd.complete.Completer;
import dev.pgo.cmd.complete.Names;
import org.jline.reader.Candidate;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;
import picocli.CommandLine.Model.CommandSpec;

import java.util.ArrayList;
import java.util.List;

/** Tab in the shell: the same candidates as the shell completion scripts, from the same model. */
final class ShellCompleter implements org.jline.reader.Completer {
    private final Completer completer;

    ShellCompleter(CommandSpec root, Names names) {
        this.completer = new Completer(root, names);
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        var words = new ArrayList<>(line.words().subList(0, line.wordIndex()));
        words.add(line.word().substring(0, line.wordCursor()));
        for (String value : completer.complete(words).candidates()) {
            candidates.add(new Candidate(value, value, null, null, null, null, true));
        }
    }
}
