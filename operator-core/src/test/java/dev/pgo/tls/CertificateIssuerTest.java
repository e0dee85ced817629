package dev.pgo.tls;

import dev.pgo.PgoException;
import org.junit.jupiter.api.Test;

import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The certificates pgo writes are ones the JDK's own PKIX validation accepts, and checked as a client would. */
class CertificateIssuerTest {
    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");
    private static final List<String> NAMES = List.of("localhost", "127.0.0.1", "::1", "*.orders-pods.db.svc");

    private final TlsKeyPair authority = ClusterCertificates.authority("orders", NOW);
    private final TlsKeyPair server = ClusterCertificates.server(authority, "orders", NAMES, NOW);

    @Test
    void theServerCertificateValidatesAgainstTheAuthorityAsATlsClientChecksIt() throws Exception {
        var path = CertificateFactory.getInstance("X.509").generateCertPath(List.of(server.certificate()));
        var parameters = new PKIXParameters(Set.of(new TrustAnchor(authority.certificate(), null)));
        parameters.setRevocationEnabled(false);
        parameters.setDate(Date.from(NOW));
        CertPathValidator.getInstance("PKIX").validate(path, parameters); // throws when invalid

        assertEquals(-1, server.certificate().getBasicConstraints(), "a server certificate is no authority");
        assertTrue(authority.certificate().getBasicConstraints() >= 0, "the authority may sign");
        assertTrue(server.certificate().getExtendedKeyUsage().contains("1.3.6.1.5.5.7.3.1"), "server authentication");
        assertTrue(server.certificate().getKeyUsage()[0], "digitalSignature, which ECDHE handshakes need");
        assertTrue(authority.certificate().getKeyUsage()[5], "keyCertSign");
        assertEquals(3, server.certificate().getVersion());
    }

    @Test
    void everyHostNameBecomesASubjectAlternativeNameOfItsKind() throws Exception {
        var names = new HashSet<List<?>>(server.certificate().getSubjectAlternativeNames());
        assertEquals(Set.of(List.of(2, "localhost"), List.of(7, "127.0.0.1"), List.of(7, "0:0:0:0:0:0:0:1"),
                List.of(2, "*.orders-pods.db.svc")), names);
        assertEquals("CN=orders", server.certificate().getSubjectX500Principal().getName());
        assertEquals(authority.certificate().getSubjectX500Principal(), server.certificate().getIssuerX500Principal());
    }

    @Test
    void validityStartsAnHourEarlyAndLastsAsLongAsSaid() {
        X509Certificate certificate = server.certificate();
        assertEquals(NOW.minus(Duration.ofHours(1)), certificate.getNotBefore().toInstant());
        assertEquals(NOW.plus(ClusterCertificates.SERVER_VALIDITY), certificate.getNotAfter().toInstant());
        // the authority outlives 2050, where X.509 switches to GeneralizedTime
        TlsKeyPair longLived = CertificateIssuer.authority("far", NOW, Duration.ofDays(365 * 40));
        assertEquals(NOW.plus(Duration.ofDays(365 * 40)), longLived.certificate().getNotAfter().toInstant());
    }

    @Test
    void pemTextReadsBackToTheSameCertificateAndKey() {
        TlsKeyPair read = TlsKeyPair.read(server.certificatePem(), server.keyPem(), "test");
        assertEquals(server.certificate(), read.certificate());
        assertEquals(server.key(), read.key());
        assertTrue(server.keyPem().startsWith("-----BEGIN PRIVATE KEY-----\n"));
        assertFalse(server.toString().contains("PRIVATE"), "toString never shows the key");
    }

    @Test
    void aBundleIsCheckedAsAServerWouldUseIt() {
        TlsBundle good = TlsBundle.of(authority, server);
        assertEquals(good, good.check("Secret orders.tls", NOW));

        TlsKeyPair other = ClusterCertificates.server(authority, "orders", NAMES, NOW);
        var wrongKey = new TlsBundle(good.authorityPem(), good.certificatePem(), other.keyPem());
        assertTrue(assertThrows(PgoException.class, () -> wrongKey.check("Secret s", NOW)).getMessage()
                .contains("tls.key is not the private key of the certificate"));

        TlsKeyPair stranger = ClusterCertificates.authority("else", NOW);
        var wrongAuthority = new TlsBundle(stranger.certificatePem(), good.certificatePem(), good.keyPem());
        assertTrue(assertThrows(PgoException.class, () -> wrongAuthority.check("Secret s", NOW)).getMessage()
                .contains("is not signed by the authority in ca.crt"));

        assertTrue(assertThrows(PgoException.class, () -> good.check("Secret s", NOW.plus(Duration.ofDays(400))))
                .getMessage().contains("not now"));
        var garbage = new TlsBundle("not pem", good.certificatePem(), good.keyPem());
        assertTrue(assertThrows(PgoException.class, () -> garbage.check("Secret s", NOW)).getMessage()
                .contains("holds no PEM block 'CERTIFICATE'"));
    }

    @Test
    void renewalIsDueAMonthBeforeTheEndForAMissingNameOrAnotherAuthority() {
        X509Certificate certificate = server.certificate();
        X509Certificate ca = authority.certificate();
        assertFalse(ClusterCertificates.needsRenewal(certificate, ca, NAMES, NOW));
        assertFalse(ClusterCertificates.needsRenewal(certificate, ca, List.of("LOCALHOST", "::1"), NOW),
                "names compare as clients compare them");
        assertTrue(ClusterCertificates.needsRenewal(certificate, ca, List.of("localhost", "orders-rw"), NOW));
        assertTrue(ClusterCertificates.needsRenewal(certificate, ca, NAMES, NOW.plus(Duration.ofDays(368))));
        assertFalse(ClusterCertificates.needsRenewal(certificate, ca, NAMES, NOW.plus(Duration.ofDays(366))));
        assertTrue(ClusterCertificates.needsRenewal(certificate,
                ClusterCertificates.authority("orders", NOW).certificate(), NAMES, NOW));
    }
}
