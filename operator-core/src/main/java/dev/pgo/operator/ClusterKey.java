package dev.pgo.operator;

/** A PgCluster by namespace and name: the unit of work of the operator's queue. */
public record ClusterKey(String namespace, String name) {
    @Override
    public String toString() {
        return namespace + "/" + name;
    }
}
