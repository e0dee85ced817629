package dev.pgo.platform.kubernetes;

import dev.pgo.validate.Problem;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The operator's own configuration, read from its ConfigMap: the image PostgreSQL pods run
 * (with {version} standing for the major version), how often every cluster is resynced, which
 * namespaces are watched, default container resources, whether volumes outlive a deleted
 * cluster, and the access mode of backup volumes. Unknown keys and bad values are problems, not silently ignored.
 */
public record OperatorConfig(String imageTemplate, Duration resyncPeriod, List<String> watchedNamespaces,
                             ResourceRequirements defaultResources, boolean keepVolumesOnDelete,
                             String backupAccessMode) {

    public static final String IMAGE = "image";
    public static final String RESYNC_SECONDS = "resync_period_seconds";
    public static final String WATCHED_NAMESPACES = "watched_namespaces";
    public static final String CPU_REQUEST = "default_cpu_request";
    public static final String MEMORY_REQUEST = "default_memory_request";
    public static final String CPU_LIMIT = "default_cpu_limit";
    public static final String MEMORY_LIMIT = "default_memory_limit";
    public static final String KEEP_VOLUMES = "keep_volumes_on_delete";
    /**
     * Every pod of a cluster archives WAL into its backup volume and backup Jobs write to it: on
     * one node ReadWriteOnce serves, across nodes the volume must be ReadWriteMany.
     */
    public static final String BACKUP_ACCESS_MODE = "backup_access_mode";
    private static final Set<String> KEYS = Set.of(IMAGE, RESYNC_SECONDS, WATCHED_NAMESPACES, CPU_REQUEST,
            MEMORY_REQUEST, CPU_LIMIT, MEMORY_LIMIT, KEEP_VOLUMES, BACKUP_ACCESS_MODE);
    private static final Set<String> ACCESS_MODES = Set.of("ReadWriteOnce", "ReadWriteMany");

    public static final OperatorConfig DEFAULTS = new OperatorConfig("postgres:{version}", Duration.ofMinutes(5),
            List.of(), resources("100m", "256Mi", null, "1Gi"), false, "ReadWriteOnce");

    /** The image for a PostgreSQL major version, e.g. postgres:17. */
    public String imageFor(int version) {
        return imageTemplate.replace("{version}", String.valueOf(version));
    }

    /** The configuration in a ConfigMap's data; missing keys take the defaults. */
    public record Parsed(OperatorConfig config, List<Problem> problems) {
    }

    public static Parsed parse(Map<String, String> data) {
        var problems = new ArrayList<Problem>();
        Map<String, String> d = data == null ? Map.of() : data;
        d.keySet().stream().filter(k -> !KEYS.contains(k)).sorted()
                .forEach(k -> problems.add(new Problem(k, "is not an operator configuration key (known: "
                        + KEYS.stream().sorted().toList() + ")")));
        String image = d.getOrDefault(IMAGE, DEFAULTS.imageTemplate()).trim();
        if (image.isEmpty() || image.chars().anyMatch(Character::isWhitespace)) {
            problems.add(new Problem(IMAGE, "must be an image reference such as postgres:{version}"));
            image = DEFAULTS.imageTemplate();
        }
        Duration resync = DEFAULTS.resyncPeriod();
        if (d.containsKey(RESYNC_SECONDS)) {
            try {
                long seconds = Long.parseLong(d.get(RESYNC_SECONDS).trim());
                if (seconds < 10) {
                    throw new NumberFormatException();
                }
                resync = Duration.ofSeconds(seconds);
            } catch (NumberFormatException e) {
                problems.add(new Problem(RESYNC_SECONDS, "must be a whole number of seconds, at least 10"));
            }
        }
        List<String> namespaces = Arrays.stream(d.getOrDefault(WATCHED_NAMESPACES, "").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
        ResourceRequirements defaults = DEFAULTS.defaultResources();
        String cpuRequest = quantity(d, CPU_REQUEST, defaults.getRequests().get("cpu"), problems);
        String memoryRequest = quantity(d, MEMORY_REQUEST, defaults.getRequests().get("memory"), problems);
        String cpuLimit = quantity(d, CPU_LIMIT, null, problems);
        String memoryLimit = quantity(d, MEMORY_LIMIT, defaults.getLimits().get("memory"), problems);
        boolean keep = false;
        String keepText = d.getOrDefault(KEEP_VOLUMES, "false").trim();
        if (keepText.equals("true")) {
            keep = true;
        } else if (!keepText.equals("false")) {
            problems.add(new Problem(KEEP_VOLUMES, "must be true or false"));
        }
        String accessMode = d.getOrDefault(BACKUP_ACCESS_MODE, DEFAULTS.backupAccessMode()).trim();
        if (!ACCESS_MODES.contains(accessMode)) {
            problems.add(new Problem(BACKUP_ACCESS_MODE, "must be ReadWriteOnce or ReadWriteMany"));
            accessMode = DEFAULTS.backupAccessMode();
        }
        return new Parsed(new OperatorConfig(image, resync, namespaces,
                resources(cpuRequest, memoryRequest, cpuLimit, memoryLimit), keep, accessMode), problems);
    }

    private static String quantity(Map<String, String> data, String key, Quantity fallback, List<Problem> problems) {
        String value = data.get(key);
        // empty stands for the default, as the installed ConfigMap lists a key whose default is none
        if (value == null || value.isBlank()) {
            return fallback == null ? null : fallback.toString();
        }
        if (!value.trim().matches("[0-9]+(\\.[0-9]+)?(m|Ki|Mi|Gi|Ti|k|M|G|T)?")) {
            problems.add(new Problem(key, "'" + value + "' is not a quantity, e.g. 500m, 2, 512Mi or 2Gi"));
            return fallback == null ? null : fallback.toString();
        }
        return value.trim();
    }

    private static ResourceRequirements resources(String cpuRequest, String memoryRequest, String cpuLimit,
                                                  String memoryLimit) {
        var builder = new ResourceRequirementsBuilder();
        if (cpuRequest != null) {
            builder.addToRequests("cpu", new Quantity(cpuRequest));
        }
        if (memoryRequest != null) {
            builder.addToRequests("memory", new Quantity(memoryRequest));
        }
        if (cpuLimit != null) {
            builder.addToLimits("cpu", new Quantity(cpuLimit));
        }
        if (memoryLimit != null) {
            builder.addToLimits("memory", new Quantity(memoryLimit));
        }
        return builder.build();
    }
}
