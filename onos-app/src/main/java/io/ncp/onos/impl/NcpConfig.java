package io.ncp.onos.impl;

import com.fasterxml.jackson.databind.JsonNode;
import io.ncp.onos.planner.ReplicationSpec;
import io.ncp.onos.planner.SpecException;
import io.ncp.onos.planner.io.SpecJson;
import org.onosproject.core.ApplicationId;
import org.onosproject.net.config.Config;
import org.onosproject.net.config.InvalidFieldException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * NCP's network config ({@code apps/io.ncp.app/ncp}, sample {@code configs/onos-netcfg.json}):
 * {@code {"replications": [spec, ...]}}, each spec in the ncp-plan/REST format (docs/plan-format.md).
 * ONOS rejects an upload whose {@link #isValid()} fails.
 */
public class NcpConfig extends Config<ApplicationId> {

    /** The config key under the app subject. */
    public static final String KEY = "ncp";
    static final String REPLICATIONS = "replications";

    /**
     * The configured specs.
     *
     * @throws SpecException naming {@code replications[i].<field>} on the first bad entry, or a duplicate name
     */
    public List<ReplicationSpec> replications() {
        List<ReplicationSpec> specs = new ArrayList<>();
        JsonNode list = object.path(REPLICATIONS);
        if (list.isMissingNode()) {
            return specs;
        }
        if (!list.isArray()) {
            throw new SpecException(REPLICATIONS, "must be a list of replication specs");
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String path = REPLICATIONS + "[" + i + "]";
            ReplicationSpec spec;
            try {
                spec = SpecJson.read(list.get(i));
            } catch (SpecException e) {
                throw new SpecException(path + "." + e.field(), e.getMessage().substring(e.field().length() + 2));
            }
            if (!names.add(spec.name())) {
                throw new SpecException(path + ".name", "duplicate spec name '" + spec.name() + "'");
            }
            specs.add(spec);
        }
        return specs;
    }

    /**
     * ONOS convention: an invalid field throws {@link InvalidFieldException} (ONOS reports field and reason to the
     * uploader); the spec's field path is the field.
     */
    @Override
    public boolean isValid() {
        try {
            replications();
        } catch (SpecException e) {
            throw new InvalidFieldException(e.field(), e.getMessage().substring(e.field().length() + 2));
        }
        return hasOnlyFields(REPLICATIONS);
    }
}
