package io.ncp.middlebox.proto.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.ncp.middlebox.digest.BlockDigester;
import io.ncp.middlebox.proto.Exchange;
import io.ncp.middlebox.proto.FramingAnswerFilter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HttpAnswerFilterTest {

    /** What one response stream digests to: total digested bytes and the partial CRC, and its frame ends. */
    private record Digest(long total, int crc, List<Long> frames, boolean failed) {
    }

    /** Feeds {@code text} in pieces of {@code piece} bytes; {@code head} marks request 2 as a HEAD request. */
    private static Digest digest(String text, int piece, boolean head) {
        BlockDigester d = new BlockDigester((index, crc) -> { });
        HttpAnswerFilter f = new HttpAnswerFilter(HttpNoise.DEFAULTS);
        List<Long> frames = new ArrayList<>();
        boolean[] failed = {false};
        f.listener(new FramingAnswerFilter.FrameListener() {
            @Override
            public void frame(long end, boolean skipped) {
                frames.add(end);
            }

            @Override
            public void framingFailed() {
                failed[0] = true;
            }
        });
        if (head) {
            f.expect(2, Exchange.HEAD);
        }
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        for (int pos = 0; pos < bytes.length; pos += piece) {
            ByteBuf b = Unpooled.wrappedBuffer(bytes, pos, Math.min(piece, bytes.length - pos));
            f.feed(b, d);
            b.release();
        }
        return new Digest(d.total(), d.partialCrc(), frames, failed[0]);
    }

    private static String stream(String date, String server) {
        return "HTTP/1.1 100 Continue\r\n\r\n"
            + "HTTP/1.1 200 OK\r\nServer: " + server + "\r\nDate: " + date + "\r\nContent-Length: 5\r\n\r\nhello"
            + "HTTP/1.1 200 OK\r\ndate: " + date + "\r\nContent-Length: 12345\r\n\r\n" // HEAD: no body
            + "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nAge: 3\r\n\r\n5\r\nworld\r\n0\r\n\r\n";
    }

    @Test
    void theDateAndAgeValuesAreNotComparedEverythingElseIs() {
        String a = stream("Wed, 02 Dec 2026 16:00:00 GMT", "nginx");
        String b = stream("Wed, 02 Dec 2026 16:00:01 GMT", "nginx").replace("Age: 3", "Age: 4");
        for (int piece : new int[] {1, 7, 64, 100_000}) {
            Digest da = digest(a, piece, true);
            Digest db = digest(b, piece, true);
            assertThat(db).as("pieces of %d", piece).isEqualTo(da);
            assertThat(da.frames()).hasSize(4);
            assertThat(da.failed()).isFalse();
            assertThat(da.total()).isLessThan(a.length()); // the masked values are left out
        }
        Digest other = digest(stream("Wed, 02 Dec 2026 16:00:00 GMT", "apache"), 64, true);
        assertThat(other.crc()).isNotEqualTo(digest(a, 64, true).crc());
    }

    @Test
    void withoutTheHeadBitTheHeadResponseWaitsForABodyAndFramesEndDifferently() {
        String a = stream("Wed, 02 Dec 2026 16:00:00 GMT", "nginx");
        assertThat(digest(a, 64, false).frames()).hasSize(2); // the HEAD response's "body" swallows the rest
    }
}
