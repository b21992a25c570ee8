package io.ncp.onos.impl;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.fail;

/** The token file reader on real files: first line trimmed; each unusable file named with its problem. */
public class AdminTokenTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private String file(byte[] content) throws Exception {
        Path f = tmp.newFile().toPath();
        Files.write(f, content);
        return f.toString();
    }

    private void assertProblem(String file, String problem) {
        try {
            AdminToken.read(file);
            fail("read " + file);
        } catch (AdminToken.TokenFileException e) {
            assertEquals("admin token file " + file + ": " + problem, e.getMessage());
        }
    }

    @Test
    public void theFirstLineTrimmedIsTheToken() throws Exception {
        assertEquals("abc123", AdminToken.read(file("\tabc123 \r\nnext\n".getBytes(StandardCharsets.US_ASCII))));
        assertEquals("abc123", AdminToken.read(file("abc123".getBytes(StandardCharsets.US_ASCII))));
    }

    @Test
    public void unusableFilesAreNamedWithTheirProblem() throws Exception {
        assertProblem(tmp.getRoot() + "/none", "does not exist");
        assertProblem(tmp.getRoot().toString(), "cannot be read (IOException: Is a directory)");
        assertProblem(file(new byte[0]), "is empty (the token is its first line)");
        assertProblem(file("tok en\n".getBytes(StandardCharsets.US_ASCII)),
                "first line has characters a bearer token cannot contain (only visible ASCII; token not shown)");
        assertProblem(file("tökén".getBytes(StandardCharsets.UTF_8)),
                "first line has characters a bearer token cannot contain (only visible ASCII; token not shown)");
        assertProblem(file(new byte[AdminToken.MAX_BYTES]), "first line longer than 4096 bytes (not a token file?)");
    }
}
