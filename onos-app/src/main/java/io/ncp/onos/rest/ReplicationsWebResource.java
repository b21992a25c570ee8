package io.ncp.onos.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ncp.onos.api.NcpService;
import io.ncp.onos.api.StatusJson;
import io.ncp.onos.planner.PlanningException;
import io.ncp.onos.planner.ReplicationPlan;
import io.ncp.onos.planner.ReplicationSpec;
import io.ncp.onos.planner.SpecException;
import io.ncp.onos.planner.io.PlanJson;
import io.ncp.onos.planner.io.SpecJson;
import org.onosproject.rest.AbstractWebResource;

import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.UriBuilder;
import java.io.IOException;
import java.io.InputStream;

/**
 * Replication specs: {@code GET /replications}, {@code GET /replications/{name}} (spec + status),
 * {@code GET /replications/{name}/plan} (+ installed rules), {@code POST /replications} (create; 201, 409 if the
 * name exists), {@code PUT /replications/{name}} (create or replace), {@code DELETE /replications/{name}} (204),
 * {@code POST /replications/plan} (preview a spec's plan, nothing installed). A bad spec is 400 naming the field,
 * an unplannable one 422, an unknown name 404; error bodies are {@code {"error": "..."}}.
 *
 * <p>Roles: ONOS's {@code org.onlab.rest.AuthorizationFilter} (registered by {@link NcpWebApplication} through
 * {@code AbstractWebApplication.getClasses}) lets a user with the {@code viewer} role GET, and requires
 * {@code admin} for POST, PUT and DELETE (so also for the POST preview); anyone else gets 403 with ONOS's body
 * {@code {"code": 403, "message": "User has insufficient privilege for this request"}}.
 */
@Path("replications")
public class ReplicationsWebResource extends AbstractWebResource {

    private static final int UNPROCESSABLE = 422;

    /**
     * Lists every replication spec with its status.
     *
     * @return 200 {"replications": [...]}
     */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response list() {
        NcpService ncp = get(NcpService.class);
        ObjectNode root = mapper().createObjectNode();
        ArrayNode list = root.putArray("replications");
        for (ReplicationSpec spec : ncp.getReplications()) {
            ncp.getStatus(spec.name()).ifPresent(s -> list.add(StatusJson.of(s)));
        }
        return ok(root).build();
    }

    /**
     * One replication spec with its status.
     *
     * @param name spec name
     * @return 200 spec + status, 404 when unknown
     */
    @GET
    @Path("{name}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response one(@PathParam("name") String name) {
        return get(NcpService.class).getStatus(name).map(s -> ok(StatusJson.of(s)).build())
                .orElseGet(() -> error(Response.Status.NOT_FOUND.getStatusCode(), unknown(name)));
    }

    /**
     * The installed plan of a spec.
     *
     * @param name spec name
     * @return 200 spec + status + plan, 404 when unknown
     */
    @GET
    @Path("{name}/plan")
    @Produces(MediaType.APPLICATION_JSON)
    public Response installedPlan(@PathParam("name") String name) {
        return get(NcpService.class).getStatus(name).map(s -> ok(StatusJson.withPlan(s)).build())
                .orElseGet(() -> error(Response.Status.NOT_FOUND.getStatusCode(), unknown(name)));
    }

    /**
     * Creates a replication spec.
     *
     * @param body the spec (JSON)
     * @return 201 with the plan and a Location, 400 bad spec, 409 name taken, 422 cannot be planned
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response create(InputStream body) {
        try {
            ReplicationSpec spec = SpecJson.read(read(body));
            NcpService ncp = get(NcpService.class);
            if (ncp.getReplication(spec.name()).isPresent()) {
                return error(Response.Status.CONFLICT.getStatusCode(), "name: a replication spec named '"
                        + spec.name() + "' exists; PUT /replications/" + spec.name() + " replaces it");
            }
            ReplicationPlan plan = ncp.addReplication(spec);
            return Response.created(UriBuilder.fromPath("replications").path(spec.name()).build())
                    .entity(PlanJson.write(plan, null)).build();
        } catch (SpecException e) {
            return error(Response.Status.BAD_REQUEST.getStatusCode(), e.getMessage());
        } catch (PlanningException e) {
            return error(UNPROCESSABLE, e.getMessage());
        }
    }

    /**
     * Creates or replaces the spec with this name.
     *
     * @param name spec name (the body's name must match or be absent)
     * @param body the spec (JSON)
     * @return 200 with the plan, 400 bad spec, 422 cannot be planned
     */
    @PUT
    @Path("{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response replace(@PathParam("name") String name, InputStream body) {
        try {
            JsonNode json = read(body);
            if (json.isObject() && !json.has("name")) {
                ((ObjectNode) json).put("name", name);
            }
            ReplicationSpec spec = SpecJson.read(json);
            if (!spec.name().equals(name)) {
                throw new SpecException("name", "'" + spec.name() + "' differs from the path's '" + name + "'");
            }
            return ok(PlanJson.write(get(NcpService.class).addReplication(spec), null)).build();
        } catch (SpecException e) {
            return error(Response.Status.BAD_REQUEST.getStatusCode(), e.getMessage());
        } catch (PlanningException e) {
            return error(UNPROCESSABLE, e.getMessage());
        }
    }

    /**
     * Removes a spec, its rules and its middlebox service.
     *
     * @param name spec name
     * @return 204, 404 when unknown
     */
    @DELETE
    @Path("{name}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response remove(@PathParam("name") String name) {
        return get(NcpService.class).removeReplication(name) ? Response.noContent().build()
                : error(Response.Status.NOT_FOUND.getStatusCode(), unknown(name));
    }

    /**
     * Previews the plan of a spec on the current topology; nothing is installed or stored.
     *
     * @param body the spec (JSON)
     * @return 200 the plan, 400 bad spec, 422 cannot be planned
     */
    @POST
    @Path("plan")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response preview(InputStream body) {
        try {
            ReplicationPlan plan = get(NcpService.class).plan(SpecJson.read(read(body)));
            return ok(PlanJson.write(plan, null)).build();
        } catch (SpecException e) {
            return error(Response.Status.BAD_REQUEST.getStatusCode(), e.getMessage());
        } catch (PlanningException e) {
            return error(UNPROCESSABLE, e.getMessage());
        }
    }

    private JsonNode read(InputStream body) {
        try {
            JsonNode json = body == null ? null : mapper().readTree(body);
            if (json == null || json.isMissingNode()) {
                throw new SpecException("body", "empty; a replication spec (JSON) is expected");
            }
            return json;
        } catch (IOException e) {
            throw new SpecException("body", "not valid JSON: " + e.getMessage());
        }
    }

    private static String unknown(String name) {
        return "no replication spec named '" + name + "'";
    }

    private Response error(int status, String message) {
        ObjectNode n = mapper().createObjectNode().put("error", message);
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(n).build();
    }
}
