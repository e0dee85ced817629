package dev.pgo.api.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** One PostgreSQL instance as last observed: role, readiness, position in the WAL. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"name", "role", "ready", "state", "host", "port", "timeline", "lsn", "receivedLsn", "lagBytes", "pvc"})
public class InstanceStatus {
    private String name;
    private String role;
    private boolean ready;
    private String state;
    private String host;
    private Integer port;
    private Long timeline;
    private String lsn;
    private String receivedLsn;
    private Long lagBytes;
    private String pvc;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getRole() {
        return role;
    }

    public void setRole(String role) {
        this.role = role;
    }

    public boolean isReady() {
        return ready;
    }

    public void setReady(boolean ready) {
        this.ready = ready;
    }

    public String getState() {
        return state;
    }

    public void setState(String state) {
        this.state = state;
    }

    public String getHost() {
        return host;
    }

    public void setHost(String host) {
        this.host = host;
    }

    public Integer getPort() {
        return port;
    }

    public void setPort(Integer port) {
        this.port = port;
    }

    public Long getTimeline() {
        return timeline;
    }

    public void setTimeline(Long timeline) {
        this.timeline = timeline;
    }

    public String getLsn() {
        return lsn;
    }

    public void setLsn(String lsn) {
        this.lsn = lsn;
    }

    /** A replica's last WAL position received from the primary (it may not be replayed yet). */
    public String getReceivedLsn() {
        return receivedLsn;
    }

    public void setReceivedLsn(String receivedLsn) {
        this.receivedLsn = receivedLsn;
    }

    public Long getLagBytes() {
        return lagBytes;
    }

    public void setLagBytes(Long lagBytes) {
        this.lagBytes = lagBytes;
    }

    public String getPvc() {
        return pvc;
    }

    public void setPvc(String pvc) {
        this.pvc = pvc;
    }
}
