package io.ncp.middlebox.digest;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Digests a byte stream as CRC32C per block of {@link #BLOCK} bytes plus the total length. Not thread-safe: owned
 * by the event loop that reads the stream. Never retains or releases the buffers it is given.
 */
public final class BlockDigester {

    /** Block size: small enough to locate a divergence, large enough to cost one event per 64 KiB. */
    public static final int BLOCK = 64 * 1024;

    private final CRC32C crc = new CRC32C();
    private final DigestSink sink;
    /** Told where masked fields are (stream offsets), or null. */
    private MaskListener masks;
    private long total;
    private int inBlock;
    private long blockIndex;
    /** The first bytes digested (masked fields as zeros), kept when asked ({@link #keepHead}); else null. */
    private byte[] head;
    /** After {@link #resumeAt} within a block: the block's CRC continues from {@link #seedCrc} (byte by byte). */
    private boolean seeded;
    private int seedCrc;

    public BlockDigester(DigestSink sink) {
        this.sink = sink;
    }

    /** Digests the readable bytes of {@code buf} without moving its indices. */
    public void update(ByteBuf buf) {
        update(buf, buf.readerIndex(), buf.readableBytes());
    }

    /**
     * Continues a stream of which another digester has digested {@code total} bytes, the incomplete last block of
     * which had CRC32C {@code partialCrc} (call before the first byte; keeps no head): the blocks and the total from
     * here on are those that digester would produce.
     */
    public void resumeAt(long total, int partialCrc) {
        this.total = total;
        this.blockIndex = total / BLOCK;
        this.inBlock = (int) (total % BLOCK);
        this.head = null;
        if (inBlock > 0) {
            seeded = true;
            seedCrc = partialCrc;
        }
    }

    /** Digests {@code length} bytes of {@code buf} from {@code index}. */
    public void update(ByteBuf buf, int index, int length) {
        if (head != null && total < head.length) {
            int n = (int) Math.min(length, head.length - total);
            buf.getBytes(index, head, (int) total, n);
        }
        int pos = index;
        int left = length;
        while (left > 0) {
            int n = Math.min(left, BLOCK - inBlock);
            if (seeded) {
                for (int i = 0; i < n; i++) {
                    seedCrc = Crc32c.update(seedCrc, buf.getByte(pos + i));
                }
            } else if (buf.nioBufferCount() == 1) {
                crc.update(buf.nioBuffer(pos, n));
            } else {
                for (ByteBuffer b : buf.nioBuffers(pos, n)) {
                    crc.update(b);
                }
            }
            advance(n);
            pos += n;
            left -= n;
        }
    }

    /** Where masked fields will be reported (one listener; null: nowhere). */
    public void maskListener(MaskListener listener) {
        this.masks = listener;
    }

    /**
     * Keeps a copy of the first {@code bytes} bytes digested from now on (call before the first byte; masked fields
     * are kept as the zeros digested), so that a divergence there can be located to the byte
     * ({@link Divergence}). Costs one copy of at most {@code bytes} per stream, not of every answer.
     */
    public void keepHead(int bytes) {
        head = new byte[bytes];
    }

    /** The kept head so far (at most the size asked), or null when none is kept. */
    public byte[] head() {
        return head == null ? null : java.util.Arrays.copyOf(head, (int) Math.min(total, head.length));
    }

    /** Whether the kept head is complete (as many bytes as asked were digested). */
    public boolean headFull() {
        return head != null && total >= head.length;
    }

    /** Digests {@code length} zero bytes (a masked field). */
    public void updateZeros(int length) {
        if (masks != null) {
            masks.masked(total, length);
        }
        for (int i = 0; i < length; i++) {
            if (seeded) {
                seedCrc = Crc32c.update(seedCrc, (byte) 0);
            } else {
                crc.update(0);
            }
            advance(1);
        }
    }

    private void advance(int n) {
        total += n;
        inBlock += n;
        if (inBlock == BLOCK) {
            sink.onBlock(blockIndex++, seeded ? seedCrc : (int) crc.getValue());
            seeded = false;
            crc.reset();
            inBlock = 0;
        }
    }

    /** Bytes digested so far. */
    public long total() {
        return total;
    }

    /** CRC32C of the incomplete last block (bytes since the last completed block). */
    public int partialCrc() {
        return seeded ? seedCrc : (int) crc.getValue();
    }

    /** Number of completed blocks. */
    public long blocks() {
        return blockIndex;
    }
}
