package io.ncp.middlebox.proto.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class HttpFramerTest {

    /** What a framer reported: "end@offset status name" per message, "opaque@offset why" once. */
    private static class Record implements HttpFramer.Listener {
        final List<String> events = new ArrayList<>();

        @Override
        public void messageEnd(long end, int status, String name) {
            events.add("end@" + end + " " + status + (name == null ? "" : " " + name));
        }

        @Override
        public void opaque(long offset, String why) {
            events.add("opaque " + why);
        }
    }

    /**
     * Feeds {@code text} whole, then cut in two at every position, then byte by byte, and checks the framer reports
     * the same each time; returns what it reported.
     */
    private static List<String> frame(String text, Function<HttpFramer.Listener, HttpFramer> make) {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        List<String> whole = run(make, bytes, bytes.length);
        for (int cut = 1; cut < bytes.length; cut++) {
            assertThat(run(make, bytes, cut)).as("cut at %d", cut).isEqualTo(whole);
        }
        assertThat(run(make, bytes, 1)).as("byte by byte").isEqualTo(whole);
        return whole;
    }

    /** Feeds {@code bytes} as a first piece of {@code first} bytes, then pieces of the same size. */
    private static List<String> run(Function<HttpFramer.Listener, HttpFramer> make, byte[] bytes, int first) {
        Record r = new Record();
        HttpFramer f = make.apply(r);
        int pos = 0;
        int size = first;
        while (pos < bytes.length) {
            int n = Math.min(size, bytes.length - pos);
            ByteBuf b = Unpooled.wrappedBuffer(bytes, pos, n);
            int reader = b.readerIndex();
            f.feed(b);
            assertThat(b.readerIndex()).isEqualTo(reader);
            b.release();
            pos += n;
            size = first == bytes.length ? bytes.length : first == 1 ? 1 : bytes.length;
        }
        return r.events;
    }

    /** A response framer whose requests had {@code methods}, in order. */
    private static Function<HttpFramer.Listener, HttpFramer> responses(String... methods) {
        return l -> HttpFramer.responses(l, n -> n <= methods.length ? methods[(int) n - 1] : null);
    }

    @Test
    void pipelinedRequestsWithAndWithoutBodies() {
        String get = "GET /index.html HTTP/1.1\r\nHost: a\r\n\r\n";
        String post = "POST /form HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello";
        String chunked = "PUT /up HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
            + "5;ext=1\r\nhello\r\nA\r\n0123456789\r\n0\r\nX-Trailer: t\r\n\r\n";
        String lf = "DELETE /x HTTP/1.0\nHost: a\n\n";
        List<String> got = frame(get + post + chunked + lf, HttpFramer::requests);
        int a = get.length();
        int b = a + post.length();
        int c = b + chunked.length();
        int d = c + lf.length();
        assertThat(got).containsExactly("end@" + a + " 0 GET /index.html", "end@" + b + " 0 POST /form",
            "end@" + c + " 0 PUT /up", "end@" + d + " 0 DELETE /x");
    }

    @Test
    void responsesFollowTheirRequestsMethods() {
        String ok = "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc";
        String head = "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"; // HEAD: the length of the GET's body
        String cont = "HTTP/1.1 100 Continue\r\n\r\n";
        String chunked = "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n";
        String none = "HTTP/1.1 204 No Content\r\n\r\n";
        String notModified = "HTTP/1.1 304 Not Modified\r\nContent-Length: 99\r\n\r\n";
        List<String> got = frame(ok + head + cont + chunked + none + notModified,
            responses("GET", "HEAD", "POST", "DELETE", "GET"));
        int a = ok.length();
        int b = a + head.length();
        int c = b + cont.length();
        int d = c + chunked.length();
        int e = d + none.length();
        int f = e + notModified.length();
        assertThat(got).containsExactly("end@" + a + " 200", "end@" + b + " 200", "end@" + c + " 100",
            "end@" + d + " 201", "end@" + e + " 204", "end@" + f + " 304");
    }

    @Test
    void theStreamStopsBeingFramedWhereMessagesNoLongerDelimitIt() {
        String upgrade = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n";
        assertThat(frame(upgrade + "\u0081\u0005hello", responses("GET")))
            .containsExactly("end@" + upgrade.length() + " 101", "opaque 101 Switching Protocols");
        String tunnel = "HTTP/1.1 200 Connection established\r\n\r\n";
        assertThat(frame(tunnel + "\u0016\u0003\u0001", responses("CONNECT")))
            .containsExactly("end@" + tunnel.length() + " 200", "opaque CONNECT tunnel");
        assertThat(frame("HTTP/1.0 200 OK\r\nServer: x\r\n\r\nuntil the close", responses("GET")))
            .containsExactly("opaque response body delimited by the connection's close");
    }

    @Test
    void headAndContentCallbacksGiveBackEveryByteOfEveryMessageInOrder() {
        String text = "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc"
            + "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;x=y\r\nwxyz\r\n0\r\nT: 1\r\n\r\n"
            + "HTTP/1.1 204 No Content\r\nDate: Wed, 02 Dec 2026 16:00:00 GMT\r\n\r\n";
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        for (int cut = 1; cut <= bytes.length; cut++) {
            java.io.ByteArrayOutputStream seen = new java.io.ByteArrayOutputStream();
            List<Integer> endsAt = new ArrayList<>();
            HttpFramer f = HttpFramer.responses(new Record() {
                @Override
                public void head(byte[] head, int len, int status) {
                    seen.write(head, 0, len);
                }

                @Override
                public void content(ByteBuf buf, int from, int len) {
                    byte[] b = new byte[len];
                    buf.getBytes(from, b);
                    seen.writeBytes(b);
                }

                @Override
                public void messageEnd(long end, int status, String name) {
                    assertThat(seen.size()).as("every byte told before the end").isEqualTo((int) end);
                    endsAt.add((int) end);
                }
            }, n -> "GET");
            for (int pos = 0; pos < bytes.length; pos += cut) {
                ByteBuf b = Unpooled.wrappedBuffer(bytes, pos, Math.min(cut, bytes.length - pos));
                f.feed(b);
                b.release();
            }
            assertThat(seen.toString(StandardCharsets.ISO_8859_1)).as("pieces of %d bytes", cut).isEqualTo(text);
            assertThat(endsAt).hasSize(3);
        }
    }

    @Test
    void malformedInputIsAFramingErrorNeverAnException() {
        assertThat(frame("HELLO\r\n\r\n", HttpFramer::requests)).singleElement().asString()
            .startsWith("opaque not an HTTP/1.x request line");
        assertThat(frame("GET / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n", HttpFramer::requests))
            .singleElement().asString().startsWith("opaque bad or conflicting Content-Length");
        assertThat(frame("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", HttpFramer::requests))
            .containsExactly("opaque bad chunk size");
        assertThat(frame("HTTP/1.1 2x0 OK\r\n\r\n", responses("GET"))).singleElement().asString()
            .startsWith("opaque bad status code");
        assertThat(frame("POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", HttpFramer::requests))
            .containsExactly("opaque request with a Transfer-Encoding other than chunked");
        String huge = "GET / HTTP/1.1\r\nX: " + "a".repeat(HttpFramer.MAX_HEAD) + "\r\n\r\n";
        Record r = new Record();
        HttpFramer f = HttpFramer.requests(r);
        ByteBuf b = Unpooled.copiedBuffer(huge, StandardCharsets.ISO_8859_1);
        f.feed(b);
        b.release();
        assertThat(r.events).containsExactly("opaque message head larger than 65536 bytes");
        assertThat(f.opaque()).isTrue();
    }

    @Test
    void garbageOfEveryByteNeverThrows() {
        java.util.Random random = new java.util.Random(17);
        for (int i = 0; i < 2_000; i++) {
            byte[] bytes = new byte[1 + random.nextInt(300)];
            random.nextBytes(bytes);
            if (i % 2 == 0) {
                byte[] start = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII);
                System.arraycopy(start, 0, bytes, 0, Math.min(start.length, bytes.length));
            }
            Record r = new Record();
            HttpFramer f = i % 3 == 0 ? HttpFramer.requests(r) : HttpFramer.responses(r, n -> null);
            ByteBuf b = Unpooled.wrappedBuffer(bytes);
            f.feed(b);
            b.release();
            assertThat(f.offset()).isLessThanOrEqualTo(bytes.length);
            assertThat(r.events.stream().filter(e -> e.startsWith("opaque")).count()).isLessThanOrEqualTo(1);
        }
    }
}
