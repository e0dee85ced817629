package dev.pgo.cmd;

import dev.pgo.PgoException;
import dev.pgo.api.v1.PgCluster;
import dev.pgo.api.v1.PgClusterStatus;
import dev.pgo.api.v1.StorageSpec;
import dev.pgo.cmd.output.OutputFormat;
import dev.pgo.cmd.output.Progress;
import dev.pgo.manifest.Manifests;
import dev.pgo.platform.Platform;
import dev.pgo.platform.local.LocalPlatform;
import dev.pgo.process.Command;
import dev.pgo.validate.InvalidSpecException;
import dev.pgo.validate.Problem;
import dev.pgo.validate.SpecValidator;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How a command hands desired state to pgo: fill defaults, validate (nothing is written when
 * invalid), store it, then wait with progress until the cluster is Running, or return at once.
 */
public final class Submission {
    private final CliContext context;

    public Submission(CliContext context) {
        this.context = context;
    }

    /** Defaults and validation; throws {@link InvalidSpecException} listing every problem. */
    public PgCluster prepare(PgCluster cluster) {
        Platform platform = context.platform();
        if (cluster.getSpec() != null) {
            if (cluster.getSpec().getPostgresVersion() == null) {
                cluster.getSpec().setPostgresVersion(platform.defaultPostgresVersion());
            }
            if (cluster.getSpec().getStorage() == null) {
                cluster.getSpec().setStorage(new StorageSpec(ClientConfig.load().defaultStorage()));
            }
        }
        var problems = new ArrayList<Problem>(SpecValidator.validate(cluster));
        problems.addAll(platform.check(cluster));
        if (cluster.getMetadata() != null && cluster.getSpec() != null
                && SpecValidator.isValidClusterName(cluster.getMetadata().getName())) {
            platform.clusters().get(cluster.getMetadata().getName())
                    .ifPresent(existing -> problems.addAll(SpecValidator.validateUpdate(existing, cluster)));
        }
        if (!problems.isEmpty()) {
            String name = cluster.getMetadata() == null ? null : cluster.getMetadata().getName();
            throw new InvalidSpecException(name == null ? "the manifest" : name, problems);
        }
        return cluster;
    }

    public void printDryRun(PgCluster cluster, OutputFormat format) {
        PgCluster copy = Manifests.copy(cluster);
        copy.setStatus(null);
        context.out().print(format == OutputFormat.json ? Manifests.toJson(copy) : Manifests.toYaml(copy));
    }

    /** Stores the cluster and, unless --no-wait, reconciles until it is Running. */
    public void submit(PgCluster cluster, WaitOptions wait) {
        boolean existed = context.platform().clusters().get(cluster.name()).isPresent();
        PgCluster stored = context.platform().clusters().apply(cluster);
        String noun = stored.clusterKind().label();
        if (wait.noWait) {
            reconcileInBackground(stored.name());
            context.out().println(noun + " " + stored.name() + (existed ? " configured" : " created")
                    + "; pgo show cluster " + stored.name() + " follows its progress");
            return;
        }
        var progress = new Progress(context.err());
        context.err().println((existed ? "Updating " : "Creating ") + noun + " " + stored.name() + " ("
                + stored.getSpec().getInstances() + " instance" + (stored.getSpec().getInstances() == 1 ? "" : "s")
                + ", PostgreSQL " + stored.getSpec().getPostgresVersion() + ") on " + context.platform().name() + " ...");
        PgClusterStatus status = context.clusterWait().awaitRunning(stored.name(), wait.timeout(), progress);
        context.out().println(noun + " " + stored.name() + " is " + status.getPhase() + " (" + status.getReadyInstances()
                + "/" + stored.getSpec().getInstances() + " ready, primary " + status.getPrimary() + ") after "
                + progress.elapsed());
    }

    /** On the local platform nothing else reconciles, so --no-wait leaves a background pgo to do it. */
    public void reconcileInBackground(String name) {
        if (!(context.platform() instanceof LocalPlatform local)) {
            return;
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> argv = List.of(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "--home", local.home().toString(), "operator", "--once", name);
        Path log = local.home().resolve("logs").resolve("pgo-" + name + ".log");
        try {
            local.runner().spawnDetached(Command.of("reconciling " + name + " in the background", argv), log);
        } catch (PgoException e) {
            throw new PgoException(name + " was stored but the background reconcile did not start: " + e.getMessage(),
                    "run pgo operator --once " + name);
        }
    }
}
