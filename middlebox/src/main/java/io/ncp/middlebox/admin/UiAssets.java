package io.ncp.middlebox.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The status page's files, shipped in the jar ({@code io/ncp/middlebox/admin/ui/}): {@code GET /} is the page,
 * {@code /ui/status.js} and {@code /ui/status.css} its script and style. They carry no data and no secret, so they are
 * served without the token; everything the page shows comes from {@code /stats} and {@code /stats/history}, which the
 * page fetches with {@code Authorization: Bearer} (the token is asked once and kept in the tab's sessionStorage).
 * Immutable; loaded once.
 */
final class UiAssets {

    /** A file: its bytes and content type. */
    record Asset(byte[] body, String type) {
    }

    private static final Map<String, Asset> ASSETS = Map.of(
        "/", load("index.html", "text/html; charset=utf-8"),
        "/ui/status.js", load("status.js", "text/javascript; charset=utf-8"),
        "/ui/status.css", load("status.css", "text/css; charset=utf-8"));

    /**
     * What the page may do: scripts, styles and fetches from this origin only, no frames, no forms posting elsewhere.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
        + "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private UiAssets() {
    }

    /** The asset at {@code path}, or null. */
    static Asset get(String path) {
        return ASSETS.get(path);
    }

    private static Asset load(String name, String type) {
        try (InputStream in = UiAssets.class.getResourceAsStream("ui/" + name)) {
            if (in == null) {
                throw new IllegalStateException("status page file ui/" + name + " missing from the jar");
            }
            return new Asset(in.readAllBytes(), type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
