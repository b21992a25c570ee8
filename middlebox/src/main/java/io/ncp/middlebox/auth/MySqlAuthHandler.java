package io.ncp.middlebox.auth;

import io.ncp.middlebox.config.ReplicaAuth;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * MySQL / MariaDB: the replica's greeting (its scramble) is read here; the client's HandshakeResponse41 (computed for
 * the primary's scramble) goes to the replica rewritten: the replica's user (when configured) and a
 * {@code mysql_native_password} response to the replica's scramble with the replica's password; capabilities,
 * character set, database and connection attributes unchanged. An AuthSwitchRequest to {@code mysql_native_password}
 * is answered; any other plugin (e.g. {@code caching_sha2_password}) fails the exchange as not supported. The
 * client's further authentication packets (sequence id not 0) are dropped; its first command (sequence id 0) starts
 * the replay. The replica's packets up to its OK are checked (an ERR fails the exchange: "authentication failed:
 * ...") and not passed on; the primary's answer filter ({@code proto.mysql.MySqlAnswerFilter}) skips the same
 * (greeting: scramble, connection id; the auth OK) in the primary's answers. Without credentials the
 * HandshakeResponse goes unchanged (empty passwords only). A replica whose greeting lacks CLIENT_DEPRECATE_EOF while
 * the client uses it fails the exchange (its result sets would carry EOF packets the primary's do not). One per
 * replica connection; its event loop only.
 */
final class MySqlAuthHandler extends AuthHandler {

    static final int CLIENT_CONNECT_WITH_DB = 0x8;
    static final int CLIENT_PROTOCOL_41 = 0x200;
    static final int CLIENT_SSL = 0x800;
    static final int CLIENT_SECURE_CONNECTION = 0x8000;
    static final int CLIENT_PLUGIN_AUTH = 0x80000;
    static final int CLIENT_CONNECT_ATTRS = 0x100000;
    static final int CLIENT_PLUGIN_AUTH_LENENC = 0x200000;
    static final int CLIENT_DEPRECATE_EOF = 0x1000000;
    private static final String NATIVE = "mysql_native_password";

    private final ReplicaAuth auth;
    private byte[] scramble;
    private int replicaCapabilities;
    private boolean responseSent;

    MySqlAuthHandler(AuthListener listener, ReplicaAuth auth) {
        super(listener);
        this.auth = auth;
    }

    @Override
    protected void step(ChannelHandlerContext ctx, ByteBuf client, ByteBuf server, boolean clientEnded) {
        if (scramble == null) {
            ByteBuf greeting = MySqlPackets.payload(server);
            if (greeting == null) {
                return;
            }
            if (greeting.getUnsignedByte(greeting.readerIndex()) == 0xff) {
                fail("authentication failed: " + MySqlPackets.errorText(greeting));
                return;
            }
            scramble = MySqlPackets.greetingScramble(greeting);
            replicaCapabilities = MySqlPackets.greetingCapabilities(greeting);
            if (scramble == null) {
                fail("not a MySQL protocol 10 greeting from the replica");
                return;
            }
            server.skipBytes(greeting.readableBytes() + 4);
        }
        if (!responseSent) {
            ByteBuf response = MySqlPackets.payload(client);
            if (response == null) {
                if (clientEnded) { // no authentication: the session ends before it began
                    client.skipBytes(client.readableBytes());
                    server.skipBytes(server.readableBytes());
                    clientDone();
                    serverDone();
                }
                return;
            }
            int seq = client.getUnsignedByte(client.readerIndex() + 3);
            int clientCapabilities = response.readableBytes() >= 4 ? response.getIntLE(response.readerIndex()) : 0;
            if ((clientCapabilities & ~replicaCapabilities & CLIENT_DEPRECATE_EOF) != 0) {
                fail("the replica's server does not offer CLIENT_DEPRECATE_EOF, which the client uses with the "
                    + "primary: its answers would be framed differently (run the primary's server version on the "
                    + "replicas)");
                return;
            }
            ByteBuf out;
            try {
                out = auth == null ? Unpooled.copiedBuffer(response) : rewrite(response);
            } catch (IllegalArgumentException e) {
                fail(e.getMessage());
                return;
            }
            client.skipBytes(response.readableBytes() + 4);
            send(ctx, MySqlPackets.packet(seq, out));
            responseSent = true;
        }
        dropClientAuthPackets(client);
        while (!failed()) {
            ByteBuf p = MySqlPackets.payload(server);
            if (p == null) {
                return;
            }
            int seq = server.getUnsignedByte(server.readerIndex() + 3);
            int kind = p.readableBytes() == 0 ? -1 : p.getUnsignedByte(p.readerIndex());
            server.skipBytes(p.readableBytes() + 4);
            if (kind == 0x00) {
                serverDone();
                return;
            }
            if (kind == 0xff) {
                fail("authentication failed: " + MySqlPackets.errorText(p));
                return;
            }
            if (kind == 0xfe) {
                authSwitch(ctx, p, seq);
            } else {
                fail("authentication failed: the replica wants more authentication data (plugin not supported: "
                    + "only mysql_native_password is)");
            }
        }
    }

    private void authSwitch(ChannelHandlerContext ctx, ByteBuf p, int seq) {
        int end = p.writerIndex();
        int z = p.indexOf(p.readerIndex() + 1, end, (byte) 0);
        String plugin = p.toString(p.readerIndex() + 1, (z < 0 ? end : z) - p.readerIndex() - 1,
            StandardCharsets.US_ASCII);
        if (!plugin.equals(NATIVE)) {
            fail("authentication failed: the replica asks for plugin '" + plugin.replaceAll("[^\\x20-\\x7e]", "?")
                + "', not supported (only " + NATIVE + ")");
            return;
        }
        if (auth == null) {
            fail("authentication failed: the replica asks for " + NATIVE + " and has no auth configured");
            return;
        }
        byte[] salt = new byte[Math.max(0, Math.min(20, end - z - 1))];
        p.getBytes(z + 1, salt);
        send(ctx, MySqlPackets.packet(seq + 1, Unpooled.wrappedBuffer(nativeResponse(salt))));
    }

    /** Drops the client's further authentication packets; a packet with sequence id 0 (a command) ends its part. */
    private void dropClientAuthPackets(ByteBuf client) {
        while (true) {
            ByteBuf p = MySqlPackets.payload(client);
            if (p == null) {
                return;
            }
            if (client.getUnsignedByte(client.readerIndex() + 3) == 0) {
                clientDone();
                return;
            }
            client.skipBytes(p.readableBytes() + 4);
            client.discardReadBytes();
        }
    }

    /**
     * The HandshakeResponse41 for the replica.
     *
     * @throws IllegalArgumentException for a response that cannot be rewritten (short, TLS, pre-4.1, malformed)
     */
    private ByteBuf rewrite(ByteBuf r) {
        int at = r.readerIndex();
        int end = r.writerIndex();
        if (r.readableBytes() < 32) {
            throw new IllegalArgumentException("not a MySQL HandshakeResponse41 from the client");
        }
        int caps = r.getIntLE(at);
        if ((caps & CLIENT_SSL) != 0 && r.readableBytes() == 32) {
            throw new IllegalArgumentException("the client negotiated TLS with the primary: not supported (no TLS "
                + "termination here)");
        }
        if ((caps & CLIENT_PROTOCOL_41) == 0) {
            throw new IllegalArgumentException("pre-4.1 MySQL handshake not supported");
        }
        int pos = at + 32;
        int z = r.indexOf(pos, end, (byte) 0);
        if (z < 0) {
            throw new IllegalArgumentException("malformed HandshakeResponse41 (user)");
        }
        String user = auth.user() != null ? auth.user() : r.toString(pos, z - pos, StandardCharsets.UTF_8);
        pos = z + 1;
        if ((caps & CLIENT_PLUGIN_AUTH_LENENC) != 0) {
            long[] len = new long[1];
            pos = MySqlPackets.lenenc(r, pos, len);
            pos += (int) len[0];
        } else if ((caps & CLIENT_SECURE_CONNECTION) != 0) {
            pos = pos < end ? pos + 1 + r.getUnsignedByte(pos) : end + 1;
        } else {
            pos = r.indexOf(pos, end, (byte) 0) + 1;
        }
        if (pos <= at || pos > end) {
            throw new IllegalArgumentException("malformed HandshakeResponse41 (auth response)");
        }
        byte[] db = null;
        if ((caps & CLIENT_CONNECT_WITH_DB) != 0 && pos < end) {
            z = r.indexOf(pos, end, (byte) 0);
            db = new byte[(z < 0 ? end : z) - pos];
            r.getBytes(pos, db);
            pos = z < 0 ? end : z + 1;
        }
        if ((caps & CLIENT_PLUGIN_AUTH) != 0 && pos < end) {
            z = r.indexOf(pos, end, (byte) 0);
            pos = z < 0 ? end : z + 1;
        }
        ByteBuf out = Unpooled.buffer();
        out.writeBytes(r, at, 32);
        out.writeBytes(user.getBytes(StandardCharsets.UTF_8)).writeByte(0);
        byte[] resp = nativeResponse(scramble);
        if ((caps & CLIENT_PLUGIN_AUTH_LENENC) != 0 || (caps & CLIENT_SECURE_CONNECTION) != 0) {
            out.writeByte(resp.length).writeBytes(resp); // lenenc of a length < 251 is one byte too
        } else {
            out.writeBytes(resp).writeByte(0);
        }
        if ((caps & CLIENT_CONNECT_WITH_DB) != 0) {
            out.writeBytes(db == null ? new byte[0] : db).writeByte(0);
        }
        if ((caps & CLIENT_PLUGIN_AUTH) != 0) {
            out.writeBytes(NATIVE.getBytes(StandardCharsets.US_ASCII)).writeByte(0);
        }
        if ((caps & CLIENT_CONNECT_ATTRS) != 0 && pos < end) {
            out.writeBytes(r, pos, end - pos);
        }
        return out;
    }

    /** {@code SHA1(pw) XOR SHA1(salt + SHA1(SHA1(pw)))}; empty for an empty password. */
    private byte[] nativeResponse(byte[] salt) {
        byte[] pw = auth.password();
        if (pw.length == 0) {
            return pw;
        }
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            byte[] stage1 = sha1.digest(pw);
            byte[] stage2 = sha1.digest(stage1);
            sha1.update(salt);
            sha1.update(stage2);
            byte[] x = sha1.digest();
            for (int i = 0; i < x.length; i++) {
                x[i] ^= stage1[i];
            }
            Arrays.fill(stage1, (byte) 0);
            return x;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 unavailable in this JDK", e);
        } finally {
            Arrays.fill(pw, (byte) 0);
        }
    }
}
