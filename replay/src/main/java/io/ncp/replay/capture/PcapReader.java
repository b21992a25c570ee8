package io.ncp.replay.capture;

import io.ncp.replay.decode.LinkType;
import java.io.IOException;
import java.io.InputStream;

/**
 * Classic pcap files (tcpdump's {@code -w}): either byte order, micro- or nanosecond timestamps. A record
 * cut short at the end of the file (a capture that was killed) is reported as a
 * {@link CaptureFormatException}, after every whole record before it was handed out.
 */
final class PcapReader implements PacketSource {

    private static final int MAGIC_MICROS = 0xA1B2C3D4;
    private static final int MAGIC_NANOS = 0xA1B23C4D;

    private final String file;
    private final InputStream in;
    private final InputWindow w;
    private final long size;
    private final boolean swapped;
    private final boolean nanos;
    private final int snaplen;
    private final LinkType linkType;

    PcapReader(String file, InputStream in, InputWindow window, long size) throws IOException {
        this.file = file;
        this.in = in;
        this.w = window;
        this.size = size;
        if (!w.ensure(24)) {
            throw new CaptureFormatException(file, 0, "truncated pcap file header (" + w.available() + " of 24 bytes)");
        }
        int magic = be32(w.buf, 0);
        swapped = magic != MAGIC_MICROS && magic != MAGIC_NANOS;
        int m = swapped ? Integer.reverseBytes(magic) : magic;
        nanos = m == MAGIC_NANOS;
        snaplen = i32(w.buf, 16);
        int network = i32(w.buf, 20) & 0x0FFFFFFF;
        linkType = LinkType.of(network);
        if (linkType == null) {
            throw new CaptureFormatException(file, 20, "unsupported link type " + network
                + " (NCP decodes Ethernet, Linux cooked v1/v2, BSD loopback and raw IP)");
        }
        w.skip(24);
    }

    static boolean isMagic(byte[] h) {
        int m = be32(h, 0);
        return m == MAGIC_MICROS || m == MAGIC_NANOS || Integer.reverseBytes(m) == MAGIC_MICROS
            || Integer.reverseBytes(m) == MAGIC_NANOS;
    }

    LinkType linkType() {
        return linkType;
    }

    @Override
    public boolean next(RawPacket p) throws IOException {
        if (!w.ensure(16)) {
            if (w.available() == 0) {
                return false;
            }
            throw new CaptureFormatException(file, w.offset(), "truncated packet record header ("
                + w.available() + " of 16 bytes): the capture was cut short");
        }
        long recordOffset = w.offset();
        int b = w.pos;
        long sec = i32(w.buf, b) & 0xFFFFFFFFL;
        long frac = i32(w.buf, b + 4) & 0xFFFFFFFFL;
        int caplen = i32(w.buf, b + 8);
        int origlen = i32(w.buf, b + 12);
        if (caplen < 0 || caplen > CaptureFiles.MAX_RECORD || (snaplen > 0 && caplen > Math.max(snaplen, 262144))) {
            throw new CaptureFormatException(file, recordOffset, "corrupt packet record: captured length "
                + Integer.toUnsignedString(caplen) + " (snap length " + snaplen + ")");
        }
        if (frac >= (nanos ? 1_000_000_000L : 1_000_000L)) {
            throw new CaptureFormatException(file, recordOffset, "corrupt packet record: timestamp fraction " + frac);
        }
        if (!w.ensure(16 + caplen)) {
            throw new CaptureFormatException(file, recordOffset, "truncated packet record (" + (w.available() - 16)
                + " of " + caplen + " bytes): the capture was cut short");
        }
        p.data = w.buf;
        p.offset = w.pos + 16;
        p.length = caplen;
        p.originalLength = Math.max(origlen, caplen);
        p.timestampNanos = sec * 1_000_000_000L + (nanos ? frac : frac * 1000);
        p.linkType = linkType;
        p.fileOffset = recordOffset;
        w.skip(16 + caplen);
        return true;
    }

    private int i32(byte[] b, int i) {
        int v = be32(b, i);
        return swapped ? Integer.reverseBytes(v) : v;
    }

    static int be32(byte[] b, int i) {
        return ((b[i] & 0xFF) << 24) | ((b[i + 1] & 0xFF) << 16) | ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
    }

    @Override
    public String description() {
        return file;
    }

    @Override
    public long position() {
        return w.offset();
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
