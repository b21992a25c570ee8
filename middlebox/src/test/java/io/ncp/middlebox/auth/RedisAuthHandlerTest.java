package io.ncp.middlebox.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.ncp.middlebox.config.ReplicaAuth;
import io.ncp.testkit.NettyLeakExtension;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The Redis handler on an EmbeddedChannel: what reaches the replica, what reaches the answer side. */
@ExtendWith(NettyLeakExtension.class)
class RedisAuthHandlerTest {

    @TempDir
    Path dir;

    private final List<String> events = new ArrayList<>();
    private final AuthListener listener = new AuthListener() {
        @Override
        public void authenticated() {
            events.add("ok");
        }

        @Override
        public void authFailed(String why) {
            events.add("failed: " + why);
        }
    };

    private ReplicaAuth auth(String user, String pw) throws Exception {
        Path f = dir.resolve("pw");
        Files.writeString(f, pw + "\n");
        return ReplicaAuth.resolve("auth", user, f.toString(), null);
    }

    static String cmd(String... args) {
        StringBuilder sb = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            sb.append('$').append(a.length()).append("\r\n").append(a).append("\r\n");
        }
        return sb.toString();
    }

    private static ByteBuf buf(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
    }

    private static String drainOutbound(EmbeddedChannel ch) {
        StringBuilder sb = new StringBuilder();
        for (Object o; (o = ch.readOutbound()) != null; ) {
            ByteBuf b = (ByteBuf) o;
            sb.append(b.toString(StandardCharsets.UTF_8));
            b.release();
        }
        return sb.toString();
    }

    private static String drainInbound(EmbeddedChannel ch) {
        StringBuilder sb = new StringBuilder();
        for (Object o; (o = ch.readInbound()) != null; ) {
            ByteBuf b = (ByteBuf) o;
            sb.append(b.toString(StandardCharsets.UTF_8));
            b.release();
        }
        return sb.toString();
    }

    @Test
    void helloWithAuthIsRewrittenAndItsReplySwallowed() throws Exception {
        EmbeddedChannel ch = new EmbeddedChannel(new RedisAuthHandler(listener, auth(null, "rpw")));
        ch.writeAndFlush(buf(cmd("HELLO", "3", "AUTH", "default", "ppw", "SETNAME", "t") + cmd("SET", "a", "1")));
        assertThat(drainOutbound(ch)).isEqualTo(cmd("HELLO", "3", "AUTH", "default", "rpw", "SETNAME", "t"));
        ch.writeInbound(buf("%2\r\n$6\r\nserver\r\n$5\r\nredis\r\n$2\r\nid\r\n:7\r\n"));
        assertThat(drainInbound(ch)).isEmpty();
        assertThat(events).containsExactly("ok");
        assertThat(drainOutbound(ch)).isEqualTo(cmd("SET", "a", "1"));
        ch.writeInbound(buf("+OK\r\n"));
        assertThat(drainInbound(ch)).isEqualTo("+OK\r\n");
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void anAuthIsAddedWhenTheClientSendsNone() throws Exception {
        EmbeddedChannel ch = new EmbeddedChannel(new RedisAuthHandler(listener, auth("app", "rpw")));
        ch.writeAndFlush(buf(cmd("GET", "k")));
        assertThat(drainOutbound(ch)).isEqualTo(cmd("AUTH", "app", "rpw"));
        ch.writeInbound(buf("+OK\r\n$-1\r\n"));
        assertThat(drainOutbound(ch)).isEqualTo(cmd("GET", "k"));
        assertThat(drainInbound(ch)).isEqualTo("$-1\r\n");
        ch.finishAndReleaseAll();
    }

    @Test
    void anErrorReplyFailsTheExchangeAndPassesNothingOn() throws Exception {
        EmbeddedChannel ch = new EmbeddedChannel(new RedisAuthHandler(listener, auth(null, "wrong")));
        ch.writeAndFlush(buf(cmd("AUTH", "ppw") + cmd("SET", "a", "1")));
        assertThat(drainOutbound(ch)).isEqualTo(cmd("AUTH", "wrong"));
        ch.writeInbound(buf("-WRONGPASS invalid username-password pair\r\n"));
        assertThat(events).containsExactly("failed: authentication failed: WRONGPASS invalid username-password pair");
        assertThat(drainInbound(ch)).isEmpty();
        assertThat(drainOutbound(ch)).isEmpty();
        ch.finishAndReleaseAll();
    }
}
