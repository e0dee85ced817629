package dev.pgo.platform.kubernetes;

import dev.pgo.platform.local.LocalHome;
import dev.pgo.platform.local.PgBinaries;
import dev.pgo.process.Command;
import dev.pgo.process.ProcessRunner;
import dev.pgo.process.Processes;
import dev.pgo.process.ServerUser;
import dev.pgo.sql.Endpoint;
import dev.pgo.testing.FreePorts;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What a Kubernetes node and the StatefulSet controller would do, for tests against the mock API
 * server, with real PostgreSQL: pods are made from each StatefulSet's template (with their claims),
 * each pod's container command runs here as the server user with its mounts mapped to local
 * directories (the ConfigMap volume follows the ConfigMap), readiness is a real login, a deleted
 * pod runs its preStop hook and stops before its replacement starts, and each ClusterIP Service
 * is a local TCP proxy to the ready pods its selector matches.
 */
public final class Kubelet implements AutoCloseable {
    /** Holds a deleted pod in the API until its server stopped, as a real kubelet's termination does. */
    private static final String FINALIZER = "testing.pgo.dev/kubelet";
    private static final Duration TICK = Duration.ofMillis(100);

    private final KubernetesClient client;
    private final String namespace;
    private final Path root;
    private final LocalHome home;
    private final ProcessRunner runner;
    private final Path bindir;
    private final Map<String, Integer> podPorts = new ConcurrentHashMap<>();
    private final Map<String, Container> running = new ConcurrentHashMap<>();
    private final Map<String, Long> pids = new ConcurrentHashMap<>();
    private final Map<String, String> uids = new ConcurrentHashMap<>();
    private final Map<String, ServerSocket> proxies = new ConcurrentHashMap<>();
    private final List<String> terminations = new CopyOnWriteArrayList<>();
    private final Set<String> lost = ConcurrentHashMap.newKeySet();
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private final Thread loop;
    private volatile boolean closed;
    private long ticks;

    public Kubelet(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
        ServerUser serverUser = ServerUser.detect();
        this.runner = new ProcessRunner(serverUser);
        this.bindir = new PgBinaries(runner).installed().lastEntry().getValue();
        try {
            root = Files.createTempDirectory("pgo-kubelet-");
            Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        home = new LocalHome(root, serverUser);
        loop = Thread.ofPlatform().daemon().name("kubelet").start(this::run);
    }

    /** Where pgo reaches a pod's PostgreSQL: this machine, on the port the pod listens on. */
    public Endpoint address(Pod pod) {
        return new Endpoint("127.0.0.1", port(pod.getMetadata().getName()));
    }

    /** The local port of a Service, once its proxy runs. */
    public int servicePort(String service) {
        return proxy(service).getLocalPort();
    }

    /**
     * The pods whose termination finished, in order, as "name role ready": the role label the pod
     * had and how many other pods of its cluster were ready when it was deleted.
     */
    public List<String> terminations() {
        return List.copyOf(terminations);
    }

    /**
     * The pod's node is lost: its server dies with it, nothing restarts it, and nothing updates
     * the pod's status any more. The pod the StatefulSet makes after it is deleted runs again.
     */
    public void loseNode(String pod) {
        String uid = client.pods().inNamespace(namespace).withName(pod).get().getMetadata().getUid();
        lost.add(uid);
        Long pid = pids.get(pod);
        if (pid != null) {
            Processes.killTree(pid, Duration.ofSeconds(10));
        }
    }

    /** A server's log, to explain a failure. */
    public String log(String pod) {
        try {
            return Files.readString(root.resolve(pod + ".log"));
        } catch (IOException e) {
            return "(no log for " + pod + ")";
        }
    }

    private void run() {
        while (!closed) {
            try {
                tick();
            } catch (RuntimeException e) {
                if (!closed) {
                    errors.add(e);
                }
            }
            try {
                Thread.sleep(TICK);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void tick() {
        ticks++;
        for (Pod pod : client.pods().inNamespace(namespace).list().getItems()) {
            if (pod.getMetadata().getDeletionTimestamp() != null) {
                terminate(pod);
            }
        }
        for (StatefulSet set : client.apps().statefulSets().inNamespace(namespace).list().getItems()) {
            int replicas = set.getSpec().getReplicas() == null ? 1 : set.getSpec().getReplicas();
            for (int ordinal = 0; ordinal < replicas; ordinal++) {
                ensurePod(set, set.getMetadata().getName() + "-" + ordinal);
            }
        }
        for (Service service : client.services().inNamespace(namespace).list().getItems()) {
            if (!"None".equals(service.getSpec().getClusterIP())) {
                proxy(service.getMetadata().getName());
            }
        }
        for (Pod pod : client.pods().inNamespace(namespace).list().getItems()) {
            if (pod.getMetadata().getDeletionTimestamp() == null) {
                runPod(pod);
            }
        }
    }

    /** The StatefulSet controller's part: a missing pod is made from the current template, with its claim. */
    private void ensurePod(StatefulSet set, String name) {
        if (client.pods().inNamespace(namespace).withName(name).get() != null) {
            return;
        }
        var template = set.getSpec().getTemplate();
        for (var claimTemplate : set.getSpec().getVolumeClaimTemplates()) {
            String claim = claimTemplate.getMetadata().getName() + "-" + name;
            if (client.persistentVolumeClaims().inNamespace(namespace).withName(claim).get() == null) {
                client.persistentVolumeClaims().inNamespace(namespace).resource(new PersistentVolumeClaimBuilder()
                        .withNewMetadata().withName(claim).withLabels(claimTemplate.getMetadata().getLabels())
                        .endMetadata()
                        .withSpec(claimTemplate.getSpec())
                        .withNewStatus().withPhase("Bound").endStatus()
                        .build()).create();
            }
        }
        client.pods().inNamespace(namespace).resource(new PodBuilder()
                .withNewMetadata().withName(name)
                .withLabels(template.getMetadata().getLabels())
                .withAnnotations(template.getMetadata().getAnnotations())
                .withFinalizers(FINALIZER)
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("StatefulSet")
                        .withName(set.getMetadata().getName()).withUid(set.getMetadata().getUid())
                        .withController(true).build())
                .endMetadata()
                .withSpec(template.getSpec())
                .withNewStatus().withPhase("Pending").endStatus()
                .build()).create();
    }

    /** Starts the container of a pod that has none running, restarts one that exited, and reports readiness. */
    private void runPod(Pod pod) {
        String name = pod.getMetadata().getName();
        String uid = pod.getMetadata().getUid();
        if (lost.contains(uid)) {
            return;
        }
        Long pid = pids.get(name);
        boolean alive = pid != null && Processes.isRunning(pid);
        if (!alive || !Objects.equals(uids.get(name), uid)) {
            if (alive) {
                return; // the old pod's server is still stopping
            }
            start(pod);
            setReady(pod, false);
            return;
        }
        Container container = running.get(name);
        syncConfigMaps(pod, container);
        // a ready pod is probed about once a second, as a readiness probe's period
        if (isReady(pod) && ticks % 10 != 0) {
            return;
        }
        boolean ready = acceptsLogin(pod);
        if (ready != isReady(pod)) {
            setReady(pod, ready);
        }
    }

    private void start(Pod pod) {
        String name = pod.getMetadata().getName();
        Container container = pod.getSpec().getContainers().getFirst();
        syncConfigMaps(pod, container);
        var env = new HashMap<String, String>();
        env.put("PATH", bindir + ":" + System.getenv("PATH"));
        for (EnvVar variable : container.getEnv()) {
            env.put(variable.getName(), mapped(pod, container, value(pod, variable)));
        }
        env.put("PGO_LISTEN", "127.0.0.1");
        env.put("PGO_PORT", String.valueOf(port(name)));
        for (Service service : client.services().inNamespace(namespace).list().getItems()) {
            if (service.getMetadata().getName().equals(env.get("PGO_RW_HOST"))) {
                env.put("PGO_RW_HOST", "127.0.0.1");
                env.put("PGO_RW_PORT", String.valueOf(servicePort(service.getMetadata().getName())));
            }
        }
        List<String> command = container.getCommand().stream().map(arg -> mapped(pod, container, arg)).toList();
        long pid = runner.spawnDetached(Command.asServer("pod " + name, command).withEnv(env),
                root.resolve(name + ".log"));
        pids.put(name, pid);
        uids.put(name, pod.getMetadata().getUid());
        running.put(name, container);
    }

    /** A deleted pod: its preStop hook, then SIGTERM, then after the grace period SIGKILL; then it is gone. */
    private void terminate(Pod pod) {
        String name = pod.getMetadata().getName();
        Long pid = pids.get(name);
        if (pid != null && Processes.isRunning(pid) && Objects.equals(uids.get(name), pod.getMetadata().getUid())) {
            String role = pod.getMetadata().getLabels().get(ClusterLabels.ROLE);
            long othersReady = client.pods().inNamespace(namespace).withLabels(Map.of(ClusterLabels.CLUSTER,
                            pod.getMetadata().getLabels().get(ClusterLabels.CLUSTER))).list().getItems().stream()
                    .filter(p -> !p.getMetadata().getName().equals(name) && isReady(p)).count();
            Container container = running.get(name);
            var preStop = container.getLifecycle() == null ? null : container.getLifecycle().getPreStop();
            if (preStop != null && preStop.getExec() != null) {
                runner.runAllowingFailure(Command.asServer("preStop of " + name, preStop.getExec().getCommand().stream()
                        .map(arg -> arg.equals("pg_ctl") ? bindir.resolve("pg_ctl").toString() : mapped(pod, container, arg))
                        .toList()).withTimeout(Duration.ofSeconds(60)));
            }
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (Processes.isRunning(pid) && System.nanoTime() < deadline) {
                sleep(Duration.ofMillis(20));
            }
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            terminations.add(name + " " + role + " " + othersReady);
        }
        client.pods().inNamespace(namespace).withName(name).edit(p -> {
            p.getMetadata().getFinalizers().remove(FINALIZER);
            return p;
        });
    }

    /** The container's view of the files: each mount path stands for a local directory. */
    private String mapped(Pod pod, Container container, String text) {
        String result = text;
        for (VolumeMount mount : container.getVolumeMounts()) {
            result = result.replace(mount.getMountPath(), mountDir(pod, mount).toString());
        }
        return result;
    }

    private Path mountDir(Pod pod, VolumeMount mount) {
        var volume = pod.getSpec().getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst();
        try {
            if (volume.isPresent() && volume.get().getConfigMap() != null) {
                Path dir = root.resolve("config").resolve(pod.getMetadata().getName());
                Files.createDirectories(dir);
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
                Files.setPosixFilePermissions(dir.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
                return dir;
            }
            // a claim from a template: its name is "<template>-<pod>", and its data outlives the pod
            Path dir = root.resolve("volumes").resolve(mount.getName() + "-" + pod.getMetadata().getName());
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir.getParent());
                Files.setPosixFilePermissions(dir.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
                home.makeServerDir(dir);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the ConfigMap volumes' files, as the kubelet refreshes them when the ConfigMap changes. */
    private void syncConfigMaps(Pod pod, Container container) {
        for (VolumeMount mount : container.getVolumeMounts()) {
            var volume = pod.getSpec().getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst();
            if (volume.isEmpty() || volume.get().getConfigMap() == null) {
                continue;
            }
            ConfigMap map = client.configMaps().inNamespace(namespace).withName(volume.get().getConfigMap().getName()).get();
            if (map == null || map.getData() == null) {
                continue;
            }
            Path dir = mountDir(pod, mount);
            map.getData().forEach((file, content) -> {
                try {
                    Path target = dir.resolve(file);
                    if (!Files.exists(target) || !Files.readString(target).equals(content)) {
                        Path temp = dir.resolve("." + file + ".tmp");
                        Files.writeString(temp, content, StandardCharsets.UTF_8);
                        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
                        Files.move(temp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    private String value(Pod pod, EnvVar variable) {
        if (variable.getValue() != null) {
            return variable.getValue();
        }
        var from = variable.getValueFrom();
        if (from.getFieldRef() != null && "metadata.name".equals(from.getFieldRef().getFieldPath())) {
            return pod.getMetadata().getName();
        }
        if (from.getSecretKeyRef() != null) {
            Secret secret = client.secrets().inNamespace(namespace).withName(from.getSecretKeyRef().getName()).get();
            if (secret == null) {
                throw new IllegalStateException("pod " + pod.getMetadata().getName() + " waits for Secret "
                        + from.getSecretKeyRef().getName());
            }
            return KubernetesSecretStore.value(secret, from.getSecretKeyRef().getKey());
        }
        throw new IllegalStateException("the test kubelet cannot resolve " + variable.getName());
    }

    /** Ready means what the readiness probe would find: the server takes a login. */
    private boolean acceptsLogin(Pod pod) {
        String superuserSecret = pod.getSpec().getContainers().getFirst().getEnv().stream()
                .filter(v -> v.getName().equals("PGO_SUPERUSER_PASSWORD")).findFirst()
                .map(v -> value(pod, v)).orElseThrow();
        try (var ignored = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port(pod.getMetadata().getName())
                + "/postgres?sslmode=disable&connectTimeout=1&loginTimeout=1", "postgres", superuserSecret)) {
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    private static boolean isReady(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions()
                .stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private void setReady(Pod pod, boolean ready) {
        client.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).editStatus(p -> {
            p.getStatus().setPhase("Running");
            p.getStatus().setPodIP("127.0.0.1");
            p.getStatus().setConditions(List.of(new PodConditionBuilder().withType("Ready")
                    .withStatus(ready ? "True" : "False").build()));
            return p;
        });
    }

    private int port(String pod) {
        return podPorts.computeIfAbsent(pod, p -> FreePorts.next());
    }

    private ServerSocket proxy(String service) {
        return proxies.computeIfAbsent(service, name -> {
            try {
                var socket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
                Thread.ofVirtual().name("proxy-" + name).start(() -> accept(name, socket));
                return socket;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** A Service: each connection goes to a ready pod its selector matches, or is closed when there is none. */
    private void accept(String service, ServerSocket socket) {
        while (!socket.isClosed()) {
            Socket inbound;
            try {
                inbound = socket.accept();
            } catch (IOException e) {
                return;
            }
            Thread.ofVirtual().start(() -> forward(service, inbound));
        }
    }

    private void forward(String service, Socket inbound) {
        try (inbound) {
            Service definition = client.services().inNamespace(namespace).withName(service).get();
            Pod target = definition == null ? null : client.pods().inNamespace(namespace)
                    .withLabels(definition.getSpec().getSelector()).list().getItems().stream()
                    .filter(p -> p.getMetadata().getDeletionTimestamp() == null && isReady(p))
                    .findFirst().orElse(null);
            if (target == null) {
                return;
            }
            try (var outbound = new Socket()) {
                outbound.connect(new InetSocketAddress("127.0.0.1", port(target.getMetadata().getName())), 2000);
                Thread back = Thread.ofVirtual().start(() -> pipe(outbound, inbound));
                pipe(inbound, outbound);
                back.join();
            }
        } catch (IOException | RuntimeException e) {
            // a connection that ends badly ends; the client sees it closed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void pipe(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException e) {
            // either side closed
        } finally {
            try {
                to.shutdownOutput();
            } catch (IOException e) {
                // already closed
            }
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Errors of the kubelet's own loop, for a test to fail on rather than hang. */
    public List<Throwable> errors() {
        return new ArrayList<>(errors);
    }

    @Override
    public void close() {
        closed = true;
        loop.interrupt();
        try {
            loop.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        proxies.values().forEach(socket -> {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        });
        for (long pid : pids.values()) {
            ProcessHandle.of(pid).ifPresent(handle -> {
                handle.descendants().forEach(ProcessHandle::destroyForcibly);
                handle.destroyForcibly();
            });
        }
        for (long pid : pids.values()) {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (Processes.isRunning(pid) && System.nanoTime() < deadline) {
                sleep(Duration.ofMillis(20));
            }
        }
        LocalHome.deleteTree(root);
    }
}
