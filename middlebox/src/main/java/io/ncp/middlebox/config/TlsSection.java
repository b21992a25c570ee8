package io.ncp.middlebox.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Parses a service's TLS settings: {@code tls} (towards clients), {@code backendTls} (every backend's default),
 * {@code primary: {address, tls}} and {@code replicas[i].tls}. Only the shape is checked here; the files are read
 * (and a bad, mismatched or expired key or certificate refused) when the service starts, by the {@code tls} package.
 */
final class TlsSection {

    static final String TLS = "tls";
    static final String BACKEND_TLS = "backendTls";
    private static final Set<String> CLIENT = Set.of("cert", "key", "clientCa");
    private static final Set<String> BACKEND = Set.of("ca", "serverName", "cert", "key", "insecure");
    private static final Set<String> PRIMARY = Set.of("address", TLS);

    private TlsSection() {
    }

    /** The primary's address text: {@code primary} is host:port or a mapping {@code {address, tls}}. */
    static String primaryText(String at, JsonNode service) {
        JsonNode p = service.get("primary");
        if (p != null && p.isObject()) {
            ConfigLoader.checkFields(at + "primary.", p, PRIMARY);
            return p.has("address") ? ConfigLoader.text(p, "address", at + "primary.") : null;
        }
        return ConfigLoader.scalar(at + "primary", p);
    }

    /**
     * The TLS settings of the service mapping {@code node} ({@code field}: its path), or null when it has none.
     *
     * @param parsed   the service as parsed so far (its primary's and replicas' addresses)
     * @param mirrored a mirrored service: any TLS setting is refused (the capture sees ciphertext only)
     */
    static TlsConfig parse(String field, JsonNode node, ServiceConfig parsed, boolean mirrored) {
        String at = field + ".";
        ClientTlsConfig client = node.hasNonNull(TLS) ? client(at + TLS, node.get(TLS)) : null;
        BackendTlsConfig dflt = node.hasNonNull(BACKEND_TLS) ? backend(at + BACKEND_TLS, node.get(BACKEND_TLS))
            : null;
        Map<HostPort, BackendTlsConfig> own = new LinkedHashMap<>();
        JsonNode p = node.get("primary");
        String firstField = client != null ? at + TLS : dflt != null ? at + BACKEND_TLS : null;
        if (p != null && p.isObject() && p.hasNonNull(TLS)) {
            own.put(parsed.primary(), backend(at + "primary.tls", p.get(TLS)));
            firstField = firstField == null ? at + "primary.tls" : firstField;
        }
        JsonNode list = node.get("replicas");
        for (int i = 0; list != null && list.isArray() && i < list.size(); i++) {
            JsonNode r = list.get(i);
            if (r.isObject() && r.hasNonNull(TLS)) {
                String f = at + "replicas[" + i + "].tls";
                BackendTlsConfig b = backend(f, r.get(TLS));
                if (own.put(parsed.replicas().get(i).address(), b) != null) {
                    throw new ConfigException(f, "a second TLS setting for " + parsed.replicas().get(i).address());
                }
                firstField = firstField == null ? f : firstField;
            }
        }
        if (firstField == null) {
            return null;
        }
        if (mirrored) {
            throw new ConfigException(firstField, "a mirrored service cannot use TLS: the capture sees ciphertext only "
                + "(terminate TLS with 'ncp-middlebox run', the in-path mode)");
        }
        return new TlsConfig(client, dflt, own);
    }

    /** The client side: {@code cert} and {@code key} required, {@code clientCa} optional. */
    static ClientTlsConfig client(String field, JsonNode n) {
        if (!n.isObject()) {
            throw new ConfigException(field, "must be a mapping with cert, key (and clientCa)");
        }
        ConfigLoader.checkFields(field + ".", n, CLIENT);
        return new ClientTlsConfig(path(field, n, "cert", true), path(field, n, "key", true),
            path(field, n, "clientCa", false));
    }

    /** One backend side: {@code ca} unless {@code insecure}; {@code cert} and {@code key} together or neither. */
    static BackendTlsConfig backend(String field, JsonNode n) {
        if (!n.isObject()) {
            throw new ConfigException(field, "must be a mapping with ca (and serverName, cert, key, insecure)");
        }
        ConfigLoader.checkFields(field + ".", n, BACKEND);
        boolean insecure = false;
        if (n.hasNonNull("insecure")) {
            JsonNode v = n.get("insecure");
            if (!v.isBoolean() && !v.asText().matches("true|false")) {
                throw new ConfigException(field + ".insecure", "'" + v.asText() + "' is not true or false");
            }
            insecure = v.isBoolean() ? v.booleanValue() : Boolean.parseBoolean(v.asText());
        }
        String name = n.hasNonNull("serverName") ? ConfigLoader.text(n, "serverName", field + ".") : null;
        return backend(field, path(field, n, "ca", false), name, path(field, n, "cert", false),
            path(field, n, "key", false), insecure);
    }

    /** Checks and builds a backend setting (shared with the command line's flags). */
    static BackendTlsConfig backend(String field, Path ca, String serverName, Path cert, Path key, boolean insecure) {
        if (ca == null && !insecure) {
            throw new ConfigException(field + ".ca", "missing: the CA bundle that the backend's certificate must "
                + "chain to (or insecure: true, no check at all)");
        }
        if (ca != null && insecure) {
            throw new ConfigException(field + ".insecure", "true with a ca: give one or the other");
        }
        if ((cert == null) != (key == null)) {
            throw new ConfigException(field + (cert == null ? ".cert" : ".key"), "missing: a client certificate "
                + "needs both cert and key");
        }
        if (serverName != null && !serverName.matches("[A-Za-z0-9.:_-]{1,253}")) {
            throw new ConfigException(field + ".serverName", "'" + serverName + "' is not a host name");
        }
        return new BackendTlsConfig(ca, serverName, cert, key, insecure);
    }

    private static Path path(String field, JsonNode n, String name, boolean required) {
        if (!n.hasNonNull(name)) {
            if (required) {
                throw new ConfigException(field + "." + name, "missing (a PEM file's path)");
            }
            return null;
        }
        String text = ConfigLoader.text(n, name, field + ".");
        if (text.isBlank()) {
            throw new ConfigException(field + "." + name, "empty path");
        }
        return Path.of(text);
    }
}
