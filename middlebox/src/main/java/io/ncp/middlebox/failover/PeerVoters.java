package io.ncp.middlebox.failover;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ncp.middlebox.config.FailoverConfig;
import io.ncp.middlebox.config.HostPort;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Voters that are peer middleboxes: each one is asked over its admin API ({@code POST /vote}) to probe the primary
 * itself, with the same request, expected answer, timeout and number of probes, and the majority of all voters (the
 * peers and this middlebox, which already says down) decides ({@link VoteTally}). A peer that has not answered within
 * {@link #answerBound} counts as not down.
 *
 * <p>Threading: the HTTP calls run on {@code executor} (through the HTTP client) and never on the prober's loop; each
 * answer hops onto {@link Prober#loop()}, where it is counted and where the verdict is delivered.
 */
public final class PeerVoters implements Voters {

    /** The longest a voter probes for one vote: {@code timeoutMillis x misses} asked for is at most this. */
    public static final long MAX_VOTE_MILLIS = 60_000;

    /** Added to a vote's probing time for the HTTP exchange and scheduling. */
    static final Duration SLACK = Duration.ofSeconds(1);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<URI> peers;
    private final List<String> names;
    private final Path tokenFile;
    private final HttpClient http;
    private final Executor executor;

    /**
     * @param urls      the peers' admin API base URLs ({@code http(s)://HOST:PORT/})
     * @param tokenFile the file whose first line is the peers' bearer token; null: no token is sent
     * @param http      the client (its executor runs the calls)
     * @param executor  where the token file is read and the calls are started
     */
    public PeerVoters(List<String> urls, Path tokenFile, HttpClient http, Executor executor) {
        this.names = List.copyOf(urls);
        this.peers = new ArrayList<>();
        for (String u : urls) {
            peers.add(URI.create(u.endsWith("/") ? u : u + "/").resolve("vote"));
        }
        this.tokenFile = tokenFile;
        this.http = http;
        this.executor = executor;
    }

    /** The per-probe timeout asked of a voter: the service's, within 1 ms .. {@link #MAX_VOTE_MILLIS}. */
    static long timeoutMillis(FailoverConfig cfg) {
        return Math.max(1, Math.min(cfg.timeout().toMillis(), MAX_VOTE_MILLIS));
    }

    /** The probes asked of a voter: the service's {@code misses}, fewer when they would take over the maximum. */
    static int misses(FailoverConfig cfg) {
        return (int) Math.max(1, Math.min(cfg.misses(), MAX_VOTE_MILLIS / timeoutMillis(cfg)));
    }

    /** How long a vote waits for the peers: their probing time plus {@link #SLACK}. */
    public static Duration answerBound(FailoverConfig cfg) {
        return Duration.ofMillis(timeoutMillis(cfg) * misses(cfg)).plus(SLACK);
    }

    @Override
    public void confirm(HostPort primary, FailoverConfig cfg, Prober prober, Consumer<Verdict> verdict) {
        EventLoop loop = prober.loop();
        VoteTally tally = new VoteTally(names);
        Duration bound = answerBound(cfg);
        loop.execute(() -> {
            ScheduledFuture<?>[] timer = new ScheduledFuture<?>[1];
            Runnable deliver = () -> {
                Verdict v = tally.take();
                if (v != null) {
                    if (timer[0] != null) {
                        timer[0].cancel(false);
                    }
                    verdict.accept(v);
                }
            };
            timer[0] = loop.schedule(() -> {
                tally.giveUp("no answer within " + bound.toMillis() + " ms");
                deliver.run();
            }, bound.toMillis(), TimeUnit.MILLISECONDS);
            deliver.run(); // no peers: decided at once
            String body = request(primary, cfg);
            Runnable ask = () -> ask(body, bound, (i, vote, detail) -> hop(loop, () -> {
                tally.record(i, vote, detail);
                deliver.run();
            }));
            try {
                executor.execute(ask);
            } catch (RejectedExecutionException closing) {
                tally.giveUp("the middlebox is closing");
                deliver.run();
            }
        });
    }

    /** Runs on {@code executor}: reads the token and starts every call; each answer goes to {@code answers}. */
    private void ask(String body, Duration bound, Answers answers) {
        String token;
        try {
            token = tokenFile == null ? null : token(tokenFile);
        } catch (IOException | RuntimeException e) {
            for (int i = 0; i < peers.size(); i++) {
                answers.answer(i, VoteTally.Vote.NO_ANSWER, "not asked: cannot read the token file " + tokenFile
                    + ": " + e.getMessage());
            }
            return;
        }
        for (int i = 0; i < peers.size(); i++) {
            int peer = i;
            HttpRequest.Builder req = HttpRequest.newBuilder(peers.get(i)).timeout(bound)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
            if (token != null) {
                req.header("Authorization", "Bearer " + token);
            }
            try {
                http.sendAsync(req.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                    .whenComplete((resp, err) -> answer(peer, resp, err, answers));
            } catch (RuntimeException e) { // the client refused to start it (closing)
                answers.answer(peer, VoteTally.Vote.NO_ANSWER, e.toString());
            }
        }
    }

    private static void answer(int peer, HttpResponse<String> resp, Throwable err, Answers answers) {
        if (err != null) {
            Throwable c = err.getCause() != null ? err.getCause() : err;
            answers.answer(peer, VoteTally.Vote.NO_ANSWER, c.getClass().getSimpleName() + (c.getMessage() == null
                ? "" : ": " + c.getMessage()));
            return;
        }
        JsonNode n;
        try {
            n = JSON.readTree(resp.body());
        } catch (IOException e) {
            n = null;
        }
        if (resp.statusCode() != 200 || n == null || !n.path("reachable").isBoolean()) {
            String error = n != null && n.path("error").isTextual() ? n.get("error").asText() : "not a vote";
            answers.answer(peer, VoteTally.Vote.NO_ANSWER, "HTTP " + resp.statusCode() + ": " + error);
            return;
        }
        answers.answer(peer, n.get("reachable").asBoolean() ? VoteTally.Vote.UP : VoteTally.Vote.DOWN,
            n.path("detail").asText(""));
    }

    private static void hop(EventLoop loop, Runnable r) {
        try {
            loop.execute(r);
        } catch (RejectedExecutionException closing) {
            // the prober is closed: nobody waits for the verdict any more
        }
    }

    /** The vote request's body (docs/admin-api.md, {@code POST /vote}). */
    static String request(HostPort primary, FailoverConfig cfg) {
        Base64.Encoder b64 = Base64.getEncoder();
        ObjectNode o = JSON.createObjectNode()
            .put("address", primary.toString())
            .put("send", cfg.send() == null ? null : b64.encodeToString(cfg.send()))
            .put("expect", cfg.expect() == null ? null : b64.encodeToString(cfg.expect()))
            .put("timeoutMillis", timeoutMillis(cfg))
            .put("misses", misses(cfg));
        return o.toString();
    }

    /** The first line of {@code file}, stripped. */
    static String token(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8).strip();
        int nl = text.indexOf('\n');
        String first = (nl < 0 ? text : text.substring(0, nl)).strip();
        if (first.isEmpty()) {
            throw new IOException("it is empty");
        }
        return first;
    }

    /** Where a peer's answer goes (any thread). */
    @FunctionalInterface
    private interface Answers {
        void answer(int peer, VoteTally.Vote vote, String detail);
    }
}
