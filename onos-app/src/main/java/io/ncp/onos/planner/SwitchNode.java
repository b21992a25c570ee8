package io.ncp.onos.planner;

import java.util.Objects;

/**
 * A switch of the {@link NetworkGraph}: its name (an OVS bridge name for ncp-plan, the ONOS DeviceId string in the
 * app) and an optional datapath id (hex). Immutable.
 */
public final class SwitchNode {

    private final String name;
    private final String dpid;

    /**
     * @param name unique switch name
     * @param dpid datapath id in hex, or null
     */
    public SwitchNode(String name, String dpid) {
        this.name = Objects.requireNonNull(name, "name");
        this.dpid = dpid;
    }

    /** Unique name. */
    public String name() {
        return name;
    }

    /** Datapath id (hex), or null. */
    public String dpid() {
        return dpid;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SwitchNode && ((SwitchNode) o).name.equals(name)
                && Objects.equals(((SwitchNode) o).dpid, dpid);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return name;
    }
}
