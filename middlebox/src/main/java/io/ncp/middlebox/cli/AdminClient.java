package io.ncp.middlebox.cli;

import io.ncp.middlebox.config.AdminConfig;
import io.ncp.middlebox.config.ConfigException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The command line's client of a running middlebox's admin API: base URL ({@code --admin}, default
 * {@code http://127.0.0.1:9090}) and the bearer token from its file ({@code --admin-token-file}, default
 * {@code ~/.ncp/admin-token}). Errors are {@link ConfigException}s naming the option, or {@link IllegalStateException}s
 * saying what the middlebox answered.
 */
final class AdminClient {

    private final URI base;
    private final Path tokenFile;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    AdminClient(String admin, String tokenFile) {
        String a = admin == null ? "http://" + AdminConfig.DEFAULT_ADDRESS : admin;
        if (!a.contains("://")) {
            a = "http://" + a;
        }
        try {
            this.base = URI.create(a.endsWith("/") ? a : a + "/");
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--admin", "'" + admin + "' is not a URL or HOST:PORT");
        }
        this.tokenFile = tokenFile == null ? AdminConfig.defaultTokenFile() : Path.of(tokenFile);
    }

    /** POSTs {@code body} (JSON) to {@code path}; returns the answer's body on 2xx. */
    String post(String path, String body) {
        return send(HttpRequest.newBuilder(base.resolve(path)).POST(HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", "application/json"));
    }

    /** The admin API's base URL. */
    java.net.URI base() {
        return base;
    }

    /** GETs {@code path}; returns the answer's body on 2xx. */
    String get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    private String send(HttpRequest.Builder b) {
        HttpRequest req = b.header("Authorization", "Bearer " + token()).timeout(Duration.ofSeconds(15)).build();
        HttpResponse<String> r;
        try {
            r = http.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("admin API " + base + " unreachable: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException(req.method() + " " + req.uri() + " answered " + r.statusCode() + ": "
                + r.body().strip());
        }
        return r.body();
    }

    private String token() {
        try {
            String t = Files.readString(tokenFile).strip();
            int nl = t.indexOf('\n');
            return nl < 0 ? t : t.substring(0, nl).strip();
        } catch (NoSuchFileException e) {
            throw new ConfigException("--admin-token-file", "'" + tokenFile + "' does not exist (the middlebox "
                + "creates it on start; give the file it uses)");
        } catch (IOException e) {
            throw new ConfigException("--admin-token-file", "cannot read '" + tokenFile + "': " + e.getMessage());
        }
    }
}
