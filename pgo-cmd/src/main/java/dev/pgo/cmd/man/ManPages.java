package dev.pgo.cmd.man;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Man pages in troff (man(7) macros) from the command model: one page per visible command,
 * named as git names its pages (pgo-show-cluster.1), with the synopsis, description, options,
 * subcommands and the examples each command's help already has. Nothing is written by hand, so
 * a new command or option has its page on the next build.
 */
public final class ManPages {
    private final String version;

    public ManPages(String version) {
        this.version = version;
    }

    /** Writes every page under {@code dir}; returns the files written. */
    public List<Path> write(CommandSpec root, Path dir) throws IOException {
        Files.createDirectories(dir);
        var written = new ArrayList<Path>();
        write(root, dir, written);
        return written;
    }

    private void write(CommandSpec spec, Path dir, List<Path> written) throws IOException {
        Path file = dir.resolve(pageName(spec) + ".1");
        Files.writeString(file, page(spec));
        written.add(file);
        for (CommandLine sub : visibleSubcommands(spec)) {
            write(sub.getCommandSpec(), dir, written);
        }
    }

    static String pageName(CommandSpec spec) {
        return spec.qualifiedName("-");
    }

    String page(CommandSpec spec) {
        var page = new StringBuilder();
        String name = pageName(spec);
        String[] description = spec.usageMessage().description();
        page.append(".TH ").append(name.toUpperCase(Locale.ROOT)).append(" 1 \"\" \"pgo ").append(escape(version))
                .append("\" \"pgo manual\"\n");
        page.append(".SH NAME\n").append(escape(name)).append(" \\- ")
                .append(escape(description.length == 0 ? "" : description[0])).append('\n');
        page.append(".SH SYNOPSIS\n.nf\n").append(escape(synopsis(spec))).append("\n.fi\n");
        if (description.length > 1) {
            page.append(".SH DESCRIPTION\n");
            for (int i = 1; i < description.length; i++) {
                page.append(escape(description[i])).append("\n.PP\n");
            }
        }
        List<PositionalParamSpec> positionals = spec.positionalParameters();
        if (!positionals.isEmpty()) {
            page.append(".SH ARGUMENTS\n");
            for (PositionalParamSpec p : positionals) {
                page.append(".TP\n.I ").append(escape(p.paramLabel())).append('\n')
                        .append(escape(String.join(" ", p.description()))).append('\n');
            }
        }
        page.append(".SH OPTIONS\n");
        for (OptionSpec option : spec.options()) {
            if (option.hidden()) {
                continue;
            }
            page.append(".TP\n.B ").append(escape(String.join(", ", option.names())));
            if (option.arity().max() > 0) {
                page.append(" \\fI").append(escape(option.paramLabel())).append("\\fR");
            }
            page.append('\n').append(escape(String.join(" ", option.description())
                    .replace("${DEFAULT-VALUE}", String.valueOf(option.defaultValue())))).append('\n');
        }
        List<CommandLine> subcommands = visibleSubcommands(spec);
        if (!subcommands.isEmpty()) {
            page.append(".SH COMMANDS\n");
            for (CommandLine sub : subcommands) {
                String[] subDescription = sub.getCommandSpec().usageMessage().description();
                page.append(".TP\n.BR ").append(escape(pageName(sub.getCommandSpec()))).append(" (1)\n")
                        .append(escape(subDescription.length == 0 ? "" : subDescription[0])).append('\n');
            }
        }
        String[] footer = spec.usageMessage().footer();
        if (footer.length > 0) {
            page.append(".SH EXAMPLES\n.nf\n");
            for (String line : footer) {
                if (!line.isBlank() && !line.equals("Examples:")) {
                    page.append(escape(line)).append('\n');
                }
            }
            page.append(".fi\n");
        }
        page.append(".SH SEE ALSO\n");
        CommandSpec parent = spec.parent();
        page.append(parent == null ? "https://github.com/ (docs/commands.md in the pgo sources)"
                : escape(pageName(parent)) + "(1)").append('\n');
        return page.toString();
    }

    private static String synopsis(CommandSpec spec) {
        var help = new CommandLine.Help(spec, CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        return help.synopsis(0).strip();
    }

    private static List<CommandLine> visibleSubcommands(CommandSpec spec) {
        var visible = new ArrayList<CommandLine>();
        spec.subcommands().forEach((name, sub) -> {
            if (!sub.getCommandSpec().usageMessage().hidden() && sub.getCommandSpec().name().equals(name)
                    && !visible.contains(sub)) {
                visible.add(sub);
            }
        });
        return visible;
    }

    /** Text for troff: backslashes doubled, hyphens as minus signs, no control character leading a line. */
    static String escape(String text) {
        String escaped = text.replace("\\", "\\e").replace("-", "\\-");
        return escaped.startsWith(".") || escaped.startsWith("'") ? "\\&" + escaped : escaped;
    }
}
