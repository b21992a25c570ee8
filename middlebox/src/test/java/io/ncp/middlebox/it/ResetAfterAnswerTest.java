package io.ncp.middlebox.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ncp.middlebox.config.CompareMode;
import io.ncp.middlebox.core.Middlebox;
import io.ncp.middlebox.service.ServiceRuntime;
import io.ncp.testkit.NettyLeakExtension;
import io.ncp.testkit.RedisServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A primary that answers and then resets the connection: every answer byte the middlebox received reaches the client
 * before the reset is passed on (a reset discards a socket's unsent bytes, so the middlebox waits until the client
 * has them all).
 */
@ExtendWith(NettyLeakExtension.class)
class ResetAfterAnswerTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void theAnswerIsDeliveredBeforeTheResetEvenToASlowClient() throws Exception {
        byte[] answer = new byte[1 << 20];
        new Random(11).nextBytes(answer);
        try (AnswerThenReset primary = new AnswerThenReset(answer);
             Middlebox mb = Harness.start(Harness.service("rst", primary.hostPort(), CompareMode.NONE, 1L << 20))) {
            ServiceRuntime svc = mb.service("rst");
            primary.resetWhen(() -> svc.stats().bytesOut.sum() >= answer.length);
            try (Socket s = new Socket()) {
                s.setReceiveBufferSize(4096); // most of the answer waits in the middlebox when the reset arrives
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), mb.port("rst")), 5000);
                s.setSoTimeout(30_000);
                s.getOutputStream().write("go".getBytes(StandardCharsets.US_ASCII));
                Harness.await("the primary's reset seen by the middlebox", WAIT,
                    () -> primary.resets() == 1 && svc.stats().resets.sum() == 1, () -> Harness.describe(svc));
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                String end = readUntilEnd(s.getInputStream(), got);
                assertThat(got.size()).as("answer bytes before the end (%s)", end).isEqualTo(answer.length);
                assertThat(got.toByteArray()).isEqualTo(answer);
                assertThat(end).as("the reset is passed on after the bytes").isEqualTo("reset");
            }
            Harness.awaitSettled(svc, WAIT);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"async", "lockstep"})
    void redisProtocolErrorsReachTheClientEveryTime(String mode) throws Exception {
        try (RedisServer primary = RedisServer.start(); RedisServer replica = RedisServer.start();
             Middlebox mb = Harness.start(Harness.service("redis", mode, primary.hostPort(), CompareMode.NONE,
                 64L << 20, replica.hostPort()))) {
            // an invalid bulk length: Redis answers -ERR and closes the connection with the rest unread (a reset)
            byte[] bad = ("*1\r\n$-5\r\n" + "x".repeat(20_000)).getBytes(StandardCharsets.US_ASCII);
            String expected = "-ERR Protocol error: invalid bulk length\r\n";
            for (int i = 0; i < 200; i++) {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), mb.port("redis")), 5000);
                    s.setSoTimeout(30_000);
                    s.getOutputStream().write(bad);
                    ByteArrayOutputStream got = new ByteArrayOutputStream();
                    String end = readUntilEnd(s.getInputStream(), got);
                    assertThat(got.toString(StandardCharsets.US_ASCII)).as("try %d (ended by %s)", i, end)
                        .isEqualTo(expected);
                }
            }
            Harness.awaitSettled(mb.service("redis"), WAIT);
        }
    }

    /** Reads into {@code into} until EOF ("eof") or a reset ("reset"). */
    private static String readUntilEnd(InputStream in, ByteArrayOutputStream into) throws IOException {
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = in.read(buf)) >= 0;) {
                into.write(buf, 0, n);
            }
            return "eof";
        } catch (SocketException e) {
            if (String.valueOf(e.getMessage()).contains("reset")) {
                return "reset";
            }
            throw e;
        }
    }

    /** Reads a request, writes its whole answer, then resets the connection once told to. */
    private static final class AnswerThenReset extends LoopbackServer {

        private final byte[] answer;
        private final AtomicInteger resets = new AtomicInteger();
        private volatile BooleanSupplier resetWhen = () -> true;

        AnswerThenReset(byte[] answer) {
            super("answer-then-reset", 0);
            this.answer = answer;
            start();
        }

        void resetWhen(BooleanSupplier condition) {
            this.resetWhen = condition;
        }

        @Override
        protected void onAccept(Socket s) throws IOException {
            try (s) {
                if (s.getInputStream().read(new byte[64]) <= 0) {
                    return;
                }
                s.getOutputStream().write(answer);
                s.getOutputStream().flush();
                Harness.await("the middlebox to read the whole answer", WAIT, resetWhen, () -> "");
                s.setSoLinger(true, 0);
                resets.incrementAndGet();
            }
        }

        int resets() {
            return resets.get();
        }
    }
}
