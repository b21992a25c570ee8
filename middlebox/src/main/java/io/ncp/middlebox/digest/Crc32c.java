package io.ncp.middlebox.digest;

/**
 * CRC32C (Castagnoli, as {@link java.util.zip.CRC32C}) continued from a known value one byte at a time: what
 * {@link BlockDigester#resumeAt} needs for the rest of a block another digester began (the JDK's CRC32C cannot be
 * seeded). Slow (a table lookup per byte): used for at most one block per resumed stream. Stateless; any thread.
 */
final class Crc32c {

    private static final int[] TABLE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int c = i;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ 0x82F63B78 : c >>> 1;
            }
            TABLE[i] = c;
        }
    }

    private Crc32c() {
    }

    /** The CRC32C of the bytes whose CRC32C is {@code crc} followed by {@code b}. */
    static int update(int crc, byte b) {
        int c = ~crc;
        c = TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
        return ~c;
    }
}
