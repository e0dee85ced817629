package dev.pgo.api.v1;

import io.fabric8.kubernetes.api.model.ObjectMeta;

import java.util.LinkedHashMap;
import java.util.Map;

/** Adding labels and annotations to an object's metadata while keeping those others put there. */
public final class Metadata {
    private Metadata() {
    }

    /** {@code existing} with {@code added} on top; either may be null. */
    public static Map<String, String> merged(Map<String, String> existing, Map<String, String> added) {
        var merged = new LinkedHashMap<String, String>();
        if (existing != null) {
            merged.putAll(existing);
        }
        if (added != null) {
            merged.putAll(added);
        }
        return merged;
    }

    public static void addLabels(ObjectMeta meta, Map<String, String> labels) {
        meta.setLabels(merged(meta.getLabels(), labels));
    }

    /** Sets annotations; a null value removes one. */
    public static void addAnnotations(ObjectMeta meta, Map<String, String> annotations) {
        var merged = merged(meta.getAnnotations(), annotations);
        merged.values().removeIf(java.util.Objects::isNull);
        meta.setAnnotations(merged);
    }
}
