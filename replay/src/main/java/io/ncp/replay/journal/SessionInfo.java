package io.ncp.replay.journal;

import io.ncp.replay.reassembly.Endpoint;
import io.ncp.replay.reassembly.Flow;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * What an OPEN record says about a session: its endpoints and whether it was captured mid-stream.
 * Encoding: flags u8 (bit 0 midstream), address length u8 (4 or 16), client address, client port u16,
 * server address, server port u16. An IPv6 flow may have an IPv4-mapped endpoint, which {@link java.net.InetAddress}
 * turns into IPv4: both are then stored as 16 bytes, the IPv4 one mapped again.
 */
public record SessionInfo(long sessionId, Endpoint client, Endpoint server, boolean midstream, long startNanos) {

    public static SessionInfo of(Flow flow) {
        return new SessionInfo(flow.id(), flow.client(), flow.server(), flow.midstream(), flow.startNanos());
    }

    byte[] encode() {
        byte[] c = client.address().getAddress();
        byte[] s = server.address().getAddress();
        if (c.length != s.length) { // an IPv6 flow with an IPv4-mapped peer: InetAddress made that one IPv4
            c = mapped(c);
            s = mapped(s);
        }
        ByteBuffer b = ByteBuffer.allocate(2 + 2 * (c.length + 2));
        b.put((byte) (midstream ? 1 : 0)).put((byte) c.length);
        b.put(c).putShort((short) client.port()).put(s).putShort((short) server.port());
        return b.array();
    }

    /** {@code a} as 16 bytes: an IPv4 address as IPv4-mapped IPv6 ({@code ::ffff:a.b.c.d}), read back as IPv4. */
    private static byte[] mapped(byte[] a) {
        if (a.length == 16) {
            return a;
        }
        byte[] m = new byte[16];
        m[10] = (byte) 0xFF;
        m[11] = (byte) 0xFF;
        System.arraycopy(a, 0, m, 12, 4);
        return m;
    }

    /** Decodes an OPEN record's payload; null when it is malformed. */
    static SessionInfo decode(long sessionId, long startNanos, byte[] payload) {
        if (payload.length < 2) {
            return null;
        }
        int len = payload[1] & 0xFF;
        if ((len != 4 && len != 16) || payload.length != 2 + 2 * (len + 2)) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(payload, 2, payload.length - 2);
        try {
            byte[] c = new byte[len];
            b.get(c);
            int cp = b.getShort() & 0xFFFF;
            byte[] s = new byte[len];
            b.get(s);
            int sp = b.getShort() & 0xFFFF;
            return new SessionInfo(sessionId, new Endpoint(InetAddress.getByAddress(c), cp),
                new Endpoint(InetAddress.getByAddress(s), sp), (payload[0] & 1) != 0, startNanos);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
