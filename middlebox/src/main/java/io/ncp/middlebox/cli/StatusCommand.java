package io.ncp.middlebox.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ncp-middlebox status}: a running middlebox's services and backends in the terminal, once or refreshed. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = {
        "Show a running middlebox's services: per service its sessions and throughput, then one line per "
            + "backend (primary, replicas) with health, consistency, lag, divergences and losses. Colours on a "
            + "terminal.",
        "",
        "Replica line: HEALTH CONSISTENCY [time in that state] lag BYTES/SECONDS (queued for the replica / how long "
            + "they take at its recent pace; inf: not draining) div DIVERGENT/COMPARED (session copies whose answers "
            + "differed / compared to the end) dmg DAMAGED (copies that lost bytes) miss MISSED (sessions skipped "
            + "while it was down) drop DROPPED (copies dropped: it fell behind or stopped reading) wait N/TIME (copies "
            + "that waited for earlier-ended sessions, and how long in all); then why it is not UP and IN_SYNC."})
public final class StatusCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    AdminOptions adminOptions = new AdminOptions();

    @Option(names = "--json", description = "print GET /stats as it is")
    boolean json;

    @Option(names = "--watch", paramLabel = "SECONDS", arity = "0..1", fallbackValue = "2",
        description = "refresh every SECONDS (default 2) until interrupted")
    Double watch;

    @Option(names = "--count", paramLabel = "N", description = "with --watch: stop after N refreshes")
    Integer count;

    @Option(names = "--color", paramLabel = "auto|always|never", defaultValue = "auto",
        description = "colours: auto (on a terminal, unless NO_COLOR is set), always, never")
    String color;

    @Override
    public Integer call() throws InterruptedException {
        if (watch != null && !(watch > 0)) {
            throw new io.ncp.middlebox.config.ConfigException("--watch", "'" + watch + "' must be a positive number "
                + "of seconds");
        }
        if (count != null && (watch == null || count < 1)) {
            throw new io.ncp.middlebox.config.ConfigException("--count", count < 1 ? "must be 1 or more"
                : "needs --watch");
        }
        boolean colours = switch (color) {
            case "always" -> true;
            case "never" -> false;
            case "auto" -> System.console() != null && System.getenv("NO_COLOR") == null;
            default -> throw new io.ncp.middlebox.config.ConfigException("--color", "'" + color
                + "' is not auto, always or never");
        };
        AdminClient client = adminOptions.client();
        PrintStream out = System.out;
        if (watch == null) {
            out.print(once(client, colours));
            return 0;
        }
        for (int i = 0; count == null || i < count; i++) {
            String text;
            try {
                text = once(client, colours);
            } catch (IllegalStateException e) { // unreachable for now: say so and keep watching
                text = "ncp-middlebox: " + e.getMessage() + "\n";
            }
            if (colours) {
                out.print("\u001b[H\u001b[2J");
            }
            out.print(text);
            out.flush();
            if (count == null || i + 1 < count) {
                Thread.sleep((long) (watch * 1000));
            }
        }
        return 0;
    }

    private String once(AdminClient client, boolean colours) {
        String stats = client.get("stats");
        if (json) {
            return stats.endsWith("\n") ? stats : stats + "\n";
        }
        JsonNode history;
        try {
            history = JSON.readTree(client.get("stats/history"));
        } catch (IllegalStateException | java.io.IOException e) { // an older middlebox: no rates
            history = null;
        }
        try {
            StringBuilder sb = new StringBuilder();
            sb.append("ncp-middlebox ").append(client.base()).append(" at ").append(java.time.LocalTime.now()
                .withNano(0)).append('\n');
            for (String line : new StatusView(colours).render(JSON.readTree(stats), history, Instant.now())) {
                sb.append(line).append('\n');
            }
            return sb.toString();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("GET /stats answered something that is not JSON: " + e.getMessage());
        }
    }
}
