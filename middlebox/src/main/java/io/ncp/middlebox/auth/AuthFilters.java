package io.ncp.middlebox.auth;

import io.ncp.middlebox.config.CompareMode;
import io.ncp.middlebox.config.Protocol;
import io.ncp.middlebox.config.ReplicaAuth;
import io.ncp.middlebox.digest.AnswerFilter;
import io.ncp.middlebox.proto.mysql.MySqlAnswerFilter;
import io.netty.channel.ChannelHandler;

/**
 * Per protocol, the pieces a service's sessions need: the answer filter of the primary's stream (skipping the
 * authentication phase), the answer filter of a replica's stream (its authentication phase is already swallowed by
 * its handler), and the replica connection's {@link AuthHandler}. {@link Protocol#BYTES}: today's byte replay.
 */
public final class AuthFilters {

    private AuthFilters() {
    }

    /**
     * The filter for the primary's answers, or null when answers are not compared. A replicated session of a
     * {@link Protocol#REDIS} service replaces it with the front's request-aware filter, which skips the replies to the
     * authentication phase itself ({@link RedisAuthPhase}).
     */
    public static AnswerFilter primary(CompareMode compare, Protocol protocol) {
        if (compare == CompareMode.NONE || protocol == Protocol.BYTES) {
            return AnswerFilter.forMode(compare);
        }
        return switch (protocol) {
            case REDIS -> new RedisAuthSkip();
            case POSTGRES -> new PostgresAuthSkip();
            case MYSQL -> new MySqlAnswerFilter(true); // frames replies as the replicas' filters do (mirror mode)
            default -> AnswerFilter.forMode(compare);
        };
    }

    /** The filter for a replica's answers (after its handler), or null when answers are not compared. */
    public static AnswerFilter replica(CompareMode compare, Protocol protocol) {
        if (compare == CompareMode.NONE || protocol == Protocol.BYTES) {
            return AnswerFilter.forMode(compare);
        }
        return AnswerFilter.forMode(CompareMode.BYTES);
    }

    /**
     * The filter for the answers of a PostgreSQL session continued over a new connection (its startup answers
     * swallowed by the {@link Protocol#POSTGRES} handler: the stream starts at a message boundary), or null when
     * answers are not compared.
     */
    public static AnswerFilter continued(CompareMode compare, Protocol protocol) {
        if (compare == CompareMode.POSTGRES && protocol == Protocol.BYTES) {
            return io.ncp.middlebox.digest.PostgresKeyMask.atMessageBoundary();
        }
        return replica(compare, protocol);
    }

    /**
     * The authentication handler of a PostgreSQL session continued over a new connection to a restored replica (any
     * service protocol): it sends the session's StartupMessage with the replica's login ({@code auth}, may be null for
     * a replica that trusts), swallows the answers up to ReadyForQuery, sends the session's SETs ({@code sets}: simple
     * Query messages, maybe none) and swallows their answers (an ErrorResponse fails the copy:
     * {@link AuthListener#setupFailed}), then passes the session's requests through.
     */
    public static ChannelHandler continuedHandler(ReplicaAuth auth, byte[] sets, AuthListener listener) {
        return new PostgresAuthHandler(listener, auth, sets);
    }

    /** The authentication handler for one replica connection, or null for {@link Protocol#BYTES}. */
    public static ChannelHandler handler(Protocol protocol, ReplicaAuth auth, AuthListener listener) {
        return switch (protocol) {
            case REDIS -> new RedisAuthHandler(listener, auth);
            case POSTGRES -> new PostgresAuthHandler(listener, auth);
            case MYSQL -> new MySqlAuthHandler(listener, auth);
            default -> null;
        };
    }
}
