package io.ncp.middlebox.it;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads and counts every byte, never answers, and keeps each connection open after the peer's FIN until
 * {@link #close()}: a primary whose sessions end at the client's side only.
 */
final class HoldOpenServer extends LoopbackServer {

    private final List<Socket> held = new CopyOnWriteArrayList<>();
    private final AtomicLong received = new AtomicLong();

    HoldOpenServer() {
        super("hold-open-server", 0);
        start();
    }

    @Override
    protected void onAccept(Socket s) {
        held.add(s);
        Thread t = new Thread(() -> drain(s), "hold-open");
        t.setDaemon(true);
        t.start();
    }

    private void drain(Socket s) {
        try {
            InputStream in = s.getInputStream();
            byte[] buf = new byte[16384];
            for (int n; (n = in.read(buf)) > 0;) {
                received.addAndGet(n);
            }
        } catch (IOException ignored) {
            // closed by close()
        }
    }

    long received() {
        return received.get();
    }

    @Override
    protected void closeConnections() throws IOException {
        for (Socket s : held) {
            s.close();
        }
    }
}
