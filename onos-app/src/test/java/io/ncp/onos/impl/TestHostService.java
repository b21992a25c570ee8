package io.ncp.onos.impl;

import org.onlab.packet.IpAddress;
import org.onlab.packet.MacAddress;
import org.onlab.packet.VlanId;
import org.onosproject.net.DefaultHost;
import org.onosproject.net.DeviceId;
import org.onosproject.net.Host;
import org.onosproject.net.HostId;
import org.onosproject.net.HostLocation;
import org.onosproject.net.PortNumber;
import org.onosproject.net.host.HostEvent;
import org.onosproject.net.host.HostListener;
import org.onosproject.net.host.HostServiceAdapter;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import static org.onosproject.net.NetTestTools.PID;

/** HostService double: hosts by id, lookups by IP/MAC, {@link #move} fires HOST_MOVED. */
public class TestHostService extends HostServiceAdapter {

    public final List<HostListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<HostId, Host> hosts = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));

    /** Host N: MAC 00:00:00:00:00:0N, IP 10.0.0.N, at {@code device:port}. */
    public static Host host(int n, DeviceId device, long port) {
        MacAddress mac = MacAddress.valueOf(String.format("00:00:00:00:00:%02x", n));
        return new DefaultHost(PID, HostId.hostId(mac), mac, VlanId.NONE,
                new HostLocation(device, PortNumber.portNumber(port), 0), Set.of(IpAddress.valueOf("10.0.0." + n)));
    }

    public static HostId hostId(int n) {
        return HostId.hostId(MacAddress.valueOf(String.format("00:00:00:00:00:%02x", n)));
    }

    public void add(Host host) {
        hosts.put(host.id(), host);
    }

    /** Moves a host and fires HOST_MOVED. */
    public void move(int n, DeviceId device, long port) {
        Host old = hosts.get(hostId(n));
        Host moved = host(n, device, port);
        hosts.put(moved.id(), moved);
        HostEvent event = new HostEvent(HostEvent.Type.HOST_MOVED, moved, old);
        listeners.forEach(l -> l.event(event));
    }

    @Override
    public Iterable<Host> getHosts() {
        return List.copyOf(hosts.values());
    }

    @Override
    public int getHostCount() {
        return hosts.size();
    }

    @Override
    public Host getHost(HostId id) {
        return hosts.get(id);
    }

    @Override
    public Set<Host> getHostsByIp(IpAddress ip) {
        return hosts.values().stream().filter(h -> h.ipAddresses().contains(ip)).collect(Collectors.toSet());
    }

    @Override
    public Set<Host> getHostsByMac(MacAddress mac) {
        return hosts.values().stream().filter(h -> h.mac().equals(mac)).collect(Collectors.toSet());
    }

    @Override
    public void addListener(HostListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(HostListener listener) {
        listeners.remove(listener);
    }
}
