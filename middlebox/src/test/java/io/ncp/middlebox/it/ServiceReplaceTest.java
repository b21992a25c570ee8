package io.ncp.middlebox.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ncp.middlebox.config.CompareMode;
import io.ncp.middlebox.config.HostPort;
import io.ncp.middlebox.config.ServiceConfig;
import io.ncp.middlebox.core.Middlebox;
import io.ncp.testkit.NettyLeakExtension;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Replacing a service (admin PUT) is atomic: a failed bind keeps the old one; the same address keeps the listener. */
@ExtendWith(NettyLeakExtension.class)
class ServiceReplaceTest {

    @Test
    void aFailedBindKeepsTheOldServiceAndTheSameAddressSwapsInPlace() throws Exception {
        try (EchoServer a = new EchoServer(); EchoServer b = new EchoServer();
             ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Middlebox mb = Harness.start(Harness.service("web", a.hostPort(), CompareMode.NONE, 1 << 20))) {
            int port = mb.port("web");
            ServiceConfig elsewhere = new ServiceConfig("web", new HostPort("127.0.0.1", taken.getLocalPort()),
                HostPort.parse("primary", b.hostPort()), "async", CompareMode.NONE, 1 << 20, List.of());
            assertThatThrownBy(() -> mb.putService(elsewhere)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot listen").hasMessageContaining("previous settings keep running");
            assertThat(mb.port("web")).isEqualTo(port);
            assertThat(mb.service("web").config().primary().toString()).isEqualTo(a.hostPort());
            try (Socket live = connect(port)) {
                echo(live, "before");
                assertThat(a.peers()).hasSize(1);
                mb.putService(new ServiceConfig("web", new HostPort("localhost", port), HostPort.parse("primary",
                    b.hostPort()), "async", CompareMode.NONE, 1 << 20, List.of()));
                assertThat(mb.port("web")).as("the listener stayed bound").isEqualTo(port);
                echo(live, "live session keeps its primary");
                try (Socket next = connect(port)) {
                    echo(next, "new session");
                }
            }
            assertThat(a.peers()).as("the live session stayed on the old primary").hasSize(1);
            assertThat(b.peers()).as("new sessions go to the new primary").hasSize(1);
            assertThat(a.received()).isEqualTo("before".length() + "live session keeps its primary".length());
        }
    }

    /**
     * With epoll and two front loops a service listens with one SO_REUSEPORT socket per loop; a second middlebox on
     * the same port is refused as before (SO_REUSEPORT would otherwise let it take half of the connections), and the
     * sessions of both sockets work.
     */
    @Test
    void oneListeningSocketPerFrontLoopAndASecondMiddleboxOnThePortIsRefused() throws Exception {
        try (EchoServer a = new EchoServer();
             Middlebox mb = Harness.start(Harness.service("web", a.hostPort(), CompareMode.NONE, 1 << 20))) {
            var svc = mb.service("web");
            boolean epoll = io.ncp.middlebox.net.Transport.detect() == io.ncp.middlebox.net.Transport.EPOLL;
            assertThat(svc.listeners()).hasSize(epoll ? 2 : 1);
            assertThat(svc.listeners().stream().map(ch -> ch.eventLoop()).distinct().count())
                .isEqualTo(svc.listeners().size());
            assertThat(svc.listeners()).allSatisfy(ch -> assertThat(ch.localAddress()).isEqualTo(svc.boundAddress()));
            int port = mb.port("web");
            List<Socket> open = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < 40; i++) {
                    Socket s = connect(port);
                    open.add(s);
                    echo(s, "session " + i);
                }
            } finally {
                for (Socket s : open) {
                    s.close();
                }
            }
            assertThat(a.peers()).hasSize(40);
            ServiceConfig same = new ServiceConfig("web", new HostPort("127.0.0.1", port), HostPort.parse("primary",
                a.hostPort()), "async", CompareMode.NONE, 1 << 20, List.of());
            assertThatThrownBy(() -> Harness.start(same)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot listen on 127.0.0.1:" + port);
            try (Socket after = connect(port)) {
                echo(after, "still served by the first");
            }
        }
    }

    private static Socket connect(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
        s.setSoTimeout(15_000);
        return s;
    }

    private static void echo(Socket s, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        s.getOutputStream().write(bytes);
        assertThat(new String(s.getInputStream().readNBytes(bytes.length), StandardCharsets.US_ASCII)).isEqualTo(text);
    }
}
