package dev.pgo.cmd.shell;

import dev.pgo.cmd.complete.Completer;
import dev.pgo.cmd.complete.Names;
import org.jline.builtins.Completers.FileNameCompleter;
import org.jline.reader.Candidate;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;
import picocli.CommandLine.Model.CommandSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * Tab in the shell: the same candidates as the shell completion scripts, from the same model.
 * Where the model says a file goes (-f FILE) and has no candidates, file names complete, as
 * bash does for the scripts.
 */
final class ShellCompleter implements org.jline.reader.Completer {
    private final Completer completer;
    private final FileNameCompleter files = new FileNameCompleter();

    ShellCompleter(CommandSpec root, Names names) {
        this.completer = new Completer(root, names);
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        var words = new ArrayList<>(line.words().subList(0, line.wordIndex()));
        words.add(line.word().substring(0, line.wordCursor()));
        Completer.Result result = completer.complete(words);
        if (result.candidates().isEmpty() && (result.directive() & Completer.NO_FILES) == 0) {
            files.complete(reader, line, candidates);
            return;
        }
        for (String value : result.candidates()) {
            candidates.add(new Candidate(value, value, null, null, null, null, true));
        }
    }
}
