package io.ncp.onos.rest;

import org.onlab.rest.AbstractWebApplication;

import java.util.Set;

/**
 * The JAX-RS application of NCP's REST API (web.xml names it). {@code getClasses(...)} adds ONOS's standard
 * providers, among them the {@code AuthorizationFilter} that makes the API read-only for {@code viewer} users.
 */
public class NcpWebApplication extends AbstractWebApplication {

    @Override
    public Set<Class<?>> getClasses() {
        return getClasses(ReplicationsWebResource.class);
    }
}
