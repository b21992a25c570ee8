package io.ncp.middlebox.config;

import java.time.Duration;

/**
 * How a STALE replica of a service is resynced online (the service's {@code resync} mapping and {@code autoResync}).
 *
 * @param snapshot    run when the primary is quiet and the clients are held: takes the snapshot (a command, or a
 *                    request the middlebox sends to the primary)
 * @param restore     run after the clients were released: loads the snapshot into the replica (a command, or a
 *                    request sent to the replica)
 * @param quiet       how long nothing may move between the primary and the clients before the snapshot
 * @param maxPause    the longest the clients may be held: past it the resync is given up and they are released
 * @param timeout     the longest each hook, and the replay of the journal, may take
 * @param minInterval autoResync: the least time between two resyncs of the same replica it starts
 * @param auto        a replica that becomes STALE is resynced by itself ({@code autoResync: true})
 */
public record ResyncConfig(HookCommand snapshot, HookCommand restore, Duration quiet, Duration maxPause,
        Duration timeout, Duration minInterval, boolean auto) {

    public static final Duration DEFAULT_QUIET = Duration.ofMillis(20);
    public static final Duration DEFAULT_MAX_PAUSE = Duration.ofSeconds(2);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);
    public static final Duration DEFAULT_MIN_INTERVAL = Duration.ofSeconds(60);

    /** A copy with {@code autoResync} set to {@code on}. */
    public ResyncConfig withAuto(boolean on) {
        return new ResyncConfig(snapshot, restore, quiet, maxPause, timeout, minInterval, on);
    }
}
