package io.ncp.middlebox.it;

import java.io.IOException;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A TCP server that accepts connections and never reads from them (a stalled replica); counts accepts. */
final class StallServer extends LoopbackServer {

    private final List<Socket> held = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();

    StallServer() {
        super("stall-server", 64 * 1024);
        start();
    }

    @Override
    protected void onAccept(Socket s) {
        held.add(s);
        accepted.incrementAndGet();
    }

    int accepted() {
        return accepted.get();
    }

    @Override
    protected void closeConnections() throws IOException {
        for (Socket s : held) {
            s.close();
        }
    }
}
