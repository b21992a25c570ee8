package io.ncp.middlebox.proto.mysql;

import io.ncp.middlebox.proto.FramingAnswerFilter;
import io.ncp.middlebox.proto.RequestAware;
import io.ncp.middlebox.proto.RequestFilter;
import io.ncp.middlebox.proto.RequestNamer;
import io.ncp.middlebox.proto.RequestSink;
import io.ncp.middlebox.stats.ProtocolStats;

/**
 * {@code protocol: mysql}: commands and replies of the MySQL / MariaDB client/server protocol 4.1. The primary's
 * answer filter skips the greeting and the authentication exchange the replicas' authentication handlers swallow on
 * their side. Immutable.
 */
public final class MySqlAware implements RequestAware {

    @Override
    public FramingAnswerFilter primaryAnswers() {
        return new MySqlAnswerFilter(true);
    }

    @Override
    public FramingAnswerFilter replicaAnswers() {
        return new MySqlAnswerFilter(false);
    }

    @Override
    public RequestFilter requests(FramingAnswerFilter primary, RequestSink sink, ProtocolStats stats) {
        return new MySqlClientFilter(primary, sink, stats);
    }

    @Override
    public RequestNamer names() {
        return new MySqlRequestNames();
    }
}
