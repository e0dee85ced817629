package dev.pgo.tls;

import dev.pgo.PgoException;

import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;

/**
 * What a server of a TLS cluster holds: its certificate and key, and the authority that signed
 * them, which clients and replicas check the certificate against. All three as PEM text.
 */
public record TlsBundle(String authorityPem, String certificatePem, String keyPem) {
    /** Secret keys, as Kubernetes' TLS Secrets and cert-manager name them. */
    public static final String CERTIFICATE_KEY = "tls.crt";
    public static final String KEY_KEY = "tls.key";
    public static final String AUTHORITY_KEY = "ca.crt";

    @Override
    public String toString() {
        return "TlsBundle[" + certificate().getSubjectX500Principal().getName() + "]"; // never the key
    }

    public static TlsBundle of(TlsKeyPair authority, TlsKeyPair server) {
        return new TlsBundle(authority.certificatePem(), server.certificatePem(), server.keyPem());
    }

    public X509Certificate certificate() {
        return TlsKeyPair.readCertificate(certificatePem, "the server certificate");
    }

    /**
     * Refuses a bundle a server could not use or a client would not accept: unreadable, a key
     * that is not the certificate's, a certificate the authority did not sign, or one outside its
     * validity. {@code what} names where it came from (a Secret) in the error.
     */
    public TlsBundle check(String what, Instant now) {
        TlsKeyPair server = TlsKeyPair.read(certificatePem, keyPem, what + " (" + CERTIFICATE_KEY + ", " + KEY_KEY + ")");
        X509Certificate authority = TlsKeyPair.readCertificate(authorityPem, what + " (" + AUTHORITY_KEY + ")");
        X509Certificate certificate = server.certificate();
        if (!keyMatches(server)) {
            throw new PgoException(what + ": " + KEY_KEY + " is not the private key of the certificate in "
                    + CERTIFICATE_KEY);
        }
        try {
            certificate.verify(authority.getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new PgoException(what + ": the certificate in " + CERTIFICATE_KEY + " is not signed by the authority in "
                    + AUTHORITY_KEY, "put the certificate of the authority that issued it in " + AUTHORITY_KEY);
        }
        if (now.isAfter(certificate.getNotAfter().toInstant()) || now.isBefore(certificate.getNotBefore().toInstant())) {
            throw new PgoException(what + ": the certificate is valid from " + certificate.getNotBefore().toInstant()
                    + " to " + certificate.getNotAfter().toInstant() + ", not now", "renew it");
        }
        return this;
    }

    /** Signs a few bytes with the key and checks them with the certificate: works for any key type. */
    private static boolean keyMatches(TlsKeyPair pair) {
        String algorithm = pair.key().getAlgorithm().equals("EC") ? "SHA256withECDSA"
                : pair.key().getAlgorithm().equals("RSA") ? "SHA256withRSA" : null;
        if (algorithm == null) {
            return true; // Ed25519 and others: the server's own check at start-up says
        }
        try {
            byte[] probe = "pgo".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(pair.key());
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(pair.certificate().getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
