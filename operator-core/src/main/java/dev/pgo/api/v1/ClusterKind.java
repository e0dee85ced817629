package dev.pgo.api.v1;

import java.util.Locale;

/** The seed's two nouns for one resource kind: a standalone database or a replicated cluster. */
public enum ClusterKind {
    DATABASE, CLUSTER;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ClusterKind fromLabel(String label) {
        return "database".equalsIgnoreCase(label) ? DATABASE : CLUSTER;
    }
}
