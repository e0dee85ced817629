package dev.pgo.cmd;

import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * The global options (--home, --platform, --context, ...) a long-running command was started
 * with, as typed, to go before every command it runs in turn: the shell's lines, the
 * dashboard's actions. They may stand before or after the command's name, so the whole parse
 * is read.
 */
public final class GlobalOptions {
    private GlobalOptions() {
    }

    public static List<String> given(CommandLine root) {
        var given = new ArrayList<String>();
        if (root == null || root.getParseResult() == null) {
            return given;
        }
        for (var parsed = root.getParseResult(); parsed != null; parsed = parsed.subcommand()) {
            for (OptionSpec option : parsed.matchedOptions()) {
                if (option.scopeType() != CommandLine.ScopeType.INHERIT) {
                    continue;
                }
                given.add(option.longestName());
                if (option.arity().max() > 0) {
                    given.addAll(option.originalStringValues());
                }
            }
        }
        return given;
    }
}
