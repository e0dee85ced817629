package dev.pgo.api.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * TLS for client and replication connections. With it, the servers refuse connections that do
 * not encrypt. The certificate comes from a Secret the user names (tls.crt, tls.key and ca.crt,
 * as cert-manager writes them) or, without one, from a certificate authority pgo makes for the
 * cluster.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"enabled", "secretName"})
public class TlsSpec {
    @JsonPropertyDescription("TLS on (the default once spec.tls is given) or off.")
    private Boolean enabled;

    @JsonPropertyDescription("A Secret with tls.crt, tls.key and ca.crt to use instead of a certificate pgo makes; "
            + "on the local platform, $PGO_HOME/secrets/NAME.yaml.")
    private String secretName;

    public Boolean getEnabled() {
        return enabled;
    }

    public void setEnabled(Boolean enabled) {
        this.enabled = enabled;
    }

    public String getSecretName() {
        return secretName;
    }

    public void setSecretName(String secretName) {
        this.secretName = secretName;
    }

    /** Whether a spec asks for TLS: a tls section that does not turn it off. */
    public static boolean on(PgClusterSpec spec) {
        TlsSpec tls = spec.getTls();
        return tls != null && !Boolean.FALSE.equals(tls.enabled);
    }
}
