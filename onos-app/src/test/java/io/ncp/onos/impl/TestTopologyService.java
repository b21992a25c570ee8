package io.ncp.onos.impl;

import org.onosproject.common.DefaultTopology;
import org.onosproject.net.Device;
import org.onosproject.net.Link;
import org.onosproject.net.topology.DefaultGraphDescription;
import org.onosproject.net.topology.Topology;
import org.onosproject.net.topology.TopologyEvent;
import org.onosproject.net.topology.TopologyGraph;
import org.onosproject.net.topology.TopologyListener;
import org.onosproject.net.topology.TopologyServiceAdapter;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.onosproject.net.NetTestTools.PID;

/** TopologyService double over ONOS's real DefaultTopology; {@link #setLinks} rebuilds it and fires the event. */
public class TestTopologyService extends TopologyServiceAdapter {

    public final List<TopologyListener> listeners = new CopyOnWriteArrayList<>();
    private final List<Device> devices;
    private volatile DefaultTopology topology;

    public TestTopologyService(List<Device> devices, List<Link> links) {
        this.devices = List.copyOf(devices);
        this.topology = build(links);
    }

    private DefaultTopology build(List<Link> links) {
        return new DefaultTopology(PID, new DefaultGraphDescription(System.nanoTime(), System.currentTimeMillis(),
                devices, links));
    }

    /** Replaces the links and notifies listeners (as ONOS does after a link goes down or up). */
    public void setLinks(List<Link> links) {
        topology = build(links);
        TopologyEvent event = new TopologyEvent(TopologyEvent.Type.TOPOLOGY_CHANGED, topology,
                new ArrayList<>());
        listeners.forEach(l -> l.event(event));
    }

    @Override
    public Topology currentTopology() {
        return topology;
    }

    @Override
    public TopologyGraph getGraph(Topology t) {
        return ((DefaultTopology) t).getGraph();
    }

    @Override
    public void addListener(TopologyListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(TopologyListener listener) {
        listeners.remove(listener);
    }
}
