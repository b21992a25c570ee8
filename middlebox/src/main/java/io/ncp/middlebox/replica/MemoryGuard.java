package io.ncp.middlebox.replica;

import io.ncp.middlebox.config.Units;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.internal.PlatformDependent;

/**
 * The process-wide bound on the direct memory that replica backlogs may grow into. Each replica copy's backlog is
 * bounded per session ({@code replicaBacklog}), but many lagging sessions together could still exhaust direct
 * memory, and a failed allocation would then hit the primary path. So a copy is dropped as lagging once the
 * process's direct memory in use exceeds the limit: replicas
 * lose copies, the primary path keeps its headroom. Every backlog counts: once the limit is exceeded, any copy that
 * already has bytes pending is dropped when more arrive for it (copies that keep up still get theirs).
 *
 * <p>The limit is 3/4 of the JVM's maximum direct memory, or the system property {@value #LIMIT_PROPERTY}
 * (a size such as {@code 512MiB}; a bad value fails the middlebox's start with a ConfigException naming it).
 * Stateless apart from the limit: safe to share between event loops.
 */
public final class MemoryGuard {

    /** System property overriding the limit. */
    public static final String LIMIT_PROPERTY = "ncp.replicaMemory";
    /** The smallest limit the system property may set. */
    public static final long MIN_LIMIT = 1L << 20;

    private final long limit;

    public MemoryGuard(long limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        this.limit = limit;
    }

    /** The guard for this process: the system property, else 3/4 of the maximum direct memory. */
    public static MemoryGuard fromSystemProperties() {
        String text = System.getProperty(LIMIT_PROPERTY);
        if (text != null) {
            return new MemoryGuard(Units.parseSize(LIMIT_PROPERTY, text));
        }
        return new MemoryGuard(Math.max(MIN_LIMIT, PlatformDependent.maxDirectMemory() / 4 * 3));
    }

    public long limit() {
        return limit;
    }

    /** Whether direct memory in use is over the limit. */
    public boolean exhausted() {
        return used() > limit;
    }

    /** Direct memory in use: Netty's own counter when it manages direct memory, else the pooled allocator's. */
    public static long used() {
        long used = PlatformDependent.usedDirectMemory();
        return used >= 0 ? used : PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory();
    }
}
