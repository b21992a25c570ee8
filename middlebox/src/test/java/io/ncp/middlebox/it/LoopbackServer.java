package io.ncp.middlebox.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A blocking TCP server on 127.0.0.1 (ephemeral port) for integration tests: one daemon acceptor thread hands every
 * accepted socket to {@link #onAccept}. Subclasses call {@link #start()} as the last statement of their constructor,
 * so their own fields exist before the first connection arrives.
 */
abstract class LoopbackServer implements AutoCloseable {

    private final ServerSocket server;
    private final String name;
    private Thread acceptor;

    /** @param receiveBuffer SO_RCVBUF for accepted sockets in bytes, or 0 for the system default */
    LoopbackServer(String name, int receiveBuffer) {
        this.name = name;
        try {
            server = new ServerSocket();
            if (receiveBuffer > 0) {
                server.setReceiveBufferSize(receiveBuffer);
            }
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts accepting; call once, last in the subclass constructor. */
    protected final void start() {
        acceptor = new Thread(this::acceptLoop, name);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            try {
                onAccept(s);
            } catch (IOException e) {
                closeQuietly(s); // this connection failed (e.g. the peer reset it); keep accepting
            }
        }
    }

    /**
     * Serves one accepted connection, on the acceptor thread (hand it to another thread to serve several at once).
     * The subclass owns {@code s}: it closes it, or keeps it and closes it in {@link #closeConnections()}.
     */
    protected abstract void onAccept(Socket s) throws IOException;

    /** Closes the connections the subclass kept open; called by {@link #close()} after the listener is closed. */
    protected void closeConnections() throws IOException {
    }

    final String hostPort() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    @Override
    public void close() {
        try {
            server.close();
            closeConnections();
            if (acceptor != null) {
                acceptor.join(5000);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already broken
        }
    }
}
