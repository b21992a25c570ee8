package io.ncp.replay.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link DurableProperties} on a real file system. */
class DurablePropertiesTest {

    @TempDir
    Path dir;

    @Test
    void replaceThenReadGivesWhatWasWrittenAndLeavesNoTemporaryFile() throws Exception {
        Path file = dir.resolve("a").resolve("b").resolve("state");
        Properties p = new Properties();
        p.setProperty("state", "STALE");
        p.setProperty("reason", "déjà vu: \"quoted\" = and\nnewline");
        DurableProperties.replace(file, p, "a comment");
        Properties second = new Properties();
        second.setProperty("state", "IN_SYNC");
        DurableProperties.replace(file, second, "a comment");
        assertThat(DurableProperties.read(file)).isEqualTo(second);
        try (var files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file);
        }
        assertThat(Files.readString(file)).startsWith("#a comment");
        DurableProperties.replace(file, p, null);
        assertThat(DurableProperties.read(file)).isEqualTo(p);
    }

    @Test
    void aMissingFileOrAPathThroughAFileReadsAsNone() throws Exception {
        assertThat(DurableProperties.read(dir.resolve("none"))).isNull();
        Files.writeString(dir.resolve("plain"), "x");
        assertThat(DurableProperties.read(dir.resolve("plain").resolve("state"))).isNull();
    }
}
