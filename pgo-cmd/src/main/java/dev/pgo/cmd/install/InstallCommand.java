package dev.pgo.cmd.install;

import dev.pgo.PgoException;
import dev.pgo.cmd.CliContext;
import dev.pgo.cmd.VersionCommand;
import dev.pgo.manifest.Manifests;
import dev.pgo.platform.kubernetes.InstallManifests;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;

/** `pgo install`: deploys the operator to a Kubernetes cluster, or prints what it would apply. */
@Command(name = "install",
        description = {"Deploy pgo's operator to Kubernetes: the PgCluster CRD, a namespace, a service account",
                "with least-privilege RBAC, the operator's ConfigMap (pgo-config) and its Deployment.",
                "With --dry-run nothing is sent: the manifests are printed as YAML, to review or to keep in git."},
        footer = {"", "Examples:",
                "  pgo install --dry-run > pgo.yaml && kubectl apply -f pgo.yaml",
                "  pgo install --dry-run -n databases-system --image registry.example.com/pgo:0.1.0",
                "  pgo install --context prod"})
public final class InstallCommand implements Runnable {
    @picocli.CommandLine.Mixin
    dev.pgo.cmd.HelpOption helpOption;

    private final CliContext context;

    @Option(names = "--dry-run", description = "Print the manifests instead of applying them.")
    boolean dryRun;

    @Option(names = "--image", paramLabel = "IMAGE",
            description = "The operator image (default: pgo-operator:<this version>, built from the Dockerfile).")
    String image;

    public InstallCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public void run() {
        String namespace = context.kubernetesTarget().namespace() != null ? context.kubernetesTarget().namespace()
                : "pgo-system";
        String operatorImage = image != null ? image : "pgo-operator:" + VersionCommand.version();
        List<HasMetadata> objects = InstallManifests.build(namespace, operatorImage);
        if (dryRun) {
            for (HasMetadata object : objects) {
                context.out().print("---\n" + Manifests.toYaml(object));
            }
            return;
        }
        KubernetesClient client = context.kubernetesClient();
        for (HasMetadata object : objects) {
            String what = object.getKind() + " " + object.getMetadata().getName();
            try {
                client.resource(object).createOr(NonDeletingOperation::update);
            } catch (KubernetesClientException e) {
                throw new PgoException("cannot apply " + what + " (HTTP " + e.getCode() + "): "
                        + (e.getStatus() == null ? e.getMessage() : e.getStatus().getMessage()),
                        "pgo install --dry-run prints the manifests; an administrator can apply them with kubectl");
            }
            context.out().println(what.toLowerCase(java.util.Locale.ROOT) + " applied");
        }
        context.out().println("pgo's operator is installed in namespace " + namespace
                + "; kubectl -n " + namespace + " rollout status deploy/" + InstallManifests.NAME + " waits for it");
    }
}
