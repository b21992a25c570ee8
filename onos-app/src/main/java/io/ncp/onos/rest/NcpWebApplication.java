package io.ncp.onos.rest;

import org.onlab.rest.AbstractWebApplication;

import java.util.Set;

/** The JAX-RS application of NCP's REST API (web.xml names it). */
public class NcpWebApplication extends AbstractWebApplication {

    @Override
    public Set<Class<?>> getClasses() {
        return getClasses(ReplicationsWebResource.class);
    }
}
