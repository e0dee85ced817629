package dev.pgo.tls;

import dev.pgo.PgoException;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A certificate and its private key, to and from the PEM files PostgreSQL and Kubernetes use. */
public record TlsKeyPair(X509Certificate certificate, PrivateKey key) {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z ]+)-----\\s*([A-Za-z0-9+/=\\s]+?)-----END \\1-----");

    @Override
    public String toString() {
        return "TlsKeyPair[" + certificate.getSubjectX500Principal().getName() + "]"; // never the key
    }

    public String certificatePem() {
        return certificatePem(certificate);
    }

    /** The key as unencrypted PKCS#8 ("PRIVATE KEY"), which OpenSSL and the JDK both read. */
    public String keyPem() {
        return pem("PRIVATE KEY", key.getEncoded());
    }

    public static String certificatePem(X509Certificate certificate) {
        try {
            return pem("CERTIFICATE", certificate.getEncoded());
        } catch (GeneralSecurityException e) {
            throw new PgoException("cannot encode a certificate: " + e.getMessage(), null, e);
        }
    }

    /** Reads a certificate and its key; {@code what} names where they came from in errors. */
    public static TlsKeyPair read(String certificatePem, String keyPem, String what) {
        X509Certificate certificate = readCertificate(certificatePem, what);
        byte[] der = block(keyPem, "PRIVATE KEY", what);
        String algorithm = certificate.getPublicKey().getAlgorithm();
        try {
            PrivateKey key = KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            return new TlsKeyPair(certificate, key);
        } catch (GeneralSecurityException e) {
            throw new PgoException("the private key in " + what + " is not a PKCS#8 " + algorithm + " key",
                    "write it as '-----BEGIN PRIVATE KEY-----' (openssl pkcs8 -topk8 -nocrypt converts it)", e);
        }
    }

    public static X509Certificate readCertificate(String pem, String what) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(block(pem, "CERTIFICATE", what)));
        } catch (GeneralSecurityException e) {
            throw new PgoException("the certificate in " + what + " cannot be read: " + e.getMessage(), null, e);
        }
    }

    private static byte[] block(String pem, String type, String what) {
        Matcher m = BLOCK.matcher(pem == null ? "" : pem);
        while (m.find()) {
            if (m.group(1).equals(type)) {
                try {
                    return Base64.getMimeDecoder().decode(m.group(2));
                } catch (IllegalArgumentException e) {
                    break;
                }
            }
        }
        throw new PgoException(what + " holds no PEM block '" + type + "'",
                "it must be PEM text with '-----BEGIN " + type + "-----'");
    }

    private static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }
}
