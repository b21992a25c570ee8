package io.ncp.middlebox.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ncp.testkit.Binaries;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A headless Chromium (the Debian package) driven over the Chrome DevTools protocol: one page, navigate, evaluate
 * JavaScript, poll a condition with a bounded wait, take a screenshot. Started with a throw-away profile and a
 * DevTools port on loopback only; {@link #close} ends the browser and its child processes by PID.
 */
final class Chromium implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final Path log;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

    private Chromium(Process process, Path log, WebSocket socket) {
        this.process = process;
        this.log = log;
        this.socket = socket;
    }

    /** Starts the browser with its profile in {@code dir} (a fresh, empty directory) and attaches to its page. */
    static Chromium start(Path dir, int width, int height) throws IOException, InterruptedException {
        Path bin = Binaries.require("chromium", "chromium");
        Path profile = Files.createDirectories(dir.resolve("profile"));
        Path log = dir.resolve("chromium.log");
        Process p = new ProcessBuilder(List.of(bin.toString(), "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync",
            "--disable-extensions", "--user-data-dir=" + profile, "--remote-debugging-address=127.0.0.1",
            "--remote-debugging-port=0", "--window-size=" + width + "," + height, "about:blank"))
            .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            int port = devToolsPort(p, profile.resolve("DevToolsActivePort"), log);
            URI page = pageSocket(port, log);
            Chromium[] self = new Chromium[1];
            WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                .buildAsync(page, new Listener(msg -> {
                    if (self[0] != null) {
                        self[0].onMessage(msg);
                    }
                })).get(20, TimeUnit.SECONDS);
            self[0] = new Chromium(p, log, ws);
            self[0].call("Page.enable", null);
            self[0].call("Runtime.enable", null);
            return self[0];
        } catch (IOException | InterruptedException | RuntimeException | ExecutionException | TimeoutException e) {
            stop(p);
            throw new IllegalStateException("could not drive chromium (log " + log + "): " + e, e);
        }
    }

    private static int devToolsPort(Process p, Path file, Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("chromium exited with " + p.exitValue() + ": " + Files.readString(log));
            }
            if (Files.exists(file)) {
                List<String> lines = Files.readAllLines(file);
                if (!lines.isEmpty() && !lines.get(0).isBlank()) {
                    return Integer.parseInt(lines.get(0).strip());
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("chromium wrote no DevToolsActivePort within 30 s");
    }

    private static URI pageSocket(int port, Path log) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
            for (JsonNode t : JSON.readTree(body)) {
                if ("page".equals(t.path("type").asText()) && t.hasNonNull("webSocketDebuggerUrl")) {
                    return URI.create(t.get("webSocketDebuggerUrl").asText());
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("chromium showed no page target within 30 s");
    }

    /** Sends a DevTools command and waits for its result (bounded); an error answer throws. */
    JsonNode call(String method, ObjectNode params) {
        int id = ids.incrementAndGet();
        ObjectNode msg = JSON.createObjectNode().put("id", id).put("method", method);
        if (params != null) {
            msg.set("params", params);
        }
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        try {
            socket.sendText(msg.toString(), true).get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            JsonNode r = answer.get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (r.has("error")) {
                throw new IllegalStateException(method + " failed: " + r.get("error"));
            }
            return r.path("result");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + method, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(method + " got no answer within " + CALL_TIMEOUT + ": " + e, e);
        } finally {
            pending.remove(id);
        }
    }

    private void onMessage(String text) {
        try {
            JsonNode m = JSON.readTree(text);
            if (m.has("id")) {
                CompletableFuture<JsonNode> f = pending.get(m.get("id").asInt());
                if (f != null) {
                    f.complete(m);
                }
            }
        } catch (IOException ignored) {
            // not JSON: nothing waits for it
        }
    }

    /** Loads {@code url} in the page. */
    void navigate(String url) {
        call("Page.navigate", JSON.createObjectNode().put("url", url));
    }

    /** Evaluates {@code expression} in the page; its value as text (JSON for objects). */
    String eval(String expression) {
        JsonNode r = call("Runtime.evaluate", JSON.createObjectNode().put("expression", expression)
            .put("returnByValue", true).put("awaitPromise", true));
        if (r.has("exceptionDetails")) {
            throw new IllegalStateException("page threw on '" + expression + "': " + r.get("exceptionDetails"));
        }
        JsonNode v = r.path("result").path("value");
        return v.isTextual() ? v.asText() : v.toString();
    }

    /**
     * Polls {@code condition} (a JavaScript boolean expression) every 200 ms until true; after {@code timeout} fails
     * naming {@code what} and showing the page's text.
     */
    void await(String what, String condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = null;
        while (System.nanoTime() < deadline) {
            try {
                if ("true".equals(eval("Boolean(" + condition + ")"))) {
                    return;
                }
            } catch (IllegalStateException e) { // e.g. the page is navigating: try again
                last = e.getMessage();
            }
            Thread.sleep(200);
        }
        throw new AssertionError("timed out after " + timeout + " waiting for " + what + (last == null ? ""
            : " (last error: " + last + ")") + "; the page shows: " + eval("document.body.innerText"));
    }

    /** A PNG of the page (the viewport given at start). */
    byte[] screenshot() {
        JsonNode r = call("Page.captureScreenshot", JSON.createObjectNode().put("format", "png"));
        return Base64.getDecoder().decode(r.get("data").asText());
    }

    @Override
    public void close() {
        socket.abort();
        stop(process);
    }

    /** Ends the browser and every process it started, by PID (children first), bounded. */
    private static void stop(Process p) {
        List<ProcessHandle> children = p.descendants().toList();
        p.destroy();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (ProcessHandle c : children) {
            if (c.isAlive()) {
                c.destroyForcibly();
            }
        }
    }

    /** Path of the browser's own log (for failure messages). */
    Path log() {
        return log;
    }

    /** Collects text frames (a message may come in parts) and hands each whole one on. */
    private static final class Listener implements WebSocket.Listener {
        private final java.util.function.Consumer<String> sink;
        private final StringBuilder partial = new StringBuilder();

        Listener(java.util.function.Consumer<String> sink) {
            this.sink = sink;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String whole = partial.toString();
                partial.setLength(0);
                sink.accept(whole);
            }
            ws.request(1);
            return null;
        }
    }
}
