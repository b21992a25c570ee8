package io.ncp.middlebox.proto.pg;

import io.ncp.middlebox.proto.FramingAnswerFilter;
import io.ncp.middlebox.proto.RequestAware;
import io.ncp.middlebox.proto.RequestFilter;
import io.ncp.middlebox.proto.RequestNamer;
import io.ncp.middlebox.proto.RequestSink;
import io.ncp.middlebox.stats.ProtocolStats;

/**
 * {@code protocol: postgres}: requests and replies of the PostgreSQL protocol 3 (a reply ends with ReadyForQuery).
 * The primary's answer filter skips the startup phase the replicas' authentication handlers swallow on their side.
 * Immutable.
 */
public final class PgAware implements RequestAware {

    @Override
    public FramingAnswerFilter primaryAnswers() {
        return new PgAnswerFilter(true);
    }

    @Override
    public FramingAnswerFilter replicaAnswers() {
        return new PgAnswerFilter(false);
    }

    @Override
    public RequestFilter requests(FramingAnswerFilter primary, RequestSink sink, ProtocolStats stats) {
        return new PgClientFilter(primary, sink, stats);
    }

    @Override
    public RequestNamer names() {
        return new PgRequestNames();
    }
}
