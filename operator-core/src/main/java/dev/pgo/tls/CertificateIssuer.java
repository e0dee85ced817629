package dev.pgo.tls;

import dev.pgo.PgoException;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes a cluster's certificate authority and the server certificate it signs: ECDSA P-256 keys,
 * X.509 v3 with the extensions a TLS client checks (basic constraints, key usage, server
 * authentication, subject alternative names). Every client PostgreSQL meets (libpq with
 * OpenSSL, pgjdbc with the JDK) verifies these.
 */
public final class CertificateIssuer {
    private static final String SIGNATURE = "SHA256withECDSA";
    private static final String ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";
    private static final String COMMON_NAME = "2.5.4.3";
    private static final String SUBJECT_KEY_ID = "2.5.29.14";
    private static final String KEY_USAGE = "2.5.29.15";
    private static final String SUBJECT_ALT_NAME = "2.5.29.17";
    private static final String BASIC_CONSTRAINTS = "2.5.29.19";
    private static final String AUTHORITY_KEY_ID = "2.5.29.35";
    private static final String EXTENDED_KEY_USAGE = "2.5.29.37";
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final int DIGITAL_SIGNATURE = 0;
    private static final int KEY_CERT_SIGN = 5;
    private static final int CRL_SIGN = 6;
    /** Clocks of clients and servers differ a little; a certificate made now is valid from a bit before. */
    private static final Duration BACKDATE = Duration.ofHours(1);

    private static final SecureRandom RANDOM = new SecureRandom();

    private CertificateIssuer() {
    }

    /** A self-signed certificate authority, valid from now for {@code validity}. */
    public static TlsKeyPair authority(String commonName, Instant now, Duration validity) {
        KeyPair keys = newKeys();
        byte[] name = name(commonName);
        byte[] extensions = Der.sequence(
                extension(BASIC_CONSTRAINTS, true, Der.sequence(Der.bool(true))),
                extension(KEY_USAGE, true, Der.flags(KEY_CERT_SIGN, CRL_SIGN)),
                extension(SUBJECT_KEY_ID, false, Der.octetString(keyId(keys.getPublic()))));
        return new TlsKeyPair(sign(name, name, keys.getPublic(), now, validity, extensions, keys), keys.getPrivate());
    }

    /**
     * A server certificate signed by {@code authority} for the given host names; a name that is
     * an IP address literal becomes an IP address entry, as clients match those separately.
     */
    public static TlsKeyPair server(TlsKeyPair authority, String commonName, List<String> hostNames, Instant now,
                                    Duration validity) {
        KeyPair keys = newKeys();
        byte[] issuer = authority.certificate().getSubjectX500Principal().getEncoded();
        byte[] extensions = Der.sequence(
                extension(BASIC_CONSTRAINTS, true, Der.sequence()),
                extension(KEY_USAGE, true, Der.flags(DIGITAL_SIGNATURE)),
                extension(EXTENDED_KEY_USAGE, false, Der.sequence(Der.oid(SERVER_AUTH))),
                extension(SUBJECT_ALT_NAME, false, alternativeNames(hostNames)),
                extension(SUBJECT_KEY_ID, false, Der.octetString(keyId(keys.getPublic()))),
                extension(AUTHORITY_KEY_ID, false,
                        Der.sequence(Der.implicit(0, keyId(authority.certificate().getPublicKey())))));
        var authorityKeys = new KeyPair(authority.certificate().getPublicKey(), authority.key());
        return new TlsKeyPair(sign(issuer, name(commonName), keys.getPublic(), now, validity, extensions,
                authorityKeys), keys.getPrivate());
    }

    private static X509Certificate sign(byte[] issuer, byte[] subject, PublicKey subjectKey, Instant now,
                                        Duration validity, byte[] extensions, KeyPair signer) {
        byte[] algorithm = Der.sequence(Der.oid(ECDSA_WITH_SHA256));
        var from = now.minus(BACKDATE).atZone(ZoneOffset.UTC);
        byte[] tbs = Der.sequence(
                Der.explicit(0, Der.integer(BigInteger.TWO)), // v3
                Der.integer(new BigInteger(127, RANDOM).setBit(126)), // positive, 16 bytes, never zero
                algorithm,
                issuer,
                Der.sequence(Der.time(from), Der.time(now.plus(validity).atZone(ZoneOffset.UTC))),
                subject,
                subjectKey.getEncoded(), // the JDK encodes public keys as SubjectPublicKeyInfo
                Der.explicit(3, extensions));
        try {
            Signature signature = Signature.getInstance(SIGNATURE);
            signature.initSign(signer.getPrivate());
            signature.update(tbs);
            byte[] certificate = Der.sequence(tbs, algorithm, Der.bitString(signature.sign()));
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(certificate));
        } catch (GeneralSecurityException e) {
            throw new PgoException("cannot sign a certificate: " + e.getMessage(), null, e);
        }
    }

    private static KeyPair newKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new PgoException("cannot make a key pair: " + e.getMessage(), null, e);
        }
    }

    private static byte[] name(String commonName) {
        return Der.sequence(Der.set(Der.sequence(Der.oid(COMMON_NAME), Der.utf8(commonName))));
    }

    private static byte[] extension(String oid, boolean critical, byte[] value) {
        return critical ? Der.sequence(Der.oid(oid), Der.bool(true), Der.octetString(value))
                : Der.sequence(Der.oid(oid), Der.octetString(value));
    }

    private static byte[] alternativeNames(List<String> hostNames) {
        var names = new ArrayList<byte[]>();
        for (String host : hostNames) {
            names.add(isAddress(host)
                    ? Der.implicit(7, InetAddress.ofLiteral(host).getAddress())
                    : Der.implicit(2, host.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        }
        return Der.sequence(names.toArray(byte[][]::new));
    }

    static boolean isAddress(String host) {
        return host.contains(":") || host.matches("[0-9.]+");
    }

    /** A key identifier: SHA-1 of the encoded public key, as RFC 7093 allows. */
    private static byte[] keyId(PublicKey key) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(key.getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
