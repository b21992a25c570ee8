package io.ncp.onos.planner;

import java.util.Objects;

/**
 * A replica's own credentials BY REFERENCE (docs/credentials.md): an optional user name and exactly one of a
 * password file (absolute path on the middlebox host) or an environment variable of the middlebox process. The
 * password itself never enters the app: it is not a field of this class, so no log line, status, REST answer or
 * netcfg shown by the app can carry it. Immutable.
 */
public final class ReplicaAuth {

    private final String user;
    private final String passwordFile;
    private final String passwordEnv;

    private ReplicaAuth(String user, String passwordFile, String passwordEnv) {
        this.user = user;
        this.passwordFile = passwordFile;
        this.passwordEnv = passwordEnv;
    }

    /**
     * @param field        the path of the {@code auth} object, for errors (e.g. {@code replicas[0].auth})
     * @param user         user name on the replica, or null to keep the client's
     * @param passwordFile absolute path of the password file, or null
     * @param passwordEnv  environment variable name, or null (exactly one of the two)
     * @throws SpecException naming the field
     */
    public static ReplicaAuth of(String field, String user, String passwordFile, String passwordEnv) {
        if ((passwordFile == null) == (passwordEnv == null)) {
            throw new SpecException(field, "needs exactly one of passwordFile, passwordEnv (the password itself is "
                    + "never written in a spec)");
        }
        if (user != null && (user.isEmpty() || user.indexOf('\0') >= 0)) {
            throw new SpecException(field + ".user", "must be a non-empty name");
        }
        return new ReplicaAuth(user, PathRefs.absolute(field + ".passwordFile", passwordFile),
                PathRefs.envName(field + ".passwordEnv", passwordEnv));
    }

    /** User name on the replica, or null. */
    public String user() {
        return user;
    }

    /** Absolute path of the password file on the middlebox host, or null. */
    public String passwordFile() {
        return passwordFile;
    }

    /** Environment variable of the middlebox process holding the password, or null. */
    public String passwordEnv() {
        return passwordEnv;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ReplicaAuth)) {
            return false;
        }
        ReplicaAuth a = (ReplicaAuth) o;
        return Objects.equals(user, a.user) && Objects.equals(passwordFile, a.passwordFile)
                && Objects.equals(passwordEnv, a.passwordEnv);
    }

    @Override
    public int hashCode() {
        return Objects.hash(user, passwordFile, passwordEnv);
    }

    @Override
    public String toString() {
        return "auth(" + (user == null ? "" : user + ", ")
                + (passwordFile != null ? "passwordFile " + passwordFile : "passwordEnv " + passwordEnv) + ")";
    }
}
