package dev.pgo.cmd;

import dev.pgo.PgoException;
import dev.pgo.platform.Platform;
import dev.pgo.platform.local.LocalPlatform;
import dev.pgo.api.v1.PgCluster;
import dev.pgo.platform.kubernetes.KubernetesPlatform;
import dev.pgo.platform.kubernetes.OperatorConfig;
import dev.pgo.platform.kubernetes.PortForwardAddresses;
import dev.pgo.reconcile.ClusterWait;
import dev.pgo.reconcile.Convergence;
import dev.pgo.reconcile.StatusWait;
import io.fabric8.kubernetes.client.KubernetesClient;
import dev.pgo.reconcile.LiveStatus;
import dev.pgo.reconcile.Reconciler;
import dev.pgo.sql.ConnectionPools;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * What commands share for one invocation: the chosen platform and the reconciler on it, made on
 * first use so `pgo version` or `pgo --help` never start them, and closed when the command ends.
 */
public final class CliContext implements AutoCloseable {
    private final java.io.InputStream in;
    private final PrintStream out;
    private final PrintStream err;
    private String platformName;
    private Path home;
    private KubernetesTarget kubernetesTarget = new KubernetesTarget(null, null, null, false);
    private boolean embeddedOperator;
    private Platform platform;
    private KubernetesClient kubernetesClient;
    private PortForwardAddresses portForwards;
    private ConnectionPools pools;
    private final ConnectionPools sharedPools;
    private Reconciler reconciler;

    public CliContext() {
        this(System.out, System.err);
    }

    public CliContext(PrintStream out, PrintStream err) {
        this(System.in, out, err);
    }

    public CliContext(java.io.InputStream in, PrintStream out, PrintStream err) {
        this(in, out, err, null);
    }

    /**
     * With {@code sharedPools}, the connection pools of a longer session (the shell), which this
     * context uses and leaves open: the next command finds its connections ready.
     */
    public CliContext(java.io.InputStream in, PrintStream out, PrintStream err, ConnectionPools sharedPools) {
        this.in = in;
        this.out = out;
        this.err = err;
        this.sharedPools = sharedPools;
    }

    /** What the command reads: a script piped into pgo, for one. */
    public java.io.InputStream in() {
        return in;
    }

    /** The local platform's home as the command line chose it, or null for the default. */
    public Path home() {
        return home;
    }

    public PrintStream out() {
        return out;
    }

    public PrintStream err() {
        return err;
    }

    void select(String platformName, Path home) {
        this.platformName = platformName;
        this.home = home;
    }

    void target(KubernetesTarget target, boolean embeddedOperator) {
        this.kubernetesTarget = target;
        this.embeddedOperator = embeddedOperator;
    }

    public KubernetesTarget kubernetesTarget() {
        return kubernetesTarget;
    }

    public Platform platform() {
        if (platform == null) {
            String name = platformName != null ? platformName : ClientConfig.load().platform();
            platform = switch (name) {
                case "local" -> home != null ? new LocalPlatform(home) : LocalPlatform.atDefaultHome();
                case "kubernetes" -> kubernetesTarget.platform(kubernetesClient());
                default -> throw new PgoException("unknown platform '" + name + "'", "use local or kubernetes");
            };
        }
        return platform;
    }

    public KubernetesClient kubernetesClient() {
        if (kubernetesClient == null) {
            kubernetesClient = kubernetesTarget.connect();
        }
        return kubernetesClient;
    }

    /**
     * Whether this process reconciles: always on the local platform, on Kubernetes only with
     * --embedded-operator (otherwise the in-cluster operator does, and the client follows status).
     */
    public boolean reconcilesItself() {
        return !(platform() instanceof KubernetesPlatform) || embeddedOperator;
    }

    public Reconciler reconciler() {
        if (reconciler == null) {
            pools = sharedPools != null ? sharedPools : new ConnectionPools(Duration.ofSeconds(3));
            Platform p = platform();
            if (p instanceof KubernetesPlatform k && System.getenv("KUBERNETES_SERVICE_HOST") == null) {
                // Outside the cluster pod IPs are out of reach: go through port-forwards.
                portForwards = new PortForwardAddresses(k.client());
                p = new KubernetesPlatform(k.client(), k.namespace(), null, () -> OperatorConfig.DEFAULTS, portForwards);
            }
            reconciler = new Reconciler(p, pools, Clock.systemUTC());
        }
        return reconciler;
    }

    /** Backups on this platform, taken and restored by this process. */
    public dev.pgo.backup.BackupService backups() {
        return new dev.pgo.backup.BackupService(platform(), reconciler().pools(), Clock.systemUTC());
    }

    /** Waits for a cluster the way this process can: reconciling it, or following the operator's status. */
    public ClusterWait clusterWait() {
        return reconcilesItself() ? new Convergence(reconciler())
                : new StatusWait(platform().clusters(), Duration.ofSeconds(1));
    }

    /** A cluster as `pgo show` prints it: observed live when this process can reach it, else as stored. */
    public LiveStatus.LiveView view(PgCluster cluster) {
        if (reconcilesItself()) {
            return new LiveStatus(reconciler(), Clock.systemUTC()).view(cluster);
        }
        return new LiveStatus.LiveView(cluster, null);
    }

    @Override
    public void close() {
        if (pools != null && pools != sharedPools) {
            pools.close();
        }
        if (portForwards != null) {
            portForwards.close();
        }
        if (kubernetesClient != null) {
            kubernetesClient.close();
        }
        if (platform != null) {
            platform.close();
        }
    }
}
