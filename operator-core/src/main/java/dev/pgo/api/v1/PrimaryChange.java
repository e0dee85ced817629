package dev.pgo.api.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** The last time the primary role moved: a failover pgo decided, or a switchover it was asked for or planned. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"kind", "from", "to", "time", "reason"})
public class PrimaryChange {
    public static final String FAILOVER = "failover";
    public static final String SWITCHOVER = "switchover";

    @JsonPropertyDescription("failover (the primary was lost) or switchover (the primary was stopped cleanly first).")
    private String kind;
    private String from;
    private String to;
    @JsonPropertyDescription("When the new primary was chosen (RFC 3339).")
    private String time;
    private String reason;

    public PrimaryChange() {
    }

    public PrimaryChange(String kind, String from, String to, String time, String reason) {
        this.kind = kind;
        this.from = from;
        this.to = to;
        this.time = time;
        this.reason = reason;
    }

    public String getKind() {
        return kind;
    }

    public void setKind(String kind) {
        this.kind = kind;
    }

    public String getFrom() {
        return from;
    }

    public void setFrom(String from) {
        this.from = from;
    }

    public String getTo() {
        return to;
    }

    public void setTo(String to) {
        this.to = to;
    }

    public String getTime() {
        return time;
    }

    public void setTime(String time) {
        this.time = time;
    }

    public String getReason() {
        return reason;
    }

    public void setReason(String reason) {
        this.reason = reason;
    }
}
