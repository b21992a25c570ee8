package io.ncp.replay.capture;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Opens capture files, telling pcap from pcapng by their magic number. */
public final class CaptureFiles {

    /** Largest frame or block accepted (a corrupt length field must not allocate gigabytes). */
    static final int MAX_RECORD = 16 << 20;

    private CaptureFiles() {
    }

    /** True when {@code file} starts with a pcap or pcapng magic number. */
    public static boolean looksLikeCapture(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(4);
            return head.length == 4 && (PcapReader.isMagic(head) || PcapngReader.isMagic(head));
        }
    }

    /**
     * Opens {@code file} for reading.
     *
     * @throws CaptureFormatException when it is neither pcap nor pcapng, or its header is bad or names a
     *     link type NCP cannot decode
     */
    public static PacketSource open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such capture file");
        }
        long size = Files.size(file);
        return open(file.toString(), new BufferedInputStream(Files.newInputStream(file), 1 << 16), size, 1 << 20);
    }

    /**
     * Reads a capture from {@code in} (closed with the source, or here when opening fails), with a read window
     * of {@code initialWindow} bytes to start with (tests use small ones to reach window boundaries).
     *
     * @param name what the messages call the input
     * @param size total bytes, for progress only (-1 if unknown)
     */
    static PacketSource open(String name, InputStream in, long size, int initialWindow) throws IOException {
        try {
            InputWindow window = new InputWindow(in, initialWindow, MAX_RECORD + 64);
            if (!window.ensure(4)) {
                throw new CaptureFormatException(name, 0, "file too short for a capture header ("
                    + window.available() + " bytes)");
            }
            byte[] head = {window.buf[0], window.buf[1], window.buf[2], window.buf[3]};
            if (PcapReader.isMagic(head)) {
                return new PcapReader(name, in, window, size);
            }
            if (PcapngReader.isMagic(head)) {
                return new PcapngReader(name, in, window, size);
            }
            throw new CaptureFormatException(name, 0, String.format(
                "not a pcap or pcapng file (magic %02x%02x%02x%02x)", head[0], head[1], head[2], head[3]));
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }
}
