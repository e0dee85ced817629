package dev.pgo.platform.local;

import dev.pgo.PgoException;
import dev.pgo.api.v1.Endpoints;
import dev.pgo.api.v1.InstanceNames;
import dev.pgo.api.v1.PgCluster;
import dev.pgo.api.v1.TlsSpec;
import dev.pgo.backup.RestorePoint;
import dev.pgo.platform.ClusterLock;
import dev.pgo.platform.InstanceOperations;
import dev.pgo.platform.InstanceRuntime;
import dev.pgo.postgres.ServerConfig;
import dev.pgo.process.Command;
import dev.pgo.process.ProcessRunner;
import dev.pgo.process.Processes;
import dev.pgo.sql.Credentials;
import dev.pgo.sql.Endpoint;
import dev.pgo.tls.TlsBundle;
import dev.pgo.validate.SpecValidator;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Instances as real PostgreSQL server processes on this machine: initdb for a primary,
 * pg_basebackup for a replica, pg_ctl to start and stop, each on its own port on 127.0.0.1.
 */
final class LocalInstances implements InstanceOperations {
    static final String HOST = "127.0.0.1";
    private static final int FIRST_PORT = 15432;
    private static final int LAST_PORT = 25431;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration CLONE_TIMEOUT = Duration.ofHours(6);

    private final LocalHome home;
    private final ProcessRunner runner;
    private final PgBinaries binaries;
    private final FileLocks locks;
    private final LocalBackups backups;
    private final LocalTls tls;

    LocalInstances(LocalHome home, ProcessRunner runner, PgBinaries binaries, FileLocks locks, LocalTls tls) {
        this.home = home;
        this.tls = tls;
        this.runner = runner;
        this.binaries = binaries;
        this.locks = locks;
        this.backups = new LocalBackups(home, runner, binaries, this);
    }

    LocalBackups backups() {
        return backups;
    }

    LocalHome home() {
        return home;
    }



    @Override
    public List<InstanceRuntime> observe(PgCluster cluster) {
        var runtimes = new ArrayList<InstanceRuntime>();
        for (LocalVolume volume : volumesOf(cluster.name())) {
            var meta = volume.metadata().orElseThrow();
            runtimes.add(new InstanceRuntime(meta.instance(), meta.ordinal(), volume.name(), volume.initialized(),
                    volume.runningPid().isPresent(), endpoint(volume), null,
                    Files.exists(volume.divergedMarker())));
        }
        runtimes.sort(Comparator.comparingInt(InstanceRuntime::ordinal));
        return runtimes;
    }

    /** Where the instance of this volume listens (its port can move while it is stopped). */
    Endpoint endpoint(LocalVolume volume) {
        var meta = volume.metadata().orElseThrow(() -> new PgoException(volume.name() + " has no volume metadata"));
        return new Endpoint(HOST, meta.port(), installedAuthority(volume));
    }

    /**
     * The authority a client checks this instance's certificate against, when its server was
     * given one (the files come before the configuration that turns TLS on, and go after it).
     */
    private static Path installedAuthority(LocalVolume volume) {
        Path file = volume.tlsDir().resolve(LocalTls.CLIENT_AUTHORITY_FILE);
        return Files.exists(file) ? file : null;
    }

    /** Every volume whose metadata names this cluster as its owner. */
    List<LocalVolume> volumesOf(String cluster) {
        return allVolumes().stream()
                .filter(v -> v.metadata().map(m -> cluster.equals(m.cluster()) && isDataVolume(v, m)).orElse(false))
                .toList();
    }

    private static boolean isDataVolume(LocalVolume volume, LocalVolume.Metadata meta) {
        return volume.name().equals(InstanceNames.dataVolume(meta.instance()));
    }

    List<LocalVolume> allVolumes() {
        try (Stream<Path> dirs = Files.list(home.volumes())) {
            return dirs.filter(Files::isDirectory).map(LocalVolume::new)
                    .filter(v -> Files.exists(v.metadataFile())).sorted(Comparator.comparing(LocalVolume::name))
                    .toList();
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new PgoException("cannot list volumes in " + home.volumes() + ": " + e.getMessage());
        }
    }

    @Override
    public void bootstrapPrimary(PgCluster cluster, String instance, Credentials superuser) {
        LocalVolume volume = prepareVolume(cluster, instance);
        initialise(cluster, volume, instance, superuser);
        start(cluster, instance, instance);
        volume.markBootstrapped();
    }

    /** initdb into the prepared volume, with pgo's configuration included; the server is not started. */
    void initialise(PgCluster cluster, LocalVolume volume, String instance, Credentials superuser) {
        int version = cluster.getSpec().getPostgresVersion();
        Path pwfile = volume.dir().resolve("initdb.pw");
        try {
            writeServerFile(pwfile, superuser.password() + "\n");
            runner.run(Command.asServer("initialising " + instance, List.of(
                    binaries.program(version, "initdb").toString(),
                    "--pgdata=" + volume.pgdata(),
                    "--username=" + superuser.username(),
                    "--pwfile=" + pwfile,
                    "--auth=scram-sha-256",
                    "--encoding=UTF8",
                    "--locale=C.UTF-8",
                    "--data-checksums",
                    "--no-instructions")).withTimeout(Duration.ofMinutes(5)));
        } finally {
            deleteQuietly(pwfile);
        }
        appendInclude(volume);
    }

    @Override
    public void restorePrimary(PgCluster cluster, String instance, RestorePoint point, List<Credentials> logins) {
        new LocalRestore(this, backups, runner, binaries).restore(cluster, instance, point, logins);
    }

    @Override
    public void bootstrapReplica(PgCluster cluster, String instance, Endpoint primary, String primaryInstance,
                                 Credentials replication, String slot) {
        int version = cluster.getSpec().getPostgresVersion();
        LocalVolume volume = prepareVolume(cluster, instance);
        writePassfile(volume, replication);
        installTls(volume, tls.ensure(cluster)); // the configuration that uses them comes with the first start
        runner.run(Command.asServer("cloning " + instance + " from " + primaryInstance, List.of(
                binaries.program(version, "pg_basebackup").toString(),
                "--pgdata=" + volume.pgdata(),
                "--host=" + primary.host(),
                "--port=" + primary.port(),
                "--username=" + replication.username(),
                "--no-password",
                "--wal-method=stream",
                "--slot=" + slot,
                "--checkpoint=fast",
                "--no-manifest"))
                .withEnv(primary.libpqEnvironment(volume.passfile()))
                .withTimeout(CLONE_TIMEOUT));
        writeServerFile(volume.pgdata().resolve("standby.signal"), "");
        start(cluster, instance, primaryInstance);
        volume.markBootstrapped();
    }

    @Override
    public void start(PgCluster cluster, String instance, String primaryInstance) {
        LocalVolume volume = volume(instance);
        if (volume.runningPid().isPresent()) {
            return;
        }
        if (instance.equals(primaryInstance)) {
            deleteQuietly(volume.divergedMarker()); // fenced, but no failover followed: it is still the primary
        }
        moveOffATakenPort(cluster, volume, instance, primaryInstance);
        // What the spec says now, not what it said when the server last ran: a corrected
        // parameter must reach a server that could not start with the old one.
        writeConfig(cluster, volume, instance, primaryInstance);
        launch(cluster, volume, instance);
    }

    /** pg_ctl start with the configuration as it is on disk; returns once the server accepts connections. */
    void launch(PgCluster cluster, LocalVolume volume, String instance) {
        // The server that wrote this pid file is dead (or a zombie nobody reaped, which PostgreSQL
        // would still take for a live server). PostgreSQL's own check that no old backend still
        // holds the shared memory stays in force.
        deleteQuietly(volume.pgdata().resolve("postmaster.pid"));
        Path log = home.logs().resolve(instance + ".log");
        try {
            runner.run(Command.asServer("starting " + instance, List.of(
                    binaries.program(cluster.getSpec().getPostgresVersion(), "pg_ctl").toString(),
                    "start", "--pgdata=" + volume.pgdata(), "--log=" + log, "--wait",
                    "--timeout=" + START_TIMEOUT.toSeconds(), "--silent"))
                    .withTimeout(START_TIMEOUT.plusSeconds(10)));
        } catch (PgoException e) {
            throw new PgoException(e.getMessage() + logTail(log), "the server log is " + log, e);
        }
    }

    /**
     * While an instance was stopped, something else may have taken its port. It then moves to a
     * free one; its replicas see their configuration drift and follow on the next pass.
     */
    private void moveOffATakenPort(PgCluster cluster, LocalVolume volume, String instance, String primaryInstance) {
        var meta = volume.metadata().orElseThrow(() -> new PgoException(instance + " has no volume metadata"));
        if (bindable(meta.port())) {
            return;
        }
        recordNewPort(volume, port -> new LocalVolume.Metadata(meta.cluster(), meta.instance(), meta.ordinal(),
                meta.capacity(), port, meta.created()));
    }

    /**
     * Picks a free port and records it in the volume's metadata under the ports lock, so two pgo
     * processes never pick the same one.
     */
    private void recordNewPort(LocalVolume volume, java.util.function.IntFunction<LocalVolume.Metadata> metadata) {
        try (ClusterLock ignored = locks.acquire("ports", Duration.ofSeconds(30), "port allocation")) {
            volume.writeMetadata(metadata.apply(freePort()));
        }
    }

    /** The last lines of a server log, to explain why a server did not start. */
    static String logTail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return "\n  server log:\n    " + String.join("\n    ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    @Override
    public boolean configDrifted(PgCluster cluster, String instance, String primaryInstance) {
        LocalVolume volume = volume(instance);
        try {
            String current = Files.readString(volume.pgdata().resolve(ServerConfig.FILE_NAME));
            String hba = Files.readString(volume.pgdata().resolve("pg_hba.conf"));
            return !current.equals(renderConfig(cluster, volume, instance, primaryInstance))
                    || !hba.equals(renderHba(TlsSpec.on(cluster.getSpec())))
                    || !tls.current(cluster).equals(installedTls(volume));
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void configure(PgCluster cluster, String instance, String primaryInstance) {
        LocalVolume volume = volume(instance);
        writeConfig(cluster, volume, instance, primaryInstance);
        if (volume.runningPid().isPresent()) {
            runner.run(Command.asServer("reloading the configuration of " + instance, List.of(
                    binaries.program(cluster.getSpec().getPostgresVersion(), "pg_ctl").toString(),
                    "reload", "--pgdata=" + volume.pgdata(), "--silent")));
        }
    }

    /** A local server runs the machine's binaries of its major version; nothing else is set per start. */
    @Override
    public boolean outdated(PgCluster cluster, String instance) {
        return false;
    }

    @Override
    public void restart(PgCluster cluster, String instance, String primaryInstance) {
        stop(cluster, volume(instance), instance);
        start(cluster, instance, primaryInstance);
    }

    /** Stays stopped: the next pass starts it as a standby of the new primary. */
    @Override
    public void stopForSwitchover(PgCluster cluster, String instance, String newPrimary, Credentials replication) {
        LocalVolume volume = volume(instance);
        // first: a pgo killed right after the stop leaves a standby-to-be that can log in to
        // the new primary when the next pass starts it
        writePassfile(volume, replication);
        stop(cluster, volume, instance);
    }

    @Override
    public boolean canFence() {
        return true;
    }

    /**
     * Marked first, so that from then on no start makes it a primary; then its server and every
     * backend are killed, so none can commit another transaction.
     */
    @Override
    public void fence(PgCluster cluster, String instance, String newPrimary, Credentials replication) {
        LocalVolume volume = volume(instance);
        LocalHome.writeAtomically(volume.divergedMarker(), Instant.now() + "\n", LocalHome.PRIVATE_FILE);
        // before the kill, as in a switchover: it comes back as a standby that can log in
        writePassfile(volume, replication);
        volume.runningPid().ifPresent(pid -> Processes.killTree(pid, Duration.ofSeconds(30)));
        Processes.killAllWorkingIn(volume.pgdata(), Duration.ofSeconds(30));
    }

    @Override
    public void rejoin(PgCluster cluster, String instance, Endpoint primary, String primaryInstance,
                       Credentials superuser) {
        LocalVolume volume = volume(instance);
        stop(cluster, volume, instance);
        // a backend of the killed server still attached to its shared memory would stop pg_rewind's recovery
        Processes.killAllWorkingIn(volume.pgdata(), Duration.ofSeconds(30));
        deleteQuietly(volume.pgdata().resolve("postmaster.pid"));
        // pg_rewind first finishes the crash recovery of a server that was killed, in single-user
        // mode, which refuses to run with standby.signal; start() writes it again.
        deleteQuietly(volume.pgdata().resolve("standby.signal"));
        Path passfile = volume.dir().resolve("pgpass-rewind");
        try (var ignored = temporaryPassfile(passfile, superuser)) {
            runner.run(Command.asServer("rewinding " + instance + " onto the timeline of " + primaryInstance, List.of(
                    binaries.program(cluster.getSpec().getPostgresVersion(), "pg_rewind").toString(),
                    "--target-pgdata=" + volume.pgdata(),
                    "--source-server=host=" + primary.host() + " port=" + primary.port() + " user="
                            + superuser.username() + " dbname=postgres " + primary.conninfoSsl()))
                    .withEnv(primary.libpqEnvironment(passfile))
                    .withTimeout(CLONE_TIMEOUT));
        } catch (PgoException e) {
            // Rewinding can be impossible (the WAL it needs is gone, the files are damaged): the
            // instance is then cloned afresh, as a new replica would be.
            LocalHome.deleteTree(volume.pgdata());
            deleteQuietly(volume.bootstrapMarker());
            deleteQuietly(volume.divergedMarker());
            throw new PgoException("pg_rewind could not bring " + instance + " onto the timeline of " + primaryInstance
                    + ": " + e.getMessage() + "; its data directory was removed and the next pass clones it afresh",
                    "the server log of " + instance + " and pg_rewind's output above say why", e);
        }
        deleteQuietly(volume.divergedMarker());
        start(cluster, instance, primaryInstance);
    }

    @Override
    public void remove(PgCluster cluster, String instance, boolean keepData) {
        LocalVolume volume = volume(instance);
        stop(cluster, volume, instance);
        if (!keepData) {
            LocalHome.deleteTree(volume.dir());
            deleteQuietly(home.logs().resolve(instance + ".log"));
        }
    }

    void stop(PgCluster cluster, LocalVolume volume, String instance) {
        if (volume.runningPid().isEmpty()) {
            return;
        }
        String pgCtl = binaries.program(cluster.getSpec().getPostgresVersion(), "pg_ctl").toString();
        var fast = runner.runAllowingFailure(Command.asServer("stopping " + instance, List.of(
                pgCtl, "stop", "--pgdata=" + volume.pgdata(), "--mode=fast", "--wait", "--timeout=60", "--silent"))
                .withTimeout(Duration.ofSeconds(70)));
        if (!fast.succeeded() && volume.runningPid().isPresent()) {
            runner.run(Command.asServer("stopping " + instance + " immediately", List.of(
                    pgCtl, "stop", "--pgdata=" + volume.pgdata(), "--mode=immediate", "--wait", "--silent")));
        }
    }

    void stopAll() {
        for (LocalVolume volume : allVolumes()) {
            if (volume.runningPid().isEmpty()) {
                continue;
            }
            String version = readVersion(volume);
            var bindir = version == null ? null : binaries.installed().get(Integer.valueOf(version));
            if (bindir != null) {
                runner.runAllowingFailure(Command.asServer("stopping " + volume.name(), List.of(
                        bindir.resolve("pg_ctl").toString(), "stop", "--pgdata=" + volume.pgdata(),
                        "--mode=immediate", "--wait", "--silent")).withTimeout(Duration.ofSeconds(30)));
            }
            volume.runningPid().ifPresent(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        }
    }

    private static String readVersion(LocalVolume volume) {
        try {
            return Files.readString(volume.pgdata().resolve("PG_VERSION")).trim();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public Endpoints endpoints(PgCluster cluster, List<InstanceRuntime> instances, String primaryInstance) {
        if (instances.isEmpty()) {
            return null;
        }
        // The primary first, so clients find it on their first try; libpq and pgjdbc then follow
        // whichever host answers as read-write after a failover.
        List<InstanceRuntime> ordered = instances.stream()
                .sorted(Comparator.comparing((InstanceRuntime r) -> !r.name().equals(primaryInstance))
                        .thenComparingInt(InstanceRuntime::ordinal))
                .toList();
        String hosts = ordered.stream().map(r -> r.endpoint().toString()).collect(Collectors.joining(","));
        String base = "postgresql://" + hosts + "/postgres";
        // verify-full: the certificate names 127.0.0.1 and localhost, so clients can check the host too
        String tlsQuery = TlsSpec.on(cluster.getSpec()) ? "sslmode=verify-full&sslrootcert="
                + java.net.URLEncoder.encode(tls.clientAuthority(cluster.name()).toString(),
                java.nio.charset.StandardCharsets.UTF_8).replace("%2F", "/") : null;
        if (ordered.size() == 1) {
            String uri = tlsQuery == null ? base : base + "?" + tlsQuery;
            return new Endpoints(uri, uri);
        }
        String and = tlsQuery == null ? "" : "&" + tlsQuery;
        return new Endpoints(base + "?target_session_attrs=read-write" + and,
                base + "?target_session_attrs=prefer-standby" + and);
    }

    LocalVolume volume(String instance) {
        return new LocalVolume(home.volumes().resolve(InstanceNames.dataVolume(instance)));
    }

    /**
     * The volume with its metadata and a port, and an empty data directory: what an interrupted
     * earlier bootstrap left behind is cleared (no one could have stored data in it, as its
     * first start never finished); a bootstrapped one is refused.
     */
    LocalVolume prepareVolume(PgCluster cluster, String instance) {
        LocalVolume volume = volume(instance);
        if (volume.initialized()) {
            throw new PgoException(instance + " already has a data directory; pgo will not overwrite it");
        }
        try {
            home.makeServerDir(volume.dir());
            // a server the interrupted bootstrap started goes before its data does, and so does
            // an initdb or pg_basebackup that outlived the pgo that ran it (its postgres
            // --boot/--single runs in the data directory)
            stop(cluster, volume, instance);
            Processes.killAllWorkingIn(volume.pgdata(), Duration.ofSeconds(30));
            LocalHome.deleteTree(volume.pgdata());
            if (volume.metadata().isEmpty()) {
                recordNewPort(volume, port -> new LocalVolume.Metadata(cluster.name(), instance,
                        InstanceNames.ordinal(cluster.name(), instance), cluster.getSpec().getStorage().getSize(),
                        port, Instant.now().toString()));
            }
        } catch (IOException e) {
            throw new PgoException("cannot prepare the volume of " + instance + ": " + e.getMessage());
        }
        return volume;
    }

    private int freePort() {
        Set<Integer> taken = new HashSet<>();
        for (LocalVolume v : allVolumes()) {
            v.metadata().ifPresent(m -> taken.add(m.port()));
        }
        for (int port = FIRST_PORT; port <= LAST_PORT; port++) {
            if (!taken.contains(port) && bindable(port)) {
                return port;
            }
        }
        throw new PgoException("no free port between " + FIRST_PORT + " and " + LAST_PORT);
    }

    private static boolean bindable(int port) {
        try (var socket = new ServerSocket(port, 1, InetAddress.getByName(HOST))) {
            socket.setReuseAddress(false);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void appendInclude(LocalVolume volume) {
        try {
            Files.writeString(volume.pgdata().resolve("postgresql.conf"),
                    "\n# Settings pgo manages (written on every reconcile)\ninclude '" + ServerConfig.FILE_NAME + "'\n",
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new PgoException("cannot edit postgresql.conf: " + e.getMessage());
        }
    }

    void writeConfig(PgCluster cluster, LocalVolume volume, String instance, String primaryInstance) {
        Optional<TlsBundle> bundle = tls.ensure(cluster);
        // certificate files before the configuration that names them; removed only after it
        bundle.ifPresent(files -> installTls(volume, Optional.of(files)));
        writeServerFile(volume.pgdata().resolve(ServerConfig.FILE_NAME),
                renderConfig(cluster, volume, instance, primaryInstance));
        writeServerFile(volume.pgdata().resolve("pg_hba.conf"), renderHba(bundle.isPresent()));
        if (bundle.isEmpty()) {
            installTls(volume, bundle);
        }
        if (primaryInstance == null || primaryInstance.equals(instance)) {
            // A running standby that is to be the primary keeps its signal file: its promotion
            // removes it, and a promotion that finds it gone fails and stops the server.
            if (volume.runningPid().isEmpty()) {
                deleteQuietly(volume.pgdata().resolve("standby.signal"));
            }
        } else if (!Files.exists(volume.pgdata().resolve("standby.signal")) && volume.runningPid().isEmpty()) {
            // A primary that a switchover stopped comes back as a standby. The slots it kept for
            // its replicas would only pin WAL on it now; the new primary has its own.
            writeServerFile(volume.pgdata().resolve("standby.signal"), "");
            dropSlotFiles(volume);
        }
    }

    /** Removes replication slots from a stopped server's data directory, as a fresh clone has none. */
    private static void dropSlotFiles(LocalVolume volume) {
        try (var slots = Files.list(volume.pgdata().resolve("pg_replslot"))) {
            slots.forEach(LocalHome::deleteTree);
        } catch (IOException e) {
            throw new PgoException("cannot remove the replication slots of " + volume.name() + ": " + e.getMessage());
        }
    }

    String renderConfig(PgCluster cluster, LocalVolume volume, String instance, String primaryInstance) {
        int port = volume.metadata().map(LocalVolume.Metadata::port)
                .orElseThrow(() -> new PgoException(instance + " has no volume metadata"));
        boolean tlsOn = TlsSpec.on(cluster.getSpec());
        ServerConfig.Standby standby = null;
        if (primaryInstance != null && !primaryInstance.equals(instance)) {
            int primaryPort = volume(primaryInstance).metadata().map(LocalVolume.Metadata::port)
                    .orElseThrow(() -> new PgoException("the primary " + primaryInstance + " has no volume"));
            // the replica's own copy of the authority: the server user reads it
            Path authority = tlsOn ? volume.tlsDir().resolve(LocalTls.CLIENT_AUTHORITY_FILE) : null;
            standby = new ServerConfig.Standby(new Endpoint(HOST, primaryPort, authority), SpecValidator.REPLICATION_USER,
                    volume.passfile().toString(), InstanceNames.slot(instance));
        }
        ServerConfig.ServerTls serverTls = tlsOn ? new ServerConfig.ServerTls(
                volume.tlsDir().resolve(SERVER_CERTIFICATE).toString(), volume.tlsDir().resolve(SERVER_KEY).toString())
                : null;
        return ServerConfig.render(cluster.getSpec(), new ServerConfig.Placement(instance, HOST, port, standby,
                backups.archiveDir(cluster.name()).toString(), serverTls));
    }

    static String renderHba(boolean tls) {
        return ServerConfig.hba(SpecValidator.REPLICATION_USER, List.of(HOST + "/32", "::1/128"), tls);
    }

    private static final String SERVER_CERTIFICATE = "server.crt";
    private static final String SERVER_KEY = "server.key";

    /** The server's certificate, key and authority in the volume (outside the data directory, so no backup copies the key), or none. */
    private void installTls(LocalVolume volume, Optional<TlsBundle> bundle) {
        Path dir = volume.tlsDir();
        if (bundle.isEmpty()) {
            LocalHome.deleteTree(dir);
            return;
        }
        if (bundle.equals(installedTls(volume))) {
            return;
        }
        try {
            home.makeServerDir(dir);
        } catch (IOException e) {
            throw new PgoException("cannot make " + dir + ": " + e.getMessage());
        }
        writeServerFile(dir.resolve(LocalTls.CLIENT_AUTHORITY_FILE), bundle.get().authorityPem());
        writeServerFile(dir.resolve(SERVER_KEY), bundle.get().keyPem());
        writeServerFile(dir.resolve(SERVER_CERTIFICATE), bundle.get().certificatePem());
    }

    private static Optional<TlsBundle> installedTls(LocalVolume volume) {
        Path dir = volume.tlsDir();
        try {
            return Optional.of(new TlsBundle(Files.readString(dir.resolve(LocalTls.CLIENT_AUTHORITY_FILE)),
                    Files.readString(dir.resolve(SERVER_CERTIFICATE)), Files.readString(dir.resolve(SERVER_KEY))));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Writes a file the server user owns and only it can read. */
    void writeServerFile(Path file, String content) {
        LocalHome.writeAtomically(file, content, LocalHome.PRIVATE_FILE);
        try {
            home.giveToServer(file);
        } catch (IOException e) {
            throw new PgoException("cannot hand " + file + " to the server user: " + e.getMessage());
        }
    }

    /** What a standby logs in to its primary with (the primary that initdb made never needed it). */
    private void writePassfile(LocalVolume volume, Credentials replication) {
        writeServerFile(volume.passfile(), Passfiles.anyHost(replication));
    }

    /** A file that lives for one program run. */
    interface TemporaryFile extends AutoCloseable {
        @Override
        void close();
    }

    /** A password file (PGPASSFILE) for the user of {@code credentials}, removed when closed. */
    TemporaryFile temporaryPassfile(Path file, Credentials credentials) {
        writeServerFile(file, Passfiles.anyHost(credentials));
        return () -> deleteQuietly(file);
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // best effort: a leftover is harmless and replaced next time
        }
    }

    Optional<LocalVolume> findVolume(String name) {
        if (!name.matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?")) {
            return Optional.empty();
        }
        LocalVolume v = new LocalVolume(home.volumes().resolve(name));
        return Files.exists(v.metadataFile()) ? Optional.of(v) : Optional.empty();
    }
}
