package io.ncp.onos.impl;

import static org.onlab.util.Tools.groupedThreads;

import io.ncp.onos.api.ReplicationStatus.PushState;
import io.ncp.onos.planner.HostPort;
import io.ncp.onos.planner.ReplicationSpec;
import io.ncp.onos.planner.io.MiddleboxServiceJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes specs to the middlebox admin API (ARCHITECTURE "Contracts"): {@code PUT /services/{name}} with the
 * service object of {@link MiddleboxServiceJson}, {@code DELETE /services/{name}} on removal. Calls never block
 * the caller: each is queued on this client's own thread; a failure (I/O, timeout, 5xx) is logged and retried with
 * doubling delays up to {@code maxRetry}, until it succeeds or a newer push/delete for the same name supersedes it.
 * A 4xx answer means the middlebox rejects the spec: it is logged with the body and not retried (404 on DELETE
 * counts as done).
 *
 * <p>Admin token: every request carries {@code Authorization: Bearer <token>}, the token being the first line of
 * the spec's {@code middlebox.adminTokenFile}, else of the app-wide default file ({@link #setDefaultTokenFile});
 * with neither, no header is sent. The file is read at each attempt (a rotated token is picked up) and the token is
 * never logged. A missing/unreadable/empty file is {@link PushState#TOKEN_ERROR}, retried with the doubling delay;
 * a 401 answer is {@link PushState#TOKEN_REFUSED} ("middlebox refused the admin token"), retried every
 * {@code maxRetry} only (a wrong token does not fix itself quickly; a new push for the name starts over at once).
 * Repeated identical failures are logged once, then at debug level.
 *
 * <p>Threading: {@link #push}, {@link #delete}, {@link #status} and the setters are thread-safe; HTTP calls and
 * the {@link #onPushed} listener run on the single {@code onos-ncp-middlebox-0} thread.
 */
public final class MiddleboxClient {

    private static final Logger LOG = LoggerFactory.getLogger(MiddleboxClient.class);

    private final HttpClient http;
    private final Duration requestTimeout;
    private final Duration firstRetry;
    private final Duration maxRetry;
    private final ScheduledThreadPoolExecutor thread;
    private final Map<String, Operation> current = new ConcurrentHashMap<>();
    private volatile boolean closing;
    private volatile String defaultTokenFile;
    private volatile Consumer<String> pushedListener = name -> { };

    /**
     * @param requestTimeout bound on each HTTP exchange
     * @param firstRetry     delay before the first retry
     * @param maxRetry       cap of the doubling retry delay
     */
    public MiddleboxClient(Duration requestTimeout, Duration firstRetry, Duration maxRetry) {
        this.requestTimeout = requestTimeout;
        this.firstRetry = firstRetry;
        this.maxRetry = maxRetry;
        this.http = HttpClient.newBuilder().connectTimeout(requestTimeout).build();
        this.thread = new ScheduledThreadPoolExecutor(1, groupedThreads("onos/ncp", "middlebox-%d", LOG));
        this.thread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** Defaults: 5 s per request, retries after 1 s doubling up to 60 s. */
    public static MiddleboxClient withDefaults() {
        return new MiddleboxClient(Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(60));
    }

    /**
     * The token file for specs without {@code middlebox.adminTokenFile} (an absolute path), or null/empty for none.
     * Used from the next attempt on.
     */
    public void setDefaultTokenFile(String file) {
        defaultTokenFile = file == null || file.isEmpty() ? null : file;
    }

    /** Called with the spec name each time the middlebox accepted the latest PUT for it (client thread). */
    public void onPushed(Consumer<String> listener) {
        pushedListener = listener;
    }

    /** Queues {@code PUT /services/{name}} (nothing when the spec has no admin address). */
    public void push(ReplicationSpec spec) {
        push(spec, null);
    }

    /**
     * Queues {@code PUT /services/{name}}; a non-null {@code staleReason} asks the middlebox to mark every replica of
     * the service STALE ({@code "join": "stale"}: clients bypassed it, e.g. during fail-open).
     */
    public void push(ReplicationSpec spec, String staleReason) {
        HostPort admin = spec.middlebox().admin();
        if (admin == null) {
            current.remove(spec.name());
            return;
        }
        start(new Operation(spec.name(), "PUT", admin, spec.middlebox().adminTokenFile(),
                MiddleboxServiceJson.of(spec, staleReason).toString()));
    }

    /** Queues {@code DELETE /services/{name}} (nothing when the spec has no admin address). */
    public void delete(ReplicationSpec spec) {
        HostPort admin = spec.middlebox().admin();
        if (admin == null) {
            current.remove(spec.name());
            return;
        }
        start(new Operation(spec.name(), "DELETE", admin, spec.middlebox().adminTokenFile(), null));
    }

    /** The state of the latest push for {@code name}; empty when none (or its deletion completed). */
    public Optional<Status> status(String name) {
        Operation op = current.get(name);
        return op == null || op.delete() ? Optional.empty() : Optional.of(new Status(op.state, op.lastError,
                op.attempts));
    }

    /**
     * Stops retrying: operations already due still run (e.g. the DELETEs queued by a deactivation), for at most
     * {@code grace}; pending retries are dropped.
     */
    public void close(Duration grace) {
        closing = true;
        thread.shutdown();
        try {
            if (!thread.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("NCP middlebox client: operations still running after {}, abandoned", grace);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            thread.shutdownNow();
        }
    }

    private void start(Operation op) {
        current.put(op.name, op);
        schedule(op, Duration.ZERO, firstRetry);
    }

    private void schedule(Operation op, Duration delay, Duration nextDelay) {
        try {
            thread.schedule(() -> attempt(op, nextDelay), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.warn("NCP middlebox client closed: {} {} abandoned", op.method, op.uri);
        }
    }

    private void attempt(Operation op, Duration nextDelay) {
        if (current.get(op.name) != op) {
            return;
        }
        op.attempts++;
        String tokenFile = op.tokenFile != null ? op.tokenFile : defaultTokenFile;
        try {
            HttpRequest.Builder req = HttpRequest.newBuilder(op.uri).timeout(requestTimeout);
            if (tokenFile != null) {
                req.header("Authorization", "Bearer " + AdminToken.read(tokenFile));
            }
            if (op.body != null) {
                req.header("Content-Type", "application/json")
                        .method(op.method, HttpRequest.BodyPublishers.ofString(op.body));
            } else {
                req.method(op.method, HttpRequest.BodyPublishers.noBody());
            }
            HttpResponse<String> resp = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
            int code = resp.statusCode();
            if (code / 100 == 2 || op.delete() && code == 404) {
                LOG.info("NCP middlebox: {} {} -> {}", op.method, op.uri, code);
                done(op, PushState.PUSHED, null);
                return;
            }
            if (code == 401) {
                String why = tokenFile == null ? "middlebox refused the request: it needs an admin token and none is "
                        + "configured (middlebox.adminTokenFile or the app's adminTokenFile)"
                        : "middlebox refused the admin token from " + tokenFile;
                retry(op, PushState.TOKEN_REFUSED, why + " (HTTP 401: " + resp.body() + ")", maxRetry);
                return;
            }
            if (code / 100 == 4) {
                LOG.error("NCP middlebox rejected {} {}: HTTP {} {}", op.method, op.uri, code, resp.body());
                done(op, PushState.REJECTED, "HTTP " + code + ": " + resp.body());
                return;
            }
            throw new IOException("HTTP " + code + ": " + resp.body());
        } catch (AdminToken.TokenFileException e) {
            retry(op, PushState.TOKEN_ERROR, e.getMessage(), nextDelay);
        } catch (IOException e) {
            retry(op, PushState.PENDING, e.toString(), nextDelay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            retry(op, PushState.PENDING, "interrupted", nextDelay);
        }
    }

    private void done(Operation op, PushState state, String error) {
        op.state = state;
        op.lastError = error;
        if (op.delete() && state == PushState.PUSHED) {
            current.remove(op.name, op);
        } else if (state == PushState.PUSHED && current.get(op.name) == op) {
            try {
                pushedListener.accept(op.name);
            } catch (RuntimeException e) {
                LOG.warn("NCP middlebox: push listener failed for '{}'", op.name, e);
            }
        }
    }

    /** Records the failure and schedules the next attempt after {@code delay} (doubling up to maxRetry). */
    private void retry(Operation op, PushState state, String error, Duration delay) {
        boolean repeated = error.equals(op.lastError);
        op.state = state;
        op.lastError = error;
        if (closing) {
            LOG.warn("NCP middlebox: {} {} failed ({}), not retried: shutting down", op.method, op.uri, error);
            return;
        }
        if (repeated) {
            LOG.debug("NCP middlebox: {} {} failed again ({}), retry {} in {} ms", op.method, op.uri, error,
                    op.attempts + 1, delay.toMillis());
        } else {
            LOG.warn("NCP middlebox: {} {} failed ({}), retry {} in {} ms", op.method, op.uri, error,
                    op.attempts + 1, delay.toMillis());
        }
        Duration next = delay.multipliedBy(2).compareTo(maxRetry) > 0 ? maxRetry : delay.multipliedBy(2);
        schedule(op, delay, next);
    }

    /** The state of one push, as reported by {@link #status}. Immutable. */
    public static final class Status {
        private final PushState state;
        private final String lastError;
        private final int attempts;

        Status(PushState state, String lastError, int attempts) {
            this.state = state;
            this.lastError = lastError;
            this.attempts = attempts;
        }

        /**
         * PENDING until the middlebox accepted (PUSHED) or rejected (REJECTED) it; TOKEN_ERROR / TOKEN_REFUSED
         * while the admin token file cannot be read / the middlebox answers 401.
         */
        public PushState state() {
            return state;
        }

        /** The last failure, or null. */
        public String lastError() {
            return lastError;
        }

        /** Attempts so far. */
        public int attempts() {
            return attempts;
        }
    }

    /** One PUT or DELETE; its mutable fields are written by the client thread only. */
    private static final class Operation {
        final String name;
        final String method;
        final URI uri;
        final String tokenFile;
        final String body;
        volatile PushState state = PushState.PENDING;
        volatile String lastError;
        volatile int attempts;

        Operation(String name, String method, HostPort admin, String tokenFile, String body) {
            this.name = name;
            this.method = method;
            this.uri = URI.create("http://" + admin + "/services/" + name);
            this.tokenFile = tokenFile;
            this.body = body;
        }

        boolean delete() {
            return "DELETE".equals(method);
        }
    }
}
