package io.ncp.middlebox.view;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ncp.middlebox.config.CompareMode;
import io.ncp.middlebox.core.Middlebox;
import io.ncp.middlebox.it.Harness;
import io.ncp.middlebox.stats.CaptureStats;
import io.ncp.testkit.NettyLeakExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code /metrics} follows Prometheus naming conventions, and the Grafana dashboard in configs/ reads only series the
 * middlebox exports (and is importable: a datasource input, unique panel ids).
 */
@ExtendWith(NettyLeakExtension.class)
class MetricsViewTest {

    private static final Pattern TYPE = Pattern.compile("^# TYPE (\\S+) (counter|gauge)$", Pattern.MULTILINE);
    private static final Pattern NAME = Pattern.compile("\\bncp_[a-z_]+\\b");

    /** Family name to type, from a real middlebox with a service, a replica, a capture and a sampled history. */
    private static Map<String, String> families(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = TYPE.matcher(text);
        while (m.find()) {
            out.put(m.group(1), m.group(2));
        }
        return out;
    }

    private static String exposition() {
        try (Middlebox mb = Harness.start(Harness.service("redis", "127.0.0.1:9", CompareMode.BYTES, 1 << 20,
                "127.0.0.1:10"))) {
            mb.attachCapture(new CaptureStats("lo (tcp port 9)"));
            StatsHistory history = new StatsHistory(mb);
            history.sample();
            return MetricsView.render(mb, history);
        }
    }

    @Test
    void namesFollowPrometheusConventions() {
        String text = exposition();
        Map<String, String> families = families(text);
        assertThat(families).hasSizeGreaterThan(40);
        families.forEach((name, type) -> {
            assertThat(name).as(name).matches("ncp_[a-z]+(_[a-z]+)+").doesNotContain("millisecond");
            if (type.equals("counter")) {
                assertThat(name).as("a counter ends in _total").endsWith("_total");
            } else {
                assertThat(name).as("a gauge does not end in _total").doesNotEndWith("_total");
            }
            assertThat(text).as(name + " has HELP").contains("# HELP " + name + " ");
        });
        assertThat(text).contains("ncp_service_request_bytes_total{service=\"redis\"} 0")
            .contains("ncp_replica_sent_bytes_total{service=\"redis\",replica=\"127.0.0.1:10\"} 0")
            .contains("ncp_replica_lag_seconds{service=\"redis\",replica=\"127.0.0.1:10\"} 0")
            .contains("ncp_replica_order_wait_seconds_total{service=\"redis\",replica=\"127.0.0.1:10\"} 0")
            .contains("ncp_capture_dropped_packets_total{source=\"lo (tcp port 9)\"} 0")
            .contains("ncp_ring_backlog_events{shard=\"0\"} 0");
        for (String line : text.split("\n")) {
            if (line.startsWith("ncp_service_")) {
                assertThat(line).as("per-service series are labelled").contains("{service=\"");
            }
            if (line.startsWith("ncp_replica_")) {
                assertThat(line).as("per-replica series are labelled").contains("{service=\"").contains(",replica=\"");
            }
        }
    }

    @Test
    void theGrafanaDashboardReadsOnlyExportedSeriesAndIsImportable() throws Exception {
        Path file = Path.of("..", "configs", "grafana", "ncp-middlebox.json");
        JsonNode dash = new ObjectMapper().readTree(Files.readString(file));
        assertThat(dash.path("__inputs").get(0).path("name").asText()).isEqualTo("DS_PROMETHEUS");
        assertThat(dash.path("uid").asText()).isEqualTo("ncp-middlebox");
        Set<String> exported = families(exposition()).keySet();
        Set<String> used = new TreeSet<>();
        Set<Integer> ids = new TreeSet<>();
        int queries = 0;
        for (JsonNode panel : dash.path("panels")) {
            assertThat(ids.add(panel.path("id").asInt())).as("unique panel id " + panel.path("id")).isTrue();
            assertThat(panel.has("gridPos")).isTrue();
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            assertThat(panel.path("datasource").path("uid").asText()).isEqualTo("${DS_PROMETHEUS}");
            for (JsonNode t : panel.path("targets")) {
                queries++;
                Matcher m = NAME.matcher(t.path("expr").asText());
                while (m.find()) {
                    used.add(m.group());
                }
            }
        }
        for (JsonNode v : dash.path("templating").path("list")) {
            Matcher m = NAME.matcher(v.path("definition").asText());
            while (m.find()) {
                used.add(m.group());
            }
        }
        assertThat(queries).isGreaterThan(15);
        assertThat(used).as("series the dashboard reads").isNotEmpty();
        assertThat(exported).as("the middlebox exports every series the dashboard reads").containsAll(used);
        assertThat(used).contains("ncp_replica_lag_seconds", "ncp_replica_backlog_bytes",
            "ncp_replica_divergent_sessions_total", "ncp_service_request_bytes_total", "ncp_replica_in_sync");
    }
}
