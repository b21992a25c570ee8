package io.ncp.middlebox.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.ncp.middlebox.config.Units;
import io.ncp.middlebox.view.StatsLine;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders {@code /stats} (and optionally {@code /stats/history}) as the terminal status: a line per service, then one
 * line per backend (primary, replicas) with health, consistency, lag in bytes and seconds, divergent/compared,
 * damaged, missed, dropped and order waits, and the reason when a backend is not UP and IN_SYNC. Pure: no I/O.
 */
final class StatusView {

    private static final String RESET = "\u001b[0m";
    private static final String GREEN = "\u001b[32m";
    private static final String YELLOW = "\u001b[33m";
    private static final String RED = "\u001b[31m";
    private static final String BOLD = "\u001b[1m";
    private static final String DIM = "\u001b[2m";

    private final boolean color;

    /** @param color ANSI colours (a terminal) */
    StatusView(boolean color) {
        this.color = color;
    }

    /** The lines for {@code stats}; {@code history} may be null (no rates then). */
    List<String> render(JsonNode stats, JsonNode history, Instant now) {
        List<String> out = new ArrayList<>();
        JsonNode services = stats.path("services");
        if (services.isEmpty()) {
            out.add("no service is configured");
        }
        for (JsonNode svc : services) {
            String name = svc.path("name").asText();
            JsonNode h = history == null ? null : history.path("services").path(name);
            String st = status(svc);
            out.add(paint(BOLD, name) + "  " + paint(colour(st), st) + "  listen " + svc.path("listen").asText("-")
                + "  sessions " + svc.path("active").asLong() + " open / " + svc.path("sessions").asLong()
                + (h == null ? "" : "  in " + rate(last(h.path("inBps"))) + "  out " + rate(last(h.path("outBps"))))
                + failover(svc));
            out.add(String.format(Locale.ROOT, "  %-8s %-22s %s", "primary", svc.path("primary").asText(),
                paint(colour(svc.path("primaryHealth").asText()), svc.path("primaryHealth").asText()))
                + ("UP".equals(svc.path("primaryHealth").asText()) ? ""
                : paint(DIM, " - " + svc.path("primaryHealthReason").asText(""))));
            for (JsonNode r : svc.path("replicas")) {
                out.add(replica(r, now));
            }
        }
        return out;
    }

    private String replica(JsonNode r, Instant now) {
        String health = r.path("health").asText();
        String cons = r.path("consistency").asText();
        String since = "";
        if (!"IN_SYNC".equals(cons) && r.hasNonNull("consistencySince")) {
            since = " " + age(Duration.between(Instant.parse(r.path("consistencySince").asText()), now));
        }
        String lag = Units.formatSize(r.path("backlogBytes").asLong()) + "/" + lagSeconds(r);
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "  %-8s %-22s %s %s lag %s div %d/%d dmg %d "
            + "miss %d drop %d wait %d/%s", "replica", r.path("address").asText(),
            paint(colour(health), pad(health, 4)),
            paint(colour(cons), pad(cons + since, 16)), lag, r.path("divergent").asLong(), r.path("compared").asLong(),
            r.path("damaged").asLong(), r.path("missed").asLong(),
            r.path("lagging").asLong() + r.path("stalled").asLong(), r.path("orderWaits").asLong(),
            seconds(r.path("orderWaitMillis").asLong() / 1000.0)));
        if (!"UP".equals(health) || !"IN_SYNC".equals(cons)) {
            String why = !"IN_SYNC".equals(cons) ? r.path("consistencyReason").asText("")
                : r.path("healthReason").asText("");
            sb.append(paint(DIM, " - " + why));
        }
        return sb.toString();
    }

    private static String failover(JsonNode svc) {
        if ("off".equals(svc.path("failover").asText("off"))) {
            return "";
        }
        return "  failover " + svc.path("failover").asText() + " epoch " + svc.path("epoch").asLong()
            + (svc.path("failovers").isEmpty() ? "" : " (" + svc.path("failovers").size() + " failovers)");
    }

    /** The service's status as {@code /health} computes it. */
    static String status(JsonNode svc) {
        if ("DOWN".equals(svc.path("primaryHealth").asText())) {
            return "down";
        }
        for (JsonNode r : svc.path("replicas")) {
            if (!"UP".equals(r.path("health").asText()) || !"IN_SYNC".equals(r.path("consistency").asText())) {
                return "degraded";
            }
        }
        return "ok";
    }

    private static String lagSeconds(JsonNode r) {
        if (!r.has("lagSeconds")) {
            return "-";
        }
        return r.get("lagSeconds").isNull() ? "inf" : seconds(r.get("lagSeconds").asDouble());
    }

    static String seconds(double s) {
        if (s < 1) {
            return String.format(Locale.ROOT, "%.0fms", s * 1000);
        }
        return String.format(Locale.ROOT, s < 100 ? "%.1fs" : "%.0fs", s);
    }

    private static String age(Duration d) {
        long s = Math.max(0, d.getSeconds());
        return s < 120 ? s + "s" : s < 7200 ? s / 60 + "m" : s / 3600 + "h";
    }

    private static double last(JsonNode series) {
        for (int i = series.size() - 1; i >= 0; i--) {
            if (!series.get(i).isNull()) {
                return series.get(i).asDouble();
            }
        }
        return -1;
    }

    private static String rate(double bytesPerSecond) {
        return bytesPerSecond < 0 ? "-" : StatsLine.rate(bytesPerSecond);
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    private static String colour(String state) {
        return switch (state) {
            case "UP", "IN_SYNC", "ok" -> GREEN;
            case "CATCHING_UP", "RESYNCING", "degraded" -> YELLOW;
            default -> RED;
        };
    }

    private String paint(String code, String text) {
        return color ? code + text + RESET : text;
    }
}
