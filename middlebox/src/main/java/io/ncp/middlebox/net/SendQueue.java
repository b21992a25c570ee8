package io.ncp.middlebox.net;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.unix.RawUnixChannelOption;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Whether everything written to a connection has reached its peer: Netty's outbound buffer is empty and (epoll) the
 * kernel's {@code TCP_INFO} reports no unsent and no unacknowledged bytes. A reset ({@code SO_LINGER 0}) discards the
 * kernel's send queue, so a reset that must come after the bytes (a server that answered, then reset) waits for this.
 * On the NIO transport only Netty's buffer can be checked. Call on the channel's event loop.
 */
final class SendQueue {

    private static final int IPPROTO_TCP = 6;
    private static final int TCP_INFO = 11;
    /** {@code struct tcp_info} offsets (linux/tcp.h, stable ABI): tcpi_unacked, tcpi_notsent_bytes (Linux 4.6+). */
    private static final int UNACKED = 24;
    private static final int NOTSENT = 144;
    private static final RawUnixChannelOption OPTION = new RawUnixChannelOption("TCP_INFO", IPPROTO_TCP, TCP_INFO,
        NOTSENT + 4);

    private SendQueue() {
    }

    /** True when the peer has acknowledged every byte written so far (or when the kernel cannot tell). */
    static boolean drained(Channel ch) {
        ChannelOutboundBuffer out = ch.unsafe().outboundBuffer();
        if (out != null && out.totalPendingWriteBytes() > 0) {
            return false;
        }
        if (!(ch instanceof EpollSocketChannel) || !ch.isActive()) {
            return true;
        }
        try {
            ByteBuffer info = ch.config().getOption(OPTION).order(ByteOrder.nativeOrder());
            if (info.limit() < NOTSENT + 4) {
                return info.limit() < UNACKED + 4 || info.getInt(UNACKED) == 0;
            }
            return info.getInt(UNACKED) == 0 && info.getInt(NOTSENT) == 0;
        } catch (RuntimeException e) {
            return true; // the socket is gone: nothing left to wait for
        }
    }
}
