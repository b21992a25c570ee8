package io.ncp.middlebox.failover;

import io.ncp.middlebox.config.FailoverConfig;
import io.ncp.middlebox.config.HostPort;
import java.util.function.Consumer;

/**
 * Whether the primary is down as far as a majority of the voters can tell (this middlebox is one of them: its own
 * probes already said so). Without peers the answer is yes at once.
 */
public interface Voters {

    /** The decision and what it rests on. */
    record Verdict(boolean down, String detail) {
    }

    /** No peers: this middlebox decides alone. */
    Voters ALONE = (primary, cfg, prober, verdict) -> verdict.accept(new Verdict(true, ""));

    /** Asks the peers; {@code verdict} runs on the prober's loop. */
    void confirm(HostPort primary, FailoverConfig cfg, Prober prober, Consumer<Verdict> verdict);
}
