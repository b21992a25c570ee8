package io.ncp.middlebox.config;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Whether a service's sockets are transparent ({@code IP_TRANSPARENT}): settings {@code transparent} and
 * {@code spoofClient} of a service (YAML, admin JSON; flags {@code --transparent}, {@code --spoof-client}). The
 * sockets themselves are made in {@code core.TransparentFront}; the host's TPROXY rules are the operator's (the
 * middlebox logs them at startup, {@code ncp plan --middlebox-setup} prints them for a non-tunnel plan).
 */
public enum Transparency {
    /** An ordinary listener: clients connect to the middlebox's own address (default). */
    NONE,
    /**
     * {@code transparent: true}: the listener is an IP_TRANSPARENT socket, so it accepts the sessions that a TPROXY
     * rule hands it although they are addressed to the primary (an address the middlebox host does not own); the
     * client keeps seeing the primary's address. The connection to the primary is an ordinary one from the host's
     * own address.
     */
    LISTENER,
    /**
     * {@code spoofClient: true} (with {@code transparent: true}): as {@link #LISTENER}, and the connection to the
     * primary is made from the client's own IP address (an IP_TRANSPARENT socket bound to it, any free port), so the
     * primary sees the client. The primary's answers to the client's address must be routed back to the middlebox
     * host (and taken in there by the TPROXY host rules' {@code socket transparent} mark).
     */
    SPOOF_CLIENT;

    /** YAML/JSON field names. */
    static final String TRANSPARENT = "transparent";
    static final String SPOOF_CLIENT_FIELD = "spoofClient";

    /** Whether this service's listener is transparent. */
    public boolean transparent() {
        return this != NONE;
    }

    /**
     * The setting from the two flags.
     *
     * @param field prefix of the error's field, e.g. {@code services[0]} (empty for command-line flags, which are named
     *              {@code --transparent} and {@code --spoof-client})
     * @throws ConfigException {@code spoofClient} without {@code transparent}
     */
    public static Transparency of(String field, boolean transparent, boolean spoofClient) {
        if (spoofClient && !transparent) {
            String name = field.isEmpty() ? "--spoof-client" : field + "." + SPOOF_CLIENT_FIELD;
            throw new ConfigException(name, "needs " + (field.isEmpty() ? "--transparent" : "transparent: true")
                + " (only a transparent listener receives the sessions whose client it can stand in for)");
        }
        return spoofClient ? SPOOF_CLIENT : transparent ? LISTENER : NONE;
    }

    /** The setting of a service mapping ({@code field}: its path, e.g. {@code services[0]}); NONE when absent. */
    static Transparency parse(String field, JsonNode service, boolean mirrored) {
        boolean transparent = flag(field, service, TRANSPARENT);
        boolean spoof = flag(field, service, SPOOF_CLIENT_FIELD);
        if (mirrored && (transparent || spoof)) {
            throw new ConfigException(field + "." + (transparent ? TRANSPARENT : SPOOF_CLIENT_FIELD),
                "a mirrored service has no listener (the capture sees the original traffic)");
        }
        return of(field, transparent, spoof);
    }

    private static boolean flag(String field, JsonNode service, String name) {
        JsonNode v = service.get(name);
        if (v == null || v.isNull()) {
            return false;
        }
        if (!v.isBoolean()) {
            throw new ConfigException(field + "." + name, "'" + v.asText() + "' must be true or false");
        }
        return v.booleanValue();
    }
}
