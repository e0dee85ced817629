package dev.pgo.platform.local;

import dev.pgo.api.v1.PgCluster;
import dev.pgo.platform.ClusterLock;
import dev.pgo.platform.ClusterStore;
import dev.pgo.platform.InstanceOperations;
import dev.pgo.platform.Platform;
import dev.pgo.platform.SecretStore;
import dev.pgo.platform.VolumeCatalog;
import dev.pgo.process.ProcessRunner;
import dev.pgo.process.ServerUser;
import dev.pgo.validate.Problem;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The local platform: clusters as real PostgreSQL processes on this machine, state under
 * $PGO_HOME. Works on a fresh machine with nothing but PostgreSQL's server programs.
 */
public final class LocalPlatform implements Platform {
    private final LocalHome home;
    private final FileLocks locks;
    private final PgBinaries binaries;
    private final LocalClusterStore clusters;
    private final LocalSecretStore secrets;
    private final LocalInstances instances;
    private final LocalTls tls;
    private final LocalVolumes volumes;
    private final ProcessRunner runner;

    public LocalPlatform(Path root) {
        ServerUser serverUser = ServerUser.detect();
        this.home = new LocalHome(root, serverUser);
        home.prepare();
        this.runner = new ProcessRunner(serverUser);
        this.locks = new FileLocks(home.locks());
        this.binaries = new PgBinaries(runner);
        this.clusters = new LocalClusterStore(home.clusters(), locks);
        this.secrets = new LocalSecretStore(home.secrets());
        this.tls = new LocalTls(secrets, java.time.Clock.systemUTC());
        this.instances = new LocalInstances(home, runner, binaries, locks, tls);
        this.volumes = new LocalVolumes(instances);
    }

    /** The platform at $PGO_HOME (or its default). */
    public static LocalPlatform atDefaultHome() {
        return new LocalPlatform(LocalHome.defaultRoot(ServerUser.detect()));
    }

    @Override
    public String name() {
        return "local";
    }

    @Override
    public String location() {
        return home.root().toString();
    }

    public Path home() {
        return home.root();
    }

    public ProcessRunner runner() {
        return runner;
    }

    @Override
    public ClusterStore clusters() {
        return clusters;
    }

    @Override
    public SecretStore secrets() {
        return secrets;
    }

    @Override
    public InstanceOperations instances() {
        return instances;
    }

    @Override
    public dev.pgo.platform.BackupStorage backups() {
        return instances.backups();
    }

    @Override
    public VolumeCatalog volumes() {
        return volumes;
    }

    @Override
    public ClusterLock lock(String cluster, Duration wait) {
        return locks.acquire("cluster-" + cluster, wait, "cluster " + cluster);
    }

    @Override
    public int defaultPostgresVersion() {
        var installed = binaries.installed();
        return installed.isEmpty() ? 17 : installed.lastKey();
    }

    @Override
    public List<Problem> check(PgCluster cluster) {
        if (cluster.getSpec() == null) {
            return List.of();
        }
        var problems = new java.util.ArrayList<Problem>();
        Integer version = cluster.getSpec().getPostgresVersion();
        if (version != null && !binaries.installed().containsKey(version)) {
            var installed = binaries.installed().keySet();
            problems.add(new Problem("spec.postgresVersion", "PostgreSQL " + version
                    + " is not installed on this machine" + (installed.isEmpty()
                    ? "; install it (apt-get install postgresql) or set PGO_PG_BINDIR"
                    : "; installed: " + installed)));
        }
        if (dev.pgo.api.v1.TlsSpec.on(cluster.getSpec())) {
            tls.problem(cluster).ifPresent(problem -> problems.add(new Problem("spec.tls.secretName", problem)));
        }
        return problems;
    }

    /**
     * Stops every PostgreSQL server under this home at once (immediate shutdown), whatever state
     * the manifests are in: for tearing down a home, e.g. at the end of a test.
     */
    public void stopAllInstances() {
        instances.stopAll();
    }

    @Override
    public void close() {
        // nothing held open: every file handle and lock is closed after each use
    }
}
