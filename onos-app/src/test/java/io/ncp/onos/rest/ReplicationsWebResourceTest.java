package io.ncp.onos.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ncp.onos.api.NcpService;
import io.ncp.onos.impl.NcpFixture;
import io.ncp.onos.planner.io.SpecJson;
import org.glassfish.jersey.client.ClientConfig;
import org.glassfish.jersey.client.authentication.HttpAuthenticationFeature;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.test.JerseyTest;
import org.glassfish.jersey.test.TestProperties;
import org.glassfish.jersey.test.jdkhttp.JdkHttpServerTestContainerFactory;
import org.glassfish.jersey.test.spi.TestContainerFactory;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.onlab.junit.TestUtils;
import org.onlab.osgi.TestServiceDirectory;
import org.onlab.rest.AuthorizationFilter;
import org.onlab.rest.BaseResource;

import javax.annotation.Priority;
import javax.ws.rs.Priorities;
import javax.ws.rs.client.ClientRequestFilter;
import javax.ws.rs.client.Entity;
import javax.ws.rs.client.Invocation;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.PreMatching;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

/**
 * The REST API over HTTP (Jersey test framework, JDK HTTP server on a free loopback port) backed by a real
 * NcpManager on ONOS test doubles; the resource finds it through a TestServiceDirectory. ONOS's role check
 * (onlab-rest's AuthorizationFilter, which NcpWebApplication registers) stays on: in ONOS the servlet container logs
 * the user in against the Karaf realm and Jersey's SecurityContext answers {@code isUserInRole}; here
 * {@link KarafRealmStub} does that for ONOS's stock users ({@code onos} in admingroup, {@code guest} in guestgroup:
 * viewer only) and a user without roles. Requests are made as {@code onos} unless a test says otherwise.
 */
public class ReplicationsWebResourceTest extends JerseyTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private NcpFixture fx;

    /**
     * Stands in for the servlet container's BASIC login against the Karaf realm: ONOS's stock users.properties
     * ({@code onos = rocks, admingroup} with roles admin, manager, viewer, webconsole; {@code guest = guest,
     * guestgroup} with role viewer) plus {@code nobody}, a user without roles. Unknown credentials get 401.
     */
    @PreMatching
    @Priority(Priorities.AUTHENTICATION)
    public static final class KarafRealmStub implements ContainerRequestFilter {
        private static final Map<String, String> PASSWORDS = Map.of("onos", "rocks", "guest", "guest", "nobody",
                "nobody");
        private static final Map<String, Set<String>> ROLES = Map.of(
                "onos", Set.of("admin", "manager", "viewer", "webconsole"), "guest", Set.of("viewer"),
                "nobody", Set.of());

        @Override
        public void filter(ContainerRequestContext request) {
            String auth = request.getHeaderString("Authorization");
            String[] user = auth == null || !auth.startsWith("Basic ") ? new String[0]
                    : new String(Base64.getDecoder().decode(auth.substring(6)), StandardCharsets.UTF_8)
                    .split(":", 2);
            if (user.length != 2 || !user[1].equals(PASSWORDS.get(user[0]))) {
                request.abortWith(Response.status(401).header("WWW-Authenticate", "Basic realm=\"karaf\"").build());
                return;
            }
            Principal principal = () -> user[0];
            request.setSecurityContext(new SecurityContext() {
                @Override
                public Principal getUserPrincipal() {
                    return principal;
                }

                @Override
                public boolean isUserInRole(String role) {
                    return ROLES.get(user[0]).contains(role);
                }

                @Override
                public boolean isSecure() {
                    return false;
                }

                @Override
                public String getAuthenticationScheme() {
                    return SecurityContext.BASIC_AUTH;
                }
            });
        }
    }

    @Override
    protected javax.ws.rs.core.Application configure() {
        forceSet(TestProperties.CONTAINER_PORT, "0");
        try {
            TestUtils.setField(AuthorizationFilter.class, "disableForTests", false);
        } catch (TestUtils.TestUtilsException e) {
            throw new IllegalStateException(e);
        }
        return new ResourceConfig(new NcpWebApplication().getClasses()).register(KarafRealmStub.class);
    }

    /**
     * As ONOS's stock admin {@code onos} (a request may log in as another user). No keep-alive: the JDK server's
     * stop() would otherwise wait out its grace period for idle connections.
     */
    @Override
    protected void configureClient(ClientConfig config) {
        config.register(HttpAuthenticationFeature.basic("onos", "rocks"));
        config.register((ClientRequestFilter) request -> request.getHeaders().putSingle("Connection", "close"));
    }

    /** A request to {@code path} logged in as {@code user}. */
    private Invocation.Builder as(String user, String path) {
        return target(path).request().property(HttpAuthenticationFeature.HTTP_AUTHENTICATION_BASIC_USERNAME, user)
                .property(HttpAuthenticationFeature.HTTP_AUTHENTICATION_BASIC_PASSWORD, user);
    }

    @Override
    protected TestContainerFactory getTestContainerFactory() {
        return new JdkHttpServerTestContainerFactory();
    }

    @Before
    public void setUpNcp() throws Exception {
        fx = new NcpFixture(true);
        fx.activate();
        TestUtils.setField(BaseResource.class, "services", new TestServiceDirectory().add(NcpService.class,
                fx.manager));
    }

    @After
    public void tearDownNcp() {
        fx.deactivate();
    }

    private static String spec(String name, String src) {
        return SpecJson.write(NcpFixture.spec(name, src, true, null)).toString();
    }

    private JsonNode json(Response r) throws Exception {
        return MAPPER.readTree(r.readEntity(String.class));
    }

    @Test
    public void createListGetDelete() throws Exception {
        assertNotEquals("a free port, not Jersey's fixed default", TestProperties.DEFAULT_CONTAINER_PORT,
                getBaseUri().getPort());
        assertNotEquals(0, getBaseUri().getPort());
        Response created = target("replications").request().post(Entity.json(spec("redis", "10.0.0.1")));
        assertEquals(201, created.getStatus());
        assertTrue(created.getLocation().toString(), created.getLocation().getPath().endsWith("/replications/redis"));
        JsonNode plan = json(created);
        assertEquals("of:s1", plan.get("clients").get(0).get("redirectionSwitch").asText());
        assertEquals(3, plan.get("rules").size());
        assertEquals(3, fx.flows.installed().size());

        JsonNode list = json(target("replications").request().get());
        assertEquals(1, list.get("replications").size());
        JsonNode one = list.get("replications").get(0);
        assertEquals("redis", one.get("name").asText());
        assertEquals(3, one.get("status").get("rules").asInt());
        assertEquals("of:s1", one.get("status").get("redirectionSwitches").get(0).asText());
        assertEquals("NOT_CONFIGURED", one.get("status").get("push").asText());

        JsonNode got = json(target("replications/redis").request().get());
        assertEquals("10.0.0.1/32", got.get("selector").get("src").asText());
        JsonNode withPlan = json(target("replications/redis/plan").request().get());
        assertEquals("redirect", withPlan.get("plan").get("rules").get(0).get("role").asText());

        assertEquals(204, target("replications/redis").request().delete().getStatus());
        assertTrue(fx.flows.installed().isEmpty());
        assertEquals(404, target("replications/redis").request().get().getStatus());
        assertEquals(404, target("replications/redis").request().delete().getStatus());
    }

    @Test
    public void postOfAnExistingNameIs409AndPutReplaces() throws Exception {
        target("replications").request().post(Entity.json(spec("redis", "10.0.0.1")));

        Response again = target("replications").request().post(Entity.json(spec("redis", "10.0.0.1")));
        assertEquals(409, again.getStatus());
        assertTrue(json(again).get("error").asText().startsWith("name: a replication spec named 'redis' exists"));

        ObjectNode body = (ObjectNode) MAPPER.readTree(spec("redis", "10.0.0.5"));
        body.remove("name");
        Response put = target("replications/redis").request().put(Entity.json(body.toString()));
        assertEquals(200, put.getStatus());
        assertEquals("10.0.0.5/32", fx.manager.getReplication("redis").orElseThrow().selector().src().toString());
    }

    @Test
    public void badSpecIs400NamingTheField() throws Exception {
        ObjectNode body = (ObjectNode) MAPPER.readTree(spec("redis", "10.0.0.1"));
        ((ObjectNode) body.get("selector")).put("dstPort", 70000);

        Response r = target("replications").request().post(Entity.json(body.toString()));

        assertEquals(400, r.getStatus());
        assertEquals("selector.dstPort: must be 1..65535, got 70000", json(r).get("error").asText());
        assertEquals(400, target("replications").request().post(Entity.json("{not json")).getStatus());
        assertEquals(400, target("replications/other").request().put(Entity.json(spec("redis", "10.0.0.1")))
                .getStatus());
    }

    @Test
    public void previewPlansWithoutInstallingAndUnplannableIs422() throws Exception {
        Response r = target("replications/plan").request(MediaType.APPLICATION_JSON)
                .post(Entity.json(spec("redis", "10.0.0.1")));
        assertEquals(200, r.getStatus());
        assertEquals(3, json(r).get("rules").size());
        assertTrue(fx.flows.applied.isEmpty());
        assertTrue(fx.manager.getReplications().isEmpty());

        Response bad = target("replications/plan").request().post(Entity.json(spec("redis", "10.0.9.9")));
        assertEquals(422, bad.getStatus());
        assertTrue(json(bad).get("error").asText().startsWith("no client host of the topology"));
    }

    @Test
    public void aViewerReadsButCannotChangeAnything() throws Exception {
        target("replications").request().post(Entity.json(spec("redis", "10.0.0.1")));
        Set<?> rules = fx.flows.installed();

        assertEquals(200, as("guest", "replications").get().getStatus());
        assertEquals("redis", json(as("guest", "replications/redis").get()).get("name").asText());
        assertEquals(200, as("guest", "replications/redis/plan").get().getStatus());

        Response post = as("guest", "replications").post(Entity.json(spec("other", "10.0.0.5")));
        assertEquals(403, post.getStatus());
        assertEquals("User has insufficient privilege for this request", json(post).get("message").asText());
        assertEquals(403, as("guest", "replications/redis").put(Entity.json(spec("redis", "10.0.0.5")))
                .getStatus());
        assertEquals(403, as("guest", "replications/redis").delete().getStatus());
        assertEquals("a POST, even a preview, needs admin (ONOS's rule)", 403,
                as("guest", "replications/plan").post(Entity.json(spec("other", "10.0.0.5"))).getStatus());

        assertEquals(1, fx.manager.getReplications().size());
        assertEquals("10.0.0.1/32", fx.manager.getReplication("redis").orElseThrow().selector().src().toString());
        assertEquals(rules, fx.flows.installed());
        assertEquals(204, target("replications/redis").request().delete().getStatus());
    }

    @Test
    public void aUserWithoutRolesIsForbiddenAndAStrangerUnauthorized() {
        assertEquals(403, as("nobody", "replications").get().getStatus());
        assertEquals(401, target("replications").request()
                .property(HttpAuthenticationFeature.HTTP_AUTHENTICATION_BASIC_USERNAME, "onos")
                .property(HttpAuthenticationFeature.HTTP_AUTHENTICATION_BASIC_PASSWORD, "wrong").get().getStatus());
    }

    /** Credentials and TLS go in and come back out as references; an inline password is a 400 that does not echo it. */
    @Test
    public void securityReferencesRoundTripAndAnInlinePasswordIs400() throws Exception {
        ObjectNode body = (ObjectNode) MAPPER.readTree(spec("redis", "10.0.0.1"));
        ((ObjectNode) body.get("middlebox")).put("protocol", "redis");
        ((ObjectNode) body.get("middlebox")).putObject("backendTls").put("ca", "/etc/ncp/ca.crt");
        ObjectNode auth = ((ObjectNode) body.get("replicas").get(0)).putObject("auth");
        auth.put("passwordFile", "/etc/ncp/replica.pw");

        assertEquals(201, target("replications").request().post(Entity.json(body.toString())).getStatus());
        JsonNode got = json(target("replications/redis").request().get());
        assertEquals("redis", got.get("middlebox").get("protocol").asText());
        assertEquals("/etc/ncp/ca.crt", got.get("middlebox").get("backendTls").get("ca").asText());
        assertEquals("{\"passwordFile\":\"/etc/ncp/replica.pw\"}", got.get("replicas").get(0).get("auth").toString());

        auth.put("password", "hunter2-secret");
        Response r = target("replications/redis").request().put(Entity.json(body.toString()));
        assertEquals(400, r.getStatus());
        String error = json(r).get("error").asText();
        assertTrue(error, error.startsWith("replicas[0].auth.password: refused: a password is never written"));
        assertTrue(error, !error.contains("hunter2-secret"));
        assertTrue(target("replications").request().get(String.class).contains("/etc/ncp/replica.pw"));
    }
}
