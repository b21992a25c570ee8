package io.ncp.replay.capture;

import io.ncp.replay.decode.LinkType;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * pcapng files (dumpcap/tshark's default): section headers in either byte order, interface descriptions
 * with their link type and timestamp resolution, enhanced/simple/obsolete packet blocks; other blocks are
 * skipped. An interface with a link type NCP cannot decode is an error when its first packet is read.
 */
final class PcapngReader implements PacketSource {

    private static final int SHB = 0x0A0D0D0A;
    private static final int IDB = 1;
    private static final int OLD_PACKET = 2;
    private static final int SIMPLE_PACKET = 3;
    private static final int ENHANCED_PACKET = 6;
    private static final int BYTE_ORDER_MAGIC = 0x1A2B3C4D;

    private final String file;
    private final InputStream in;
    private final InputWindow w;
    private final long size;
    private final List<Iface> interfaces = new ArrayList<>();
    private boolean swapped;

    private record Iface(int linkNumber, LinkType linkType, int snaplen, long unitsPerSecond, boolean pow2) {
    }

    PcapngReader(String file, InputStream in, InputWindow window, long size) {
        this.file = file;
        this.in = in;
        this.w = window;
        this.size = size;
    }

    static boolean isMagic(byte[] h) {
        return PcapReader.be32(h, 0) == SHB;
    }

    @Override
    public boolean next(RawPacket p) throws IOException {
        while (true) {
            if (!w.ensure(12)) {
                if (w.available() == 0) {
                    return false;
                }
                throw new CaptureFormatException(file, w.offset(), "truncated block header: the capture was cut short");
            }
            long blockOffset = w.offset();
            int type = PcapReader.be32(w.buf, w.pos);
            if (type == SHB) {
                int bom = PcapReader.be32(w.buf, w.pos + 8);
                if (bom != BYTE_ORDER_MAGIC && Integer.reverseBytes(bom) != BYTE_ORDER_MAGIC) {
                    throw new CaptureFormatException(file, blockOffset + 8, "bad section byte-order magic");
                }
                swapped = bom != BYTE_ORDER_MAGIC;
                interfaces.clear();
            } else if (swapped) {
                type = Integer.reverseBytes(type);
            }
            int length = i32(w.pos + 4);
            if (length < 12 || (length & 3) != 0 || length > CaptureFiles.MAX_RECORD) {
                throw new CaptureFormatException(file, blockOffset, "corrupt block length " + length);
            }
            if (!w.ensure(length)) {
                throw new CaptureFormatException(file, blockOffset, "truncated block (" + w.available() + " of "
                    + length + " bytes): the capture was cut short");
            }
            if (i32(w.pos + length - 4) != length) {
                throw new CaptureFormatException(file, blockOffset, "corrupt block: trailing length differs");
            }
            int body = w.pos + 8;
            boolean packet = false;
            switch (type) {
                case IDB:
                    interfaces.add(parseInterface(body, w.pos + length - 4, blockOffset));
                    break;
                case ENHANCED_PACKET:
                case OLD_PACKET: {
                    tooShort(length, 32, blockOffset);
                    boolean old = type == OLD_PACKET;
                    int id = old ? u16(body) : i32(body);
                    Iface iface = iface(id, blockOffset);
                    long ts = ((i32(body + 4) & 0xFFFFFFFFL) << 32) | (i32(body + 8) & 0xFFFFFFFFL);
                    int caplen = i32(body + 12);
                    if (caplen < 0 || body + 20 + caplen > w.pos + length - 4) {
                        throw new CaptureFormatException(file, blockOffset, "corrupt packet block: captured length "
                            + caplen + " exceeds the block");
                    }
                    fill(p, iface, body + 20, caplen, i32(body + 16), ts, blockOffset);
                    packet = true;
                    break;
                }
                case SIMPLE_PACKET: {
                    tooShort(length, 16, blockOffset);
                    Iface iface = iface(0, blockOffset);
                    int orig = i32(body);
                    int caplen = Math.min(length - 16, iface.snaplen > 0 ? Math.min(orig, iface.snaplen) : orig);
                    fill(p, iface, body + 4, Math.max(0, caplen), orig, 0, blockOffset);
                    packet = true;
                    break;
                }
                default:
                    break; // section header, statistics, name resolution, custom: nothing to hand out
            }
            w.skip(length);
            if (packet) {
                return true;
            }
        }
    }

    /** A packet block shorter than its fixed fields would have them read past its end (and the buffer's). */
    private void tooShort(int length, int minimum, long blockOffset) throws CaptureFormatException {
        if (length < minimum) {
            throw new CaptureFormatException(file, blockOffset, "packet block too short for its fields (" + length
                + " of at least " + minimum + " bytes)");
        }
    }

    private void fill(RawPacket p, Iface iface, int at, int caplen, int orig, long ts, long blockOffset)
            throws CaptureFormatException {
        p.data = w.buf;
        p.offset = at;
        p.length = caplen;
        p.originalLength = Math.max(orig, caplen);
        p.linkType = iface.linkType;
        p.fileOffset = blockOffset;
        p.timestampNanos = nanos(ts, iface, blockOffset);
    }

    /** {@code ts} (unsigned, in the interface's units) in nanoseconds since the epoch; beyond year 2262 is an error. */
    private long nanos(long ts, Iface iface, long blockOffset) throws CaptureFormatException {
        long units = iface.unitsPerSecond;
        long seconds = Long.divideUnsigned(ts, units);
        long fraction = Long.remainderUnsigned(ts, units);
        long nanos;
        if (iface.pow2) {
            nanos = Math.min(999_999_999L, (long) (fraction / (double) units * 1e9));
        } else {
            nanos = units >= 1_000_000_000L ? fraction / (units / 1_000_000_000L) : fraction * (1_000_000_000L / units);
        }
        if (Long.compareUnsigned(seconds, (Long.MAX_VALUE - nanos) / 1_000_000_000L) > 0) {
            throw new CaptureFormatException(file, blockOffset, "timestamp out of range ("
                + Long.toUnsignedString(ts) + " units of 1/" + units + " s)");
        }
        return seconds * 1_000_000_000L + nanos;
    }

    private Iface iface(int id, long blockOffset) throws CaptureFormatException {
        if (id < 0 || id >= interfaces.size()) {
            throw new CaptureFormatException(file, blockOffset, "packet names interface " + id + " but the section"
                + " describes " + interfaces.size());
        }
        Iface iface = interfaces.get(id);
        if (iface.linkType == null) {
            throw new CaptureFormatException(file, blockOffset, "unsupported link type " + iface.linkNumber
                + " (NCP decodes Ethernet, Linux cooked v1/v2, BSD loopback and raw IP)");
        }
        return iface;
    }

    private Iface parseInterface(int body, int end, long blockOffset) throws CaptureFormatException {
        if (body + 8 > end) {
            throw new CaptureFormatException(file, blockOffset, "interface description block too short");
        }
        int link = u16(body);
        int snaplen = i32(body + 4);
        long units = 1_000_000L;
        boolean pow2 = false;
        int opt = body + 8;
        while (opt + 4 <= end) {
            int code = u16(opt);
            int len = u16(opt + 2);
            if (code == 0) {
                break;
            }
            if (code == 9 && len >= 1) { // if_tsresol
                int r = w.buf[opt + 4] & 0xFF;
                pow2 = (r & 0x80) != 0;
                int exp = r & 0x7F;
                if (exp > (pow2 ? 62 : 18)) {
                    throw new CaptureFormatException(file, blockOffset, "unsupported timestamp resolution " + r);
                }
                units = pow2 ? 1L << exp : (long) Math.pow(10, exp);
            }
            opt += 4 + ((len + 3) & ~3);
        }
        return new Iface(link, LinkType.of(link), snaplen, units, pow2);
    }

    private int i32(int i) {
        int v = PcapReader.be32(w.buf, i);
        return swapped ? Integer.reverseBytes(v) : v;
    }

    private int u16(int i) {
        int v = ((w.buf[i] & 0xFF) << 8) | (w.buf[i + 1] & 0xFF);
        return swapped ? Integer.reverseBytes(v) >>> 16 : v;
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
