package dev.pgo.cmd;

import dev.pgo.PgoException;
import dev.pgo.cmd.shell.ShellCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.nio.file.Path;

/** The top of the pgo command tree and its global options. */
@Command(name = "pgo",
        mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = {"pgo manages PostgreSQL clusters on this machine (the local platform) or on Kubernetes.",
                "A \"database\" is a standalone instance; a \"cluster\" is a primary with streaming replicas."},
        footer = {"", "Examples:",
                "  pgo create cluster mycluster     a primary and 2 replicas",
                "  pgo create database mydatabase   a standalone instance",
                "  pgo show cluster all             every cluster",
                "  pgo show pvc all                 every volume",
                "  pgo switchover mycluster         move the primary role, losing nothing",
                "",
                "Exit codes: 0 done, 1 failed, 2 bad command line."})
public final class PgoCommand implements java.util.concurrent.Callable<Integer> {
    private final CliContext context;
    private String platform;
    private Path home;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public PgoCommand(CliContext context) {
        this.context = context;
    }

    /** The values --platform takes, for completion. */
    public static final class Platforms extends java.util.ArrayList<String> {
        public Platforms() {
            super(java.util.List.of("local", "kubernetes"));
        }
    }

    @Option(names = "--platform", scope = ScopeType.INHERIT, paramLabel = "local|kubernetes",
            completionCandidates = Platforms.class,
            description = "Where clusters live (default: from ~/.pgo/config.yaml, else local).")
    void platform(String value) {
        this.platform = value;
        context.select(platform, home);
    }

    @Option(names = "--home", scope = ScopeType.INHERIT, paramLabel = "DIR",
            description = "The local platform's state directory (default: $PGO_HOME, else ~/.pgo; /var/lib/pgo for root).")
    void home(Path value) {
        this.home = value;
        context.select(platform, home);
    }

    private Path kubeconfig;
    private String kubeContext;
    private String namespace;
    private boolean allNamespaces;
    private boolean embeddedOperator;

    private void retarget() {
        context.target(new KubernetesTarget(kubeconfig, kubeContext, namespace, allNamespaces), embeddedOperator);
    }

    @Option(names = "--kubeconfig", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "Kubernetes: the kubeconfig to use (default: $KUBECONFIG, else ~/.kube/config, else in-cluster).")
    void kubeconfig(Path value) {
        this.kubeconfig = value;
        retarget();
    }

    @Option(names = "--context", scope = ScopeType.INHERIT, paramLabel = "NAME",
            description = "Kubernetes: the kubeconfig context (default: the current one).")
    void kubeContext(String value) {
        this.kubeContext = value;
        retarget();
    }

    @Option(names = {"-n", "--namespace"}, scope = ScopeType.INHERIT, paramLabel = "NAMESPACE",
            description = "Kubernetes: the namespace (default: the context's, else default).")
    void namespace(String value) {
        this.namespace = value;
        retarget();
    }

    @Option(names = {"-A", "--all-namespaces"}, scope = ScopeType.INHERIT,
            description = "Kubernetes: list and show across every namespace.")
    void allNamespaces(boolean value) {
        this.allNamespaces = value;
        retarget();
    }

    @Option(names = "--embedded-operator", scope = ScopeType.INHERIT,
            description = "Kubernetes: reconcile in this process while waiting, for clusters where no operator runs.")
    void embeddedOperator(boolean value) {
        this.embeddedOperator = value;
        retarget();
    }

    @Option(names = "--continue-on-error",
            description = "With no command and piped input: run every line even after one fails.")
    boolean continueOnError;

    /** pgo with no command is the shell (pgo shell). */
    @Override
    public Integer call() throws java.io.IOException {
        return ShellCommand.start(context, spec, continueOnError);
    }

    /** The whole command tree, configured: commands built with the context, errors printed for people. */
    public static CommandLine commandLine(CliContext context) {
        var commandLine = new CommandLine(new PgoCommand(context), new ContextFactory(context));
        CommandTree.addAll(commandLine);
        return configure(commandLine, context);
    }

    /** The part of the command tree {@code args} need (see {@link CommandTree}), configured as {@link #commandLine(CliContext)}. */
    public static CommandLine commandLine(CliContext context, String... args) {
        var commandLine = new CommandLine(new PgoCommand(context), new ContextFactory(context));
        CommandTree.addFor(commandLine, args);
        return configure(commandLine, context);
    }

    /** Settings for every command of the tree; picocli applies them to the subcommands present. */
    private static CommandLine configure(CommandLine commandLine, CliContext context) {
        commandLine.setOut(new java.io.PrintWriter(context.out(), true));
        commandLine.setErr(new java.io.PrintWriter(context.err(), true));
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        // The words to complete are taken as they are, options of the command being typed included.
        CommandLine complete = commandLine.getSubcommands().get("__complete");
        if (complete != null) {
            complete.setStopAtPositional(true).setUnmatchedOptionsArePositionalParams(true);
        }
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof PgoException pgo) {
                context.err().println("error: " + pgo.getMessage());
                if (pgo.hint() != null) {
                    context.err().println("hint: " + pgo.hint());
                }
                return ExitCodes.ERROR;
            }
            return internalError(context, e);
        });
        return commandLine;
    }

    /**
     * An exception pgo did not expect is a bug: one clear line and what to do instead of a stack
     * trace, which PGO_DEBUG=1 prints for a report.
     */
    private static int internalError(CliContext context, Exception e) {
        String what = e.getMessage() == null ? e.getClass().getSimpleName()
                : e.getClass().getSimpleName() + ": " + e.getMessage();
        context.err().println("error: pgo failed unexpectedly (" + what + ")");
        context.err().println("hint: this is a bug in pgo; PGO_DEBUG=1 prints where it happened, for a report");
        if (System.getenv("PGO_DEBUG") != null) {
            e.printStackTrace(context.err());
        }
        return ExitCodes.INTERNAL;
    }

    /** Gives every command that wants it the shared context through its constructor. */
    private record ContextFactory(CliContext context) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> type) throws Exception {
            try {
                return type.getDeclaredConstructor(CliContext.class).newInstance(context);
            } catch (NoSuchMethodException e) {
                return CommandLine.defaultFactory().create(type);
            }
        }
    }
}
