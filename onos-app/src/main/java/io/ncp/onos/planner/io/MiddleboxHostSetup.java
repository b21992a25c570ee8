package io.ncp.onos.planner.io;

import io.ncp.onos.planner.HostPort;
import io.ncp.onos.planner.ReplicationSpec;

import java.util.Arrays;
import java.util.List;

/**
 * What the middlebox host must run once (as root) for a spec, printed by {@code ncp-plan --middlebox-setup}: nothing
 * in tunnel mode (the middlebox listens on its own address); in non-tunnel mode the TPROXY recipe that hands the
 * sessions still addressed to the primary to the middlebox's transparent listener on {@code 0.0.0.0:listenPort}
 * ({@link MiddleboxServiceJson} pushes {@code "transparent": true}). The same commands as the middlebox's own
 * {@code TproxyRecipe} (which it logs when a transparent service starts) and docs/plan-format.md. Re-running
 * replaces the nft table and the rule. Stateless.
 */
public final class MiddleboxHostSetup {

    /** The fwmark of the packets delivered locally. */
    static final String MARK = "0x4e43";
    /** The routing table with the {@code local 0.0.0.0/0} route. */
    static final int TABLE = 20035;

    private MiddleboxHostSetup() {
    }

    /** The shell lines for the middlebox host of {@code spec} (comments only in tunnel mode). */
    public static List<String> lines(ReplicationSpec spec) {
        String mb = spec.middlebox().host().toString();
        if (spec.tunnel()) {
            return List.of("# middlebox host " + mb + " (spec " + spec.name() + ", tunnel mode): nothing to set up; "
                    + "the middlebox listens on " + mb + ":" + spec.middlebox().listenPort());
        }
        HostPort primary = spec.selector().primary();
        String table = "ncp_" + spec.name().replaceAll("[^A-Za-z0-9_]", "_");
        return Arrays.asList(
                "# middlebox host " + mb + " (spec " + spec.name() + ", non-tunnel): TPROXY hands the sessions "
                        + "addressed to " + primary + " to the transparent listener on port "
                        + spec.middlebox().listenPort(),
                "nft -f - <<'NFT'",
                "table ip " + table,
                "delete table ip " + table,
                "table ip " + table + " {",
                "    chain prerouting {",
                "        type filter hook prerouting priority mangle; policy accept;",
                "        meta l4proto tcp socket transparent 1 meta mark set " + MARK + " accept",
                "        ip daddr " + primary.ip() + " tcp dport " + primary.port() + " tproxy to :"
                        + spec.middlebox().listenPort() + " meta mark set " + MARK + " accept",
                "    }",
                "}",
                "NFT",
                "ip rule del fwmark " + MARK + " lookup " + TABLE + " 2>/dev/null || true",
                "ip rule add fwmark " + MARK + " lookup " + TABLE,
                "ip route replace local 0.0.0.0/0 dev lo table " + TABLE);
    }
}
