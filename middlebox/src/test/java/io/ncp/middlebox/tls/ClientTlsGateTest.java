package io.ncp.middlebox.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.ncp.middlebox.config.CompareMode;
import io.ncp.middlebox.config.ConfigLoader;
import io.ncp.middlebox.config.HostPort;
import io.ncp.middlebox.config.ServiceConfig;
import io.ncp.middlebox.config.TlsConfig;
import io.ncp.testkit.NettyLeakExtension;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslHandler;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** PostgreSQL's in-band TLS negotiation at the client gate, on an EmbeddedChannel. */
@ExtendWith(NettyLeakExtension.class)
class ClientTlsGateTest {

    private static final byte[] SSL_REQUEST = {0, 0, 0, 8, 0x04, (byte) 0xd2, 0x16, 0x2f};
    private static final byte[] GSSENC_REQUEST = {0, 0, 0, 8, 0x04, (byte) 0xd2, 0x16, 0x30};
    private static final byte[] STARTUP = {0, 0, 0, 9, 0, 3, 0, 0, 0};

    /** What the session's handler would see. */
    private static final class Session extends ChannelInboundHandlerAdapter {
        int activations;
        final List<String> reads = new ArrayList<>();

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            activations++;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf b = (ByteBuf) msg;
            reads.add(io.netty.buffer.ByteBufUtil.hexDump(b));
            b.release();
        }
    }

    @Test
    void withBackendTlsOnlyTheClientsRequestsAreAnsweredNoAndItsStartupPassesOn() {
        ServiceTls tls = ServiceTls.of(postgres(TlsConfig.fromFlags(null, null, null, null, null, null, null, true)));
        AtomicInteger released = new AtomicInteger();
        Session session = new Session();
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.pipeline().addLast(tls.clientGate(ch, released::incrementAndGet), session);
        ch.pipeline().fireChannelActive();
        assertThat(session.activations).as("held until negotiated").isZero();

        ch.writeInbound(Unpooled.wrappedBuffer(GSSENC_REQUEST));
        ch.writeInbound(Unpooled.wrappedBuffer(SSL_REQUEST, new byte[] {0, 0}));
        assertThat(answers(ch)).isEqualTo("NN");
        assertThat(session.activations).isZero();
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 9, 0, 3, 0, 0, 0}));
        assertThat(session.activations).isEqualTo(1);
        assertThat(session.reads).containsExactly(io.netty.buffer.ByteBufUtil.hexDump(STARTUP));
        assertThat(ch.pipeline().get(ClientTlsGate.class)).as("the gate is gone").isNull();
        assertThat(released).hasValue(0);
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void withClientTlsSslRequestIsAnsweredYesAndAPlaintextStartupIsRefused() {
        try (TestPki pki = new TestPki()) {
            TestPki.Pair ca = pki.ca("ca");
            TestPki.Pair cert = pki.leaf(ca, "mb");
            ServiceTls tls = ServiceTls.of(postgres(TlsConfig.fromFlags(cert.cert(), cert.key(), null, null, null,
                null, null, false)));

            Session session = new Session();
            EmbeddedChannel ch = new EmbeddedChannel();
            ch.pipeline().addLast(tls.clientGate(ch, () -> { }), session);
            ch.pipeline().fireChannelActive();
            ch.writeInbound(Unpooled.wrappedBuffer(SSL_REQUEST));
            assertThat(answers(ch)).isEqualTo("S");
            assertThat(ch.pipeline().get(SslHandler.class)).as("the handshake follows").isNotNull();
            assertThat(session.activations).isZero();
            ch.finishAndReleaseAll();
            assertThat(tls.clientFailures.sum()).as("a client that left during its handshake").isEqualTo(1);

            AtomicInteger released = new AtomicInteger();
            EmbeddedChannel plain = new EmbeddedChannel();
            plain.pipeline().addLast(tls.clientGate(plain, released::incrementAndGet), new Session());
            plain.pipeline().fireChannelActive();
            plain.writeInbound(Unpooled.wrappedBuffer(STARTUP));
            assertThat(plain.isOpen()).as("refused: it did not ask for TLS").isFalse();
            assertThat(released).hasValue(1);
            assertThat(tls.clientFailures.sum()).isEqualTo(2);
            plain.finishAndReleaseAll();
        }
    }

    private static String answers(EmbeddedChannel ch) {
        StringBuilder sb = new StringBuilder();
        for (ByteBuf b = ch.readOutbound(); b != null; b = ch.readOutbound()) {
            sb.append(b.toString(StandardCharsets.US_ASCII));
            b.release();
        }
        return sb.toString();
    }

    private static ServiceConfig postgres(TlsConfig tls) {
        return ConfigLoader.service("service", "pg", new HostPort("127.0.0.1", 0), new HostPort("127.0.0.1", 1), null,
            CompareMode.POSTGRES.name(), 1 << 20, List.of()).withTls(tls);
    }
}
