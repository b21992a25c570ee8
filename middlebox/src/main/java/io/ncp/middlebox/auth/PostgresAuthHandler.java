package io.ncp.middlebox.auth;

import io.ncp.middlebox.config.ReplicaAuth;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * PostgreSQL: the client's StartupMessage goes to the replica (its {@code user} replaced by the replica's, when
 * configured); the replica's AuthenticationCleartextPassword, AuthenticationMD5Password and AuthenticationSASL
 * (SCRAM-SHA-256, {@link ScramSha256}) are answered here with the replica's password; the client's own
 * PasswordMessage / SASL messages (type {@code p}) are dropped; an SSLRequest / GSSENCRequest is dropped (the
 * replica connection stays plaintext). The replica's answers up to and including its first ReadyForQuery are checked
 * (an ErrorResponse fails the exchange: "authentication failed: ...") and not passed on; {@link PostgresAuthSkip}
 * skips the same in the primary's answers. A session continued over a new connection after a resync's snapshot point
 * ({@link AuthFilters#continuedHandler}) sends its StartupMessage only: the login ends with the replica's answers;
 * then the session's SETs, if any, are sent as simple Queries and their answers swallowed up to the last one's
 * ReadyForQuery (an ErrorResponse or an unexpected answer fails the copy: {@link AuthListener#setupFailed}).
 * One per replica connection; its event loop only.
 */
final class PostgresAuthHandler extends AuthHandler {

    private static final int SSL_REQUEST = 80877103;
    private static final int GSSENC_REQUEST = 80877104;
    private static final int CANCEL_REQUEST = 80877102;
    private static final int PROTOCOL_3 = 196608;
    private static final int MAX_MESSAGE = 1 << 20;

    private final ReplicaAuth auth;
    private boolean startupSent;
    /** The user name the replica authenticates (the startup message's, after rewriting). */
    private String user = "";
    private ScramSha256 scram;
    private final boolean continued;
    /** A continued session's SETs (simple Query messages) to send once logged in; null: none or sent. */
    private byte[] sets;
    /** ReadyForQuery answers to the SETs still to come. */
    private int setsLeft;

    PostgresAuthHandler(AuthListener listener, ReplicaAuth auth) {
        super(listener);
        this.auth = auth;
        this.continued = false;
    }

    /**
     * A session continued over a new connection: the client bytes are its StartupMessage, then the requests it sends
     * after a resync's snapshot point (the client authenticated long ago; none of its authentication messages follow).
     *
     * @param sets the session's SETs to replay once logged in (simple Query messages, not modified; null or empty:
     *             none)
     */
    PostgresAuthHandler(AuthListener listener, ReplicaAuth auth, byte[] sets) {
        super(listener);
        this.auth = auth;
        this.continued = true;
        this.sets = sets == null || sets.length == 0 ? null : sets;
    }

    @Override
    protected void step(ChannelHandlerContext ctx, ByteBuf client, ByteBuf server, boolean clientEnded) {
        if (!startupSent && !startup(ctx, client, server, clientEnded)) {
            return;
        }
        dropClientPasswords(client);
        while (!failed() && server.readableBytes() >= 5) {
            int len = server.getInt(server.readerIndex() + 1);
            if (len < 4 || len > MAX_MESSAGE) {
                fail("authentication failed: malformed server message");
                return;
            }
            if (server.readableBytes() < len + 1) {
                return;
            }
            byte type = server.getByte(server.readerIndex());
            ByteBuf body = server.slice(server.readerIndex() + 5, len - 4);
            if (setsLeft > 0) {
                server.skipBytes(len + 1);
                if (!setAnswer(type, body)) {
                    return;
                }
                continue;
            }
            if (type == 'E') {
                fail("authentication failed: " + errorText(body));
                return;
            }
            if (type == 'R') {
                authRequest(ctx, body);
            }
            server.skipBytes(len + 1);
            if (type == 'Z' && sets != null) {
                sendSets(ctx);
            } else if (type == 'Z') {
                serverDone();
                return;
            }
        }
    }

    /** Logged in: sends the session's SETs at once (the replica answers them in order). */
    private void sendSets(ChannelHandlerContext ctx) {
        ByteBuf out = Unpooled.wrappedBuffer(sets);
        int pos = 0;
        while (pos + 5 <= sets.length) {
            setsLeft++;
            pos += 1 + out.getInt(pos + 1);
        }
        sets = null;
        send(ctx, out);
    }

    /**
     * One answer to a replayed SET (consumed): false once the exchange is over (the last ReadyForQuery: done; an
     * ErrorResponse or an unexpected message: failed).
     */
    private boolean setAnswer(byte type, ByteBuf body) {
        switch (type) {
            case 'C', 'N', 'S' -> {
                return true; // CommandComplete, a notice, a ParameterStatus (SET application_name reports one)
            }
            case 'E' -> failSetup("replaying the continued session's SET failed: " + errorText(body));
            case 'Z' -> {
                if (--setsLeft == 0) {
                    serverDone();
                }
            }
            default -> failSetup("replaying the continued session's SET failed: unexpected answer type "
                + (char) type);
        }
        return setsLeft > 0 && !failed();
    }

    /** Handles the client's first message; true once the StartupMessage went to the replica. */
    private boolean startup(ChannelHandlerContext ctx, ByteBuf client, ByteBuf server, boolean clientEnded) {
        while (client.readableBytes() >= 8) {
            int len = client.getInt(client.readerIndex());
            int code = client.getInt(client.readerIndex() + 4);
            if (client.getByte(client.readerIndex()) == 0x16) {
                fail("the client negotiated TLS with the primary: not supported (no TLS termination here)");
                return false;
            }
            if (len == 8 && (code == SSL_REQUEST || code == GSSENC_REQUEST)) {
                client.skipBytes(8); // answered by the primary; the replica connection stays plaintext
                continue;
            }
            if (code == CANCEL_REQUEST) { // a cancel connection: the primary's key means nothing to the replica
                clientDone();
                serverDone();
                startupSent = true;
                return false;
            }
            if (code != PROTOCOL_3 || len < 9 || len > MAX_MESSAGE) {
                fail("not a PostgreSQL 3.0 StartupMessage (code " + code + ")");
                return false;
            }
            if (client.readableBytes() < len) {
                return false;
            }
            ByteBuf msg = client.readSlice(len);
            send(ctx, rewriteStartup(msg));
            startupSent = true;
            if (continued) {
                clientDone(); // what follows are requests, whenever they come: the replica's answers end the login
            }
            return true;
        }
        if (clientEnded) { // nothing to authenticate: the session ends before it began
            clientDone();
            server.skipBytes(server.readableBytes());
            serverDone();
        }
        return false;
    }

    /** The StartupMessage with the replica's user (when configured); records the user name. */
    private ByteBuf rewriteStartup(ByteBuf msg) {
        List<String> params = new ArrayList<>();
        int pos = msg.readerIndex() + 8;
        int end = msg.writerIndex();
        while (pos < end && msg.getByte(pos) != 0) {
            int z = msg.indexOf(pos, end, (byte) 0);
            if (z < 0) {
                break;
            }
            params.add(msg.toString(pos, z - pos, StandardCharsets.UTF_8));
            pos = z + 1;
        }
        for (int i = 0; i + 1 < params.size(); i += 2) {
            if (params.get(i).equals("user")) {
                if (auth != null && auth.user() != null) {
                    params.set(i + 1, auth.user());
                }
                user = params.get(i + 1);
            }
        }
        ByteBuf out = Unpooled.buffer();
        out.writeInt(0).writeInt(PROTOCOL_3);
        for (String p : params) {
            out.writeBytes(p.getBytes(StandardCharsets.UTF_8)).writeByte(0);
        }
        out.writeByte(0);
        out.setInt(0, out.readableBytes());
        return out;
    }

    /** Drops the client's leading PasswordMessage / SASL messages; the first other message ends the client's part. */
    private void dropClientPasswords(ByteBuf client) {
        while (client.readableBytes() >= 5) {
            if (client.getByte(client.readerIndex()) != 'p') {
                clientDone();
                return;
            }
            int len = client.getInt(client.readerIndex() + 1);
            if (len < 4) { // a message length counts itself: a smaller one would never advance (seen: -1)
                fail("authentication failed: malformed client password message (length " + len + ")");
                return;
            }
            if (client.readableBytes() < len + 1L) {
                return;
            }
            client.skipBytes(len + 1);
            client.discardReadBytes();
        }
    }

    private void authRequest(ChannelHandlerContext ctx, ByteBuf body) {
        int code = body.readableBytes() >= 4 ? body.getInt(body.readerIndex()) : -1;
        switch (code) {
            case 0 -> { } // AuthenticationOk: ParameterStatus, BackendKeyData, ReadyForQuery follow
            case 3 -> password(ctx, needAuth() ? auth.password() : null);
            case 5 -> {
                if (body.readableBytes() < 8) {
                    fail("authentication failed: malformed AuthenticationMD5Password");
                } else {
                    md5(ctx, body.slice(body.readerIndex() + 4, 4));
                }
            }
            case 10 -> saslStart(ctx, body);
            case 11 -> saslContinue(ctx, body);
            case 12 -> saslFinal(body);
            default -> fail("authentication method " + code + " requested by the replica is not supported");
        }
    }

    private boolean needAuth() {
        if (auth == null) {
            fail("authentication failed: the replica asks for a password and has no auth configured");
            return false;
        }
        return true;
    }

    private void password(ChannelHandlerContext ctx, byte[] pw) {
        if (pw == null) {
            return;
        }
        ByteBuf out = Unpooled.buffer().writeByte('p').writeInt(4 + pw.length + 1).writeBytes(pw).writeByte(0);
        Arrays.fill(pw, (byte) 0);
        send(ctx, out);
    }

    private void md5(ChannelHandlerContext ctx, ByteBuf salt) {
        if (!needAuth()) {
            return;
        }
        try {
            MessageDigest md = MessageDigest.getInstance("MD5");
            byte[] pw = auth.password();
            md.update(pw);
            md.update(user.getBytes(StandardCharsets.UTF_8));
            Arrays.fill(pw, (byte) 0);
            String inner = HexFormat.of().formatHex(md.digest());
            md.update(inner.getBytes(StandardCharsets.US_ASCII));
            byte[] s = new byte[4];
            salt.getBytes(salt.readerIndex(), s);
            md.update(s);
            password(ctx, ("md5" + HexFormat.of().formatHex(md.digest())).getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            fail("MD5 unavailable in this JDK");
        }
    }

    private void saslStart(ChannelHandlerContext ctx, ByteBuf body) {
        String mechanisms = body.toString(body.readerIndex() + 4, body.readableBytes() - 4, StandardCharsets.UTF_8);
        if (!Arrays.asList(mechanisms.split("\0")).contains("SCRAM-SHA-256")) {
            fail("authentication failed: the replica offers no SCRAM-SHA-256 (" + mechanisms.replace('\0', ' ').trim()
                + ")");
            return;
        }
        if (!needAuth()) {
            return;
        }
        scram = new ScramSha256();
        byte[] mech = "SCRAM-SHA-256".getBytes(StandardCharsets.US_ASCII);
        byte[] first = scram.clientFirst().getBytes(StandardCharsets.UTF_8);
        send(ctx, Unpooled.buffer().writeByte('p').writeInt(4 + mech.length + 1 + 4 + first.length).writeBytes(mech)
            .writeByte(0).writeInt(first.length).writeBytes(first));
    }

    private void saslContinue(ChannelHandlerContext ctx, ByteBuf body) {
        if (scram == null) {
            fail("authentication failed: SASL continue without a SASL start");
            return;
        }
        String serverFirst = body.toString(body.readerIndex() + 4, body.readableBytes() - 4, StandardCharsets.UTF_8);
        char[] pw = auth.passwordChars();
        try {
            byte[] last = scram.clientFinal(serverFirst, pw).getBytes(StandardCharsets.UTF_8);
            send(ctx, Unpooled.buffer().writeByte('p').writeInt(4 + last.length).writeBytes(last));
        } catch (IllegalArgumentException e) {
            fail("authentication failed: " + e.getMessage());
        } finally {
            Arrays.fill(pw, '\0');
        }
    }

    private void saslFinal(ByteBuf body) {
        String serverFinal = body.toString(body.readerIndex() + 4, body.readableBytes() - 4, StandardCharsets.UTF_8);
        if (scram == null || !scram.serverFinalValid(serverFinal)) {
            fail("authentication failed: the replica's SCRAM server signature does not match");
        }
    }

    /** The message ('M') and code ('C') fields of an ErrorResponse body. */
    private static String errorText(ByteBuf body) {
        String message = "";
        String code = "";
        int pos = body.readerIndex();
        int end = body.writerIndex();
        while (pos < end && body.getByte(pos) != 0) {
            byte field = body.getByte(pos);
            int z = body.indexOf(pos + 1, end, (byte) 0);
            if (z < 0) {
                break;
            }
            String value = body.toString(pos + 1, z - pos - 1, StandardCharsets.UTF_8);
            if (field == 'M') {
                message = value;
            } else if (field == 'C') {
                code = value;
            }
            pos = z + 1;
        }
        return (message + (code.isEmpty() ? "" : " (SQLSTATE " + code + ")")).replaceAll("[^\\x20-\\x7e]", "?");
    }
}
