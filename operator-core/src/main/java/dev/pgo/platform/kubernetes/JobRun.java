package dev.pgo.platform.kubernetes;

import dev.pgo.Pause;
import dev.pgo.PgoException;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One of pgo's Jobs from creation to its outcome. The scripts pgo's Jobs run write their outcome
 * as key=value lines into the container's termination message, which Kubernetes keeps in the
 * pod's status: how pgo learns a backup's LSNs and size without mounting its volume.
 */
final class JobRun {
    private static final Duration POLL = Duration.ofMillis(500);

    /** A finished Job: whether it succeeded and what its script reported. */
    record Outcome(boolean succeeded, Map<String, String> result) {
        String error() {
            return result.getOrDefault("error", succeeded ? null : "the Job failed without saying why");
        }
    }

    private final KubernetesClient client;
    private final String namespace;

    JobRun(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    /**
     * Creates the Job and waits for its outcome. When the wait is interrupted (Ctrl-C) the Job is
     * deleted, its pod with it, and the interruption passes on as a PgoException.
     */
    Outcome run(Job job, Duration timeout, String what) {
        String name = job.getMetadata().getName();
        Requests.call("create Job " + name, () -> client.resource(job).inNamespace(namespace).create());
        return await(name, timeout, what);
    }

    Outcome await(String name, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                Job job = get(name).orElseThrow(() -> new PgoException("the Job " + name + " of " + what
                        + " was deleted before it finished"));
                Optional<Outcome> outcome = outcome(job);
                if (outcome.isPresent()) {
                    return outcome.get();
                }
                if (System.nanoTime() > deadline) {
                    throw new PgoException(what + " did not finish within " + timeout.toMinutes() + " minutes",
                            "kubectl describe job " + name + " tells why");
                }
                Pause.sleep(POLL, what + " was cancelled");
            }
        } catch (PgoException e) {
            if (Thread.currentThread().isInterrupted()) {
                delete(name);
            }
            throw e;
        }
    }

    Optional<Job> get(String name) {
        return Optional.ofNullable(Requests.call("read Job " + name,
                () -> client.batch().v1().jobs().inNamespace(namespace).withName(name).get()));
    }

    /** The outcome of a Job that finished, empty while it runs. */
    Optional<Outcome> outcome(Job job) {
        var status = job.getStatus();
        if (status == null) {
            return Optional.empty();
        }
        boolean succeeded = status.getSucceeded() != null && status.getSucceeded() > 0;
        boolean failed = status.getFailed() != null && status.getFailed() > 0
                || status.getConditions() != null && status.getConditions().stream()
                .anyMatch(c -> "Failed".equals(c.getType()) && "True".equals(c.getStatus()));
        if (!succeeded && !failed) {
            return Optional.empty();
        }
        return Optional.of(new Outcome(succeeded, terminationMessage(job.getMetadata().getName())));
    }

    /** What the Job's container said as it ended, as key=value lines; a plain message becomes the error. */
    private Map<String, String> terminationMessage(String job) {
        List<Pod> pods = Requests.call("list the pods of Job " + job, () -> client.pods().inNamespace(namespace)
                .withLabel("job-name", job).list().getItems());
        for (Pod pod : pods) {
            if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
                continue;
            }
            for (ContainerStatus container : pod.getStatus().getContainerStatuses()) {
                var terminated = container.getState() == null ? null : container.getState().getTerminated();
                if (terminated == null || terminated.getMessage() == null) {
                    continue;
                }
                return parse(terminated.getMessage());
            }
        }
        return Map.of();
    }

    static Map<String, String> parse(String message) {
        var result = new LinkedHashMap<String, String>();
        for (String line : message.strip().split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0 && line.substring(0, eq).matches("[A-Za-z]+")) {
                result.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        if (result.isEmpty() && !message.isBlank()) {
            List<String> lines = message.strip().lines().toList();
            result.put("error", String.join(" ", lines.subList(Math.max(0, lines.size() - 3), lines.size())));
        }
        return result;
    }

    void delete(String name) {
        try {
            Requests.call("delete Job " + name, () -> client.batch().v1().jobs().inNamespace(namespace).withName(name)
                    .withPropagationPolicy(io.fabric8.kubernetes.api.model.DeletionPropagation.BACKGROUND).delete());
        } catch (PgoException e) {
            // the Job ends by its deadline or TTL in any case
        }
    }
}
