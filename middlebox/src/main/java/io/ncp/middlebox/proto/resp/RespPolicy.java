package io.ncp.middlebox.proto.resp;

import io.ncp.middlebox.config.RedisPolicy;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A service's Redis replication policy, from its {@link RedisPolicy}: which requests never reach the replicas,
 * which end a session's replication, which answers are noise. Immutable; shared by every session of the service.
 */
public final class RespPolicy {

    /** What happens to a request on the replica path. */
    public enum Verdict {
        /** Sent to the replicas. */
        REPLAY,
        /** Not sent to the replicas (the primary gets it); its reply is not compared. */
        SKIP,
        /** The session stops being replicated before this request. */
        UNREPLICATE
    }

    /** Commands whose requests may get a disposition other than the default (they are framed before being sent). */
    private static final Set<String> SPECIAL = Set.of("MULTI", "EXEC", "DISCARD", "SUBSCRIBE", "PSUBSCRIBE",
        "SSUBSCRIBE", "UNSUBSCRIBE", "PUNSUBSCRIBE", "SUNSUBSCRIBE", "PING", "RESET");

    private final List<CommandPattern> noReplay;
    private final List<CommandPattern> notReplicated;
    private final List<CommandPattern> noise;
    private final Set<String> names = new HashSet<>(SPECIAL);

    private static final java.util.Map<RedisPolicy, RespPolicy> CACHE =
        new java.util.concurrent.ConcurrentHashMap<>();

    /** The policy of {@code config}, built once per distinct configuration. */
    public static RespPolicy of(RedisPolicy config) {
        return CACHE.computeIfAbsent(config, RespPolicy::new);
    }

    public RespPolicy(RedisPolicy config) {
        this.noReplay = patterns(config.noReplay());
        this.notReplicated = patterns(config.notReplicated());
        this.noise = patterns(config.noise());
    }

    private List<CommandPattern> patterns(List<String> texts) {
        List<CommandPattern> out = texts.stream().map(CommandPattern::new).toList();
        out.forEach(p -> names.add(p.name()));
        return out;
    }

    /** What the replica path does with {@code r}. */
    public Verdict verdict(RespRequest r) {
        if (any(notReplicated, r)) {
            return Verdict.UNREPLICATE;
        }
        return any(noReplay, r) ? Verdict.SKIP : Verdict.REPLAY;
    }

    /** Whether {@code r}'s answer is noise (not compared). */
    public boolean noisy(RespRequest r) {
        return any(noise, r);
    }

    /**
     * Whether a request with command {@code name} (upper case) may be anything but a plain replayed, compared request:
     * if not, its bytes may reach the replicas before the request is complete.
     */
    public boolean mayMatter(String name) {
        return names.contains(name);
    }

    private static boolean any(List<CommandPattern> list, RespRequest r) {
        for (CommandPattern p : list) {
            if (p.matches(r)) {
                return true;
            }
        }
        return false;
    }
}
