package io.ncp.onos.impl;

import io.ncp.onos.api.ReplicationStatus.PushState;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static io.ncp.onos.impl.NcpFixture.awaitTrue;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

/**
 * MiddleboxClient and the admin token, against a real loopback admin API that checks {@code Authorization: Bearer}:
 * right token pushed, wrong token refused and retried (a fixed file is picked up), missing file reported and
 * retried, app-wide default vs per-spec file, and the token never in the status or the log.
 */
public class MiddleboxClientTokenTest {

    private static final String TOKEN = "6f1c0a9e2b7d4c3a8e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5";
    private static final String OTHER = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private final MiddleboxClient client = new MiddleboxClient(Duration.ofSeconds(2), Duration.ofMillis(20),
            Duration.ofMillis(100));

    @After
    public void tearDown() {
        client.close(Duration.ofSeconds(2));
    }

    private String tokenFile(String content) throws Exception {
        Path f = tmp.newFile().toPath();
        Files.writeString(f, content);
        return f.toString();
    }

    private MiddleboxClient.Status status() {
        return client.status("redis").orElseThrow();
    }

    @Test
    public void theRightTokenIsSentAsBearerAndThePushIsAccepted() throws Exception {
        try (AdminApiStub api = new AdminApiStub()) {
            api.requireToken(TOKEN);
            String file = tokenFile(TOKEN + "\n");

            client.push(NcpFixture.spec("redis", "10.0.0.1", true, api.address(), file));

            assertEquals("Bearer " + TOKEN, api.next().authorization);
            awaitTrue("PUSHED", () -> status().state() == PushState.PUSHED);
            assertNull(status().lastError());
        }
    }

    @Test
    public void aWrongTokenIsReportedAsRefusedAndTheFixedFileIsPickedUp() throws Exception {
        try (AdminApiStub api = new AdminApiStub()) {
            api.requireToken(TOKEN);
            String file = tokenFile("  " + OTHER + "  \nsecond line is ignored\n");
            client.push(NcpFixture.spec("redis", "10.0.0.1", true, api.address(), file));

            assertEquals("Bearer " + OTHER, api.next().authorization);
            awaitTrue("TOKEN_REFUSED", () -> status().state() == PushState.TOKEN_REFUSED);
            assertEquals("middlebox refused the admin token from " + file + " (HTTP 401: {\"error\": \"wrong admin "
                    + "token\"})", status().lastError());
            assertEquals("PUT", api.next().method);

            Files.writeString(Path.of(file), TOKEN + "\n");

            awaitTrue("PUSHED after the token file was fixed", () -> status().state() == PushState.PUSHED);
            assertFalse(status().lastError() != null && status().lastError().contains(OTHER));
        }
    }

    @Test
    public void aMissingFileIsReportedAndRetriedUntilItExists() throws Exception {
        try (AdminApiStub api = new AdminApiStub()) {
            api.requireToken(TOKEN);
            String file = tmp.getRoot().toPath().resolve("admin.token").toString();
            client.push(NcpFixture.spec("redis", "10.0.0.1", true, api.address(), file));

            awaitTrue("two attempts", () -> status().attempts() >= 2);
            assertEquals(PushState.TOKEN_ERROR, status().state());
            assertEquals("admin token file " + file + ": does not exist", status().lastError());
            assertEquals("nothing is sent without the token", 0, api.pending());

            Files.writeString(Path.of(file), TOKEN);

            awaitTrue("PUSHED once the file exists", () -> status().state() == PushState.PUSHED);
            assertEquals("Bearer " + TOKEN, api.next().authorization);
        }
    }

    @Test
    public void anEmptyFileIsAnError() throws Exception {
        try (AdminApiStub api = new AdminApiStub()) {
            String file = tokenFile(" \n" + TOKEN);
            client.push(NcpFixture.spec("redis", "10.0.0.1", true, api.address(), file));

            awaitTrue("TOKEN_ERROR", () -> status().state() == PushState.TOKEN_ERROR);
            assertEquals("admin token file " + file + ": is empty (the token is its first line)",
                    status().lastError());
        }
    }

    @Test
    public void theDefaultFileAppliesAndTheSpecsFileOverridesIt() throws Exception {
        try (AdminApiStub api = new AdminApiStub()) {
            api.requireToken(TOKEN);
            client.setDefaultTokenFile(tokenFile(TOKEN));

            client.push(NcpFixture.spec("redis", "10.0.0.1", true, api.address(), null));
            assertEquals("Bearer " + TOKEN, api.next().authorization);
            awaitTrue("PUSHED with the default", () -> status().state() == PushState.PUSHED);

            String own = tokenFile(OTHER);
            client.push(NcpFixture.spec("redis", "10.0.0.5", true, api.address(), own));
            assertEquals("Bearer " + OTHER, api.next().authorization);
            awaitTrue("refused with the spec's own file", () -> status().state() == PushState.TOKEN_REFUSED);
        }
    }

    @Test
    public void withoutAnyTokenA401SaysNoneIsConfigured() throws Exception {
        try (AdminApiStub api = new AdminApiStub()) {
            api.requireToken(TOKEN);
            client.push(NcpFixture.spec("redis", true, api.address()));

            assertNull(api.next().authorization);
            awaitTrue("TOKEN_REFUSED", () -> status().state() == PushState.TOKEN_REFUSED);
            assertTrue(status().lastError(), status().lastError().startsWith("middlebox refused the request: it "
                    + "needs an admin token and none is configured"));
        }
    }

    @Test
    public void theTokenNeverReachesTheLog() throws Exception {
        PrintStream stderr = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try (AdminApiStub api = new AdminApiStub()) {
            api.requireToken(TOKEN);
            client.push(NcpFixture.spec("redis", "10.0.0.1", true, api.address(), tokenFile(OTHER)));
            awaitTrue("TOKEN_REFUSED", () -> status().state() == PushState.TOKEN_REFUSED);
            client.push(NcpFixture.spec("redis", "10.0.0.5", true, api.address(), tokenFile(TOKEN)));
            awaitTrue("PUSHED", () -> status().state() == PushState.PUSHED);
        } finally {
            System.setErr(stderr);
        }
        String text = log.toString(StandardCharsets.UTF_8);
        assertTrue("the refusal is logged: " + text, text.contains("middlebox refused the admin token"));
        assertFalse(text.contains(TOKEN));
        assertFalse(text.contains(OTHER));
    }
}
