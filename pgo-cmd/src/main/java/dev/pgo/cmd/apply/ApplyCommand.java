package dev.pgo.cmd.apply;

import dev.pgo.PgoException;
import dev.pgo.TextFiles;
import dev.pgo.api.v1.PgCluster;
import dev.pgo.cmd.CliContext;
import dev.pgo.cmd.Submission;
import dev.pgo.cmd.SubmitOptions;
import dev.pgo.manifest.Manifests;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** `pgo apply -f FILE`: create or change clusters from PgCluster manifests, as on Kubernetes. */
@Command(name = "apply",
        description = {"Create or update clusters from PgCluster manifests (the same YAML as on Kubernetes).",
                "Every manifest is validated before any is stored; then pgo waits until each is Running."},
        footer = {"", "Examples:", "  pgo apply -f mycluster.yaml", "  pgo create cluster x --dry-run | pgo apply -f -"})
public final class ApplyCommand implements Runnable {
    @picocli.CommandLine.Mixin
    dev.pgo.cmd.HelpOption helpOption;

    private final CliContext context;

    @Option(names = {"-f", "--filename"}, required = true, paramLabel = "FILE", description = "Manifest file, or - for stdin.")
    String file;

    @Mixin
    SubmitOptions submit;

    public ApplyCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public void run() {
        List<PgCluster> clusters = Manifests.parse(read(), file.equals("-") ? "stdin" : file);
        var submission = new Submission(context);
        clusters.forEach(submission::prepare);
        for (PgCluster cluster : clusters) {
            if (submit.dryRun) {
                submission.printDryRun(cluster, submit.output);
            } else {
                submission.submit(cluster, submit.wait);
            }
        }
    }

    private String read() {
        if (!file.equals("-")) {
            return TextFiles.read(Path.of(file));
        }
        try {
            return TextFiles.decode(System.in.readAllBytes(), "standard input");
        } catch (IOException e) {
            throw new PgoException("cannot read standard input: " + e.getMessage());
        }
    }
}
