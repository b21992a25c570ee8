package io.ncp.middlebox.proto.resp;

import io.ncp.middlebox.config.RedisPolicy;
import io.ncp.middlebox.proto.FramingAnswerFilter;
import io.ncp.middlebox.proto.RequestAware;
import io.ncp.middlebox.proto.RequestFilter;
import io.ncp.middlebox.proto.RequestNamer;
import io.ncp.middlebox.proto.RequestSink;
import io.ncp.middlebox.stats.ProtocolStats;

/**
 * {@code protocol: redis}: RESP framing with the service's replay policy. Both answer streams are framed alike (the
 * replies to the authentication phase are marked skipped on the primary's side by the request filter). Immutable.
 */
public final class RespAware implements RequestAware {

    private final RespPolicy policy;

    public RespAware(RedisPolicy config) {
        this.policy = RespPolicy.of(config);
    }

    @Override
    public FramingAnswerFilter primaryAnswers() {
        return new RespAnswerFilter();
    }

    @Override
    public FramingAnswerFilter replicaAnswers() {
        return new RespAnswerFilter();
    }

    @Override
    public RequestFilter requests(FramingAnswerFilter primary, RequestSink sink, ProtocolStats stats) {
        return new RespClientFilter(policy, primary, sink, stats);
    }

    @Override
    public RequestNamer names() {
        return new RequestNames();
    }
}
