package io.ncp.middlebox.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzz targets for the config loaders (docs/fuzzing.md). Oracle: any input gives either a config that satisfies
 * the documented constraints or a {@link ConfigException} whose field is a real path of the document
 * ({@link ConfigSchema}); any other exception is a bug (the CLI would die with a stack trace instead of exit 2,
 * the admin API would drop the connection instead of answering 400).
 */
class ConfigLoaderFuzzTest {

    private static Path dir;
    private static Path file;

    @BeforeAll
    static void createDirectory() throws IOException {
        Path shm = Path.of("/dev/shm");
        dir = Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempDirectory(shm, "ncp-config-fuzz")
            : Files.createTempDirectory("ncp-config-fuzz");
        file = dir.resolve("middlebox.yaml");
    }

    @AfterAll
    static void deleteDirectory() throws IOException {
        Files.deleteIfExists(file);
        Files.deleteIfExists(dir);
    }

    /**
     * A config file's bytes (YAML or JSON, any bytes: non-UTF-8 too) through {@link ConfigLoader#load} ({@code run
     * --config}) and {@link MirrorConfigLoader#load} ({@code mirror --config}). Seeds: configs/*.yaml, JSON
     * equivalents, anchors and deep nesting; a dictionary of YAML syntax, field names and edge values.
     */
    @DictionaryFile(resourcePath = "config.dict")
    @FuzzTest(maxDuration = "8s")
    void configFile(byte[] bytes) throws IOException {
        Files.write(file, bytes);
        JsonNode doc = document(bytes);
        try {
            MiddleboxConfig c = ConfigLoader.load(file);
            assertThat(doc).isNotNull();
            assertValid(c);
        } catch (ConfigException e) {
            ConfigSchema.assertNamesAField(e, "config", ConfigSchema.TOP, doc);
        }
        try {
            MirrorSetup m = MirrorConfigLoader.load(file);
            assertValid(m.middlebox());
            assertThat(m.middlebox().services()).allSatisfy(s -> assertThat(s.listen()).isNull());
            assertThat(m.mirror()).isNotNull();
        } catch (ConfigException e) {
            ConfigSchema.assertNamesAField(e, "config", ConfigSchema.TOP, doc);
        }
    }

    /**
     * The body of the admin API's {@code PUT /services/{name}} (decoded as UTF-8, like the handler does) through
     * {@link ConfigLoader#parseService}, with the path name "svc" and with one taken from the body's start.
     * Seeds: service objects in JSON; the same dictionary.
     */
    @DictionaryFile(resourcePath = "config.dict")
    @FuzzTest(maxDuration = "8s")
    void serviceBody(byte[] bytes) {
        String body = new String(bytes, StandardCharsets.UTF_8);
        JsonNode doc = document(bytes);
        for (String name : new String[] {"svc", body.substring(0, Math.min(body.length(), 12))}) {
            try {
                ServiceConfig s = ConfigLoader.parseService(name, body);
                assertThat(s.name()).isEqualTo(name);
                assertValid(s);
            } catch (ConfigException e) {
                ConfigSchema.assertNamesAField(e, "service", ConfigSchema.SERVICE, doc);
            }
        }
    }

    /** The document as the loaders see it, or null when it does not parse. */
    private static JsonNode document(byte[] bytes) {
        try {
            return ConfigLoader.tree("config", new String(bytes, StandardCharsets.UTF_8));
        } catch (ConfigException e) {
            return null;
        }
    }

    private static void assertValid(MiddleboxConfig c) {
        assertThat(c.threads()).isBetween(1, 1024);
        assertThat(Integer.bitCount(c.ringSize())).isEqualTo(1);
        assertThat(c.ringBytes()).isPositive();
        assertThat(c.connectTimeout()).isPositive();
        assertThat(c.services()).isNotEmpty().allSatisfy(ConfigLoaderFuzzTest::assertValid);
    }

    private static void assertValid(ServiceConfig s) {
        assertThat(s.name()).matches("[A-Za-z0-9_.-]{1,64}");
        assertThat(s.primary().port()).isBetween(1, 65535);
        assertThat(s.mode()).isIn("async", "lockstep");
        assertThat(s.compare()).isNotNull();
        assertThat(s.sessionOrder()).isNotNull();
        assertThat(s.replicaBacklog()).isPositive();
        assertThat(s.replicas()).allSatisfy(r -> assertThat(r.address().port()).isBetween(1, 65535));
    }
}
