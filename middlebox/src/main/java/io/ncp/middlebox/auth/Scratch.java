package io.ncp.middlebox.auth;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.buffer.UnpooledHeapByteBuf;

/**
 * Heap buffers for the answer filters' small per-stream scratch copies. A filter has no end of life (it is dropped
 * with its stream), so these buffers are plain heap memory that the garbage collector reclaims: never pooled, never
 * leak-tracked, never to be released.
 */
final class Scratch {

    private Scratch() {
    }

    static ByteBuf buffer() {
        return new UnpooledHeapByteBuf(UnpooledByteBufAllocator.DEFAULT, 256, Integer.MAX_VALUE);
    }
}
