package io.ncp.onos.planner;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Renders plans as {@code ovs-ofctl -O OpenFlow13} command lines (the testbed installs them as printed). Rules of
 * one spec share the cookie {@link #cookie(String)}, so {@link #deleteLines} removes exactly them. Stateless.
 */
public final class OvsFlowFormatter {

    /** Cookie of the {@code --base-routes} rules. */
    public static final long BASE_ROUTE_COOKIE = 0x4e43000000000001L;

    private static final long SPEC_COOKIE_TAG = 0x4e43000100000000L;
    private static final String OFCTL = "ovs-ofctl -O OpenFlow13 ";

    private OvsFlowFormatter() {
    }

    /** The cookie of a spec's rules: {@code 0x4e430001} then the CRC32 of its name. */
    public static long cookie(String specName) {
        CRC32 crc = new CRC32();
        crc.update(specName.getBytes(StandardCharsets.UTF_8));
        return SPEC_COOKIE_TAG | crc.getValue();
    }

    /** One {@code add-flow} line per rule of the plan, in plan order. */
    public static List<String> addLines(ReplicationPlan plan) {
        long cookie = cookie(plan.spec().name());
        List<String> lines = new ArrayList<>();
        for (PlannedRule rule : plan.rules()) {
            lines.add(OFCTL + "add-flow " + rule.switchName() + " '" + flow(rule, cookie) + "'");
        }
        return lines;
    }

    /** One {@code del-flows} line per switch of the plan, deleting exactly this spec's rules (by cookie). */
    public static List<String> deleteLines(ReplicationPlan plan) {
        String cookie = String.format("cookie=0x%016x/-1", cookie(plan.spec().name()));
        List<String> lines = new ArrayList<>();
        for (String s : plan.switches()) {
            lines.add(OFCTL + "del-flows " + s + " '" + cookie + "'");
        }
        return lines;
    }

    /** Two {@code add-flow} lines (IPv4 and ARP) per base route. */
    public static List<String> addLines(List<BaseRoutes.BaseRoute> routes) {
        List<String> lines = new ArrayList<>();
        String head = String.format("cookie=0x%016x,priority=%d,", BASE_ROUTE_COOKIE,
                RuleRole.Priorities.BASE_ROUTE);
        for (BaseRoutes.BaseRoute r : routes) {
            lines.add(OFCTL + "add-flow " + r.switchName() + " '" + head + "ip,nw_dst=" + r.host().ip()
                    + ",actions=output:" + r.outPort() + "'");
            lines.add(OFCTL + "add-flow " + r.switchName() + " '" + head + "arp,arp_tpa=" + r.host().ip()
                    + ",actions=output:" + r.outPort() + "'");
        }
        return lines;
    }

    /** The flow text of one rule (what goes between the quotes), e.g. {@code cookie=..,priority=..,tcp,...}. */
    public static String flow(PlannedRule rule, long cookie) {
        RuleMatch m = rule.match();
        StringBuilder sb = new StringBuilder(160);
        sb.append(String.format("cookie=0x%016x", cookie)).append(",priority=").append(rule.priority())
                .append(",tcp,in_port=").append(m.inPort())
                .append(",nw_src=").append(m.nwSrc().toShortString());
        if (m.tpSrc() != 0) {
            sb.append(",tcp_src=").append(m.tpSrc());
        }
        sb.append(",nw_dst=").append(m.nwDst().toShortString());
        if (m.tpDst() != 0) {
            sb.append(",tcp_dst=").append(m.tpDst());
        }
        sb.append(",actions=").append(actions(rule.actions()));
        return sb.toString();
    }

    private static String actions(RuleActions a) {
        StringBuilder sb = new StringBuilder();
        if (a.setEthDst() != null) {
            sb.append("set_field:").append(a.setEthDst()).append("->eth_dst,");
        }
        if (a.setIpDst() != null) {
            sb.append("set_field:").append(a.setIpDst()).append("->ip_dst,");
        }
        if (a.setTcpDst() != 0) {
            sb.append("set_field:").append(a.setTcpDst()).append("->tcp_dst,");
        }
        if (a.setIpSrc() != null) {
            sb.append("set_field:").append(a.setIpSrc()).append("->ip_src,");
        }
        if (a.setTcpSrc() != 0) {
            sb.append("set_field:").append(a.setTcpSrc()).append("->tcp_src,");
        }
        return sb.append("output:").append(a.output()).toString();
    }
}
