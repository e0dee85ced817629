package dev.pgo.platform.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;

import java.util.List;

/** What a pod's status says, in the words `pgo show` uses. */
final class PodState {
    private PodState() {
    }

    static boolean ready(Pod pod) {
        if (pod.getMetadata().getDeletionTimestamp() != null || pod.getStatus() == null
                || pod.getStatus().getConditions() == null) {
            return false;
        }
        return pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** Why a pod that is not ready is not, e.g. "pod Pending: Unschedulable" or "ImagePullBackOff". */
    static String notReadyReason(Pod pod) {
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            return "pod terminating";
        }
        var status = pod.getStatus();
        String phase = status == null || status.getPhase() == null ? "Pending" : status.getPhase();
        List<ContainerStatus> containers = status == null || status.getContainerStatuses() == null
                ? List.of() : status.getContainerStatuses();
        for (ContainerStatus container : containers) {
            if (container.getState() != null && container.getState().getWaiting() != null
                    && container.getState().getWaiting().getReason() != null) {
                String reason = container.getState().getWaiting().getReason();
                int restarts = container.getRestartCount() == null ? 0 : container.getRestartCount();
                return "pod " + phase + ": " + reason + (restarts > 0 ? " (restarted " + restarts + " times)" : "");
            }
        }
        if (status != null && status.getConditions() != null) {
            for (PodCondition condition : status.getConditions()) {
                if ("PodScheduled".equals(condition.getType()) && "False".equals(condition.getStatus())) {
                    return "pod Pending: " + (condition.getReason() == null ? "not scheduled" : condition.getReason());
                }
            }
        }
        return "Running".equals(phase) ? "starting (bootstrapping or cloning)" : "pod " + phase;
    }
}
