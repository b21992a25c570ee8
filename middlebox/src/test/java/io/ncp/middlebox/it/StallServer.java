package io.ncp.middlebox.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A TCP server that accepts connections and never reads from them (a stalled replica); counts accepts. */
final class StallServer implements AutoCloseable {

    private final ServerSocket server;
    private final List<Socket> held = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final Thread acceptor;

    StallServer() {
        try {
            server = new ServerSocket();
            server.setReceiveBufferSize(64 * 1024);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        acceptor = new Thread(this::acceptLoop, "stall-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                held.add(server.accept());
                accepted.incrementAndGet();
            } catch (IOException e) {
                return;
            }
        }
    }

    String hostPort() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    int accepted() {
        return accepted.get();
    }

    @Override
    public void close() {
        try {
            server.close();
            for (Socket s : held) {
                s.close();
            }
            acceptor.join(5000);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
