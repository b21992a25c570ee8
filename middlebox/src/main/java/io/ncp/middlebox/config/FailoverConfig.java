package io.ncp.middlebox.config;

import java.time.Duration;
import java.util.List;

/**
 * Failure detection and failover of one service: active probes of the primary and every replica, and what happens
 * when the primary is down.
 *
 * @param interval        time between two probes of one backend
 * @param timeout         a probe that has not succeeded by then is a miss
 * @param misses          consecutive misses that make a backend DOWN
 * @param send            bytes a probe sends after connecting (e.g. {@code PING\r\n}); null: connecting is enough
 * @param expect          prefix the probe's answer must start with (e.g. {@code +PONG}); null: any answer (or none,
 *                        without {@code send})
 * @param promote         whether a DOWN primary is replaced by an IN_SYNC replica (false: detect and report only)
 * @param voters          admin API URLs of peer middleboxes asked to confirm that the primary is down: with them the
 *                        primary is declared down only when a majority of all voters (this middlebox included) agree;
 *                        a peer that does not answer counts as not down
 * @param voterTokenFile  file whose first line is the peers' admin token, {@code ~/} expanded (null: this middlebox's
 *                        own token file)
 * @param holdNewSessions how long a new client waits for the failover when the primary does not take its connection
 */
public record FailoverConfig(Duration interval, Duration timeout, int misses, byte[] send, byte[] expect,
        boolean promote, List<String> voters, String voterTokenFile, Duration holdNewSessions) {

    public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(200);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(400);
    public static final int DEFAULT_MISSES = 3;
    public static final Duration DEFAULT_HOLD = Duration.ofSeconds(3);

    public FailoverConfig {
        voters = List.copyOf(voters);
        if (interval.isZero() || timeout.isZero()) {
            throw new ConfigException("failover.interval", "interval and timeout must be positive");
        }
        if (misses < 1 || misses > 1000) {
            throw new ConfigException("failover.misses", "'" + misses + "' must be 1..1000");
        }
        if (expect != null && send == null) {
            throw new ConfigException("failover.expect", "an expected answer needs something to send (send)");
        }
    }

    /** Connect-only probes with every default, promotion on. */
    public static FailoverConfig defaults() {
        return new FailoverConfig(DEFAULT_INTERVAL, DEFAULT_TIMEOUT, DEFAULT_MISSES, null, null, true, List.of(),
            null, DEFAULT_HOLD);
    }

    /** A copy probing with {@code request} and expecting {@code reply} (either null: connect only / any answer). */
    public FailoverConfig withProbe(byte[] request, byte[] reply) {
        return new FailoverConfig(interval, timeout, misses, request, reply, promote, voters, voterTokenFile,
            holdNewSessions);
    }

    /** A copy with other voters. */
    public FailoverConfig withVoters(List<String> urls, String tokenFile) {
        return new FailoverConfig(interval, timeout, misses, send, expect, promote, urls, tokenFile,
            holdNewSessions);
    }

    /** Roughly the longest detection of a silent primary: the first probe's timeout, then misses - 1 intervals. */
    public Duration detectionBound() {
        return timeout.plus(interval.multipliedBy(misses - 1L));
    }
}
