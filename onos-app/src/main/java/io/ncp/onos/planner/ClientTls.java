package io.ncp.onos.planner;

import java.util.Objects;

/**
 * TLS towards the clients (the middlebox's {@code tls}, docs/tls.md): certificate and key files, and optionally a
 * CA file to require client certificates. Absolute paths on the middlebox host; the app never reads them.
 * Immutable.
 */
public final class ClientTls {

    private final String cert;
    private final String key;
    private final String clientCa;

    private ClientTls(String cert, String key, String clientCa) {
        this.cert = cert;
        this.key = key;
        this.clientCa = clientCa;
    }

    /**
     * @param field the path of the object, for errors (e.g. {@code middlebox.tls})
     * @throws SpecException naming the field: cert or key missing, a path not absolute
     */
    public static ClientTls of(String field, String cert, String key, String clientCa) {
        if (cert == null) {
            throw new SpecException(field + ".cert", "missing (a PEM file's path)");
        }
        if (key == null) {
            throw new SpecException(field + ".key", "missing (a PEM file's path)");
        }
        return new ClientTls(PathRefs.absolute(field + ".cert", cert), PathRefs.absolute(field + ".key", key),
                PathRefs.absolute(field + ".clientCa", clientCa));
    }

    /** Certificate chain file. */
    public String cert() {
        return cert;
    }

    /** Private key file. */
    public String key() {
        return key;
    }

    /** CA file that client certificates must chain to, or null (no client certificate asked). */
    public String clientCa() {
        return clientCa;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ClientTls)) {
            return false;
        }
        ClientTls t = (ClientTls) o;
        return cert.equals(t.cert) && key.equals(t.key) && Objects.equals(clientCa, t.clientCa);
    }

    @Override
    public int hashCode() {
        return Objects.hash(cert, key, clientCa);
    }

    @Override
    public String toString() {
        return "tls(" + cert + ")";
    }
}
