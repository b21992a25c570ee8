package io.ncp.middlebox.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code resync} mapping and {@code autoResync}: defaults, both command forms, and errors naming the field. */
class ResyncConfigTest {

    private static final String BASE = "{\"listen\": \"127.0.0.1:0\", \"primary\": \"127.0.0.1:6379\", "
        + "\"replicas\": [\"127.0.0.1:6380\"]";

    private static ServiceConfig parse(String extra) {
        return ConfigLoader.parseService("redis", BASE + ", " + extra + "}");
    }

    @Test
    void hooksAndDefaults() {
        ServiceConfig s = parse("\"resync\": {\"snapshot\": [\"redis-cli\", \"BGSAVE\"], \"restore\": \"cp a b\"}");
        ResyncConfig r = s.resync();
        assertThat(r.snapshot().argv()).containsExactly("redis-cli", "BGSAVE");
        assertThat(r.restore().argv()).containsExactly("sh", "-c", "cp a b");
        assertThat(r.quiet()).isEqualTo(Duration.ofMillis(20));
        assertThat(r.maxPause()).isEqualTo(Duration.ofSeconds(2));
        assertThat(r.timeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(r.minInterval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(r.auto()).isFalse();
        assertThat(parse("\"autoResync\": true, \"resync\": {\"snapshot\": \"a\", \"restore\": \"b\", \"quiet\": "
            + "\"5ms\", \"maxPause\": \"100ms\", \"timeout\": \"1m\", \"minInterval\": \"10s\"}").resync())
            .isEqualTo(new ResyncConfig(HookCommand.command(List.of("sh", "-c", "a")),
                HookCommand.command(List.of("sh", "-c", "b")), Duration.ofMillis(5),
                Duration.ofMillis(100), Duration.ofMinutes(1), Duration.ofSeconds(10), true));
        assertThat(parse("\"mode\": \"async\"").resync()).isNull();
        HookCommand request = parse("\"resync\": {\"snapshot\": {\"send\": \"BGSAVE\\\\r\\\\n\", \"expect\": "
            + "\"+Background\"}, \"restore\": \"b\"}").resync().snapshot();
        assertThat(request.isRequest()).isTrue();
        assertThat(request).isEqualTo(HookCommand.request("BGSAVE\r\n".getBytes(StandardCharsets.US_ASCII),
            "+Background".getBytes(StandardCharsets.US_ASCII)));
        ServiceConfig kept = s.withMaxSessions(3).withFailover(null).withSessionOrder(SessionOrder.NONE);
        assertThat(kept.resync()).isEqualTo(r);
    }

    @Test
    void badValuesNameTheField() {
        assertThatThrownBy(() -> parse("\"resync\": {\"restore\": \"b\"}")).isInstanceOf(ConfigException.class)
            .hasMessageContaining("resync.snapshot").hasMessageContaining("missing");
        assertThatThrownBy(() -> parse("\"resync\": {\"snapshot\": [], \"restore\": \"b\"}"))
            .hasMessageContaining("resync.snapshot").hasMessageContaining("non-empty");
        assertThatThrownBy(() -> parse("\"resync\": {\"snapshot\": \"a\", \"restore\": \"b\", \"pause\": \"1s\"}"))
            .hasMessageContaining("resync.pause");
        assertThatThrownBy(() -> parse("\"resync\": {\"snapshot\": \"a\", \"restore\": \"b\", \"quiet\": \"3s\"}"))
            .hasMessageContaining("resync.quiet").hasMessageContaining("shorter than maxPause");
        assertThatThrownBy(() -> parse("\"resync\": {\"snapshot\": \"a\", \"restore\": \"b\", \"maxPause\": \"0s\"}"))
            .hasMessageContaining("resync.maxPause").hasMessageContaining("positive");
        assertThatThrownBy(() -> parse("\"autoResync\": true")).hasMessageContaining("autoResync")
            .hasMessageContaining("needs a resync mapping");
        assertThatThrownBy(() -> parse("\"autoResync\": \"maybe\", \"resync\": {\"snapshot\": \"a\", \"restore\": "
            + "\"b\"}")).hasMessageContaining("autoResync").hasMessageContaining("not true or false");
        assertThatThrownBy(() -> parse("\"resync\": \"yes\"")).hasMessageContaining("resync")
            .hasMessageContaining("mapping");
        assertThatThrownBy(() -> parse("\"resync\": {\"snapshot\": {\"expect\": \"+OK\"}, \"restore\": \"b\"}"))
            .hasMessageContaining("resync.snapshot.send").hasMessageContaining("missing");
    }
}
