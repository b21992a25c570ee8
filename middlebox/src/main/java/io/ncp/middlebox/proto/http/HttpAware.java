package io.ncp.middlebox.proto.http;

import io.ncp.middlebox.proto.FramingAnswerFilter;
import io.ncp.middlebox.proto.RequestAware;
import io.ncp.middlebox.proto.RequestFilter;
import io.ncp.middlebox.proto.RequestNamer;
import io.ncp.middlebox.proto.RequestSink;
import io.ncp.middlebox.stats.ProtocolStats;

/**
 * {@code protocol: http}: requests and responses of HTTP/1.1 (a response ends where its framing says; interim
 * responses end a frame of their own), with the {@link HttpNoise} headers left out of the comparison. There is no
 * authentication phase: primary and replica answer streams are framed alike. Immutable.
 */
public final class HttpAware implements RequestAware {

    private final HttpNoise noise;

    public HttpAware(HttpNoise noise) {
        this.noise = noise;
    }

    @Override
    public FramingAnswerFilter primaryAnswers() {
        return new HttpAnswerFilter(noise);
    }

    @Override
    public FramingAnswerFilter replicaAnswers() {
        return new HttpAnswerFilter(noise);
    }

    @Override
    public RequestFilter requests(FramingAnswerFilter primary, RequestSink sink, ProtocolStats stats) {
        return new HttpClientFilter(primary, sink, stats);
    }

    @Override
    public RequestNamer names() {
        return new HttpRequestNames();
    }
}
