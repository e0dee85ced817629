package dev.pgo.cmd.complete;

import dev.pgo.cmd.CliContext;
import dev.pgo.cmd.HelpOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** `pgo completion bash|zsh`: the shell completion script, made from the command model. */
@Command(name = "completion",
        description = {"Print the completion script for bash or zsh.",
                "Commands, options and their values complete from tables made from pgo's command model; names of"
                        + " clusters, databases, volumes, backups and instances come from the platform in use."},
        footer = {"", "Install:",
                "  pgo completion bash > ~/.local/share/bash-completion/completions/pgo",
                "  pgo completion zsh > \"${fpath[1]}/_pgo\"",
                "  or, for this shell only: source <(pgo completion bash)"})
public final class CompletionCommand implements Runnable, dev.pgo.cmd.CommandTree.ReadsWholeTree {
    /** The shells pgo writes completion for. */
    public enum Shell { bash, zsh }

    @Mixin
    HelpOption helpOption;

    private final CliContext context;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SHELL", description = "bash or zsh.")
    Shell shell;

    public CompletionCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public void run() {
        CommandSpec root = spec.root();
        context.out().print(shell == Shell.bash ? BashScript.bash(root) : BashScript.zsh(root));
    }
}
