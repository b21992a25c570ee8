package io.ncp.onos.planner.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ncp.onos.planner.BackendTls;
import io.ncp.onos.planner.ClientTls;
import io.ncp.onos.planner.ReplicaAuth;
import io.ncp.onos.planner.SpecException;

import java.util.Set;

/**
 * The JSON form of the by-reference security settings (docs/plan-format.md): a replica's {@code auth}, the client
 * side {@code tls} and a backend's {@code tls}. The same shape is used in a spec and in the body pushed to the
 * middlebox, whose field names these are (docs/tls.md, docs/credentials.md). An inline {@code password} is refused
 * without echoing its value. Stateless.
 */
final class SecurityJson {

    private static final Set<String> AUTH = Set.of("user", "passwordFile", "passwordEnv");
    private static final Set<String> CLIENT = Set.of("cert", "key", "clientCa");
    private static final Set<String> BACKEND = Set.of("ca", "serverName", "cert", "key", "insecure");

    private SecurityJson() {
    }

    /** The {@code auth} object at {@code p}, or null when {@code n} is absent. */
    static ReplicaAuth auth(JsonNode n, String p) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isObject()) {
            throw new SpecException(p, "must be an object {user, passwordFile | passwordEnv}");
        }
        if (n.has("password")) {
            throw new SpecException(p + ".password", "refused: a password is never written in a spec; give "
                    + "passwordFile (an absolute path on the middlebox host) or passwordEnv (a variable of the "
                    + "middlebox process)");
        }
        Fields.onlyKnown(n, p, AUTH);
        return ReplicaAuth.of(p, Fields.optionalText(n, "user", p), Fields.optionalText(n, "passwordFile", p),
                Fields.optionalText(n, "passwordEnv", p));
    }

    /** The client-side {@code tls} object at {@code p}, or null when absent. */
    static ClientTls client(JsonNode n, String p) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isObject()) {
            throw new SpecException(p, "must be an object {cert, key, clientCa}");
        }
        Fields.onlyKnown(n, p, CLIENT);
        return ClientTls.of(p, Fields.optionalText(n, "cert", p), Fields.optionalText(n, "key", p),
                Fields.optionalText(n, "clientCa", p));
    }

    /** A backend {@code tls} object at {@code p}, or null when absent. */
    static BackendTls backend(JsonNode n, String p) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isObject()) {
            throw new SpecException(p, "must be an object {ca, serverName, cert, key, insecure}");
        }
        Fields.onlyKnown(n, p, BACKEND);
        return BackendTls.of(p, Fields.optionalText(n, "ca", p), Fields.optionalText(n, "serverName", p),
                Fields.optionalText(n, "cert", p), Fields.optionalText(n, "key", p),
                Fields.optionalBoolean(n, "insecure", p, false));
    }

    /** Writes {@code auth} as {@code key} of {@code parent} (nothing when null): the references only. */
    static void put(ObjectNode parent, String key, ReplicaAuth auth) {
        if (auth == null) {
            return;
        }
        ObjectNode a = parent.putObject(key);
        putIf(a, "user", auth.user());
        putIf(a, "passwordFile", auth.passwordFile());
        putIf(a, "passwordEnv", auth.passwordEnv());
    }

    /** Writes {@code tls} as {@code key} of {@code parent} (nothing when null). */
    static void put(ObjectNode parent, String key, ClientTls tls) {
        if (tls == null) {
            return;
        }
        ObjectNode t = parent.putObject(key);
        t.put("cert", tls.cert());
        t.put("key", tls.key());
        putIf(t, "clientCa", tls.clientCa());
    }

    /** Writes {@code tls} as {@code key} of {@code parent} (nothing when null). */
    static void put(ObjectNode parent, String key, BackendTls tls) {
        if (tls == null) {
            return;
        }
        ObjectNode t = parent.putObject(key);
        putIf(t, "ca", tls.ca());
        putIf(t, "serverName", tls.serverName());
        putIf(t, "cert", tls.cert());
        putIf(t, "key", tls.key());
        if (tls.insecure()) {
            t.put("insecure", true);
        }
    }

    private static void putIf(ObjectNode n, String key, String value) {
        if (value != null) {
            n.put(key, value);
        }
    }
}
