package io.ncp.onos.impl;

import io.ncp.onos.api.ReplicationStatus;
import io.ncp.onos.api.ReplicationStatus.PushState;
import io.ncp.onos.api.StatusJson;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import java.nio.file.Files;
import java.time.Duration;

import static io.ncp.onos.impl.NcpFixture.awaitTrue;
import static org.junit.Assert.assertEquals;

/**
 * The admin token through NcpManager's component configuration, against a real loopback admin API that checks the
 * bearer token: the app-wide {@code adminTokenFile} is sent for specs without their own, a refusal shows in the
 * status, and changing the setting re-pushes the refused specs at once (the client's own retry is an hour away).
 */
public class NcpManagerTokenTest {

    private static final String TOKEN = "0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9";

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private NcpFixture fx;
    private AdminApiStub api;

    @Before
    public void setUp() throws Exception {
        fx = new NcpFixture(false);
        fx.manager.middlebox = new MiddleboxClient(Duration.ofSeconds(2), Duration.ofMillis(20), Duration.ofHours(1));
        api = new AdminApiStub();
        api.requireToken(TOKEN);
    }

    @After
    public void tearDown() {
        fx.deactivate();
        api.close();
    }

    private String file(String content) throws Exception {
        return Files.writeString(tmp.newFile().toPath(), content).toString();
    }

    private ReplicationStatus status() {
        return fx.manager.getStatus("redis").orElseThrow();
    }

    @Test
    public void theAppWideTokenFileIsUsedForSpecsWithoutTheirOwn() throws Exception {
        fx.config.put(OsgiPropertyConstants.ADMIN_TOKEN_FILE, file(TOKEN + "\n"));
        fx.activate();

        fx.manager.addReplication(NcpFixture.spec("redis", true, api.address()));

        assertEquals("Bearer " + TOKEN, api.next().authorization);
        awaitTrue("PUSHED", () -> status().pushState() == PushState.PUSHED);
    }

    @Test
    public void aRefusedTokenShowsInTheStatusAndANewSettingRepushesAtOnce() throws Exception {
        String wrong = file("ffff" + TOKEN.substring(4));
        fx.config.put(OsgiPropertyConstants.ADMIN_TOKEN_FILE, wrong);
        fx.activate();
        fx.manager.addReplication(NcpFixture.spec("redis", true, api.address()));

        awaitTrue("TOKEN_REFUSED", () -> status().pushState() == PushState.TOKEN_REFUSED);
        assertEquals("middlebox refused the admin token from " + wrong + " (HTTP 401: {\"error\": \"wrong admin "
                + "token\"})", status().pushError());
        assertEquals("TOKEN_REFUSED", StatusJson.of(status()).get("status").get("push").asText());
        api.next();

        fx.config.put(OsgiPropertyConstants.ADMIN_TOKEN_FILE, file(TOKEN));
        fx.modified();

        assertEquals("Bearer " + TOKEN, api.next().authorization);
        awaitTrue("PUSHED", () -> status().pushState() == PushState.PUSHED);
    }

    @Test
    public void aRelativeSettingIsIgnoredAndTheFormerOneKept() throws Exception {
        String right = file(TOKEN);
        fx.config.put(OsgiPropertyConstants.ADMIN_TOKEN_FILE, right);
        fx.activate();

        fx.config.put(OsgiPropertyConstants.ADMIN_TOKEN_FILE, "admin.token");
        fx.config.put(OsgiPropertyConstants.HEALTH_MISSES, "0");
        fx.modified();
        fx.manager.addReplication(NcpFixture.spec("redis", true, api.address()));

        assertEquals("Bearer " + TOKEN, api.next().authorization);
        awaitTrue("PUSHED", () -> status().pushState() == PushState.PUSHED);
    }
}
