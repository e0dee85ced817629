package dev.pgo.cmd.man;

import dev.pgo.cmd.CliContext;
import dev.pgo.cmd.VersionCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** `pgo __man DIR` (hidden): writes the man pages; the build runs it into man/. */
@Command(name = "__man", hidden = true, description = "Write pgo's man pages into a directory.")
public final class ManCommand implements Callable<Integer>, dev.pgo.cmd.CommandTree.ReadsWholeTree {
    private final CliContext context;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR")
    Path dir;

    public ManCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws IOException {
        var pages = new ManPages(VersionCommand.version()).write(spec.root(), dir);
        context.out().println(pages.size() + " man pages in " + dir);
        return 0;
    }
}
