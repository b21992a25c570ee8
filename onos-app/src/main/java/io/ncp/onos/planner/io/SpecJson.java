package io.ncp.onos.planner.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ncp.onos.planner.FlowSelector;
import io.ncp.onos.planner.HostPort;
import io.ncp.onos.planner.Ipv4;
import io.ncp.onos.planner.Ipv4Prefix;
import io.ncp.onos.planner.MiddleboxTarget;
import io.ncp.onos.planner.ReplicaTarget;
import io.ncp.onos.planner.ReplicationSpec;
import io.ncp.onos.planner.SpecException;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The JSON form of a {@link ReplicationSpec} (docs/plan-format.md): the ncp-plan spec file, the REST body and the
 * netcfg entry. {@link #read} validates everything and names the field of the first problem; {@link #write} is its
 * inverse ({@code read(write(s)).equals(s)}). Stateless.
 */
public final class SpecJson {

    private static final Set<String> ROOT = Set.of("name", "selector", "middlebox", "replicas", "tunnel");
    private static final Set<String> SELECTOR = Set.of("src", "srcPort", "dst", "dstPort", "protocol");
    private static final Set<String> MIDDLEBOX = Set.of("host", "listenPort", "admin", "adminTokenFile", "mode",
            "replicaBacklog", "protocol", "tls", "backendTls", "primaryTls");
    private static final Set<String> REPLICA = Set.of("address", "bind", "auth", "tls");

    private SpecJson() {
    }

    /**
     * Reads and validates a spec.
     *
     * @throws SpecException naming the first offending field
     */
    public static ReplicationSpec read(JsonNode root) {
        Fields.requireObject(root, "");
        Fields.onlyKnown(root, "", ROOT);
        String name = Fields.text(root, "name", "");
        FlowSelector selector = selector(Fields.object(root, "selector", ""));
        boolean tunnel = Fields.optionalBoolean(root, "tunnel", "", true);
        MiddleboxTarget middlebox = middlebox(Fields.object(root, "middlebox", ""), selector.dstPort());
        JsonNode list = Fields.array(root, "replicas", "");
        List<ReplicaTarget> replicas = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            replicas.add(replica(list.get(i), "replicas[" + i + "]"));
        }
        return new ReplicationSpec(name, selector, middlebox, replicas, tunnel);
    }

    private static FlowSelector selector(JsonNode n) {
        String p = "selector";
        Fields.onlyKnown(n, p, SELECTOR);
        String protocol = Fields.optionalText(n, "protocol", p);
        if (protocol != null && !FlowSelector.TCP.equalsIgnoreCase(protocol)) {
            throw new SpecException("selector.protocol", "only tcp is supported, got '" + protocol + "'");
        }
        Ipv4Prefix src = Fields.parse(Fields.text(n, "src", p), Ipv4Prefix::parse, "selector.src");
        Ipv4 dst = Fields.parse(Fields.text(n, "dst", p), Ipv4::parse, "selector.dst");
        return new FlowSelector(src, (int) clampInt(Fields.optionalInteger(n, "srcPort", p, 0)), dst,
                (int) clampInt(Fields.integer(n, "dstPort", p)));
    }

    private static MiddleboxTarget middlebox(JsonNode n, int primaryPort) {
        String p = "middlebox";
        Fields.onlyKnown(n, p, MIDDLEBOX);
        Ipv4 host = Fields.parse(Fields.text(n, "host", p), Ipv4::parse, "middlebox.host");
        long listen = Fields.optionalInteger(n, "listenPort", p, primaryPort);
        String admin = Fields.optionalText(n, "admin", p);
        String mode = Fields.optionalText(n, "mode", p);
        MiddleboxTarget m = new MiddleboxTarget(host, (int) clampInt(listen),
                admin == null ? null : Fields.parse(admin, HostPort::parse, "middlebox.admin"),
                mode == null ? "async" : mode, Fields.optionalText(n, "replicaBacklog", p),
                Fields.optionalText(n, "adminTokenFile", p));
        String protocol = Fields.optionalText(n, "protocol", p);
        return m.withSecurity(protocol == null ? "bytes" : protocol, SecurityJson.client(n.get("tls"), p + ".tls"),
                SecurityJson.backend(n.get("backendTls"), p + ".backendTls"),
                SecurityJson.backend(n.get("primaryTls"), p + ".primaryTls"));
    }

    private static ReplicaTarget replica(JsonNode n, String p) {
        if (n.isTextual()) {
            return new ReplicaTarget(Fields.parse(n.asText(), HostPort::parse, p), null);
        }
        if (!n.isObject()) {
            throw new SpecException(p, "must be an object {address, bind, auth, tls} or \"ip:port\"");
        }
        Fields.onlyKnown(n, p, REPLICA);
        HostPort address = Fields.parse(Fields.text(n, "address", p), HostPort::parse, p + ".address");
        String bind = Fields.optionalText(n, "bind", p);
        return new ReplicaTarget(address, bind == null ? null : Fields.parse(bind, Ipv4::parse, p + ".bind"),
                SecurityJson.auth(n.get("auth"), p + ".auth"), SecurityJson.backend(n.get("tls"), p + ".tls"));
    }

    private static long clampInt(long v) {
        return Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
    }

    /** The JSON form of {@code spec}. */
    public static ObjectNode write(ReplicationSpec spec) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        root.put("name", spec.name());
        ObjectNode sel = root.putObject("selector");
        sel.put("src", spec.selector().src().toString());
        if (spec.selector().srcPort() != 0) {
            sel.put("srcPort", spec.selector().srcPort());
        }
        sel.put("dst", spec.selector().dst().toString());
        sel.put("dstPort", spec.selector().dstPort());
        sel.put("protocol", FlowSelector.TCP);
        MiddleboxTarget m = spec.middlebox();
        ObjectNode mb = root.putObject("middlebox");
        mb.put("host", m.host().toString());
        mb.put("listenPort", m.listenPort());
        if (m.admin() != null) {
            mb.put("admin", m.admin().toString());
        }
        if (m.adminTokenFile() != null) {
            mb.put("adminTokenFile", m.adminTokenFile());
        }
        mb.put("mode", m.mode());
        if (m.replicaBacklog() != null) {
            mb.put("replicaBacklog", m.replicaBacklog());
        }
        if (!"bytes".equals(m.protocol())) {
            mb.put("protocol", m.protocol());
        }
        SecurityJson.put(mb, "tls", m.tls());
        SecurityJson.put(mb, "backendTls", m.backendTls());
        SecurityJson.put(mb, "primaryTls", m.primaryTls());
        ArrayNode replicas = root.putArray("replicas");
        for (ReplicaTarget r : spec.replicas()) {
            ObjectNode rn = replicas.addObject();
            rn.put("address", r.address().toString());
            if (r.bind() != null) {
                rn.put("bind", r.bind().toString());
            }
            SecurityJson.put(rn, "auth", r.auth());
            SecurityJson.put(rn, "tls", r.tls());
        }
        root.put("tunnel", spec.tunnel());
        return root;
    }
}
