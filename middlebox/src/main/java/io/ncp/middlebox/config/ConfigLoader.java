package io.ncp.middlebox.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads {@link MiddleboxConfig} from YAML (or JSON, a subset) and {@link ServiceConfig} from the admin API's JSON.
 * Unknown fields are errors; every error names its field path and value.
 */
public final class ConfigLoader {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> TOP = Set.of("threads", "ringSize", "ringBytes", "admin", "statsInterval",
        "replicaLoop", "connectTimeout", "tcpCongestion", "services", "mirror", "allow", "replicaTimeout", "journal",
        "ringFull", "probeBind");
    private static final Set<String> SERVICE = Set.of("name", "listen", "primary", "mode", "compare",
        "replicaBacklog", "replicas", "sessionOrder", ProtocolSection.ORDER, Transparency.TRANSPARENT,
        Transparency.SPOOF_CLIENT_FIELD,
        "maxSessions", "failover", ProtocolSection.PROTOCOL, ProtocolSection.REDIS, TlsSection.TLS,
        TlsSection.BACKEND_TLS, "resync", "autoResync");
    private static final Set<String> REPLICA = Set.of("address", "bind", "priority", "auth", TlsSection.TLS);

    private ConfigLoader() {
    }

    /** A protocol named on the command line ({@code field}: the flag). */
    public static Protocol protocol(String field, String name) {
        return Protocol.parse(field, name);
    }

    /** Loads the file at {@code path}. */
    public static MiddleboxConfig load(Path path) {
        try {
            return parse(Files.readString(path));
        } catch (NoSuchFileException e) {
            throw new ConfigException("config", "file '" + path + "' does not exist");
        } catch (IOException e) {
            throw new ConfigException("config", "cannot read '" + path + "': " + e.getMessage());
        }
    }

    /** Parses a whole config document (YAML or JSON) for {@code run} (socket mode: no mirror section). */
    public static MiddleboxConfig parse(String text) {
        JsonNode root = root(text);
        if (root.has("mirror")) {
            throw new ConfigException("mirror", "a config with a mirror section is run with 'ncp-middlebox mirror "
                + "--config FILE', not 'run'");
        }
        return parse(root, false);
    }

    /** The document's top-level mapping, its field names checked. */
    static JsonNode root(String text) {
        JsonNode root = tree("config", text);
        if (!root.isObject()) {
            throw new ConfigException("config", "top level must be a mapping");
        }
        checkFields("", root, TOP);
        return root;
    }

    /** Everything but the mirror section; {@code mirrored}: services have no listen address. */
    static MiddleboxConfig parse(JsonNode root, boolean mirrored) {
        int threads = intField(root, "threads", MiddleboxConfig.defaultThreads());
        int ringSize = intField(root, "ringSize", MiddleboxConfig.DEFAULT_RING_SIZE);
        long ringBytes = root.has("ringBytes") ? Units.parseSize("ringBytes", text(root, "ringBytes"))
            : MiddleboxConfig.DEFAULT_RING_BYTES;
        AdminConfig admin = AdminSection.parse(root.get("admin"));
        Duration stats = root.has("statsInterval") ? Units.parseDuration("statsInterval", text(root, "statsInterval"))
            : MiddleboxConfig.DEFAULT_STATS_INTERVAL;
        ReplicaLoop loop = root.has("replicaLoop") ? ReplicaLoop.parse("replicaLoop", text(root, "replicaLoop"))
            : ReplicaLoop.AUTO;
        Duration connect = root.has("connectTimeout")
            ? Units.parseDuration("connectTimeout", text(root, "connectTimeout"))
            : MiddleboxConfig.DEFAULT_CONNECT_TIMEOUT;
        if (connect.isZero()) {
            throw new ConfigException("connectTimeout", "'0' must be positive");
        }
        String congestion = root.has("tcpCongestion") ? text(root, "tcpCongestion") : null;
        JsonNode list = root.get("services");
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw new ConfigException("services", "at least one service is required");
        }
        List<ServiceConfig> services = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            services.add(service("services[" + i + "]", list.get(i), mirrored));
        }
        Duration replicaTimeout = root.has("replicaTimeout")
            ? Units.parseDuration("replicaTimeout", text(root, "replicaTimeout")) : null;
        String probeBind = root.hasNonNull("probeBind") ? text(root, "probeBind") : null;
        return new MiddleboxConfig(threads, ringSize, ringBytes, admin, stats, loop, connect, congestion, services,
            AdminSection.allow(root.get("allow")), replicaTimeout, JournalSection.parse(root.get("journal")),
            probeBind, root.hasNonNull("ringFull") ? RingFull.parse("ringFull", text(root, "ringFull")) : null);
    }

    /** Parses one service object (the admin API's PUT body); {@code name} is used when the body has none. */
    public static ServiceConfig parseService(String name, String json) {
        JsonNode node = tree("service", json);
        if (node.isObject() && !node.has("name")) {
            ((com.fasterxml.jackson.databind.node.ObjectNode) node).put("name", name);
        }
        ServiceConfig s = service("service", node, false);
        if (!s.name().equals(name)) {
            throw new ConfigException("service.name", "'" + s.name() + "' differs from the path's '" + name + "'");
        }
        return s;
    }

    /** The command line's admin flags applied to {@code admin} (null: not given); see {@link AdminConfig}. */
    public static AdminConfig applyAdminFlags(AdminConfig admin, String tokenFile, String metrics, String tlsCert,
            String tlsKey) {
        return AdminSection.applyFlags(admin, tokenFile, metrics, tlsCert, tlsKey);
    }

    /** {@code text} with {@code \r \n \t \0 \\ \xNN} escapes resolved (probe strings). */
    public static byte[] unescape(String field, String text) {
        return FailoverSection.unescape(field, text);
    }

    /** The command line's journal flags applied to {@code journal} (null: off); null values: not given. */
    public static JournalConfig journalFlags(JournalConfig journal, String dir, String max) {
        return JournalSection.flags(journal, dir, max);
    }

    /** {@code shared} or {@code separate}. */
    public static ReplicaLoop parseReplicaLoop(String field, String text) {
        return ReplicaLoop.parse(field, text);
    }

    /** {@code off} → null, else host:port. */
    public static HostPort parseAdmin(String field, String text) {
        if (text == null) {
            return MiddleboxConfig.DEFAULT_ADMIN;
        }
        if (text.equalsIgnoreCase("off") || text.equalsIgnoreCase("false")) {
            return null;
        }
        return HostPort.parse(field, text);
    }

    /**
     * Builds and validates a service from its parts (shared by the file loader and the CLI flags).
     *
     * @param field the field path prefix for errors
     */
    public static ServiceConfig service(String field, String name, HostPort listen, HostPort primary, String mode,
            String compare, long backlog, List<ReplicaConfig> replicas) {
        if (listen == null) {
            throw new ConfigException(field + ".listen", "missing");
        }
        return build(field, name, listen, primary, mode, compare, backlog, replicas);
    }

    /**
     * A mirrored service (no listener: a capture feeds it). Its primary may have a wildcard host ({@code *},
     * {@code 0.0.0.0}): any server address with that port. Mode must be async (mirror cannot hold answers back).
     */
    public static ServiceConfig mirroredService(String field, String name, HostPort primary, String mode,
            String compare, long backlog, List<ReplicaConfig> replicas) {
        if (mode != null && !mode.equalsIgnoreCase("async")) {
            throw new ConfigException(field + ".mode", "'" + mode + "': mirror mode is async only (the client talks "
                + "to the primary directly; nothing can hold its answers back)");
        }
        return build(field, name, null, primary, mode, compare, backlog, replicas);
    }

    private static ServiceConfig build(String field, String name, HostPort listen, HostPort primary, String mode,
            String compare, long backlog, List<ReplicaConfig> replicas) {
        if (name == null || !name.matches("[A-Za-z0-9_.-]{1,64}")) {
            throw new ConfigException(field + ".name", "'" + name + "' must be 1-64 of [A-Za-z0-9_.-]");
        }
        if (primary == null) {
            throw new ConfigException(field + ".primary", "missing");
        }
        if (primary.port() == 0) {
            throw new ConfigException(field + ".primary", "'" + primary + "' needs a non-zero port");
        }
        String m = mode == null ? "async" : mode.toLowerCase(Locale.ROOT);
        if (!m.equals("async") && !m.equals("lockstep")) {
            throw new ConfigException(field + ".mode", "'" + mode + "' is not one of async, lockstep");
        }
        CompareMode c = compare == null ? CompareMode.BYTES : CompareMode.parse(field + ".compare", compare);
        if (backlog < 1) {
            throw new ConfigException(field + ".replicaBacklog", "'" + backlog + "' must be positive");
        }
        for (int i = 0; i < replicas.size(); i++) {
            if (replicas.get(i).address().port() == 0) {
                throw new ConfigException(field + ".replicas[" + i + "].address",
                    "'" + replicas.get(i).address() + "' needs a non-zero port");
            }
        }
        return new ServiceConfig(name, listen, primary, m, c, backlog, replicas);
    }

    private static ServiceConfig service(String field, JsonNode node, boolean mirrored) {
        if (node == null || !node.isObject()) {
            throw new ConfigException(field, "must be a mapping");
        }
        String at = field + ".";
        checkFields(at, node, SERVICE);
        if (mirrored && node.has("listen")) {
            throw new ConfigException(field + ".listen", "a mirrored service has no listen address (clients reach "
                + "the primary directly)");
        }
        String name = node.has("name") ? text(node, "name", at) : null;
        HostPort listen = node.has("listen") ? HostPort.parse(at + "listen", text(node, "listen", at)) : null;
        HostPort primary = node.has("primary") ? HostPort.parse(at + "primary", TlsSection.primaryText(at, node))
            : null;
        long backlog = node.has("replicaBacklog")
            ? Units.parseSize(at + "replicaBacklog", text(node, "replicaBacklog", at)) : ServiceConfig.DEFAULT_BACKLOG;
        List<ReplicaConfig> replicas = new ArrayList<>();
        JsonNode list = node.get("replicas");
        if (list != null && !list.isNull()) {
            if (!list.isArray()) {
                throw new ConfigException(field + ".replicas", "must be a list");
            }
            for (int i = 0; i < list.size(); i++) {
                replicas.add(replica(field + ".replicas[" + i + "]", list.get(i)));
            }
        }
        String compare = node.has("compare") ? text(node, "compare", at) : null;
        String mode = node.has("mode") ? text(node, "mode", at) : null;
        ServiceConfig s = mirrored ? mirroredService(field, name, primary, mode, compare, backlog, replicas)
            : service(field, name, listen, primary, mode, compare, backlog, replicas);
        s = node.has("sessionOrder")
            ? s.withSessionOrder(SessionOrder.parse(at + "sessionOrder", text(node, "sessionOrder", at))) : s;
        if (node.has("maxSessions")) {
            int max = intField(node, "maxSessions", at, 0);
            if (max < 0) {
                throw new ConfigException(field + ".maxSessions", "'" + max + "' must be 0 (no limit of its own) or "
                    + "more");
            }
            s = s.withMaxSessions(max);
        }
        if (node.has("failover")) {
            if (mirrored) {
                throw new ConfigException(field + ".failover", "a mirrored service cannot fail over (clients reach the "
                    + "primary directly)");
            }
            s = s.withFailover(FailoverSection.parse(field + ".failover", node.get("failover")));
        }
        s = ProtocolSection.parse(at, node, s);
        AuthSection.check(field, s);
        s = s.withTls(TlsSection.parse(field, node, s, mirrored));
        s = resync(field, node, mirrored, s);
        return s.withTransparency(Transparency.parse(field, node, mirrored));
    }

    private static ServiceConfig resync(String field, JsonNode node, boolean mirrored, ServiceConfig s) {
        if (!node.has("resync") && !node.has("autoResync")) {
            return s;
        }
        if (mirrored) {
            throw new ConfigException(field + ".resync", "a mirrored service cannot be resynced online (the clients "
                + "reach the primary directly: nothing can hold them at a snapshot point)");
        }
        ResyncConfig r = ResyncSection.parse(field + ".resync", node.get("resync"));
        if (node.has("autoResync")) {
            String t = scalar(field + ".autoResync", node.get("autoResync"));
            if (!t.equalsIgnoreCase("true") && !t.equalsIgnoreCase("false")) {
                throw new ConfigException(field + ".autoResync", "'" + t + "' is not true or false");
            }
            if (Boolean.parseBoolean(t) && r == null) {
                throw new ConfigException(field + ".autoResync", "needs a resync mapping (snapshot and restore hooks)");
            }
            r = r == null ? null : r.withAuto(Boolean.parseBoolean(t));
        }
        return s.withResync(r);
    }

    private static ReplicaConfig replica(String field, JsonNode node) {
        if (node.isTextual()) {
            return ReplicaConfig.parse(field, node.asText());
        }
        if (!node.isObject()) {
            throw new ConfigException(field, "must be host:port or a mapping with address (and bind)");
        }
        String at = field + ".";
        checkFields(at, node, REPLICA);
        HostPort address = HostPort.parse(at + "address", node.has("address") ? text(node, "address", at) : null);
        String bind = node.has("bind") && !node.get("bind").isNull() ? text(node, "bind", at) : null;
        ReplicaAuth auth = node.has("auth") ? AuthSection.parse(at + "auth", node.get("auth")) : null;
        return new ReplicaConfig(address, bind, intField(node, "priority", at, 0), auth);
    }

    static JsonNode tree(String field, String text) {
        try {
            String doc = text == null ? "" : text;
            rejectAliases(field, doc);
            JsonNode n = YAML.readTree(doc);
            if (n == null || n.isMissingNode()) {
                throw new ConfigException(field, "empty document");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw new ConfigException(field, "not valid YAML/JSON: " + oneLine(e));
        }
    }

    /** The parser's complaint on one line with its position (the YAML parser's own message spans many lines). */
    private static String oneLine(JsonProcessingException e) {
        String msg = String.valueOf(e.getOriginalMessage()).strip();
        int nl = msg.indexOf('\n');
        String first = (nl < 0 ? msg : msg.substring(0, nl)).strip();
        var loc = e.getLocation();
        return loc == null || loc.getLineNr() < 0 ? first : first + " (line " + loc.getLineNr() + ", column "
            + loc.getColumnNr() + ")";
    }

    /** Jackson's YAML tree model reads an alias ({@code *name}) as the string "name", silently: refuse aliases. */
    private static void rejectAliases(String field, String doc) throws JsonProcessingException {
        try (JsonParser p = YAML.getFactory().createParser(doc)) {
            while (p.nextToken() != null) {
                if (p instanceof YAMLParser y && y.isCurrentAlias()) {
                    throw new ConfigException(field, "YAML aliases are not supported (*" + p.getText() + " at "
                        + p.getParsingContext().pathAsPointer() + ")");
                }
            }
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new ConfigException(field, "cannot read: " + e.getMessage()); // a String source does no I/O
        }
    }

    static void checkFields(String prefix, JsonNode node, Set<String> allowed) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw new ConfigException(prefix + f, "unknown field (known: " + String.join(", ", allowed) + ")");
            }
        }
    }

    /** A top-level scalar field as text. */
    static String text(JsonNode node, String field) {
        return text(node, field, "");
    }

    /** {@code node}'s scalar {@code field} as text; errors name it {@code prefix + field} (its full path). */
    static String text(JsonNode node, String field, String prefix) {
        return scalar(prefix + field, node.get(field));
    }

    /** {@code v} as text; a missing, null, list or mapping value is an error naming {@code field}. */
    static String scalar(String field, JsonNode v) {
        if (v == null || v.isNull() || v.isContainerNode()) {
            throw new ConfigException(field, "must be a scalar value");
        }
        return v.asText();
    }

    /** A top-level integer field, or {@code dflt} when absent. */
    static int intField(JsonNode node, String field, int dflt) {
        return intField(node, field, "", dflt);
    }

    /** {@code node}'s integer {@code field}, or {@code dflt} when absent; errors name it {@code prefix + field}. */
    static int intField(JsonNode node, String field, String prefix, int dflt) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber()) {
            throw new ConfigException(prefix + field, "'" + v.asText() + "' is not an integer");
        }
        return v.asInt();
    }
}
