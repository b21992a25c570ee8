package io.ncp.onos.impl;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.Assert.assertNotNull;

/**
 * A real HTTP server on a free loopback port standing in for the middlebox admin API: records every request and
 * answers with the scripted status codes in order (then 200). Close it after the test.
 */
public final class AdminApiStub implements AutoCloseable {

    /** One received request. */
    public static final class Request {
        public final String method;
        public final String path;
        public final String contentType;
        public final String body;

        Request(String method, String path, String contentType, String body) {
            this.method = method;
            this.path = path;
            this.contentType = contentType;
            this.body = body;
        }

        @Override
        public String toString() {
            return method + " " + path + " " + body;
        }
    }

    private final HttpServer server;
    private final BlockingQueue<Request> requests = new LinkedBlockingQueue<>();
    private final ConcurrentLinkedQueue<Integer> script = new ConcurrentLinkedQueue<>();

    public AdminApiStub(Integer... statuses) throws IOException {
        script.addAll(java.util.List.of(statuses));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** {@code 127.0.0.1:port}. */
    public String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** The next request, waiting at most 10 s (fails the test when none comes). */
    public Request next() throws InterruptedException {
        Request r = requests.poll(10, TimeUnit.SECONDS);
        assertNotNull("no request reached the admin API stub within 10 s", r);
        return r;
    }

    private void handle(HttpExchange ex) throws IOException {
        String body;
        try (InputStream in = ex.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        requests.add(new Request(ex.getRequestMethod(), ex.getRequestURI().getPath(),
                ex.getRequestHeaders().getFirst("Content-Type"), body));
        Integer status = script.poll();
        byte[] answer = (status == null || status < 300 ? "{}" : "{\"error\": \"scripted " + status + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status == null ? 200 : status, answer.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(answer);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
