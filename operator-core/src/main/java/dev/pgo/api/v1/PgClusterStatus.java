package dev.pgo.api.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.ArrayList;
import java.util.List;

/** What pgo last observed and did; written only by the reconciler's status step. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"phase", "primary", "readyInstances", "instances", "endpoints", "lastPrimaryChange", "completedSwitchover", "completedRestart", "observedGeneration", "conditions"})
public class PgClusterStatus {
    private Phase phase;
    private String primary;
    private Integer readyInstances;
    private List<InstanceStatus> instances = new ArrayList<>();
    private Endpoints endpoints;
    private PrimaryChange lastPrimaryChange;
    @JsonPropertyDescription("The id of the last switchover asked for (annotation pgo.dev/switchover) that is done.")
    private String completedSwitchover;
    @JsonPropertyDescription("The last restart asked for (annotation pgo.dev/restart) after which every instance restarted.")
    private String completedRestart;
    private Long observedGeneration;
    private List<Condition> conditions = new ArrayList<>();

    public Phase getPhase() {
        return phase;
    }

    public void setPhase(Phase phase) {
        this.phase = phase;
    }

    public String getPrimary() {
        return primary;
    }

    public void setPrimary(String primary) {
        this.primary = primary;
    }

    public Integer getReadyInstances() {
        return readyInstances;
    }

    public void setReadyInstances(Integer readyInstances) {
        this.readyInstances = readyInstances;
    }

    public List<InstanceStatus> getInstances() {
        return instances;
    }

    public void setInstances(List<InstanceStatus> instances) {
        this.instances = instances;
    }

    public Endpoints getEndpoints() {
        return endpoints;
    }

    public void setEndpoints(Endpoints endpoints) {
        this.endpoints = endpoints;
    }

    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions;
    }

    public Condition condition(String type) {
        return conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }

    /** The last failover or switchover, kept from pass to pass. */
    public PrimaryChange getLastPrimaryChange() {
        return lastPrimaryChange;
    }

    public void setLastPrimaryChange(PrimaryChange lastPrimaryChange) {
        this.lastPrimaryChange = lastPrimaryChange;
    }

    public String getCompletedSwitchover() {
        return completedSwitchover;
    }

    public void setCompletedSwitchover(String completedSwitchover) {
        this.completedSwitchover = completedSwitchover;
    }

    public String getCompletedRestart() {
        return completedRestart;
    }

    public void setCompletedRestart(String completedRestart) {
        this.completedRestart = completedRestart;
    }
}
