package io.ncp.middlebox.order;

import static org.assertj.core.api.Assertions.assertThat;

import io.ncp.testkit.NettyLeakExtension;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link OrderGate} and {@link OrderLane} with in-memory lanes on an embedded loop: what is written when, what
 * consumes a request, the bound, closed lanes; every buffer released (paranoid leak detection).
 */
@ExtendWith(NettyLeakExtension.class)
class OrderGateTest {

    private final EmbeddedChannel loop = new EmbeddedChannel();
    private final OrderGate.Counters counters = new OrderGate.Counters(new LongAdder(), new LongAdder(),
        new LongAdder());
    private final long[] now = {0};
    private final OrderGate gate = new OrderGate(loop.eventLoop(), counters, null, () -> now[0]);
    private final List<String> written = new ArrayList<>();

    /** A lane that records what the gate writes ("A:GET k" per request, arguments joined by blanks). */
    private final class Lane extends OrderLane {
        final String name;
        boolean timedOut;

        Lane(String name, boolean replicaSide) {
            super(OrderGateTest.this.gate, replicaSide);
            this.name = name;
        }

        @Override
        protected void write(ByteBuf bytes) {
            written.add(name + ":" + words(bytes.toString(StandardCharsets.US_ASCII)));
            bytes.release();
        }

        @Override
        protected void flush() {
        }

        @Override
        protected Channel channel() {
            return null;
        }

        @Override
        protected void timedOut(long waitedNanos) {
            timedOut = true;
        }

        Lane send(String text) {
            ByteBuf b = Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
            clientBytes(b);
            b.release();
            return this;
        }

        Lane answer(String text) {
            ByteBuf b = Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
            answer(b);
            b.release();
            return this;
        }
    }

    /** A RESP request. */
    private static String req(String... args) {
        StringBuilder sb = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            sb.append('$').append(a.length()).append("\r\n").append(a).append("\r\n");
        }
        return sb.toString();
    }

    /** The arguments of complete RESP requests joined by blanks, or the text itself when it is anything else. */
    private static String words(String resp) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < resp.length()) {
            int eol = resp.indexOf("\r\n", i);
            if (eol < 0 || resp.charAt(i) != '*' && resp.charAt(i) != '$') {
                return resp;
            }
            if (resp.charAt(i) == '$') {
                int len;
                try {
                    len = Integer.parseInt(resp.substring(i + 1, eol));
                } catch (NumberFormatException e) {
                    return resp;
                }
                if (eol + 2 + len + 2 > resp.length()) {
                    return resp;
                }
                out.add(resp.substring(eol + 2, eol + 2 + len));
                i = eol + 2 + len + 2;
            } else {
                i = eol + 2;
            }
        }
        return String.join(" ", out);
    }

    private void advance(long nanos) {
        now[0] += nanos;
        loop.advanceTimeBy(nanos, TimeUnit.NANOSECONDS);
        loop.runScheduledPendingTasks();
    }

    @AfterEach
    void close() {
        gate.close();
        loop.finishAndReleaseAll();
    }

    @Test
    void oneConnectionsRequestsGoBackToBackAnotherConnectionWaitsUntilTheyAreAnswered() {
        Lane a = new Lane("A", false);
        Lane b = new Lane("B", false);
        a.send(req("SET", "k", "1") + req("GET", "k"));
        b.send(req("GET", "k"));
        assertThat(written).containsExactly("A:SET k 1", "A:GET k");
        a.answer("+OK\r\n");
        assertThat(written).hasSize(2);
        a.answer("$1\r\n1");
        assertThat(written).as("a reply counts once complete").hasSize(2);
        a.answer("\r\n");
        assertThat(written).containsExactly("A:SET k 1", "A:GET k", "B:GET k");
        a.send(req("INCR", "n"));
        assertThat(written).as("A waits for B's GET now").hasSize(3);
        b.answer("$1\r\n1\r\n");
        assertThat(written).last().isEqualTo("A:INCR n");
        assertThat(counters.waits().sum()).isEqualTo(2);
        assertThat(counters.timeouts().sum()).isZero();
    }

    @Test
    void aRequestTakesItsTurnWhenItIsCompleteNotWhenItStarts() {
        Lane a = new Lane("A", false);
        Lane b = new Lane("B", false);
        String set = req("SET", "k", "a-long-value");
        a.send(set.substring(0, 9));
        b.send(req("DEL", "k"));
        a.send(set.substring(9));
        assertThat(written).containsExactly("B:DEL k");
        b.answer(":1\r\n");
        assertThat(written).containsExactly("B:DEL k", "A:SET k a-long-value");
    }

    @Test
    void subscribeIsConsumedByOneConfirmationPerChannelAndPushesConsumeNothingElse() {
        Lane a = new Lane("A", false);
        Lane b = new Lane("B", false);
        a.send(req("SUBSCRIBE", "x", "y"));
        b.send(req("PUBLISH", "x", "m"));
        a.answer("*3\r\n$9\r\nsubscribe\r\n$1\r\nx\r\n:1\r\n");
        assertThat(written).containsExactly("A:SUBSCRIBE x y");
        a.answer(">3\r\n$9\r\nsubscribe\r\n$1\r\ny\r\n:2\r\n"); // RESP3: the confirmation is a push
        assertThat(written).containsExactly("A:SUBSCRIBE x y", "B:PUBLISH x m");
        b.answer(":1\r\n");
        Lane c = new Lane("C", false);
        b.send(req("GET", "k"));
        c.send(req("GET", "k"));
        b.answer(">2\r\n$10\r\ninvalidate\r\n*1\r\n$1\r\nk\r\n"); // a push answers no GET
        assertThat(written).last().isEqualTo("B:GET k");
        b.answer("$-1\r\n");
        assertThat(written).last().isEqualTo("C:GET k");
    }

    @Test
    void aConnectionThatConsumesNothingWithinTheBoundIsToldAndTheWaitingRequestGoes() {
        Lane a = new Lane("A", false);
        Lane b = new Lane("B", false);
        a.send(req("BLPOP", "q", "0"));
        b.send(req("LPUSH", "q", "x"));
        advance(OrderGate.TIMEOUT_NANOS - 1);
        assertThat(written).containsExactly("A:BLPOP q 0");
        assertThat(a.timedOut).isFalse();
        advance(TimeUnit.MILLISECONDS.toNanos(1));
        assertThat(a.timedOut).isTrue();
        assertThat(written).containsExactly("A:BLPOP q 0", "B:LPUSH q x");
        assertThat(counters.timeouts().sum()).isEqualTo(1);
        a.answer("*2\r\n$1\r\nq\r\n$1\r\nx\r\n"); // the late reply pops the released request
        a.send(req("GET", "q"));
        assertThat(written).as("A waits for B's LPUSH").hasSize(2);
        b.answer(":1\r\n");
        assertThat(written).last().isEqualTo("A:GET q");
    }

    @Test
    void aClosedConnectionReleasesItsQueuedRequestsAndNoLongerHoldsTheOthers() {
        Lane a = new Lane("A", false);
        Lane b = new Lane("B", false);
        Lane c = new Lane("C", false);
        a.send(req("GET", "k"));
        b.send(req("SET", "k", "1") + req("GET", "k"));
        b.send(req("SET", "k", "2").substring(0, 5)); // an incomplete request, held by the lane
        c.send(req("GET", "k"));
        b.close();
        assertThat(gate.queued()).isEqualTo(1);
        a.close();
        assertThat(written).containsExactly("A:GET k", "C:GET k");
        assertThat(gate.queued()).isZero();
    }

    @Test
    void aStreamThatIsNotRespPassesAsItIsWithoutWaitingForAReply() {
        Lane a = new Lane("A", false);
        Lane b = new Lane("B", false);
        a.send("*1\r\n$x\r\n");
        b.send(req("PING"));
        assertThat(written).containsExactly("A:*1\r\n$x\r\n", "B:PING");
        a.send("more");
        assertThat(written).as("behind B's PING").hasSize(2);
        b.answer("+PONG\r\n");
        assertThat(written).last().isEqualTo("A:more");
    }

    @Test
    void onTheReplicaSideLeadingAuthNeedsNoReplyAndEmptyRequestsNeverDo() {
        Lane a = new Lane("A", true);
        Lane b = new Lane("B", true);
        a.send(req("AUTH", "pw") + "\r\n");
        b.send(req("GET", "k"));
        assertThat(written).containsExactly("A:AUTH pw", "A:\r\n", "B:GET k");
        a.send(req("AUTH", "pw"));
        assertThat(written).as("after the phase AUTH is an ordinary request").hasSize(3);
        b.answer("$-1\r\n");
        assertThat(written).last().isEqualTo("A:AUTH pw");
    }

    @Test
    void whenWrittenRunsOnceTheConnectionsQueuedRequestsWereWrittenAfterAnIncompleteOne() {
        Lane a = new Lane("A", false);
        Lane b = new Lane("B", false);
        a.send(req("GET", "k"));
        b.send(req("GET", "k") + "*2\r\n$3\r\nGE");
        List<String> at = new ArrayList<>();
        b.whenWritten(() -> at.add("fin after " + written.size()));
        assertThat(at).isEmpty();
        a.answer("$-1\r\n");
        assertThat(written).containsExactly("A:GET k", "B:GET k", "B:*2\r\n$3\r\nGE");
        assertThat(at).containsExactly("fin after 3");
        a.whenWritten(() -> at.add("A's fin"));
        assertThat(at).as("A's FIN waits for B's GET like a request would").hasSize(1);
        b.answer("$-1\r\n");
        assertThat(at).containsExactly("fin after 3", "A's fin");
    }
}
