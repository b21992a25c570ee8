package io.ncp.middlebox.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ncp.middlebox.config.CompareMode;
import io.ncp.middlebox.config.ConfigException;
import io.ncp.middlebox.config.HostPort;
import io.ncp.middlebox.config.ServiceConfig;
import io.ncp.middlebox.config.Transparency;
import io.ncp.middlebox.frontend.PrimaryConnector;
import io.ncp.middlebox.net.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link TransparentFront} without privileges: a service that is not transparent is left alone, the NIO transport is
 * refused naming the field, and the host recipe names the primary and the listener. (Sockets, capabilities and the
 * TPROXY path: {@code netns.TransparentModeTest}, {@code netns.TransparentCapabilityTest}.)
 */
class TransparentFrontTest {

    private static final ServiceConfig PLAIN = new ServiceConfig("redis", new HostPort("0.0.0.0", 6379),
        new HostPort("10.0.0.2", 6379), "async", CompareMode.BYTES, 1 << 20, List.of());

    @Test
    void anOrdinaryServiceKeepsItsBootstrapsAndConnector() {
        TransparentFront front = TransparentFront.of(PLAIN, Transport.NIO);
        ServerBootstrap b = new ServerBootstrap();
        PrimaryConnector base = (loop, handler) -> new Bootstrap();
        assertThat(front.listener(b)).isSameAs(b);
        assertThat(front.primary(base)).isSameAs(base);
    }

    @Test
    void theNioTransportIsRefusedNamingTheField() {
        assertThatThrownBy(() -> TransparentFront.of(PLAIN.withTransparency(Transparency.LISTENER), Transport.NIO))
            .isInstanceOf(ConfigException.class).hasMessageStartingWith("services.redis.transparent: ")
            .hasMessageContaining("epoll");
        assertThatThrownBy(() -> TransparentFront.of(PLAIN.withTransparency(Transparency.SPOOF_CLIENT),
            Transport.NIO)).isInstanceOf(ConfigException.class).hasMessageStartingWith("services.redis.spoofClient: ");
    }

    @Test
    void theRecipeTproxiesThePrimarysSessionsToTheListener() {
        String wildcard = TproxyRecipe.commands("my-redis", PLAIN.primary(), new InetSocketAddress("0.0.0.0", 7000));
        assertThat(wildcard).contains("table ip ncp_my_redis {")
            .contains("ip daddr 10.0.0.2 tcp dport 6379 tproxy to :7000 meta mark set 0x4e43 accept")
            .contains("socket transparent 1 meta mark set 0x4e43")
            .contains("ip rule add fwmark 0x4e43 lookup 20035")
            .contains("ip route replace local 0.0.0.0/0 dev lo table 20035");
        assertThat(TproxyRecipe.commands("r", PLAIN.primary(), new InetSocketAddress("10.0.0.3", 7000)))
            .contains("tproxy to 10.0.0.3:7000 ");
    }
}
