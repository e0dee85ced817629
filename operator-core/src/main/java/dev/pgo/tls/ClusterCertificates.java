package dev.pgo.tls;

import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The certificates pgo makes for a cluster that names no Secret of its own: an authority per
 * cluster, valid ten years, and a server certificate it signs for the names clients reach the
 * cluster by, valid 397 days (what browsers and most clients accept at most) and renewed a
 * month before it ends.
 */
public final class ClusterCertificates {
    static final Duration AUTHORITY_VALIDITY = Duration.ofDays(3650);
    static final Duration SERVER_VALIDITY = Duration.ofDays(397);
    static final Duration RENEW_BEFORE = Duration.ofDays(30);

    private ClusterCertificates() {
    }

    public static TlsKeyPair authority(String cluster, Instant now) {
        return CertificateIssuer.authority("pgo " + cluster + " certificate authority", now, AUTHORITY_VALIDITY);
    }

    public static TlsKeyPair server(TlsKeyPair authority, String cluster, List<String> hostNames, Instant now) {
        return CertificateIssuer.server(authority, cluster, hostNames, now, SERVER_VALIDITY);
    }

    /**
     * Whether a server certificate must be made again: the authority did not sign it, a name
     * clients use is missing from it, or it ends within a month.
     */
    public static boolean needsRenewal(X509Certificate server, X509Certificate authority, List<String> hostNames,
                                       Instant now) {
        try {
            server.verify(authority.getPublicKey());
        } catch (GeneralSecurityException e) {
            return true;
        }
        return now.plus(RENEW_BEFORE).isAfter(server.getNotAfter().toInstant())
                || !names(server).containsAll(normalized(hostNames));
    }

    private static Set<String> names(X509Certificate certificate) {
        var names = new HashSet<String>();
        try {
            var entries = certificate.getSubjectAlternativeNames();
            if (entries != null) {
                entries.forEach(entry -> names.add(normalize(String.valueOf(entry.get(1)))));
            }
        } catch (CertificateParsingException e) {
            return Set.of();
        }
        return names;
    }

    private static Set<String> normalized(List<String> hostNames) {
        var names = new HashSet<String>();
        hostNames.forEach(name -> names.add(normalize(name)));
        return names;
    }

    /** One spelling per address (the JDK prints ::1 as 0:0:0:0:0:0:0:1), host names in lower case. */
    private static String normalize(String name) {
        if (CertificateIssuer.isAddress(name)) {
            return InetAddress.ofLiteral(name).getHostAddress();
        }
        return name.toLowerCase(java.util.Locale.ROOT);
    }
}
