package io.ncp.replay.player;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * Replay settings, each with its default.
 *
 * @param target where every session is replayed
 * @param timing original (default), a speed factor, or fast
 * @param skipDamaged true: sessions with a client-to-server gap are not replayed at all; false (default):
 *     they are replayed up to the gap, then their connection is closed and they are reported
 * @param connectTimeout per connection; default 5 s
 * @param drainTimeout after a session's last client byte (FIN, RST, gap or end of input): how long to wait
 *     for the target to answer and close before closing it; default 5 s
 * @param maxInFlightBytes client bytes dispatched but not yet written to the target's sockets; the
 *     scheduler waits above it; default 64 MiB
 * @param stallTimeout how long bytes in flight may make no progress before the sessions holding them are
 *     aborted as stalled; default 30 s
 * @param progressInterval period of the progress line on stderr; zero disables it; default 1 s
 */
public record ReplayConfig(InetSocketAddress target, Timing timing, boolean skipDamaged, Duration connectTimeout,
        Duration drainTimeout, long maxInFlightBytes, Duration stallTimeout, Duration progressInterval) {

    public static ReplayConfig defaults(InetSocketAddress target) {
        return new ReplayConfig(target, Timing.ORIGINAL, false, Duration.ofSeconds(5), Duration.ofSeconds(5),
            64L << 20, Duration.ofSeconds(30), Duration.ofSeconds(1));
    }

    public ReplayConfig withTiming(Timing t) {
        return new ReplayConfig(target, t, skipDamaged, connectTimeout, drainTimeout, maxInFlightBytes, stallTimeout,
            progressInterval);
    }

    public ReplayConfig withSkipDamaged(boolean skip) {
        return new ReplayConfig(target, timing, skip, connectTimeout, drainTimeout, maxInFlightBytes, stallTimeout,
            progressInterval);
    }

    public ReplayConfig withTimeouts(Duration connect, Duration drain, Duration stall) {
        return new ReplayConfig(target, timing, skipDamaged, connect, drain, maxInFlightBytes, stall,
            progressInterval);
    }

    public ReplayConfig withProgressInterval(Duration d) {
        return new ReplayConfig(target, timing, skipDamaged, connectTimeout, drainTimeout, maxInFlightBytes,
            stallTimeout, d);
    }

    public ReplayConfig withMaxInFlightBytes(long n) {
        return new ReplayConfig(target, timing, skipDamaged, connectTimeout, drainTimeout, n, stallTimeout,
            progressInterval);
    }
}
