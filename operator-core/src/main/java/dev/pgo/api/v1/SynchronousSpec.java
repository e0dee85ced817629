package dev.pgo.api.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Synchronous replication: a commit returns only once {@code standbys} replicas have the WAL on
 * disk, so a failover to the most advanced replica loses no acknowledged transaction.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"standbys", "method"})
public class SynchronousSpec {
    public static final String QUORUM = "quorum";
    public static final String PRIORITY = "priority";

    @JsonPropertyDescription("How many replicas must confirm each commit (1 to instances - 1).")
    private int standbys = 1;

    @JsonPropertyDescription("quorum (default: any of the replicas, synchronous_standby_names ANY) or priority "
            + "(the lowest ordinals first, FIRST).")
    private String method;

    public int getStandbys() {
        return standbys;
    }

    public void setStandbys(int standbys) {
        this.standbys = standbys;
    }

    public String getMethod() {
        return method;
    }

    public void setMethod(String method) {
        this.method = method;
    }

    public boolean priority() {
        return PRIORITY.equals(method);
    }
}
