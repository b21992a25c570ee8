package io.ncp.onos.planner;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ValueTypesTest {

    @Test
    void ipv4AndPrefixes() {
        assertThat(Ipv4.parse("10.0.0.255").toString()).isEqualTo("10.0.0.255");
        assertThat(Ipv4Prefix.parse("10.0.0.0/24").contains(Ipv4.parse("10.0.0.7"))).isTrue();
        assertThat(Ipv4Prefix.parse("10.0.0.0/24").contains(Ipv4.parse("10.0.1.7"))).isFalse();
        assertThat(Ipv4Prefix.parse("0.0.0.0/0").contains(Ipv4.parse("192.168.1.1"))).isTrue();
        assertThat(Ipv4Prefix.parse("10.0.0.1").toString()).isEqualTo("10.0.0.1/32");
        assertThatThrownBy(() -> Ipv4.parse("10.0.0")).hasMessage("not an IPv4 address: '10.0.0'");
        assertThatThrownBy(() -> Ipv4.parse("10.0.0.256")).hasMessageContaining("not an IPv4 address");
        assertThatThrownBy(() -> Ipv4Prefix.parse("10.0.0.1/24")).hasMessageContaining("did you mean 10.0.0.0/24");
        assertThatThrownBy(() -> Ipv4Prefix.parse("10.0.0.0/33")).hasMessageContaining("bad prefix length");
    }

    @Test
    void hostPortAndMac() {
        assertThat(HostPort.parse("10.0.0.2:6379").port()).isEqualTo(6379);
        assertThatThrownBy(() -> HostPort.parse("10.0.0.2")).hasMessageContaining("a.b.c.d:port");
        assertThatThrownBy(() -> HostPort.parse("10.0.0.2:0")).hasMessageContaining("1..65535");
        assertThat(Mac.parse("AA-bb-CC-dd-EE-ff").toString()).isEqualTo("aa:bb:cc:dd:ee:ff");
        assertThatThrownBy(() -> Mac.parse("aa:bb")).hasMessageContaining("not a MAC");
    }

    @Test
    void specChecksNameFields() {
        FlowSelector sel = new FlowSelector(Ipv4Prefix.parse("10.0.0.1"), 0, Ipv4.parse("10.0.0.2"), 6379);
        MiddleboxTarget mb = new MiddleboxTarget(Ipv4.parse("10.0.0.3"), 7000, null, "async", null);
        List<ReplicaTarget> replicas = List.of(new ReplicaTarget(HostPort.parse("10.0.0.4:6379"), null));

        assertThat(new ReplicationSpec("redis", sel, mb, replicas, true).replicas()).hasSize(1);
        assertThatThrownBy(() -> new ReplicationSpec("Redis!", sel, mb, replicas, true))
                .isInstanceOf(SpecException.class).hasMessageStartingWith("name: ");
        assertThatThrownBy(() -> new ReplicationSpec("redis", sel, mb, List.of(), true))
                .hasMessage("replicas: at least one replica is needed");
        assertThatThrownBy(() -> new ReplicationSpec("redis", sel, mb,
                List.of(new ReplicaTarget(HostPort.parse("10.0.0.2:6380"), null)), true))
                .isInstanceOf(SpecException.class)
                .hasMessageStartingWith("replicas[0].address: R4: replica 10.0.0.2:6380 shares the primary's host");
        assertThatThrownBy(() -> new ReplicationSpec("redis", sel, mb, replicas, false))
                .hasMessageStartingWith("middlebox.listenPort: without tunnel mode");
        assertThatThrownBy(() -> new ReplicationSpec("redis", sel,
                new MiddleboxTarget(Ipv4.parse("10.0.0.2"), 7000, null, "async", null), replicas, true))
                .hasMessageStartingWith("middlebox.host: is the primary");
        assertThatThrownBy(() -> new FlowSelector(Ipv4Prefix.parse("10.0.0.1"), 0, Ipv4.parse("10.0.0.2"), 0))
                .hasMessage("selector.dstPort: must be 1..65535, got 0");
        assertThatThrownBy(() -> new MiddleboxTarget(Ipv4.parse("10.0.0.3"), 7000, null, "sync", null))
                .hasMessage("middlebox.mode: must be async or lockstep, got 'sync'");
    }

    @Test
    void selectorsOverlapWhenTheyCanSelectTheSameSession() {
        FlowSelector one = new FlowSelector(Ipv4Prefix.parse("10.0.0.1"), 0, Ipv4.parse("10.0.0.2"), 6379);
        FlowSelector subnet = new FlowSelector(Ipv4Prefix.parse("10.0.0.0/24"), 0, Ipv4.parse("10.0.0.2"), 6379);
        FlowSelector other = new FlowSelector(Ipv4Prefix.parse("10.0.1.0/24"), 0, Ipv4.parse("10.0.0.2"), 6379);
        FlowSelector port = new FlowSelector(Ipv4Prefix.parse("10.0.0.1"), 0, Ipv4.parse("10.0.0.2"), 6380);
        FlowSelector p1 = new FlowSelector(Ipv4Prefix.parse("10.0.0.1"), 1000, Ipv4.parse("10.0.0.2"), 6379);
        FlowSelector p2 = new FlowSelector(Ipv4Prefix.parse("10.0.0.1"), 2000, Ipv4.parse("10.0.0.2"), 6379);

        assertThat(one.overlaps(subnet)).isTrue();
        assertThat(subnet.overlaps(one)).isTrue();
        assertThat(subnet.overlaps(other)).isFalse();
        assertThat(one.overlaps(port)).isFalse();
        assertThat(p1.overlaps(one)).isTrue();
        assertThat(p1.overlaps(p2)).isFalse();
    }

    @Test
    void graphRejectsInconsistencies() {
        assertThatThrownBy(() -> NetworkGraph.builder().addSwitch("s1", null).addSwitch("s1", null))
                .hasMessage("duplicate switch 's1'");
        assertThatThrownBy(() -> NetworkGraph.builder().addSwitch("s1", null).addLink("s1", 1, "s9", 1))
                .hasMessage("link destination: unknown switch 's9'");
        NetworkGraph.Builder b = NetworkGraph.builder().addSwitch("s1", null).addSwitch("s2", null)
                .addLink("s1", 1, "s2", 1);
        assertThatThrownBy(() -> Topologies.host(b, 1, "s1", 1))
                .hasMessage("port s1:1 used twice: link to s2:1 and host h1");
        Topologies.host(b, 1, "s1", 2);
        assertThatThrownBy(() -> b.addHost("x", List.of(Ipv4.parse("10.0.0.1")), Mac.parse(Topologies.mac(9)),
                "s2", 2)).hasMessage("IP 10.0.0.1 of host x already belongs to host h1");
    }
}
