package io.ncp.onos.planner;

import java.util.List;

/** Spec and rule builders for planner tests. */
final class Specs {

    static final int PRIMARY_PORT = 6379;
    static final int LISTEN_PORT = 7000;

    private Specs() {
    }

    static Ipv4 ip(int n) {
        return Ipv4.parse("10.0.0." + n);
    }

    /** Client hN (or a prefix), primary hP:6379, middlebox hM (listen 7000 in tunnel mode), replica 10.0.1.9. */
    static ReplicationSpec spec(String src, int primary, int middlebox, boolean tunnel) {
        return new ReplicationSpec("redis",
                new FlowSelector(Ipv4Prefix.parse(src), 0, ip(primary), PRIMARY_PORT),
                new MiddleboxTarget(ip(middlebox), tunnel ? LISTEN_PORT : PRIMARY_PORT, null, "async", null),
                List.of(new ReplicaTarget(HostPort.parse("10.0.1.9:6379"), null)), tunnel);
    }

    static ReplicationSpec spec(int client, int primary, int middlebox, boolean tunnel) {
        return spec("10.0.0." + client, primary, middlebox, tunnel);
    }

    static RuleMatch toPrimary(int inPort, int client, int primary) {
        return new RuleMatch(inPort, Ipv4Prefix.host(ip(client)), 0, Ipv4Prefix.host(ip(primary)), PRIMARY_PORT);
    }

    static RuleMatch fromMiddlebox(int inPort, int middlebox, int client) {
        return new RuleMatch(inPort, Ipv4Prefix.host(ip(middlebox)), LISTEN_PORT, Ipv4Prefix.host(ip(client)), 0);
    }

    static RuleMatch fromPrimary(int inPort, int primary, int client) {
        return new RuleMatch(inPort, Ipv4Prefix.host(ip(primary)), PRIMARY_PORT, Ipv4Prefix.host(ip(client)), 0);
    }

    static RuleActions out(int port) {
        return RuleActions.output(port);
    }

    static Mac mac(int n) {
        return Mac.parse(Topologies.mac(n));
    }

    static RuleActions tunnelTo(int middlebox, int port) {
        return out(port).withEthDst(mac(middlebox)).withDst(ip(middlebox), LISTEN_PORT);
    }

    static RuleActions asPrimary(int primary, int port) {
        return out(port).withSrc(ip(primary), PRIMARY_PORT);
    }

    static PlannedRule rule(String sw, RuleRole role, RuleMatch match, RuleActions actions) {
        return new PlannedRule(sw, role, match, actions);
    }
}
