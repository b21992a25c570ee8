package io.ncp.middlebox.digest;

/** Receives the digest of each completed block of an answer stream. */
@FunctionalInterface
public interface DigestSink {

    /**
     * Called once per completed block, in order.
     *
     * @param index block number (0-based)
     * @param crc   CRC32C of the block's bytes
     */
    void onBlock(long index, int crc);
}
