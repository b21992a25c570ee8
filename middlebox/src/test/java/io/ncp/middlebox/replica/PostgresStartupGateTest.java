package io.ncp.middlebox.replica;

import static org.assertj.core.api.Assertions.assertThat;

import io.ncp.testkit.NettyLeakExtension;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link HeldBytes} with the PostgreSQL startup gate, writing into an {@link EmbeddedChannel}. */
@ExtendWith(NettyLeakExtension.class)
class PostgresStartupGateTest {

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final HeldBytes held = new HeldBytes(new PostgresStartupGate());

    @AfterEach
    void tearDown() {
        held.releaseAll();
        channel.finishAndReleaseAll();
    }

    @Test
    void bytesQueuedBehindAnSslRequestWaitForTheReplicasAnswerEvenAfterTheClientsFin() {
        held.add(Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 8, 0x04, (byte) 0xd2, 0x16, 0x2f})); // SSLRequest
        held.add(Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 9, 0, 3, 0, 0, 0})); // a StartupMessage
        held.openUp(); // the client's FIN came while the copy was holding everything
        assertThat(held.writeTo(channel)).isFalse();
        assertThat(written()).isEqualTo(8);
        assertThat(held.writeTo(channel)).as("still waiting for the answer").isFalse();
        assertThat(written()).isZero();
        held.replicaAnswered();
        assertThat(held.writeTo(channel)).isTrue();
        assertThat(written()).isEqualTo(9);
    }

    @Test
    void aShortFirstMessageGoesOnceTheClientFinishedSending() {
        held.add(Unpooled.wrappedBuffer(new byte[] {1, 2, 3}));
        assertThat(held.writeTo(channel)).isFalse();
        assertThat(written()).isZero();
        held.openUp();
        assertThat(held.writeTo(channel)).isTrue();
        assertThat(written()).isEqualTo(3);
    }

    /** Bytes written to the channel since the last call (the buffers are released). */
    private int written() {
        channel.flush(); // HeldBytes writes without flushing
        int n = 0;
        ByteBuf b;
        while ((b = channel.readOutbound()) != null) {
            n += b.readableBytes();
            b.release();
        }
        return n;
    }
}
