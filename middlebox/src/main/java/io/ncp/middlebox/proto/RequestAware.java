package io.ncp.middlebox.proto;

import io.ncp.middlebox.stats.ProtocolStats;

/**
 * One request-aware protocol's pieces for the sessions of a service: the framing answer filters of the primary's and
 * of each replica copy's stream, the front's request filter and the replica side's request names. Immutable (any
 * number of sessions may use one; {@code RequestAwareness.of} makes one per session, which costs a small object:
 * RESP's compiled policy is cached); each call returns a fresh per-stream object.
 */
public interface RequestAware {

    /** A filter for the primary's answers (which still hold the authentication phase the client went through). */
    FramingAnswerFilter primaryAnswers();

    /** A filter for one replica copy's answers (its authentication phase already swallowed by its handler). */
    FramingAnswerFilter replicaAnswers();

    /** The front's filter of one session's client stream; tells {@code primary} and {@code sink}. */
    RequestFilter requests(FramingAnswerFilter primary, RequestSink sink, ProtocolStats stats);

    /** Names of the requests a replica copy gets, numbered like the front numbers them. */
    RequestNamer names();
}
