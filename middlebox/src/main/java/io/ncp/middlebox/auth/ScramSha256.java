package io.ncp.middlebox.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The client side of SCRAM-SHA-256 (RFC 5802, RFC 7677) as PostgreSQL uses it: no channel binding ({@code n,,}), an
 * empty user name in the messages (the server takes the StartupMessage's). Built on the JDK's PBKDF2WithHmacSHA256,
 * HmacSHA256 and SHA-256. One per authentication exchange; not thread-safe. The password is used once and the
 * derived keys kept only until the server's signature is checked.
 */
final class ScramSha256 {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String clientNonce;
    private final String clientFirstBare;
    private byte[] serverSignature;

    ScramSha256() {
        byte[] n = new byte[18];
        RANDOM.nextBytes(n);
        this.clientNonce = Base64.getEncoder().encodeToString(n);
        this.clientFirstBare = "n=,r=" + clientNonce;
    }

    /** The client-first-message. */
    String clientFirst() {
        return "n,," + clientFirstBare;
    }

    /**
     * The client-final-message for the server-first-message {@code serverFirst}.
     *
     * @throws IllegalArgumentException when the server's message is malformed or its nonce does not extend ours
     */
    String clientFinal(String serverFirst, char[] password) {
        Map<String, String> f = fields(serverFirst);
        String nonce = f.get("r");
        String salt = f.get("s");
        String iter = f.get("i");
        if (nonce == null || salt == null || iter == null || !nonce.startsWith(clientNonce)) {
            throw new IllegalArgumentException("malformed SCRAM server-first-message");
        }
        int iterations;
        try {
            iterations = Integer.parseInt(iter);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad SCRAM iteration count");
        }
        if (iterations < 1 || iterations > 10_000_000) {
            throw new IllegalArgumentException("SCRAM iteration count out of range");
        }
        String withoutProof = "c=biws,r=" + nonce;
        String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
        try {
            byte[] salted = pbkdf2(password, Base64.getDecoder().decode(salt), iterations);
            byte[] clientKey = hmac(salted, "Client Key");
            byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(clientKey);
            byte[] signature = hmac(storedKey, authMessage);
            byte[] proof = new byte[clientKey.length];
            for (int i = 0; i < proof.length; i++) {
                proof[i] = (byte) (clientKey[i] ^ signature[i]);
            }
            serverSignature = hmac(hmac(salted, "Server Key"), authMessage);
            return withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SCRAM-SHA-256 unavailable in this JDK", e);
        }
    }

    /** Whether the server-final-message proves the server knew the password (a {@code v=} matching ours). */
    boolean serverFinalValid(String serverFinal) {
        String v = fields(serverFinal).get("v");
        return v != null && serverSignature != null && MessageDigest.isEqual(Base64.getDecoder().decode(v),
            serverSignature);
    }

    private static byte[] pbkdf2(char[] password, byte[] salt, int iterations) throws GeneralSecurityException {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, 256);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } finally {
            spec.clearPassword();
        }
    }

    private static byte[] hmac(byte[] key, String data) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, String> fields(String message) {
        Map<String, String> m = new HashMap<>();
        for (String part : message.split(",")) {
            if (part.length() >= 2 && part.charAt(1) == '=') {
                m.put(part.substring(0, 1), part.substring(2));
            }
        }
        return m;
    }
}
