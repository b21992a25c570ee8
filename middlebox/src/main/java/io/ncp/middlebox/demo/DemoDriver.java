package io.ncp.middlebox.demo;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Drives {@code sessions} concurrent client sessions through the middlebox, each a pipelined stream of
 * {@code ops} random writes (SET, INCR, LPUSH, HSET, ZADD) on its own key prefix, so that replicas that receive
 * every session's bytes in order end up with the primary's exact data. Every reply is checked for errors.
 */
final class DemoDriver {

    private static final int PIPELINE = 64;

    private final String host;
    private final int port;
    private final int sessions;
    private final int ops;
    private final AtomicLong done = new AtomicLong();

    DemoDriver(String host, int port, int sessions, int ops) {
        this.host = host;
        this.port = port;
        this.sessions = sessions;
        this.ops = ops;
    }

    /** Commands answered so far (all sessions). */
    long done() {
        return done.get();
    }

    /** Runs all sessions to completion (bounded by {@code timeoutSeconds}). */
    void run(long timeoutSeconds) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(sessions, r -> {
            Thread t = new Thread(r, "demo-client");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int s = 0; s < sessions; s++) {
                int id = s;
                futures.add(pool.submit(() -> {
                    session(id);
                    return null;
                }));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            for (Future<?> f : futures) {
                f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private void session(int id) throws IOException {
        SplittableRandom rnd = new SplittableRandom(1000 + id);
        String p = "s" + id + ":";
        try (RespConnection c = new RespConnection(host, port)) {
            int sent = 0;
            while (sent < ops) {
                int batch = Math.min(PIPELINE, ops - sent);
                for (int i = 0; i < batch; i++) {
                    int k = rnd.nextInt(500);
                    switch (rnd.nextInt(5)) {
                        case 0:
                            c.send("SET", p + "str:" + k, "v" + rnd.nextInt(1_000_000));
                            break;
                        case 1:
                            c.send("INCR", p + "ctr:" + k);
                            break;
                        case 2:
                            c.send("LPUSH", p + "list:" + (k % 20), "e" + rnd.nextInt(1000));
                            break;
                        case 3:
                            c.send("HSET", p + "hash:" + (k % 20), "f" + k, "v" + rnd.nextInt(1000));
                            break;
                        default:
                            c.send("ZADD", p + "zset:" + (k % 20), Integer.toString(rnd.nextInt(100_000)), "m" + k);
                            break;
                    }
                }
                c.flush();
                for (int i = 0; i < batch; i++) {
                    String reply = c.read();
                    if (reply != null && reply.startsWith("-")) {
                        throw new IOException("server error in session " + id + ": " + reply);
                    }
                }
                sent += batch;
                done.addAndGet(batch);
            }
        }
    }
}
