package io.ncp.onos.planner;

import java.util.List;

/**
 * Test topologies with Mininet's port numbering (TreeTopo, LinearTopo) and a k=4 fat-tree. Host hN has IP
 * 10.0.0.N and MAC 00:00:00:00:00:NN (N in hex).
 */
final class Topologies {

    private Topologies() {
    }

    static String mac(int n) {
        return String.format("00:00:00:00:00:%02x", n);
    }

    static void host(NetworkGraph.Builder b, int n, String sw, int port) {
        b.addHost("h" + n, List.of(Ipv4.parse("10.0.0." + n)), Mac.parse(mac(n)), sw, port);
    }

    /**
     * Mininet {@code TreeTopo(depth, fanout)}: switches numbered in pre-order, a switch's children on ports
     * 1..fanout, its parent on port fanout+1; hosts numbered left to right.
     */
    static NetworkGraph tree(int depth, int fanout) {
        NetworkGraph.Builder b = NetworkGraph.builder();
        int[] counters = {1, 1};
        addTree(b, depth, fanout, counters);
        return b.build();
    }

    /** Returns the node name; counters = {next switch, next host}. Links are added after the child's subtree. */
    private static String addTree(NetworkGraph.Builder b, int depth, int fanout, int[] counters) {
        String name = "s" + counters[0]++;
        b.addSwitch(name, String.format("%016x", counters[0] - 1));
        for (int i = 1; i <= fanout; i++) {
            if (depth > 1) {
                String child = addTree(b, depth - 1, fanout, counters);
                b.addLink(name, i, child, fanout + 1);
            } else {
                host(b, counters[1]++, name, i);
            }
        }
        return name;
    }

    /**
     * Mininet {@code LinearTopo(k)}: switch si has host hi on port 1, s(i-1) on port 2 and s(i+1) on port 3
     * (s1: s2 on port 2).
     */
    static NetworkGraph linear(int k) {
        NetworkGraph.Builder b = NetworkGraph.builder();
        for (int i = 1; i <= k; i++) {
            b.addSwitch("s" + i, null);
            host(b, i, "s" + i, 1);
            if (i > 1) {
                b.addLink("s" + i, 2, "s" + (i - 1), i == 2 ? 2 : 3);
            }
        }
        return b.build();
    }

    /**
     * A k=4 fat-tree. Cores c1..c4; pod p has aggregation switches ap1, ap2 and edge switches ep1, ep2. Edge ports
     * 1, 2 = hosts, 3 = ap1, 4 = ap2. Aggregation ports 1 = ep1, 2 = ep2, 3 and 4 = cores (ap1: c1, c2; ap2: c3,
     * c4). Core port p = pod p. Hosts h1..h16 in pod/edge/port order.
     */
    static NetworkGraph fatTree4() {
        NetworkGraph.Builder b = NetworkGraph.builder();
        for (int c = 1; c <= 4; c++) {
            b.addSwitch("c" + c, null);
        }
        for (int p = 1; p <= 4; p++) {
            for (int j = 1; j <= 2; j++) {
                b.addSwitch("a" + p + j, null);
                b.addSwitch("e" + p + j, null);
            }
        }
        for (int p = 1; p <= 4; p++) {
            for (int e = 1; e <= 2; e++) {
                for (int a = 1; a <= 2; a++) {
                    b.addLink("e" + p + e, 2 + a, "a" + p + a, e);
                }
                for (int i = 1; i <= 2; i++) {
                    host(b, (p - 1) * 4 + (e - 1) * 2 + i, "e" + p + e, i);
                }
            }
            for (int a = 1; a <= 2; a++) {
                for (int k = 1; k <= 2; k++) {
                    b.addLink("a" + p + a, 2 + k, "c" + ((a - 1) * 2 + k), p);
                }
            }
        }
        return b.build();
    }
}
