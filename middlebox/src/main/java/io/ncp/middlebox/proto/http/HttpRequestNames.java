package io.ncp.middlebox.proto.http;

import io.ncp.middlebox.proto.RecentNames;
import io.ncp.middlebox.proto.RequestNamer;
import io.netty.buffer.ByteBuf;

/**
 * The names ({@code METHOD target}, the target cut short) of the last {@link RecentNames#SIZE} requests of an HTTP
 * client stream, numbered as {@link HttpClientFilter} numbers them. Framing stops where the stream stops being HTTP.
 * Not thread-safe; never retains.
 */
public final class HttpRequestNames implements RequestNamer, HttpFramer.Listener {

    private final RecentNames names = new RecentNames();
    private final HttpFramer framer = HttpFramer.requests(this);
    private long number;

    @Override
    public void feed(ByteBuf buf) {
        framer.feed(buf);
    }

    @Override
    public String name(long n) {
        return names.name(n);
    }

    @Override
    public void messageEnd(long end, int status, String name) {
        number++;
        names.put(number, name);
    }

    @Override
    public void opaque(long offset, String why) {
    }
}
