package dev.pgo.api.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.time.Duration;

/**
 * Whether pgo promotes a replica by itself when the primary is lost, and after how long. The
 * delay is what keeps a blip (one slow probe) from becoming a failover; a shorter one fails
 * over sooner.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"enabled", "delaySeconds"})
public class FailoverSpec {
    /** Short enough for a failover within 2 s, long enough that one missed probe is not a loss. */
    public static final double DEFAULT_DELAY_SECONDS = 1.0;

    @JsonPropertyDescription("Promote a replica when the primary stops answering (default true). "
            + "When false, pgo only restarts the primary where it is.")
    private Boolean enabled;

    @JsonPropertyDescription("Seconds the primary must have stopped answering before a replica is promoted (default 1).")
    private Double delaySeconds;

    public Boolean getEnabled() {
        return enabled;
    }

    public void setEnabled(Boolean enabled) {
        this.enabled = enabled;
    }

    public Double getDelaySeconds() {
        return delaySeconds;
    }

    public void setDelaySeconds(Double delaySeconds) {
        this.delaySeconds = delaySeconds;
    }

    /** Automatic failover, unless the spec turns it off. */
    public static boolean enabled(PgClusterSpec spec) {
        return spec.getFailover() == null || !Boolean.FALSE.equals(spec.getFailover().getEnabled());
    }

    public static Duration delay(PgClusterSpec spec) {
        Double seconds = spec.getFailover() == null ? null : spec.getFailover().getDelaySeconds();
        return Duration.ofMillis(Math.round((seconds == null ? DEFAULT_DELAY_SECONDS : seconds) * 1000));
    }
}
