package io.ncp.onos.planner.io;

import com.fasterxml.jackson.databind.JsonNode;
import io.ncp.onos.planner.Ipv4;
import io.ncp.onos.planner.Mac;
import io.ncp.onos.planner.NetworkGraph;
import io.ncp.onos.planner.SpecException;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the ncp-plan topology file (docs/plan-format.md) into a {@link NetworkGraph}. The file is machine-written
 * (by the testbed), so unknown fields are ignored; every known field is checked and a problem is reported as a
 * {@link SpecException} naming its path ({@code links[2].dstPort}). Stateless.
 */
public final class TopologyJson {

    private TopologyJson() {
    }

    /**
     * The graph described by {@code root}.
     *
     * @throws SpecException naming the first offending field
     */
    public static NetworkGraph read(JsonNode root) {
        Fields.requireObject(root, "");
        NetworkGraph.Builder b = NetworkGraph.builder();
        JsonNode switches = Fields.array(root, "switches", "");
        for (int i = 0; i < switches.size(); i++) {
            String p = "switches[" + i + "]";
            JsonNode s = element(switches, i, p);
            String name = Fields.text(s, "name", p);
            String dpid = Fields.optionalText(s, "dpid", p);
            if (dpid != null && !dpid.matches("(0x)?[0-9a-fA-F]{1,16}")) {
                throw new SpecException(p + ".dpid", "must be hex, up to 16 digits, got '" + dpid + "'");
            }
            apply(() -> b.addSwitch(name, dpid), p + ".name");
        }
        JsonNode links = root.has("links") ? Fields.array(root, "links", "") : null;
        for (int i = 0; links != null && i < links.size(); i++) {
            String p = "links[" + i + "]";
            JsonNode l = element(links, i, p);
            String src = Fields.text(l, "src", p);
            long srcPort = Fields.integer(l, "srcPort", p);
            String dst = Fields.text(l, "dst", p);
            long dstPort = Fields.integer(l, "dstPort", p);
            apply(() -> b.addLink(src, srcPort, dst, dstPort), p);
        }
        JsonNode hosts = Fields.array(root, "hosts", "");
        for (int i = 0; i < hosts.size(); i++) {
            String p = "hosts[" + i + "]";
            JsonNode h = element(hosts, i, p);
            String name = Fields.text(h, "name", p);
            List<Ipv4> ips = ips(h, p);
            Mac mac = Fields.parse(Fields.text(h, "mac", p), Mac::parse, p + ".mac");
            String sw = Fields.text(h, "switch", p);
            long port = Fields.integer(h, "port", p);
            apply(() -> b.addHost(name, ips, mac, sw, port), p);
        }
        return b.build();
    }

    private static JsonNode element(JsonNode array, int i, String path) {
        JsonNode n = array.get(i);
        if (!n.isObject()) {
            throw new SpecException(path, "must be an object");
        }
        return n;
    }

    private static List<Ipv4> ips(JsonNode h, String p) {
        List<Ipv4> ips = new ArrayList<>();
        String ip = Fields.optionalText(h, "ip", p);
        if (ip != null) {
            ips.add(Fields.parse(ip, Ipv4::parse, p + ".ip"));
        }
        if (h.has("ips")) {
            JsonNode list = Fields.array(h, "ips", p);
            for (int k = 0; k < list.size(); k++) {
                Ipv4 extra = Fields.parse(list.get(k).asText(), Ipv4::parse, p + ".ips[" + k + "]");
                if (!ips.contains(extra)) {
                    ips.add(extra);
                }
            }
        }
        if (ips.isEmpty()) {
            throw new SpecException(p + ".ip", "missing");
        }
        return ips;
    }

    private static void apply(Runnable step, String path) {
        try {
            step.run();
        } catch (IllegalArgumentException e) {
            throw new SpecException(path, e.getMessage());
        }
    }
}
