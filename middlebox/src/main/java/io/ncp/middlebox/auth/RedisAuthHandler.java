package io.ncp.middlebox.auth;

import io.ncp.middlebox.config.ReplicaAuth;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Redis: the client's leading {@code AUTH} / {@code HELLO} commands go to the replica rewritten with the replica's
 * credentials ({@code AUTH pw}, {@code AUTH user pw}, {@code HELLO v AUTH user pw [SETNAME n]}); when the client
 * sends none, an {@code AUTH} is sent before its first command. The replica's replies to these commands are checked
 * (an error reply fails the exchange: "authentication failed: ...") and never passed on; the primary's replies to the
 * client's own leading AUTH/HELLO are skipped by {@link RedisAuthSkip}, so comparison starts at the first other
 * command. Without credentials the commands go unchanged (their replies are still not compared). One per replica
 * connection; its event loop only.
 */
final class RedisAuthHandler extends AuthHandler {

    private final ReplicaAuth auth;
    /** Replies still expected to commands of the authentication phase. */
    private int expected;
    /** An authenticating command was sent (no AUTH needs to be added). */
    private boolean authSent;
    private boolean prefixDone;

    RedisAuthHandler(AuthListener listener, ReplicaAuth auth) {
        super(listener);
        this.auth = auth;
    }

    @Override
    protected void step(ChannelHandlerContext ctx, ByteBuf client, ByteBuf server, boolean clientEnded) {
        while (!prefixDone) {
            Resp.Command cmd = Resp.readCommand(client);
            if (cmd == null) {
                if (clientEnded) {
                    prefixDone = true; // only authentication commands (or nothing) before the FIN
                }
                break;
            }
            if (cmd == Resp.OTHER) {
                ensureAuthenticated(ctx);
                prefixDone = true;
                break;
            }
            client.skipBytes(cmd.length());
            List<byte[]> out = rewrite(cmd);
            if (out == null) {
                ensureAuthenticated(ctx); // a HELLO that cannot carry AUTH (no protocol version): AUTH first
                out = cmd.args();
            }
            send(ctx, Resp.command(out));
            expected++;
        }
        while (expected > 0) {
            int len = Resp.replyLength(server);
            if (len == -1) {
                return;
            }
            if (len == -2) {
                fail("authentication failed: unreadable reply to AUTH/HELLO");
                return;
            }
            if (server.getByte(server.readerIndex()) == '-') {
                fail("authentication failed: " + Resp.firstLine(server).substring(1));
                return;
            }
            server.skipBytes(len);
            expected--;
        }
        if (prefixDone) {
            clientDone();
            serverDone();
        }
    }

    /** Sends an AUTH with the replica's credentials unless an authenticating command went already. */
    private void ensureAuthenticated(ChannelHandlerContext ctx) {
        if (auth == null || authSent) {
            return;
        }
        authSent = true;
        List<byte[]> a = new ArrayList<>();
        a.add(bytes("AUTH"));
        if (auth.user() != null) {
            a.add(bytes(auth.user()));
        }
        a.add(auth.password());
        send(ctx, Resp.command(a));
        expected++;
    }

    /**
     * The command to send for {@code cmd} (an AUTH or HELLO): with the replica's credentials, or unchanged without
     * them; null for a HELLO without a protocol version while credentials are needed (sent unchanged after an AUTH).
     */
    private List<byte[]> rewrite(Resp.Command cmd) {
        if (auth == null) {
            return cmd.args();
        }
        List<byte[]> a = new ArrayList<>();
        if (cmd.name().equals("AUTH")) {
            authSent = true;
            a.add(bytes("AUTH"));
            String user = auth.user() != null ? auth.user() : cmd.args().size() >= 3 ? cmd.arg(1) : null;
            if (user != null) {
                a.add(bytes(user));
            }
            a.add(auth.password());
            return a;
        }
        if (cmd.args().size() < 2) {
            return null;
        }
        authSent = true;
        a.add(bytes("HELLO"));
        a.add(cmd.args().get(1));
        String user = auth.user();
        List<byte[]> rest = new ArrayList<>();
        for (int i = 2; i < cmd.args().size(); i++) {
            if (cmd.arg(i).equalsIgnoreCase("AUTH") && i + 2 < cmd.args().size()) {
                user = user != null ? user : cmd.arg(i + 1);
                i += 2;
            } else {
                rest.add(cmd.args().get(i));
            }
        }
        a.add(bytes("AUTH"));
        a.add(bytes(user != null ? user : "default"));
        a.add(auth.password());
        a.addAll(rest);
        return a;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
