package io.ncp.onos.impl;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.Assert.assertNotNull;

/**
 * A real HTTP server on a free loopback port standing in for the middlebox admin API: records every request except
 * {@code GET /health} and answers with the scripted status codes in order (then 200). With {@link #requireToken} it
 * enforces the admin token contract: every request but {@code GET /health} needs {@code Authorization: Bearer
 * <token>}, else 401 with {@code WWW-Authenticate: Bearer realm="ncp"} and {@code {"error": "..."}}.
 * {@code GET /health} answers {@link #healthStatus} (no token needed), or gives no answer to the next
 * {@link #dropHealth} probes (held for {@link #HELD}, longer than any probe timeout of the tests, then the connection
 * is closed: a timeout, not a closed connection, so the client cannot retry the probe on a fresh connection).
 * {@link #stop()} / {@link #restart()} take the server away and bring it back on the same port. Close it after the
 * test.
 */
public final class AdminApiStub implements AutoCloseable {

    /** One received request. */
    public static final class Request {
        public final String method;
        public final String path;
        public final String contentType;
        public final String authorization;
        public final String body;

        Request(String method, String path, String contentType, String authorization, String body) {
            this.method = method;
            this.path = path;
            this.contentType = contentType;
            this.authorization = authorization;
            this.body = body;
        }

        @Override
        public String toString() {
            return method + " " + path + " " + body;
        }
    }

    /** How long a dropped probe is held before its connection is closed. */
    public static final long HELD = 2000;

    private final BlockingQueue<Request> requests = new LinkedBlockingQueue<>();
    private final ExecutorService handlers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "admin-api-stub");
        t.setDaemon(true);
        return t;
    });
    private final ConcurrentLinkedQueue<Integer> script = new ConcurrentLinkedQueue<>();
    private final AtomicInteger healthToDrop = new AtomicInteger();
    private final AtomicInteger healthAnswered = new AtomicInteger();
    private final AtomicInteger healthDropped = new AtomicInteger();
    private final InetSocketAddress address;
    private volatile HttpServer server;
    private volatile String token;
    private volatile int healthStatus = 200;

    public AdminApiStub(Integer... statuses) throws IOException {
        script.addAll(List.of(statuses));
        server = start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        address = server.getAddress();
    }

    private HttpServer start(InetSocketAddress at) throws IOException {
        HttpServer s = HttpServer.create(at, 0);
        s.createContext("/", this::handle);
        s.setExecutor(handlers);
        s.start();
        return s;
    }

    /** {@code 127.0.0.1:port}. */
    public String address() {
        return "127.0.0.1:" + address.getPort();
    }

    /** From now on, requests other than GET /health need this bearer token (null: none needed). */
    public void requireToken(String required) {
        token = required;
    }

    /** The status GET /health answers from now on. */
    public void healthStatus(int status) {
        healthStatus = status;
    }

    /** The next {@code n} GET /health probes get no HTTP answer (the connection is closed). */
    public void dropHealth(int n) {
        healthToDrop.set(n);
    }

    /** GET /health probes answered so far. */
    public int healthAnswered() {
        return healthAnswered.get();
    }

    /** GET /health probes dropped so far. */
    public int healthDropped() {
        return healthDropped.get();
    }

    /** The next request, waiting at most 10 s (fails the test when none comes). */
    public Request next() throws InterruptedException {
        Request r = requests.poll(10, TimeUnit.SECONDS);
        assertNotNull("no request reached the admin API stub within 10 s", r);
        return r;
    }

    /** Requests received and not taken by {@link #next()} yet. */
    public int pending() {
        return requests.size();
    }

    /** Stops the server: connections to its port are refused. */
    public void stop() {
        server.stop(0);
    }

    /** Starts it again on the same port. */
    public void restart() throws IOException {
        server = start(address);
    }

    private void handle(HttpExchange ex) throws IOException {
        String body;
        try (InputStream in = ex.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if ("GET".equals(ex.getRequestMethod()) && "/health".equals(ex.getRequestURI().getPath())) {
            health(ex);
            return;
        }
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        requests.add(new Request(ex.getRequestMethod(), ex.getRequestURI().getPath(),
                ex.getRequestHeaders().getFirst("Content-Type"), auth, body));
        String required = token;
        if (required != null && !("Bearer " + required).equals(auth)) {
            ex.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"ncp\"");
            answer(ex, 401, "{\"error\": \"" + (auth == null ? "missing" : "wrong") + " admin token\"}");
            return;
        }
        Integer status = script.poll();
        answer(ex, status == null ? 200 : status, status == null || status < 300 ? "{}"
                : "{\"error\": \"scripted " + status + "\"}");
    }

    private void health(HttpExchange ex) throws IOException {
        if (healthToDrop.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            healthDropped.incrementAndGet();
            try {
                Thread.sleep(HELD);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.close();
            return;
        }
        healthAnswered.incrementAndGet();
        answer(ex, healthStatus, "{\"status\": \"ok\"}");
    }

    private static void answer(HttpExchange ex, int status, String json) throws IOException {
        byte[] answer = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, answer.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(answer);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow();
    }
}
