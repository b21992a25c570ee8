package io.ncp.middlebox.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A user-space TCP proxy on 127.0.0.1 in front of one server, that cuts off chosen SOURCE addresses: reachability
 * that differs per client without root (each middlebox probes from its own 127.0.0.x, {@code probeBind}). A blocked
 * source's connection is accepted and then reset ({@link Block#RESET}) or held open without a byte forwarded or
 * answered ({@link Block#SILENT}: a black hole, the probe times out); any other is forwarded both ways to the server by
 * two threads, each half-closing the other side at end of stream. Every socket is closed by {@link #close()}.
 */
final class SourceFilterProxy extends LoopbackServer {

    /** What a blocked source gets. */
    enum Block {
        RESET, SILENT
    }

    private final InetSocketAddress target;
    private final Map<String, Block> blocked = new ConcurrentHashMap<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger cutOff = new AtomicInteger();

    SourceFilterProxy(String targetHostPort) {
        super("source-filter-proxy", 0);
        int colon = targetHostPort.lastIndexOf(':');
        this.target = new InetSocketAddress(targetHostPort.substring(0, colon),
            Integer.parseInt(targetHostPort.substring(colon + 1)));
        start();
    }

    /** Connections from {@code sourceIp} (e.g. {@code 127.0.0.2}) get {@code how} from now on. */
    void block(String sourceIp, Block how) {
        blocked.put(sourceIp, how);
    }

    /** Connections from blocked sources so far. */
    int cutOff() {
        return cutOff.get();
    }

    String address() {
        return hostPort();
    }

    @Override
    protected void onAccept(Socket client) throws IOException {
        Block b = blocked.get(client.getInetAddress().getHostAddress());
        if (b == Block.RESET) {
            cutOff.incrementAndGet();
            client.setSoLinger(true, 0);
            client.close();
            return;
        }
        sockets.add(client);
        if (b == Block.SILENT) {
            cutOff.incrementAndGet();
            pump(client, null, new AtomicInteger(1)); // read and drop until the prober gives up and closes
            return;
        }
        Socket server = new Socket();
        sockets.add(server);
        try {
            server.connect(target, 5000);
        } catch (IOException e) {
            closeQuietly(server);
            sockets.remove(server);
            throw e;
        }
        AtomicInteger open = new AtomicInteger(2);
        pump(client, server, open);
        pump(server, client, open);
    }

    /**
     * Copies {@code from} to {@code to} (null: drops it) on a daemon thread until end of stream, then half-closes
     * {@code to}; the last of a pair's {@code open} directions to end closes both sockets, an error closes both at
     * once.
     */
    private void pump(Socket from, Socket to, AtomicInteger open) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16 * 1024];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to == null ? null : to.getOutputStream();
                int n;
                while ((n = in.read(buf)) >= 0) {
                    if (out != null) {
                        out.write(buf, 0, n);
                    }
                }
                if (to != null) {
                    to.shutdownOutput();
                }
                if (open.decrementAndGet() == 0) {
                    done(from, to);
                }
            } catch (IOException e) {
                done(from, to);
            }
        }, "proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private void done(Socket a, Socket b) {
        for (Socket s : new Socket[] {a, b}) {
            if (s != null) {
                closeQuietly(s);
                sockets.remove(s);
            }
        }
    }

    @Override
    protected void closeConnections() {
        for (Socket s : sockets) {
            closeQuietly(s);
        }
    }
}
