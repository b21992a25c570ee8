package io.ncp.middlebox.proto.http;

import io.ncp.middlebox.proto.RequestNamer;
import io.netty.buffer.ByteBuf;

/**
 * The names ({@code METHOD target}, the target cut short) of the last {@link #RECENT} requests of an HTTP client
 * stream, numbered as {@link HttpClientFilter} numbers them. Framing stops where the stream stops being HTTP. Not
 * thread-safe; never retains.
 */
public final class HttpRequestNames implements RequestNamer, HttpFramer.Listener {

    static final int RECENT = 4096;

    private final String[] names = new String[RECENT];
    private final long[] numbers = new long[RECENT];
    private final HttpFramer framer = HttpFramer.requests(this);
    private long number;

    @Override
    public void feed(ByteBuf buf) {
        framer.feed(buf);
    }

    @Override
    public String name(long n) {
        if (n <= 0) {
            return null;
        }
        int i = (int) (n % RECENT);
        return numbers[i] == n ? names[i] : null;
    }

    @Override
    public void messageEnd(long end, int status, String name) {
        number++;
        int i = (int) (number % RECENT);
        names[i] = name;
        numbers[i] = number;
    }

    @Override
    public void opaque(long offset, String why) {
    }
}
