package io.ncp.onos.planner;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * TLS from the middlebox to a backend (the middlebox's {@code backendTls}, {@code primary.tls} and
 * {@code replicas[i].tls}, docs/tls.md): a CA file to verify the server unless {@code insecure}, an optional SNI /
 * verified name, an optional client certificate and key (both or neither). Absolute paths on the middlebox host;
 * the app never reads them. Same constraints as the middlebox's config loader. Immutable.
 */
public final class BackendTls {

    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.:_-]{1,253}");

    private final String ca;
    private final String serverName;
    private final String cert;
    private final String key;
    private final boolean insecure;

    private BackendTls(String ca, String serverName, String cert, String key, boolean insecure) {
        this.ca = ca;
        this.serverName = serverName;
        this.cert = cert;
        this.key = key;
        this.insecure = insecure;
    }

    /**
     * @param field the path of the object, for errors (e.g. {@code replicas[1].tls})
     * @throws SpecException naming the field: no ca without insecure, ca with insecure, cert without key (or the
     *                       reverse), a bad server name, a path not absolute
     */
    public static BackendTls of(String field, String ca, String serverName, String cert, String key,
                                boolean insecure) {
        if (ca == null && !insecure) {
            throw new SpecException(field + ".ca", "missing: the CA bundle that the backend's certificate must "
                    + "chain to (or insecure: true, no check at all)");
        }
        if (ca != null && insecure) {
            throw new SpecException(field + ".insecure", "true with a ca: give one or the other");
        }
        if ((cert == null) != (key == null)) {
            throw new SpecException(field + (cert == null ? ".cert" : ".key"), "missing: a client certificate "
                    + "needs both cert and key");
        }
        if (serverName != null && !HOST.matcher(serverName).matches()) {
            throw new SpecException(field + ".serverName", "'" + serverName + "' is not a host name");
        }
        return new BackendTls(PathRefs.absolute(field + ".ca", ca), serverName,
                PathRefs.absolute(field + ".cert", cert), PathRefs.absolute(field + ".key", key), insecure);
    }

    /** CA file, or null when insecure. */
    public String ca() {
        return ca;
    }

    /** SNI and verified name, or null (the address's host). */
    public String serverName() {
        return serverName;
    }

    /** Client certificate file, or null. */
    public String cert() {
        return cert;
    }

    /** Client key file, or null. */
    public String key() {
        return key;
    }

    /** True: the server's certificate is not checked. */
    public boolean insecure() {
        return insecure;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof BackendTls)) {
            return false;
        }
        BackendTls t = (BackendTls) o;
        return Objects.equals(ca, t.ca) && Objects.equals(serverName, t.serverName) && Objects.equals(cert, t.cert)
                && Objects.equals(key, t.key) && insecure == t.insecure;
    }

    @Override
    public int hashCode() {
        return Objects.hash(ca, serverName, cert, key, insecure);
    }

    @Override
    public String toString() {
        return "tls(" + (insecure ? "insecure" : "ca " + ca) + ")";
    }
}
