package io.ncp.replay.journal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/** Constants and header codec of the journal file format (see the package documentation). */
final class JournalFormat {

    static final byte[] FILE_MAGIC = "NCPJRNL\n".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    static final int FILE_HEADER = 32;
    static final int RECORD_MAGIC = 0x4E435052; // "NCPR"
    static final int FRAME = 48;
    /** Largest payload of one record; larger data is split into several records. */
    static final int MAX_PAYLOAD = 16 << 20;

    private JournalFormat() {
    }

    static ByteBuffer fileHeader(long createdNanos) {
        ByteBuffer b = ByteBuffer.allocate(FILE_HEADER);
        b.put(FILE_MAGIC).putShort((short) VERSION).putShort((short) 0).putInt(0).putLong(createdNanos);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, 24);
        b.putInt((int) crc.getValue()).putInt(0);
        return b.flip();
    }

    /** Null when {@code h} (32 bytes) is a valid header, otherwise what is wrong with it. */
    static String checkFileHeader(byte[] h) {
        for (int i = 0; i < FILE_MAGIC.length; i++) {
            if (h[i] != FILE_MAGIC[i]) {
                return "not an NCP journal (bad file magic)";
            }
        }
        ByteBuffer b = ByteBuffer.wrap(h);
        int version = b.getShort(8) & 0xFFFF;
        CRC32C crc = new CRC32C();
        crc.update(h, 0, 24);
        if ((int) crc.getValue() != b.getInt(24)) {
            return "journal header checksum mismatch";
        }
        if (version != VERSION) {
            return "unsupported journal version " + version + " (this build reads version " + VERSION + ")";
        }
        return null;
    }
}
