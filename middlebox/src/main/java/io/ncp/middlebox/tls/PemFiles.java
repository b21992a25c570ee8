package io.ncp.middlebox.tls;

import io.ncp.middlebox.config.ConfigException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads PEM certificates and keys and checks them, each problem a one-line {@link ConfigException} naming the
 * setting and the file: missing or unreadable, no certificate or key in it, an encrypted or PKCS#1 key (convert with
 * {@code openssl pkcs8 -topk8 -nocrypt}), a key that does not match its certificate, a certificate that is expired or
 * not yet valid (refused, not warned about: a middlebox that starts with it would fail every handshake).
 */
final class PemFiles {

    private static final Pattern CERT = Pattern.compile(
        "-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\\s]+)-----END CERTIFICATE-----");
    private static final Pattern KEY = Pattern.compile(
        "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
    private static final String[] KEY_TYPES = {"RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS"};

    private PemFiles() {
    }

    /** Every certificate in {@code file} (at least one), in order. */
    static List<X509Certificate> certificates(String field, Path file) {
        String text = read(field, file);
        List<X509Certificate> certs = new ArrayList<>();
        Matcher m = CERT.matcher(text);
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            while (m.find()) {
                byte[] der = Base64.getMimeDecoder().decode(m.group(1));
                certs.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(der)));
            }
        } catch (CertificateException | IllegalArgumentException e) {
            throw new ConfigException(field, "'" + file + "' has a certificate that cannot be parsed: "
                + e.getMessage());
        }
        if (certs.isEmpty()) {
            throw new ConfigException(field, "'" + file + "' has no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        return certs;
    }

    /** A certificate chain to present: its first certificate must be valid now. */
    static List<X509Certificate> chain(String field, Path file) {
        List<X509Certificate> chain = certificates(field, file);
        X509Certificate leaf = chain.get(0);
        Date now = new Date();
        if (now.after(leaf.getNotAfter())) {
            throw new ConfigException(field, "'" + file + "': the certificate expired on "
                + leaf.getNotAfter().toInstant() + " (" + leaf.getSubjectX500Principal().getName() + ")");
        }
        if (now.before(leaf.getNotBefore())) {
            throw new ConfigException(field, "'" + file + "': the certificate is not valid before "
                + leaf.getNotBefore().toInstant() + " (" + leaf.getSubjectX500Principal().getName() + ")");
        }
        return chain;
    }

    /** The unencrypted PKCS#8 private key in {@code file}, checked against {@code cert}'s public key. */
    static PrivateKey key(String field, Path file, X509Certificate cert, Path certFile) {
        String text = read(field, file);
        Matcher m = KEY.matcher(text);
        if (!m.find()) {
            String why = text.contains("ENCRYPTED PRIVATE KEY") ? "an encrypted key (not supported: decrypt it)"
                : text.contains("BEGIN RSA PRIVATE KEY") || text.contains("BEGIN EC PRIVATE KEY")
                ? "a PKCS#1/SEC1 key (convert it: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8)"
                : "no PEM private key (-----BEGIN PRIVATE KEY-----)";
            throw new ConfigException(field, "'" + file + "' has " + why);
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(m.group(1));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(field, "'" + file + "' is not a valid PEM private key: " + e.getMessage());
        }
        PrivateKey key = parse(der);
        if (key == null) {
            throw new ConfigException(field, "'" + file + "' is not a valid private key (RSA, EC or EdDSA)");
        }
        if (!matches(key, cert)) {
            throw new ConfigException(field, "'" + file + "' does not match the certificate in '" + certFile + "' ("
                + cert.getSubjectX500Principal().getName() + ")");
        }
        return key;
    }

    private static PrivateKey parse(byte[] der) {
        for (String type : KEY_TYPES) {
            try {
                return KeyFactory.getInstance(type).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // not this type: try the next one
            }
        }
        return null;
    }

    /** Whether {@code key} signs what {@code cert}'s public key verifies. */
    private static boolean matches(PrivateKey key, X509Certificate cert) {
        String alg = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "RSASSA-PSS" -> "RSASSA-PSS";
            default -> key.getAlgorithm(); // Ed25519, Ed448, EdDSA
        };
        try {
            byte[] data = new byte[32];
            new SecureRandom().nextBytes(data);
            Signature s = Signature.getInstance(alg);
            if (alg.equals("RSASSA-PSS")) {
                s.setParameter(new java.security.spec.PSSParameterSpec("SHA-256", "MGF1",
                    java.security.spec.MGF1ParameterSpec.SHA256, 32, 1));
            }
            s.initSign(key);
            s.update(data);
            byte[] sig = s.sign();
            s.initVerify(cert.getPublicKey());
            s.update(data);
            return s.verify(sig);
        } catch (GeneralSecurityException e) {
            return false; // e.g. an EC key with an RSA certificate
        }
    }

    private static String read(String field, Path file) {
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new ConfigException(field, "file '" + file + "' does not exist");
        } catch (AccessDeniedException e) {
            throw new ConfigException(field, "file '" + file + "' cannot be read (permission denied)");
        } catch (IOException e) {
            throw new ConfigException(field, "file '" + file + "' cannot be read: " + e.getMessage());
        }
    }
}
