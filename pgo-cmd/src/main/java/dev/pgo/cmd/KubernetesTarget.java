package dev.pgo.cmd;

import dev.pgo.PgoException;
import dev.pgo.platform.kubernetes.KubernetesPlatform;
import dev.pgo.platform.kubernetes.OperatorConfig;
import dev.pgo.platform.kubernetes.PodAddresses;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which Kubernetes cluster and namespace the client talks to, chosen like kubectl: --kubeconfig
 * (else $KUBECONFIG, else ~/.kube/config, else the pod's service account), --context (else the
 * current one), -n (else the context's namespace, else "default"), or -A for every namespace.
 */
public record KubernetesTarget(Path kubeconfig, String context, String namespace, boolean allNamespaces) {
    static final int REQUEST_RETRIES = 3;

    public KubernetesClient connect() {
        Config config;
        if (kubeconfig != null) {
            try {
                config = Config.fromKubeconfig(context, Files.readString(kubeconfig), kubeconfig.toString());
            } catch (IOException e) {
                throw new PgoException("cannot read the kubeconfig " + kubeconfig + ": " + e.getMessage());
            } catch (RuntimeException e) {
                throw new PgoException("cannot use the kubeconfig " + kubeconfig + ": " + e.getMessage());
            }
        } else {
            config = Config.autoConfigure(context);
        }
        if (context != null && (config.getCurrentContext() == null || !context.equals(config.getCurrentContext().getName()))) {
            throw new PgoException("no context named " + context + " in the kubeconfig", "kubectl config get-contexts lists them");
        }
        // fabric8 retries a request that found no server ten times, doubling a 100 ms pause:
        // 20 s before a one-liner says the API server is out of reach. Three retries (0.7 s) ride
        // out a blip; pgo's own loops retry what fails after that (the operator's next pass).
        config.setRequestRetryBackoffLimit(Math.min(config.getRequestRetryBackoffLimit(), REQUEST_RETRIES));
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    /** The platform for the chosen namespace; with -A, one whose listings span every namespace. */
    public KubernetesPlatform platform(KubernetesClient client) {
        String ns = allNamespaces ? null : namespace != null ? namespace
                : client.getNamespace() != null ? client.getNamespace() : "default";
        String contextName = client.getConfiguration().getCurrentContext() == null ? null
                : client.getConfiguration().getCurrentContext().getName();
        return new KubernetesPlatform(client, ns, contextName, () -> OperatorConfig.DEFAULTS, PodAddresses.IN_CLUSTER);
    }
}
