package io.ncp.middlebox.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Length fields at the edges of {@code int}: an incomplete command waits for its bytes, whatever it declares. */
class RespDecoderTest {

    @Test
    void aBulkLengthNearIntMaxWaitsForItsBytesInsteadOfOverflowing() {
        EmbeddedChannel ch = new EmbeddedChannel(new RespDecoder());
        ByteBuf in = Unpooled.copiedBuffer("*1\r\n$2147483647\r\nab", StandardCharsets.US_ASCII);
        assertThat(ch.writeInbound(in)).as("nothing decoded yet").isFalse();
        assertThat(in.refCnt()).isOne(); // held by the decoder's cumulation until more bytes come
        assertThat(ch.finishAndReleaseAll()).isFalse();
        assertThat(in.refCnt()).isZero();
    }

    @Test
    void aHugeArrayCountAllocatesNothingUpFront() {
        EmbeddedChannel ch = new EmbeddedChannel(new RespDecoder());
        ByteBuf in = Unpooled.copiedBuffer("*2147483647\r\n$3\r\nGET\r\n", StandardCharsets.US_ASCII);
        assertThat(ch.writeInbound(in)).as("nothing decoded yet").isFalse();
        assertThat(ch.finishAndReleaseAll()).isFalse();
        assertThat(in.refCnt()).isZero();
    }

    @Test
    void wholeCommandsStillDecode() {
        EmbeddedChannel ch = new EmbeddedChannel(new RespDecoder());
        ch.writeInbound(Unpooled.copiedBuffer("*2\r\n$3\r\nGET\r\n$1\r\nk\r\nPING\r\n", StandardCharsets.US_ASCII));
        assertThat(ch.<List<String>>readInbound()).containsExactly("GET", "k");
        assertThat(ch.<List<String>>readInbound()).containsExactly("PING");
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }
}
