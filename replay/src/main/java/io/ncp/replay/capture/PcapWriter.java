package io.ncp.replay.capture;

import io.ncp.replay.decode.LinkType;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes classic little-endian pcap files with nanosecond timestamps (for generated benchmark inputs and
 * tests). Single-threaded.
 */
public final class PcapWriter implements AutoCloseable {

    private final OutputStream out;
    private final byte[] header = new byte[16];

    public PcapWriter(Path file, LinkType linkType, int snaplen) throws IOException {
        out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20);
        byte[] h = new byte[24];
        le32(h, 0, 0xA1B23C4D);
        le16(h, 4, 2);
        le16(h, 6, 4);
        le32(h, 16, snaplen);
        le32(h, 20, linkType.number());
        out.write(h);
    }

    /** Appends one frame captured at {@code timestampNanos}. */
    public void write(long timestampNanos, byte[] frame, int offset, int length) throws IOException {
        le32(header, 0, (int) (timestampNanos / 1_000_000_000L));
        le32(header, 4, (int) (timestampNanos % 1_000_000_000L));
        le32(header, 8, length);
        le32(header, 12, length);
        out.write(header);
        out.write(frame, offset, length);
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    private static void le32(byte[] b, int i, int v) {
        b[i] = (byte) v;
        b[i + 1] = (byte) (v >>> 8);
        b[i + 2] = (byte) (v >>> 16);
        b[i + 3] = (byte) (v >>> 24);
    }

    private static void le16(byte[] b, int i, int v) {
        b[i] = (byte) v;
        b[i + 1] = (byte) (v >>> 8);
    }
}
