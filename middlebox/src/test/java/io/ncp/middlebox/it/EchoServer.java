package io.ncp.middlebox.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Echoes every byte until the peer's FIN, then closes: a server whose answers depend only on its input, and which
 * relies on half-close. Records its peers' addresses and the bytes it received.
 */
final class EchoServer extends LoopbackServer {

    private final List<InetSocketAddress> peers = new CopyOnWriteArrayList<>();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong finished = new AtomicLong();

    EchoServer() {
        super("echo-server", 0);
        start();
    }

    @Override
    protected void onAccept(Socket s) {
        peers.add((InetSocketAddress) s.getRemoteSocketAddress());
        Thread t = new Thread(() -> echo(s), "echo");
        t.setDaemon(true);
        t.start();
    }

    private void echo(Socket s) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            byte[] buf = new byte[16384];
            int n;
            while ((n = in.read(buf)) > 0) {
                received.addAndGet(n);
                out.write(buf, 0, n);
            }
            finished.incrementAndGet();
        } catch (IOException ignored) {
            // peer reset: nothing to echo
        }
    }

    List<InetSocketAddress> peers() {
        return peers;
    }

    long received() {
        return received.get();
    }

    /** Connections that ended with the peer's FIN (echo complete). */
    long finished() {
        return finished.get();
    }
}
