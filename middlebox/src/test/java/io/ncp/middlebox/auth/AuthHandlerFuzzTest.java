package io.ncp.middlebox.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.ncp.middlebox.config.Protocol;
import io.ncp.middlebox.config.ReplicaAuth;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzz target for the replica authentication handlers ({@link RedisAuthHandler}, {@link PostgresAuthHandler},
 * {@link MySqlAuthHandler}), which parse a client's first bytes and a replica server's authentication answers
 * (docs/fuzzing.md). The input picks the protocol, whether the replica has credentials, and interleaves client writes
 * and server reads of fuzzed bytes, sometimes ending with the client's FIN marker (a write with a real promise).
 *
 * <p>Oracle: no exception escapes the pipeline (a bad exchange is {@link AuthListener#authFailed} with a one-line
 * reason, never the password); the listener hears at most one outcome; nothing is passed on before the handler
 * passes through; every buffer is released (the channel ends with nothing left unreleased).
 */
class AuthHandlerFuzzTest {

    private static final String SECRET = "fuzz-secret";
    private static final ReplicaAuth AUTH;

    static {
        try {
            Path f = Files.createTempFile("ncp-fuzz-auth", ".pw");
            Files.writeString(f, SECRET);
            f.toFile().deleteOnExit();
            AUTH = ReplicaAuth.resolve("auth", "u", f.toString(), null);
        } catch (java.io.IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @FuzzTest(maxDuration = "8s")
    void exchange(FuzzedDataProvider data) {
        Protocol protocol = Protocol.values()[data.consumeInt(1, 3)];
        List<String> outcomes = new ArrayList<>();
        AuthListener listener = new AuthListener() {
            @Override
            public void authenticated() {
                outcomes.add("ok");
            }

            @Override
            public void authFailed(String why) {
                assertThat(why).doesNotContain(SECRET).doesNotContain("\n");
                outcomes.add("failed");
            }
        };
        ChannelHandler h = AuthFilters.handler(protocol, data.consumeBoolean() ? AUTH : null, listener);
        EmbeddedChannel ch = new EmbeddedChannel(h);
        int steps = data.consumeInt(0, 12);
        for (int i = 0; i < steps && ch.isOpen(); i++) {
            int kind = data.consumeInt(0, 3);
            byte[] bytes = data.consumeBytes(data.consumeInt(0, 96));
            if (kind == 0) {
                ch.writeOneInbound(Unpooled.wrappedBuffer(bytes));
            } else if (kind == 3) {
                ch.writeOneOutbound(Unpooled.EMPTY_BUFFER, ch.newPromise()); // the client's FIN marker
            } else {
                ch.writeOneOutbound(Unpooled.wrappedBuffer(bytes), ch.voidPromise());
            }
            ch.flushOutbound();
            if (!outcomes.contains("ok")) {
                assertThat((Object) ch.readInbound()).as("nothing passed on before authentication").isNull();
            }
            releaseAll(ch);
        }
        assertThat(outcomes.size()).as("outcomes " + outcomes).isLessThanOrEqualTo(1);
        ch.finishAndReleaseAll();
    }

    private static void releaseAll(EmbeddedChannel ch) {
        for (Object o; (o = ch.readOutbound()) != null; ) {
            ((ByteBuf) o).release();
        }
        for (Object o; (o = ch.readInbound()) != null; ) {
            ((ByteBuf) o).release();
        }
    }
}
