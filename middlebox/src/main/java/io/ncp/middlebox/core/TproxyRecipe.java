package io.ncp.middlebox.core;

import io.ncp.middlebox.config.HostPort;
import java.net.InetSocketAddress;

/**
 * The host commands (nftables + policy routing, run once as root on the middlebox host) that deliver a transparent
 * service's sessions to its listener; the same recipe as {@code ncp plan --middlebox-setup} and
 * docs/plan-format.md. Stateless.
 *
 * <ul>
 *   <li>an nft table {@code ncp_<service>} whose prerouting chain (mangle priority) TPROXYs TCP packets addressed to
 *       the primary to the listener's port and marks them {@link #MARK}, and marks the packets of every established
 *       transparent socket (the accepted sessions; with {@code spoofClient} also the primary's answers to the
 *       client's address);</li>
 *   <li>{@code ip rule fwmark MARK lookup TABLE} and {@code local 0.0.0.0/0 dev lo} in that table: marked packets
 *       are delivered locally although the host does not own their destination.</li>
 * </ul>
 * Re-running replaces the table and the rule (idempotent). Undo: {@code nft delete table ip ncp_<service>;
 * ip rule del fwmark 0x4e43 lookup 20035; ip route flush table 20035}.
 */
public final class TproxyRecipe {

    /** The fwmark of the packets to deliver locally. */
    public static final String MARK = "0x4e43";
    /** The routing table holding the {@code local 0.0.0.0/0} route (0x4e43). */
    public static final int TABLE = 20035;

    private TproxyRecipe() {
    }

    /** The nft table name for a service (characters nft does not take in a bare name become {@code _}). */
    public static String table(String service) {
        return "ncp_" + service.replaceAll("[^A-Za-z0-9_]", "_");
    }

    /**
     * The commands, one shell script: sessions to {@code primary} go to the listener bound at {@code listen} (a
     * wildcard address TPROXYs to the port alone, i.e. to the listener on the receiving interface's address or the
     * wildcard).
     */
    public static String commands(String service, HostPort primary, InetSocketAddress listen) {
        String to = (listen.getAddress() == null || listen.getAddress().isAnyLocalAddress() ? ""
            : listen.getAddress().getHostAddress()) + ":" + listen.getPort();
        String t = table(service);
        return String.join("\n",
            "nft -f - <<'NFT'",
            "table ip " + t,
            "delete table ip " + t,
            "table ip " + t + " {",
            "    chain prerouting {",
            "        type filter hook prerouting priority mangle; policy accept;",
            "        meta l4proto tcp socket transparent 1 meta mark set " + MARK + " accept",
            "        ip daddr " + primary.host() + " tcp dport " + primary.port() + " tproxy to " + to
                + " meta mark set " + MARK + " accept",
            "    }",
            "}",
            "NFT",
            "ip rule del fwmark " + MARK + " lookup " + TABLE + " 2>/dev/null || true",
            "ip rule add fwmark " + MARK + " lookup " + TABLE,
            "ip route replace local 0.0.0.0/0 dev lo table " + TABLE);
    }
}
