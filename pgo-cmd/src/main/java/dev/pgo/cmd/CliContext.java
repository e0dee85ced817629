package dev.pgo.cmd;

import dev.pgo.PgoException;
import dev.pgo.platform.Platform;
import dev.pgo.platform.local.LocalPlatform;
import dev.pgo.reconcile.Convergence;
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
    private final PrintStream out;
    private final PrintStream err;
    private String platformName;
    private Path home;
    private Platform platform;
    private ConnectionPools pools;
    private Reconciler reconciler;

    public CliContext() {
        this(System.out, System.err);
    }

    public CliContext(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
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

    public Platform platform() {
        if (platform == null) {
            String name = platformName != null ? platformName : ClientConfig.load().platform();
            platform = switch (name) {
                case "local" -> home != null ? new LocalPlatform(home) : LocalPlatform.atDefaultHome();
                case "kubernetes" -> throw new PgoException("the kubernetes platform is not available in this build",
                        "use --platform local");
                default -> throw new PgoException("unknown platform '" + name + "'", "use local or kubernetes");
            };
        }
        return platform;
    }

    public Reconciler reconciler() {
        if (reconciler == null) {
            pools = new ConnectionPools(Duration.ofSeconds(3));
            reconciler = new Reconciler(platform(), pools, Clock.systemUTC());
        }
        return reconciler;
    }

    public Convergence convergence() {
        return new Convergence(reconciler());
    }

    public LiveStatus liveStatus() {
        return new LiveStatus(reconciler(), Clock.systemUTC());
    }

    @Override
    public void close() {
        if (pools != null) {
            pools.close();
        }
        if (platform != null) {
            platform.close();
        }
    }
}
