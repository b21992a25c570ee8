package io.ncp.onos.impl;

import com.google.common.util.concurrent.MoreExecutors;
import io.ncp.onos.api.NcpService;
import io.ncp.onos.planner.FlowSelector;
import io.ncp.onos.planner.HostPort;
import io.ncp.onos.planner.Ipv4;
import io.ncp.onos.planner.Ipv4Prefix;
import io.ncp.onos.planner.MiddleboxTarget;
import io.ncp.onos.planner.ReplicaTarget;
import io.ncp.onos.planner.ReplicationSpec;
import org.onlab.osgi.ComponentContextAdapter;
import org.onosproject.TestApplicationId;
import org.onosproject.cfg.ComponentConfigAdapter;
import org.onosproject.core.ApplicationId;
import org.onosproject.core.CoreService;
import org.onosproject.core.CoreServiceAdapter;
import org.onosproject.net.Device;
import org.onosproject.net.DeviceId;
import org.onosproject.net.Link;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.onosproject.net.NetTestTools.device;
import static org.onosproject.net.NetTestTools.did;
import static org.junit.Assert.fail;
import static org.onosproject.net.NetTestTools.link;

/**
 * An NcpManager wired to ONOS test doubles over a diamond network:
 * <pre>
 *          s2            s1:2-s2:1, s1:3-s3:1, s2:2-s4:2, s3:2-s4:3
 *   h1 - s1    s4 - h2   h1 = client (s1:1), h2 = primary (s4:1), h3 = middlebox (s3:3),
 *          s3            h4 = replica (s2:4), h5 = another client (s2:5); host N = 10.0.0.N, MAC 00:..:0N
 *          |
 *          h3
 * </pre>
 * With a direct executor the planner work runs on the calling thread, so tests see its effect on return.
 * {@link #config} holds the component configuration passed on activation and {@link #modified()}; its health probe
 * period is one hour (no probe during a test) unless a test sets it.
 */
public final class NcpFixture {

    public static final DeviceId S1 = did("s1");
    public static final DeviceId S2 = did("s2");
    public static final DeviceId S3 = did("s3");
    public static final DeviceId S4 = did("s4");

    public final ApplicationId appId = TestApplicationId.create(NcpService.APP_NAME);
    public final RecordingFlowRuleService flows = new RecordingFlowRuleService();
    public final TestTopologyService topology;
    public final TestHostService hosts = new TestHostService();
    public final TestNetworkConfigRegistry netcfg = new TestNetworkConfigRegistry();
    public final NcpManager manager = new NcpManager();
    public final Hashtable<String, Object> config = new Hashtable<>();
    private final ComponentContextAdapter context = new ComponentContextAdapter() {
        @Override
        public Dictionary getProperties() {
            return config;
        }
    };
    public final CoreService core = new CoreServiceAdapter() {
        @Override
        public ApplicationId registerApplication(String name) {
            return appId;
        }

        @Override
        public ApplicationId getAppId(String name) {
            return appId.name().equals(name) ? appId : null;
        }
    };

    /** @param directExecutor run planner work on the caller's thread (else NCP's own planner thread) */
    public NcpFixture(boolean directExecutor) {
        List<Device> devices = List.of(device("s1"), device("s2"), device("s3"), device("s4"));
        topology = new TestTopologyService(devices, diamondLinks());
        hosts.add(TestHostService.host(1, S1, 1));
        hosts.add(TestHostService.host(2, S4, 1));
        hosts.add(TestHostService.host(3, S3, 3));
        hosts.add(TestHostService.host(4, S2, 4));
        hosts.add(TestHostService.host(5, S2, 5));
        manager.coreService = core;
        manager.flowRuleService = flows;
        manager.topologyService = topology;
        manager.hostService = hosts;
        manager.netcfgService = netcfg;
        manager.cfgService = new ComponentConfigAdapter();
        config.put(OsgiPropertyConstants.HEALTH_INTERVAL, "3600000");
        manager.middlebox = new MiddleboxClient(Duration.ofSeconds(2), Duration.ofMillis(20), Duration.ofMillis(200));
        if (directExecutor) {
            manager.plannerThread = MoreExecutors.newDirectExecutorService();
        }
    }

    /** Both directions of the four diamond links. */
    public static List<Link> diamondLinks() {
        List<Link> links = new ArrayList<>();
        cable(links, "s1", 2, "s2", 1);
        cable(links, "s1", 3, "s3", 1);
        cable(links, "s2", 2, "s4", 2);
        cable(links, "s3", 2, "s4", 3);
        return links;
    }

    /** The diamond without the s1-s3 cable (both directions down). */
    public static List<Link> withoutS1S3() {
        List<Link> links = diamondLinks();
        links.removeIf(l -> l.src().deviceId().equals(S3) && l.dst().deviceId().equals(S1)
                || l.src().deviceId().equals(S1) && l.dst().deviceId().equals(S3));
        return links;
    }

    private static void cable(List<Link> links, String a, int pa, String b, int pb) {
        links.add(link(a, pa, b, pb));
        links.add(link(b, pb, a, pa));
    }

    /** Client h1 → primary h2:6379, middlebox h3 (listen 7000 tunnel / 6379 not), replica h4:6379. */
    public static ReplicationSpec spec(String name, boolean tunnel, String admin) {
        return spec(name, "10.0.0.1", tunnel, admin);
    }

    public static ReplicationSpec spec(String name, String src, boolean tunnel, String admin) {
        return spec(name, src, tunnel, admin, null);
    }

    /** As {@link #spec(String, String, boolean, String)} with {@code middlebox.adminTokenFile}. */
    public static ReplicationSpec spec(String name, String src, boolean tunnel, String admin, String tokenFile) {
        return new ReplicationSpec(name,
                new FlowSelector(Ipv4Prefix.parse(src), 0, Ipv4.parse("10.0.0.2"), 6379),
                new MiddleboxTarget(Ipv4.parse("10.0.0.3"), tunnel ? 7000 : 6379,
                        admin == null ? null : HostPort.parse(admin), "async", null, tokenFile),
                List.of(new ReplicaTarget(HostPort.parse("10.0.0.4:6379"), null)), tunnel);
    }

    /** An admin address nothing listens on (a port just closed): its health probes are refused. */
    public static String closedAdmin() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return "127.0.0.1:" + s.getLocalPort();
        }
    }

    /** Probes every 50 ms, gone after one miss: a spec on {@link #closedAdmin()} fails open at once. */
    public void fastHealthProbes() {
        config.put(OsgiPropertyConstants.HEALTH_INTERVAL, "50");
        config.put(OsgiPropertyConstants.HEALTH_MISSES, "1");
        modified();
    }

    /**
     * Waits up to 60 s for {@code condition}, failing the test with {@code what} (a bound, not a speed check: a JVM
     * started by a test takes several seconds on a loaded 2-core machine).
     */
    public static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("not " + what + " within 60 s");
            }
            Thread.sleep(10);
        }
    }

    public void activate() {
        manager.activate(context);
    }

    /** Passes {@link #config} to the running component, as ONOS does on {@code cfg set}. */
    public void modified() {
        manager.modified(context);
    }

    public void deactivate() {
        manager.deactivate();
    }
}
