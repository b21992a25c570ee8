package io.ncp.middlebox.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * A replica's own credentials, given by reference: a user and where the password is ({@code passwordFile} or
 * {@code passwordEnv}), never the password itself. The password is read once, when the config is parsed (a missing
 * file or variable is a config error), and kept only here: {@link #toString()}, {@link #equals} and every view of the
 * config show the references, never the secret. Immutable; thread-safe.
 */
public final class ReplicaAuth {

    private final String user;
    private final String passwordFile;
    private final String passwordEnv;
    private final byte[] password;

    private ReplicaAuth(String user, String passwordFile, String passwordEnv, byte[] password) {
        this.user = user;
        this.passwordFile = passwordFile;
        this.passwordEnv = passwordEnv;
        this.password = password;
    }

    /**
     * Resolves the password reference now.
     *
     * @param field        the config path of the {@code auth} mapping, for errors
     * @param user         the user name for the replica (null: the client's own user name is kept)
     * @param passwordFile a file whose content (one trailing newline dropped) is the password, or null
     * @param passwordEnv  an environment variable holding the password, or null (exactly one of the two)
     * @throws ConfigException when neither or both are given, or the file / variable cannot be read
     */
    public static ReplicaAuth resolve(String field, String user, String passwordFile, String passwordEnv) {
        if ((passwordFile == null) == (passwordEnv == null)) {
            throw new ConfigException(field, "needs exactly one of passwordFile, passwordEnv (the password itself "
                + "is never written in the config)");
        }
        if (user != null && (user.isEmpty() || user.indexOf('\0') >= 0)) {
            throw new ConfigException(field + ".user", "must be a non-empty name");
        }
        String secret;
        if (passwordFile != null) {
            try {
                secret = Files.readString(Path.of(passwordFile), StandardCharsets.UTF_8);
            } catch (IOException | RuntimeException e) {
                throw new ConfigException(field + ".passwordFile", "cannot read '" + passwordFile + "': "
                    + e.getClass().getSimpleName());
            }
            if (secret.endsWith("\n")) {
                secret = secret.substring(0, secret.length() - (secret.endsWith("\r\n") ? 2 : 1));
            }
        } else {
            secret = System.getenv(passwordEnv);
            if (secret == null) {
                throw new ConfigException(field + ".passwordEnv", "environment variable '" + passwordEnv
                    + "' is not set");
            }
        }
        if (secret.indexOf('\0') >= 0 || secret.indexOf('\n') >= 0) {
            throw new ConfigException(field, "the password (from " + (passwordFile != null ? "passwordFile"
                : "passwordEnv") + ") must be one line without NUL bytes");
        }
        return new ReplicaAuth(user, passwordFile, passwordEnv, secret.getBytes(StandardCharsets.UTF_8));
    }

    /** The user name for the replica, or null to keep the client's. */
    public String user() {
        return user;
    }

    /** The password file's path, or null. */
    public String passwordFile() {
        return passwordFile;
    }

    /** The password variable's name, or null. */
    public String passwordEnv() {
        return passwordEnv;
    }

    /** A copy of the password's UTF-8 bytes (the caller should overwrite it when done). */
    public byte[] password() {
        return password.clone();
    }

    /** The password as text (for the JDK's PBKDF2, which takes chars). */
    public char[] passwordChars() {
        return new String(password, StandardCharsets.UTF_8).toCharArray();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReplicaAuth a && Objects.equals(user, a.user) && Objects.equals(passwordFile,
            a.passwordFile) && Objects.equals(passwordEnv, a.passwordEnv) && Arrays.equals(password, a.password);
    }

    @Override
    public int hashCode() {
        return Objects.hash(user, passwordFile, passwordEnv);
    }

    /** The references only, never the password. */
    @Override
    public String toString() {
        return "auth{user=" + user + (passwordFile != null ? ", passwordFile=" + passwordFile
            : ", passwordEnv=" + passwordEnv) + "}";
    }
}
